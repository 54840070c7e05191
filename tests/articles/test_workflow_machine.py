"""Random sequences of transitions, edits and clock ticks by random roles (hypothesis).

Whatever happens: nothing goes out while a publish check fails, an edit never changes what
readers of a published story see, the audit log replays to the article's state, and every save
adds one revision with the version one higher than the last.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from articles.models import Article, Byline
from articles.publish_gate import publish_problems
from articles.workflow import TRANSITIONS, PublishBlocked, Status, TransitionRefused
from tests.factories import ArticleFactory

from .conftest import ROLES, take

pytestmark = pytest.mark.django_db

PLAIN_BODY = "<p>The bridge reopened on Monday morning after eight months of repairs.</p>"
#: A quotation of four words or more that nobody attributed: the sourcing check fails on it.
UNATTRIBUTED_QUOTE_BODY = '<p>"We will keep the bridge open all winter," the mayor said.</p>'

#: The roles that move stories on; drawn more often so that sequences get somewhere.
DESK = ("editor", "standards")

#: Edits through `save_edit`, some of which break a publish check and some of which repair it.
EDITS = {
    "new headline": {"headline": "Harbour bridge opens early"},
    "blank headline": {"headline": ""},
    "plain body": {"body": PLAIN_BODY},
    "empty body": {"body": ""},
    "unattributed quote": {"body": UNATTRIBUTED_QUOTE_BODY},
    "blank slug": {"slug": ""},
    "new dateline": {"dateline": "EASTMERE"},
}


#: The transitions that make a pending update live. Any other (publishing again a story taken
#: down, say) puts the live text back as it was, and the pending update stays pending.
TAKE_PENDING_UPDATE_LIVE = {"publish_update", "correct"}


class WorkflowMachine(RuleBasedStateMachine):
    #: Set by the test, which has the fixtures: role name -> user, and the owner's profile.
    users: dict = {}
    byline_person = None

    def __init__(self):
        super().__init__()
        # Each run starts from the same database, so that hypothesis can replay and shrink it.
        self.savepoint = transaction.savepoint_create()
        self.article = ArticleFactory(created_by=self.users["owner"], byline=self.byline_person)
        self.slug = self.article.slug

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    def fresh(self):
        return Article.objects.get(pk=self.article.pk)

    def attempt(self, name, role):
        before = self.article
        going_live = self.fresh()
        if name in TAKE_PENDING_UPDATE_LIVE:
            going_live.show_pending_update()
        problems = publish_problems(going_live)
        gated = TRANSITIONS[name].needs_gate(before)
        try:
            take(self.fresh(), name, by=self.users[role])
        except (TransitionRefused, PublishBlocked):
            after = self.fresh()
            assert (after.status, after.version) == (before.status, before.version)
            return
        if gated:
            assert problems == [], f"{name} went through with failing checks: {problems}"
            assert publish_problems(self.fresh()) == []

    @rule(name=st.sampled_from(sorted(TRANSITIONS)), role=st.sampled_from(ROLES))
    def any_transition(self, name, role):
        self.attempt(name, role)

    @rule(data=st.data(), role=st.one_of(st.sampled_from(DESK), st.sampled_from(ROLES)))
    def transition_from_here(self, data, role):
        """A transition the article's state allows (the role may not), so stories move on."""
        status = self.article.status
        choices = [t.name for t in TRANSITIONS.values() if status in t.sources]
        self.attempt(data.draw(st.sampled_from(choices)), role)

    @rule(
        edit=st.sampled_from(sorted(EDITS)), role=st.sampled_from(ROLES), meaningful=st.booleans()
    )
    def edit(self, edit, role, meaningful):
        article = self.fresh()
        live = article.content_values()
        article.show_pending_update()
        for field, value in EDITS[edit].items():
            setattr(article, field, value)
        try:
            article.save_edit(by=self.users[role], meaningful_update=meaningful)
        except TransitionRefused:
            assert self.fresh().version == self.article.version
        if self.article.status == Status.PUBLISHED:
            assert self.fresh().content_values() == live, "an edit changed the live story"

    @rule(data=st.data(), role=st.sampled_from(ROLES))
    def restore_a_revision(self, data, role):
        """Restoring is an edit: it may send approved words back to review, and never changes
        what readers of a published story see."""
        revisions = list(self.article.history.order_by("history_id"))
        revision = data.draw(st.sampled_from(revisions))
        article = self.fresh()
        live = article.content_values()
        try:
            article.restore_revision(revision, by=self.users[role])
        except TransitionRefused:
            assert self.fresh().version == self.article.version
            return
        status = self.article.status
        reopened = {Status.IN_REVIEW} if status in (Status.APPROVED, Status.SCHEDULED) else set()
        assert self.fresh().status in {status} | reopened
        if status == Status.PUBLISHED:
            assert self.fresh().content_values() == live, "a restore changed the live story"

    @precondition(lambda self: self.article.slug == "")
    @rule()
    def restore_slug(self):
        article = self.fresh()
        article.slug = self.slug
        article.save_edit(by=self.users["editor"])

    @rule()
    def toggle_byline(self):
        """Bylines are not saved with the article, but the gate needs one."""
        removed, _ = Byline.objects.filter(article=self.article).delete()
        if not removed:
            Byline.objects.create(article=self.article, person=self.byline_person)

    @precondition(lambda self: self.article.status == Status.SCHEDULED)
    @rule()
    def scheduled_time_comes(self):
        Article.objects.filter(pk=self.article.pk).update(
            publish_at=timezone.now() - timedelta(seconds=1)
        )
        problems = publish_problems(self.article)
        event = Article.publish_if_due(self.article.pk)
        if problems:
            assert (event.action, self.fresh().status) == ("schedule_failed", Status.APPROVED)
        else:
            assert (event.action, self.fresh().status) == ("publish_scheduled", Status.PUBLISHED)

    @invariant()
    def record_is_consistent(self):
        """The audit log replays to the status; each save left one revision, one version up.
        (Also reloads the article, which the rules and preconditions then read.)"""
        self.article = self.fresh()
        state = Status.DRAFT
        for from_status, to_status in self.article.events.values_list("from_status", "to_status"):
            assert from_status == state
            state = to_status
        assert state == self.article.status
        versions = list(
            self.article.history.order_by("history_id").values_list("version", flat=True)
        )
        assert versions == list(range(1, len(versions) + 1))
        assert self.article.version == len(versions)


def test_random_workflow(users, reporter_person):
    machine = type(
        "Machine", (WorkflowMachine,), {"users": users, "byline_person": reporter_person}
    )
    run_state_machine_as_test(
        machine,
        settings=settings(max_examples=30, stateful_step_count=40, deadline=None, database=None),
    )
