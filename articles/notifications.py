"""Who hears about a workflow event, and what the email says."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.urls import reverse

from .workflow import APPROVE_FACTCHECKED, REVIEW

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _holders_of(permission):
    return get_user_model().objects.with_perm(permission, backend=MODEL_BACKEND)


def _writers(article):
    """The reporter who created the article and every staff member with a byline on it."""
    users = {byline.person.user for byline in article.bylines.select_related("person__user")}
    users.add(article.created_by)
    return users


def _scheduler(article):
    event = article.events.filter(action="schedule").select_related("actor").last()
    return {event.actor} if event else set()


#: For each action: who is told, and how the subject line reads.
_RECIPIENTS = {
    "submit": (lambda article: _holders_of(REVIEW), "ready for review"),
    "reopen": (lambda article: _holders_of(REVIEW), "back in review after an edit"),
    "request_changes": (_writers, "changes requested"),
    "send_to_factcheck": (lambda article: _holders_of(APPROVE_FACTCHECKED), "ready for fact-check"),
    "approve": (_writers, "approved"),
    "publish": (_writers, "published"),
    "publish_scheduled": (_writers, "published on schedule"),
    "schedule_failed": (_scheduler, "scheduled publication FAILED"),
}


def notify_about(event):
    """Email everyone `event` concerns (never the person who caused it)."""
    if event.action not in _RECIPIENTS:
        return
    find_recipients, what = _RECIPIENTS[event.action]
    article = event.article
    recipients = {
        user
        for user in find_recipients(article)
        if user is not None and user.is_active and user.email and user != event.actor
    }
    if not recipients:
        return
    link = settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk])
    subject = f"[{settings.NEWSROOM_NAME}] “{article}”: {what}"
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
