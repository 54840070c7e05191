"""The editorial workflow: states, actions, and the table that is the whole state machine.

Each row of the table says, for one action: from which states it starts, where it leads, who may
take it, what it needs as input, what it does besides moving the status, whether the publish gate
must pass, and whom it notifies. `Article.transition()` (models.py) is the only way a status ever
changes: it locks the row, asks the table, runs the gate, saves, records a `WorkflowEvent` and,
after commit, sends `article_transitioned`. Rows marked `system` are taken by the newsroom's own
code (the scheduler, the return to review after an edit), never chosen by a person from a menu.
See docs/architecture.md for the picture.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    FACT_CHECK = "fact_check", "In fact-check"
    APPROVED = "approved", "Approved"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


class Action(models.TextChoices):
    """Every workflow action; the label is the button (or, for system actions, the log entry)."""

    SUBMIT = "submit", "Submit for review"
    REQUEST_CHANGES = "request_changes", "Request changes"
    SEND_TO_FACTCHECK = "send_to_factcheck", "Send to fact-check"
    APPROVE = "approve", "Approve"
    SCHEDULE = "schedule", "Schedule"
    UNSCHEDULE = "unschedule", "Cancel schedule"
    PUBLISH = "publish", "Publish now"
    UNPUBLISH = "unpublish", "Unpublish"
    CORRECT = "correct", "Add a correction"
    PUBLISH_UPDATE = "publish_update", "Publish update"
    DISCARD_UPDATE = "discard_update", "Discard update"
    REOPEN = "reopen", "Back to review after an edit"
    PUBLISH_SCHEDULED = "publish_scheduled", "Published on schedule"
    SCHEDULE_FAILED = "schedule_failed", "Scheduled publish failed"
    EXPIRE = "expire", "Taken down at its expiry time"


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


class Audience(StrEnum):
    """Who is emailed after a transition (articles/notifications.py finds the people)."""

    REVIEWERS = "reviewers"
    FACT_CHECKERS = "fact_checkers"
    WRITERS = "writers"
    SCHEDULER = "scheduler"


@dataclass(frozen=True)
class Notice:
    """Whom a transition notifies, and how the subject line reads."""

    audience: Audience
    subject: str


@dataclass(frozen=True)
class Input:
    """A value a transition takes from the person taking it: what to say when a required one is
    missing (an optional one has a default)."""

    name: str
    missing: str = ""

    @property
    def required(self) -> bool:
        return bool(self.missing)


PUBLISH_AT = Input("publish_at", "Say when the article should be published.")
CORRECTION_KIND = Input("correction_kind", "Choose the kind of correction.")
CORRECTION_TEXT = Input("correction_text", "Write the correction readers will see.")
CHECKER = Input("checker")
FACTCHECK_DUE = Input("factcheck_due")


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


def _anyone(user, article):
    return None


def _with_pending_update(rule: Callable) -> Callable:
    """`rule`, and only while the article has a pending update."""

    def combined(user, article):
        if reason := rule(user, article):
            return reason
        if not article.has_pending_update:
            return "There is no pending update: edits to this story are already live."
        return None

    return combined


def _has_pending_update(article) -> bool:
    return article.has_pending_update


def _when_due(user, article):
    if article.publish_at is None or article.publish_at > timezone.now():
        return "Its scheduled time has not come."
    return None


def _when_expired(user, article):
    if article.expires_at is None or article.expires_at > timezone.now():
        return "Its expiry time has not come."
    return None


# What a transition does besides moving the status. Each runs on the locked row before the gate,
# so a refusal here (or from the gate) leaves nothing changed.


#: How far ahead a story may be scheduled. A year like 9999 is a typo, and would overflow when
#: stored in UTC.
MAX_SCHEDULE_AHEAD = timedelta(days=100 * 365)


def _set_publication_time(article, *, by, publish_at):
    if publish_at <= timezone.now():
        raise TransitionRefused("Choose a publication time in the future.")
    if publish_at > timezone.now() + MAX_SCHEDULE_AHEAD:
        raise TransitionRefused("Choose a publication time within the next hundred years.")
    article.publish_at = publish_at


def _stamp_first_publication(article, *, by):
    """The first publication time is kept when an article is published again."""
    if article.first_published_at is None:
        article.first_published_at = timezone.now()
        article.copy_first_publication()


def _append_correction(article, *, by, correction_kind, correction_text):
    """The correction and the fix to the text (the pending update, if any) go live together."""
    if article.has_pending_update:
        article.make_pending_update_live()
    now = timezone.now()
    article.updated_at = now
    article.corrections.create(
        kind=correction_kind, text=correction_text.strip(), created_by=by, created_at=now
    )


def _assign_factchecker(article, *, by, checker=None, factcheck_due=None):
    article.assign_factchecker(by=by, checker=checker, due_at=factcheck_due)


def _publish_pending_update(article, *, by):
    article.make_pending_update_live()


def _discard_pending_update(article, *, by):
    article.discard_pending_update()


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: tuple[Status, ...]
    target: Status
    rule: Callable = _anyone
    inputs: tuple[Input, ...] = ()
    effect: Callable | None = None
    #: Whether the publish gate must pass: always, or when `gated(article)` says so.
    gated: bool | Callable = False
    #: Whether the checks that hold from approval on (an unresolved blocking comment, ...) must
    #: pass; the whole gate includes them.
    approval_checks: bool = False
    #: The system transition taken instead, in the same lock, when the gate refuses this one.
    when_blocked: Action | None = None
    notifies: Notice | None = None
    system: bool = False
    primary: bool = False

    @property
    def name(self) -> str:
        return self.action.value

    @property
    def label(self) -> str:
        return self.action.label

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(item.name for item in self.inputs)

    def refusal(self, user, article, *, system=False) -> str | None:
        """Why `user` (None for the system) may not take this transition on `article` now."""
        if self.system and not system:
            return f"“{self.label}” happens automatically; nobody takes it by hand."
        if not self.system and user is None:
            return f"“{self.label}” must be taken by a member of staff."
        if reason := self.rule(user, article):
            return reason
        if article.status not in self.sources:
            allowed = ", ".join(Status(source).label.lower() for source in self.sources)
            return (
                f"“{self.label}” is not possible while the article is "
                f"{article.get_status_display().lower()} (only when {allowed})."
            )
        return None

    def needs_gate(self, article) -> bool:
        return self.gated(article) if callable(self.gated) else self.gated

    def missing_inputs(self, inputs) -> list[str]:
        """What the person taking the transition still has to say."""
        return [
            item.missing
            for item in self.inputs
            if item.required and not _given(inputs.get(item.name))
        ]


def _given(value) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


_TABLE = (
    Transition(
        Action.SUBMIT,
        (Status.DRAFT,),
        Status.IN_REVIEW,
        edit_refusal,
        notifies=Notice(Audience.REVIEWERS, "ready for review"),
    ),
    Transition(
        Action.REQUEST_CHANGES,
        (
            Status.IN_REVIEW,
            Status.FACT_CHECK,
            Status.APPROVED,
            Status.SCHEDULED,
            Status.UNPUBLISHED,
        ),
        Status.DRAFT,
        _needs(REVIEW, "send articles back to their reporter"),
        notifies=Notice(Audience.WRITERS, "changes requested"),
    ),
    Transition(
        Action.SEND_TO_FACTCHECK,
        (Status.IN_REVIEW,),
        Status.FACT_CHECK,
        _needs(REVIEW, "send articles to fact-check"),
        inputs=(CHECKER, FACTCHECK_DUE),
        effect=_assign_factchecker,
        notifies=Notice(Audience.FACT_CHECKERS, "ready for fact-check"),
    ),
    Transition(
        Action.APPROVE,
        (Status.IN_REVIEW, Status.FACT_CHECK),
        Status.APPROVED,
        _may_approve,
        approval_checks=True,
        notifies=Notice(Audience.WRITERS, "approved"),
    ),
    Transition(
        Action.SCHEDULE,
        (Status.APPROVED, Status.SCHEDULED),
        Status.SCHEDULED,
        _needs(PUBLISH, "schedule articles"),
        inputs=(PUBLISH_AT,),
        effect=_set_publication_time,
        gated=True,
    ),
    Transition(
        Action.UNSCHEDULE,
        (Status.SCHEDULED,),
        Status.APPROVED,
        _needs(PUBLISH, "cancel a schedule"),
    ),
    Transition(
        Action.PUBLISH,
        (Status.APPROVED, Status.SCHEDULED, Status.UNPUBLISHED),
        Status.PUBLISHED,
        _needs(PUBLISH, "publish articles"),
        effect=_stamp_first_publication,
        gated=True,
        notifies=Notice(Audience.WRITERS, "published"),
        primary=True,
    ),
    Transition(
        Action.UNPUBLISH,
        (Status.PUBLISHED,),
        Status.UNPUBLISHED,
        _needs(PUBLISH, "unpublish articles"),
    ),
    Transition(
        Action.CORRECT,
        (Status.PUBLISHED,),
        Status.PUBLISHED,
        _needs(PUBLISH, "correct published articles"),
        inputs=(CORRECTION_KIND, CORRECTION_TEXT),
        effect=_append_correction,
        gated=_has_pending_update,
    ),
    Transition(
        Action.PUBLISH_UPDATE,
        (Status.PUBLISHED,),
        Status.PUBLISHED,
        _with_pending_update(_needs(PUBLISH, "publish updates to a story")),
        effect=_publish_pending_update,
        gated=True,
        notifies=Notice(Audience.WRITERS, "update published"),
        primary=True,
    ),
    Transition(
        Action.DISCARD_UPDATE,
        (Status.PUBLISHED,),
        Status.PUBLISHED,
        _with_pending_update(edit_refusal),
        effect=_discard_pending_update,
    ),
    Transition(
        Action.REOPEN,
        (Status.APPROVED, Status.SCHEDULED),
        Status.IN_REVIEW,
        system=True,
        notifies=Notice(Audience.REVIEWERS, "back in review after an edit"),
    ),
    Transition(
        Action.PUBLISH_SCHEDULED,
        (Status.SCHEDULED,),
        Status.PUBLISHED,
        _when_due,
        effect=_stamp_first_publication,
        gated=True,
        when_blocked=Action.SCHEDULE_FAILED,
        system=True,
        notifies=Notice(Audience.WRITERS, "published on schedule"),
    ),
    Transition(
        Action.SCHEDULE_FAILED,
        (Status.SCHEDULED,),
        Status.APPROVED,
        system=True,
        notifies=Notice(Audience.SCHEDULER, "scheduled publication FAILED"),
    ),
    Transition(
        Action.EXPIRE,
        (Status.PUBLISHED,),
        Status.UNPUBLISHED,
        _when_expired,
        system=True,
        notifies=Notice(Audience.WRITERS, "taken down at its expiry time"),
    ),
)

TRANSITIONS: dict[str, Transition] = {transition.name: transition for transition in _TABLE}


def available_transitions(user, article) -> list[Transition]:
    """The transitions `user` may take by hand on `article` right now, in table order."""
    return [t for t in _TABLE if not t.system and t.refusal(user, article) is None]
