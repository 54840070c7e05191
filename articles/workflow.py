"""The editorial workflow: states, the transition table, who may take each transition, and why not.

This module knows nothing about the database. `Article` (in models.py) runs a transition by name:
it locks its row, asks `Transition.refusal()`, runs the publish gate when the transition is gated,
and records a `WorkflowEvent`. Read the table below to know what the newsroom allows.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    FACT_CHECK = "fact_check", "In fact-check"
    APPROVED = "approved", "Approved"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


EDIT_ANY = "articles.edit_any_article"
REVIEW = "articles.review_article"
APPROVE_FACTCHECKED = "articles.approve_factchecked_article"
PUBLISH = "articles.publish_article"

#: Changing one of these after approval sends the article back to review.
REVIEWED_FIELDS = ("headline", "dek", "body")


class WorkflowError(Exception):
    """A workflow action was refused. `reasons` holds one sentence per reason, for people."""

    def __init__(self, *reasons: str):
        self.reasons = list(reasons)
        super().__init__(" ".join(self.reasons))


class TransitionRefused(WorkflowError):
    """The user's role or the article's state does not allow the transition."""


class PublishBlocked(WorkflowError):
    """The publish gate failed; `problems` are the failing checks (with links to fix them)."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(*(problem.message for problem in self.problems))


class StaleEdit(WorkflowError):
    """Someone saved the article after this copy was loaded; saving would overwrite their work."""


def edit_refusal(user, article) -> str | None:
    """Why `user` may not edit `article`'s content now, or None if they may."""
    if not user.has_perm("articles.change_article"):
        return "You do not have permission to edit articles."
    if user.has_perm(EDIT_ANY):
        return None
    if article.pk and article.created_by_id != user.pk:
        return "Reporters can edit only their own articles."
    if article.status != Status.DRAFT:
        return "This article has left draft; only an editor can change it now."
    return None


def _needs(permission: str, doing: str) -> Callable:
    def rule(user, article):
        if not user.has_perm(permission):
            return f"You do not have permission to {doing}."
        return None

    return rule


def _may_approve(user, article):
    if user.has_perm(REVIEW):
        return None
    if user.has_perm(APPROVE_FACTCHECKED):
        if article.status == Status.FACT_CHECK:
            return None
        return "Fact-checkers can approve only a story that is in fact-check."
    return "You do not have permission to approve articles."


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[Status, ...]
    target: Status
    rule: Callable
    gated: bool = False

    def refusal(self, user, article) -> str | None:
        """Why `user` may not take this transition on `article` now, or None if they may."""
        if reason := self.rule(user, article):
            return reason
        if article.status not in self.sources:
            allowed = ", ".join(Status(source).label.lower() for source in self.sources)
            return (
                f"“{self.label}” is not possible while the article is "
                f"{article.get_status_display().lower()} (only when {allowed})."
            )
        return None


_TABLE = (
    Transition("submit", "Submit for review", (Status.DRAFT,), Status.IN_REVIEW, edit_refusal),
    Transition(
        "request_changes",
        "Request changes",
        (
            Status.IN_REVIEW,
            Status.FACT_CHECK,
            Status.APPROVED,
            Status.SCHEDULED,
            Status.UNPUBLISHED,
        ),
        Status.DRAFT,
        _needs(REVIEW, "send articles back to their reporter"),
    ),
    Transition(
        "send_to_factcheck",
        "Send to fact-check",
        (Status.IN_REVIEW,),
        Status.FACT_CHECK,
        _needs(REVIEW, "send articles to fact-check"),
    ),
    Transition(
        "approve", "Approve", (Status.IN_REVIEW, Status.FACT_CHECK), Status.APPROVED, _may_approve
    ),
    Transition(
        "schedule",
        "Schedule",
        (Status.APPROVED,),
        Status.SCHEDULED,
        _needs(PUBLISH, "schedule articles"),
        gated=True,
    ),
    Transition(
        "unschedule",
        "Cancel schedule",
        (Status.SCHEDULED,),
        Status.APPROVED,
        _needs(PUBLISH, "cancel a schedule"),
    ),
    Transition(
        "publish",
        "Publish now",
        (Status.APPROVED, Status.SCHEDULED, Status.UNPUBLISHED),
        Status.PUBLISHED,
        _needs(PUBLISH, "publish articles"),
        gated=True,
    ),
    Transition(
        "unpublish",
        "Unpublish",
        (Status.PUBLISHED,),
        Status.UNPUBLISHED,
        _needs(PUBLISH, "unpublish articles"),
    ),
    Transition(
        "correct",
        "Add a correction",
        (Status.PUBLISHED,),
        Status.PUBLISHED,
        _needs(PUBLISH, "correct published articles"),
    ),
)

TRANSITIONS: dict[str, Transition] = {transition.name: transition for transition in _TABLE}

#: Events that no one chooses from a menu: the scheduler's, and the automatic return to review.
SYSTEM_ACTIONS = {
    "reopen": "Back to review after an edit",
    "publish_scheduled": "Published on schedule",
    "schedule_failed": "Scheduled publish failed",
}

ACTION_CHOICES = [(t.name, t.label) for t in _TABLE] + list(SYSTEM_ACTIONS.items())


def available_transitions(user, article) -> list[Transition]:
    """The transitions `user` may take on `article` right now, in table order."""
    return [t for t in _TABLE if t.refusal(user, article) is None]
