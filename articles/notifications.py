"""Who hears about a workflow event, and what the email says.

Subscribed to `article_transitioned`: after a transition commits, the task worker emails the
audience its row in the workflow table names (never the person who caused it).
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.dispatch import receiver
from django.tasks import task
from django.urls import reverse

from .extensions import article_transitioned
from .models import MODEL_BACKEND
from .workflow import APPROVE_FACTCHECKED, REVIEW, TRANSITIONS, Action, Audience


def _holders_of(permission):
    return get_user_model().objects.with_perm(permission, backend=MODEL_BACKEND)


def _writers(article):
    """The reporter who created the article and every staff member with a byline on it."""
    users = {byline.person.user for byline in article.bylines.select_related("person__user")}
    users.add(article.created_by)
    return users


def _scheduler(article):
    event = article.events.filter(action=Action.SCHEDULE).select_related("actor").last()
    return {event.actor} if event else set()


AUDIENCES = {
    Audience.REVIEWERS: lambda article: _holders_of(REVIEW),
    Audience.FACT_CHECKERS: lambda article: _holders_of(APPROVE_FACTCHECKED),
    Audience.WRITERS: _writers,
    Audience.SCHEDULER: _scheduler,
}


@receiver(article_transitioned, dispatch_uid="articles.notify_after_transition")
def notify_after_transition(sender, event, **kwargs):
    """Queue the email for a transition whose row says someone should hear of it."""
    if TRANSITIONS[event.action].notifies is not None:
        send_workflow_notification.enqueue(event.pk)


@task()
def send_workflow_notification(event_id):
    """Email the people a workflow event concerns (run by the task worker)."""
    event = apps.get_model("articles", "WorkflowEvent").objects.filter(pk=event_id).first()
    if event is not None:
        notify_about(event)


def notify_about(event):
    """Email everyone `event` concerns (never the person who caused it)."""
    notice = TRANSITIONS[event.action].notifies
    if notice is None:
        return
    article = event.article
    recipients = {
        user
        for user in AUDIENCES[notice.audience](article)
        if user is not None and user.is_active and user.email and user != event.actor
    }
    if not recipients:
        return
    link = settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk])
    subject = f"[{settings.NEWSROOM_NAME}] “{article}”: {notice.subject}"
    lines = [f"“{article}” is now {event.get_to_status_display().lower()}."]
    if event.actor:
        lines.append(f"By: {event.actor}")
    if event.comment:
        lines += ["", event.comment]
    lines += ["", link]
    body = "\n".join(lines)
    send_mass_mail(
        [(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]) for user in recipients]
    )
