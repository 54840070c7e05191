"""The publish gate: checks that must all pass before an article is published or scheduled.

Other apps add checks through `articles.extensions.register_publish_check` from their
`AppConfig.ready()`, the way Django's system checks are registered, so this app never imports them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import formats, timezone

from people.models import Person

from .html import plain_text
from .workflow import Status


@dataclass(frozen=True)
class PublishProblem:
    """One reason an article may not be published yet, with where to fix it when known."""

    message: str
    fix_url: str = ""


PublishCheck = Callable[..., Iterable[PublishProblem]]

_registry: list[PublishCheck] = []
#: The checks that also hold at approval: a story failing one may not even be approved.
_at_approval: list[PublishCheck] = []


def register_publish_check(check: PublishCheck, *, at_approval=False) -> PublishCheck:
    """Add `check` to the gate (once, however often it is registered); `at_approval` makes it
    hold for approval too (the workflow rows with `approval_checks`). Usable as a decorator."""
    if check not in _registry:
        _registry.append(check)
    if at_approval and check not in _at_approval:
        _at_approval.append(check)
    return check


def publish_problems(article) -> list[PublishProblem]:
    """Every reason the article may not be published now; an empty list means it may."""
    return [problem for check in _registry for problem in check(article)]


def approval_problems(article) -> list[PublishProblem]:
    """Every reason the article may not be approved now."""
    return [problem for check in _at_approval for problem in check(article)]


@register_publish_check
def has_required_fields(article):
    if not article.headline.strip():
        yield PublishProblem("Add a headline.")
    if not article.slug:
        yield PublishProblem("Add a slug (the last part of the story's web address).")
    if article.section_id is None:
        yield PublishProblem("Choose a section.")
    if not plain_text(article.body).strip():
        yield PublishProblem("The body is empty.")


@register_publish_check
def has_byline(article):
    if not article.bylines.exists():
        yield PublishProblem("Add at least one byline.")


@register_publish_check
def lead_photo_has_alt_text(article):
    photo = article.lead_photo
    if photo is not None and not photo.alt_text.strip():
        yield PublishProblem(
            "The lead photo needs alt text.",
            fix_url=reverse("admin:photos_photo_change", args=[photo.pk]),
        )


@register_publish_check
def no_minor_named_without_clearance(article):
    """A minor named in the story's words needs a standards editor's recorded decision."""
    text = "\n".join([article.headline, article.dek, plain_text(article.body)])
    cleared = {clearance.person_id for clearance in article.minor_clearances.all()}
    for person in Person.objects.minors().named_in(text):
        if person.pk not in cleared:
            yield PublishProblem(
                f"The story names {person.name}, a minor. Only a standards editor can allow "
                "that, recording why.",
                fix_url=reverse("admin:articles_article_clear_minor", args=[article.pk, person.pk]),
            )


def _newsroom_time(value):
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


@register_publish_check
def within_embargo_and_expiry(article):
    """Not before the embargo (for a schedule: not scheduled before it), and not at or after the
    expiry time. A story already live has passed its embargo."""
    live_at = article.goes_live_at()
    already_live = article.status == Status.PUBLISHED
    if not already_live and article.embargo_until and live_at < article.embargo_until:
        yield PublishProblem(
            f"The story is embargoed until {_newsroom_time(article.embargo_until)}: publish or "
            "schedule it no earlier."
        )
    if article.expires_at and live_at >= article.expires_at:
        yield PublishProblem(
            f"The story expires at {_newsroom_time(article.expires_at)}, before it would go "
            "live: change or clear the expiry time."
        )
