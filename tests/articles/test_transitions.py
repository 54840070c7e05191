"""Every (role, transition, state), the system's transitions included: allowed ones succeed
and log one event; refused ones say why and change nothing.

The expectations are written out here from the newsroom's rules (docs/architecture.md), not
computed from `articles.workflow`.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, WorkflowEvent
from articles.workflow import TRANSITIONS, Status, TransitionRefused

from .conftest import ROLES, take

pytestmark = pytest.mark.django_db

DESK = {"editor", "standards"}
#: The newsroom's own code: the scheduler, and the return to review after an edit.
SYSTEM = "system"

#: Who may take each transition, from the role table in docs/architecture.md. A reporter may
#: submit only their own draft; a fact-checker may approve only from fact-check (see
#: `expected_allowed`).
MAY = {
    "submit": DESK | {"owner"},
    "request_changes": DESK,
    "send_to_factcheck": DESK,
    "approve": DESK | {"factchecker"},
    "schedule": DESK,
    "unschedule": DESK,
    "publish": DESK,
    "unpublish": DESK,
    "correct": DESK,
    "publish_update": DESK,
    "discard_update": DESK,
    "reopen": {SYSTEM},
    "publish_scheduled": {SYSTEM},
    "schedule_failed": {SYSTEM},
    "expire": {SYSTEM},
}

#: From which states each transition starts, from the workflow diagram in docs/architecture.md,
#: plus the newsroom's decisions the diagram leaves implicit: an editor may approve straight from
#: review (only fact-checkers are limited to fact-check), send back to draft anything not on the
#: site, publish a scheduled story early, cancel a schedule, reschedule (the calendar's move) and
#: republish an unpublished story.
FROM = {
    "submit": {Status.DRAFT},
    "request_changes": {
        Status.IN_REVIEW,
        Status.FACT_CHECK,
        Status.APPROVED,
        Status.SCHEDULED,
        Status.UNPUBLISHED,
    },
    "send_to_factcheck": {Status.IN_REVIEW},
    "approve": {Status.IN_REVIEW, Status.FACT_CHECK},
    "schedule": {Status.APPROVED, Status.SCHEDULED},
    "unschedule": {Status.SCHEDULED},
    "publish": {Status.APPROVED, Status.SCHEDULED, Status.UNPUBLISHED},
    "unpublish": {Status.PUBLISHED},
    "correct": {Status.PUBLISHED},
    "publish_update": {Status.PUBLISHED},
    "discard_update": {Status.PUBLISHED},
    "reopen": {Status.APPROVED, Status.SCHEDULED},
    "publish_scheduled": {Status.SCHEDULED},
    "schedule_failed": {Status.SCHEDULED},
    "expire": {Status.PUBLISHED},
}

TO = {
    "submit": Status.IN_REVIEW,
    "request_changes": Status.DRAFT,
    "send_to_factcheck": Status.FACT_CHECK,
    "approve": Status.APPROVED,
    "schedule": Status.SCHEDULED,
    "unschedule": Status.APPROVED,
    "publish": Status.PUBLISHED,
    "unpublish": Status.UNPUBLISHED,
    "correct": Status.PUBLISHED,
    "publish_update": Status.PUBLISHED,
    "discard_update": Status.PUBLISHED,
    "reopen": Status.IN_REVIEW,
    "publish_scheduled": Status.PUBLISHED,
    "schedule_failed": Status.APPROVED,
    "expire": Status.UNPUBLISHED,
}


#: The transitions of a published story's pending update (given one, in the matrix).
UPDATES = {"publish_update", "discard_update"}


def expected_allowed(role, name, state):
    if state not in FROM[name]:
        return False
    if name == "approve" and role == "factchecker":
        return state == Status.FACT_CHECK
    return role in MAY[name]


def test_the_expectations_cover_every_transition():
    assert set(MAY) == set(FROM) == set(TO) == set(TRANSITIONS)


def take_as(article, name, role, users):
    """Take the transition as a person in `role`, or as the system (whose scheduled time, or for
    an expiry the expiry time, has come, so only the table decides)."""
    if role == SYSTEM:
        past = timezone.now() - timedelta(minutes=1)
        Article.objects.filter(pk=article.pk, publish_at__isnull=False).update(publish_at=past)
        if name == "expire":
            Article.objects.filter(pk=article.pk).update(expires_at=past)
        return take(article, name, by=None, system=True)
    return take(article, name, by=users[role])


@pytest.mark.parametrize("state", list(Status))
@pytest.mark.parametrize("name", list(MAY))
@pytest.mark.parametrize("role", [*ROLES, SYSTEM])
def test_transition(article_in, users, role, name, state):
    article = article_in(state)
    if name in UPDATES and state == Status.PUBLISHED:
        article.dek = "A pending change to the dek."
        article.save_edit(by=users["editor"])
    user = users.get(role)
    events_before = WorkflowEvent.objects.filter(article=article).count()
    version_before = article.version

    if expected_allowed(role, name, state):
        event = take_as(article, name, role, users)

        article.refresh_from_db()
        assert article.status == TO[name]
        assert article.version == version_before + 1
        new_events = WorkflowEvent.objects.filter(article=article)[events_before:]
        assert [(e.pk, e.action, e.actor, e.from_status, e.to_status) for e in new_events] == [
            (event.pk, name, user, state, TO[name])
        ]
    else:
        with pytest.raises(TransitionRefused) as refusal:
            take_as(article, name, role, users)

        assert refusal.value.reasons
        assert all(reason.strip() for reason in refusal.value.reasons)
        assert article.status == state
        article.refresh_from_db()
        assert article.status == state
        assert article.version == version_before
        assert WorkflowEvent.objects.filter(article=article).count() == events_before


@pytest.mark.parametrize("name", sorted(UPDATES))
@pytest.mark.parametrize("role", ROLES)
def test_without_a_pending_update_there_is_nothing_to_publish_or_discard(
    article_in, users, role, name
):
    article = article_in(Status.PUBLISHED)

    with pytest.raises(TransitionRefused) as refusal:
        take(article, name, by=users[role])

    if role in DESK:
        assert refusal.value.reasons == [
            "There is no pending update: edits to this story are already live."
        ]
    assert not article.events.filter(action=name).exists()
