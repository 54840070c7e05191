"""A minor named in a story's words holds it back until a standards editor lets the story name
them, recording why; nobody else can."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from articles.models import MinorNamingClearance
from articles.publish_gate import publish_problems
from articles.workflow import PublishBlocked, Status
from people.models import Person
from tests.factories import PersonFactory

from .conftest import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def amalia(db):
    return PersonFactory(name="Amalia", kind=Person.Kind.PRIVATE_INDIVIDUAL, is_minor=True)


def named(problems):
    return [problem.message for problem in problems if "a minor" in problem.message]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("<p>Their daughter Amalia, 7, lives in Paris.</p>", True),
        ("<p>AMALIA was not there.</p>", True),
        ("<p>The Amalias of this world.</p>", False),
        ("<p>Nobody under 18 is named here.</p>", False),
    ],
)
def test_a_minor_named_in_the_body_is_a_publish_problem(editor, article_in, amalia, text, names):
    article = article_in(Status.APPROVED, body=text)

    problems = named(publish_problems(article))

    assert bool(problems) is names
    if names:
        assert "Amalia" in problems[0]
        assert publish_problems(article)[-1].fix_url == reverse(
            "admin:articles_article_clear_minor", args=[article.pk, amalia.pk]
        )


def test_a_minor_named_in_the_headline_counts_too(editor, article_in, amalia):
    article = article_in(Status.APPROVED, headline="Amalia wins the school prize")

    assert named(publish_problems(article))


def test_the_story_waits_until_the_standards_editor_clears_it(
    editor, standards, article_in, amalia
):
    article = article_in(Status.APPROVED, body="<p>Their daughter Amalia, 7, was there.</p>")

    with pytest.raises(PublishBlocked, match="Amalia, a minor"):
        article.publish(by=editor)
    MinorNamingClearance.clear(
        article=article, person=amalia, by=standards, reason="Named in the court ruling."
    )
    article.publish(by=editor)

    assert article.status == Status.PUBLISHED
    clearance = article.minor_clearances.get()
    assert (clearance.cleared_by, clearance.reason) == (standards, "Named in the court ruling.")


def test_an_update_that_names_a_minor_waits_for_the_clearance(editor, article_in, amalia):
    article = article_in(Status.PUBLISHED)
    article.body = "<p>Their daughter Amalia, 7, was there.</p>"
    article.save_edit(by=editor)

    with pytest.raises(PublishBlocked, match="Amalia, a minor"):
        article.transition("publish_update", by=editor)


@pytest.mark.parametrize("role", [role for role in ROLES if role != "standards"])
def test_only_the_standards_editor_can_clear(users, article_in, amalia, role):
    article = article_in(Status.APPROVED, body="<p>Amalia was there.</p>")

    with pytest.raises(PermissionDenied):
        MinorNamingClearance.clear(article=article, person=amalia, by=users[role], reason="Ok.")

    assert not MinorNamingClearance.objects.exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_clearance_needs_a_reason(standards, article_in, amalia, reason):
    article = article_in(Status.APPROVED, body="<p>Amalia was there.</p>")

    with pytest.raises(ValidationError, match="Say why"):
        MinorNamingClearance.clear(article=article, person=amalia, by=standards, reason=reason)


def test_an_adult_needs_no_clearance(standards, article_in):
    adult = PersonFactory(name="Amalia")
    article = article_in(Status.APPROVED, body="<p>Amalia was there.</p>")

    assert not named(publish_problems(article))
    with pytest.raises(ValidationError, match="not marked as a minor"):
        MinorNamingClearance.clear(article=article, person=adult, by=standards, reason="Ok.")


@pytest.mark.parametrize("role", ROLES)
def test_the_clearance_page_by_role(client, users, article_in, amalia, role):
    article = article_in(Status.APPROVED, body="<p>Amalia was there.</p>")
    url = reverse("admin:articles_article_clear_minor", args=[article.pk, amalia.pk])
    client.force_login(users[role])

    page = client.get(url)
    posted = client.post(url, {"reason": "Named in the ruling the story reports."})

    if role == "standards":
        assert page.status_code == 200
        assert posted.status_code == 302
        assert article.minor_clearances.get().cleared_by == users["standards"]
    else:
        assert page.status_code in (403, 404)
        assert posted.status_code in (403, 404)
        assert not article.minor_clearances.exists()
