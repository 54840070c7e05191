"""“My work” shows each role what is waiting for them, and only that."""

import pytest
from django.urls import reverse

from articles.models import FactCheckAssignment
from articles.workflow import Status
from sourcing import services
from tests.factories import AnonymousSourceFactory, SourceFactory, StaffPersonFactory

from .conftest import approved_anonymous_source, attribute, publish, said

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(story, reporter, editor, factchecker, standards):
    """A story waiting at each step, named by where it waits."""
    named = SourceFactory()
    names = ["draft", "sent back", "in review", "checked", "unchecked", "approved", "updated"]
    stories = {name: story(said(name), headline=f"The {name} story") for name in names}
    stories["other"] = story(
        said("other"), headline="The other story", created_by=editor, byline=StaffPersonFactory()
    )
    for article in stories.values():
        attribute(article.quotes.get(), named)
    stories["sent back"].submit(by=reporter)
    stories["sent back"].request_changes(by=editor, comment="Needs a second source.")
    stories["in review"].submit(by=reporter)
    for name in ("checked", "unchecked"):
        stories[name].submit(by=reporter)
        stories[name].send_to_factcheck(by=editor, checker=factchecker)
    services.check_quote(
        quote=stories["checked"].quotes.get(), by=factchecker, status="verified", note="On tape."
    )
    stories["approved"].submit(by=reporter)
    stories["approved"].approve(by=editor)
    services.check_quote(
        quote=stories["updated"].quotes.get(), by=factchecker, status="verified", note="On tape."
    )
    publish(stories["updated"], by=editor)
    stories["updated"].dek = "A pending change."
    stories["updated"].save_edit(by=editor)
    unapproved = AnonymousSourceFactory(public_description="a council clerk")
    attribute(story(said("clerk")).quotes.get(), unapproved)
    discredited = approved_anonymous_source(by=standards, public_description="a ferry pilot")
    quoted = story(said("ferry"))
    attribute(quoted.quotes.get(), discredited)
    services.check_quote(quote=quoted.quotes.get(), by=factchecker, status="verified", note="Ok.")
    publish(quoted, by=editor)
    services.discredit_source(source=discredited, by=standards, reason="Made up a crossing.")
    return stories


def queues(client, user):
    client.force_login(user)
    response = client.get(reverse("my_work"))
    assert response.status_code == 200
    return {
        title: {str(article) for article in stories}
        for title, stories, _ in response.context["queues"]
    }, response


def test_a_reporter_sees_their_drafts_and_what_was_sent_back(client, desk, reporter):
    shown, response = queues(client, reporter)

    assert set(shown) == {"Sent back to me", "My drafts"}
    assert shown["Sent back to me"] == {"The sent back story"}
    assert "The draft story" in shown["My drafts"]
    assert "The sent back story" not in shown["My drafts"]
    assert "The other story" not in shown["My drafts"]
    assert response.context.get("grants") is None


def test_an_editor_sees_review_approval_publication_and_updates(client, desk, editor):
    shown, _ = queues(client, editor)

    assert shown["Awaiting review"] == {"The in review story"}
    assert shown["Checked, awaiting approval"] == {"The checked story"}
    assert shown["Approved, ready to publish"] == {"The approved story"}
    assert shown["Pending updates to publish"] == {"The updated story"}


def test_a_fact_checker_sees_their_assignments_and_the_desk_with_theirs_first(
    client, desk, factchecker
):
    shown, response = queues(client, factchecker)

    assert {a.article.headline for a in response.context["assignments"]} == {
        "The checked story",
        "The unchecked story",
    }
    assert "Awaiting review" not in shown
    desk_page = client.get(reverse("admin:sourcing_desk"))
    assert desk_page.context["assignments"][0].checker == factchecker


def test_the_standards_editor_sees_grants_tasks_and_discredited_sources(client, desk, standards):
    _, response = queues(client, standards)

    assert ["a council clerk" in str(source) for source in response.context["grants"]] == [True]
    assert [task.source.public_description for task in response.context["correction_tasks"]] == [
        "a ferry pilot"
    ]
    assert ["a ferry pilot" in str(source) for source in response.context["discredited"]] == [True]


def test_sending_to_fact_check_assigns_the_least_busy_checker_by_default(
    story, reporter, editor, factchecker, standards
):
    first, second = story(said("first")), story(said("second"))
    for article in (first, second):
        article.submit(by=reporter)

    first.send_to_factcheck(by=editor)
    second.send_to_factcheck(by=editor)

    checkers = {
        FactCheckAssignment.objects.get(article=first).checker,
        FactCheckAssignment.objects.get(article=second).checker,
    }
    assert checkers == {factchecker, standards}
    assert all(a.due_at and a.assigned_by == editor for a in FactCheckAssignment.objects.all())
    assert first.status == Status.FACT_CHECK
