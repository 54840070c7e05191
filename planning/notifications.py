"""Emails to the people mentioned in a comment, sent by the task worker after the comment is
saved for good. Each mention is emailed once, however often the task runs (tasks run at least
once)."""

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import timezone


@task()
def send_mention_emails(comment_id):
    Mention = apps.get_model("planning", "Mention")
    mentions = Mention.objects.filter(
        comment_id=comment_id, emailed_at__isnull=True
    ).select_related("user", "comment__author", "comment__article")
    for mention in mentions:
        # Claimed one by one: of two runs of the task, one sends each email.
        claimed = Mention.objects.filter(pk=mention.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if claimed and mention.user.email:
            _email(mention)


def _email(mention):
    comment = mention.comment
    link = settings.SITE_URL + reverse("admin:planning_comment_article", args=[comment.article_id])
    send_mail(
        f"[{settings.NEWSROOM_NAME}] {comment.author} mentioned you on “{comment.article}”",
        "\n".join([f"{comment.author} wrote:", "", comment.text, "", link]),
        settings.DEFAULT_FROM_EMAIL,
        [mention.user.email],
    )
