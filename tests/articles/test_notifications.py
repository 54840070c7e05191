"""Emails about workflow steps: to the people each step concerns, never to whoever took it,
and only once the step is committed."""

import pytest
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from articles.models import Article, Byline
from articles.workflow import Status
from tests.conftest import run_tasks
from tests.factories import StaffPersonFactory

from .conftest import take

pytestmark = pytest.mark.django_db


def recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


def emails_of(users, *roles):
    return sorted(users[role].email for role in roles)


@pytest.mark.parametrize(
    ("state", "transition", "actor", "told", "subject"),
    [
        (Status.DRAFT, "submit", "owner", ("editor", "standards"), "ready for review"),
        (Status.IN_REVIEW, "request_changes", "editor", ("owner",), "changes requested"),
        (
            Status.IN_REVIEW,
            "send_to_factcheck",
            "editor",
            ("factchecker", "standards"),
            "ready for fact-check",
        ),
        (Status.FACT_CHECK, "approve", "factchecker", ("owner",), "approved"),
        (Status.APPROVED, "publish", "editor", ("owner",), "published"),
        (Status.IN_REVIEW, "approve", "standards", ("owner",), "approved"),
    ],
)
def test_each_step_tells_the_people_it_concerns(
    users,
    article_in,
    mailoutbox,
    django_capture_on_commit_callbacks,
    state,
    transition,
    actor,
    told,
    subject,
):
    article = article_in(state)

    with django_capture_on_commit_callbacks(execute=True):
        take(article, transition, by=users[actor], comment="Over to you.")
    run_tasks()

    assert recipients(mailoutbox) == emails_of(users, *told)
    message = mailoutbox[0]
    assert message.subject.endswith(f"“{article.headline}”: {subject}")
    assert "Over to you." in message.body
    assert reverse("admin:articles_article_change", args=[article.pk]) in message.body


def test_a_scheduled_publication_tells_the_writers(
    users, article_in, mailoutbox, django_capture_on_commit_callbacks
):
    article = article_in(Status.SCHEDULED)
    Article.objects.filter(pk=article.pk).update(publish_at=article.created_at)

    with django_capture_on_commit_callbacks(execute=True):
        Article.publish_if_due(article.pk)
    run_tasks()

    assert recipients(mailoutbox) == emails_of(users, "owner")
    assert mailoutbox[0].subject.endswith("published on schedule")


def test_every_bylined_colleague_is_told(
    users, article_in, mailoutbox, django_capture_on_commit_callbacks
):
    article = article_in(Status.IN_REVIEW)
    colleague = StaffPersonFactory(user=users["other_reporter"])
    Byline.objects.create(article=article, person=colleague, role=Byline.Role.ADDITIONAL_REPORTING)

    with django_capture_on_commit_callbacks(execute=True):
        article.request_changes(by=users["editor"], comment="Cut it to 600 words.")
    run_tasks()

    assert recipients(mailoutbox) == emails_of(users, "owner", "other_reporter")


def test_nothing_is_sent_before_the_step_is_committed(
    users, article_in, mailoutbox, django_capture_on_commit_callbacks
):
    article = article_in(Status.DRAFT)
    tasks_before = DBTaskResult.objects.count()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article.submit(by=users["owner"])
        run_tasks()
        assert DBTaskResult.objects.count() == tasks_before
        assert mailoutbox == []

    for callback in callbacks:
        callback()
    run_tasks()
    assert recipients(mailoutbox) == emails_of(users, "editor", "standards")


def test_a_step_that_rolls_back_sends_nothing(
    users, article_in, mailoutbox, django_capture_on_commit_callbacks
):
    article = article_in(Status.DRAFT)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        article.submit(by=users["owner"])
        raise RuntimeError("something after the submit failed")
    run_tasks()

    assert callbacks == []
    assert mailoutbox == []
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_inactive_people_and_people_without_email_are_not_told(
    users, article_in, mailoutbox, django_capture_on_commit_callbacks
):
    users["editor"].is_active = False
    users["editor"].save()
    users["standards"].email = ""
    users["standards"].save()
    article = article_in(Status.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        article.submit(by=users["owner"])
    run_tasks()

    assert mailoutbox == []
