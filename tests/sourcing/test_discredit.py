"""Discrediting a source: the standards editor sees every published story and quote that relied
on it, and each such story gets exactly one correction task for an editor to resolve."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sourcing import services
from sourcing.models import CorrectionTask
from tests.factories import SourceFactory

from .conftest import ROLES, attribute, body, said

pytestmark = pytest.mark.django_db


@pytest.fixture
def relied_on(published_story, story, editor):
    """A source quoted in two published stories (twice in one), in a draft, and in a published
    story whose quote was cut since; and a story relying only on someone else."""
    source = SourceFactory(name="Rex Fabulist")
    relying = [
        published_story(source, said("bridge"), said("ferry")),
        published_story(source, said("tunnel")),
    ]
    attribute(story(said("draft")).quotes.get(), source)
    cut = published_story(source, said("harbour"))
    cut.body = body()
    cut.save_edit(by=editor)
    published_story(SourceFactory(), said("elsewhere"))
    return source, relying


def test_the_discredit_page_lists_every_published_story_and_quote_relying_on_the_source(
    client, standards, relied_on
):
    source, relying = relied_on
    client.force_login(standards)

    response = client.get(reverse("admin:sourcing_source_discredit", args=[source.pk]))

    affected = response.context["affected"]
    assert {quote.article for quote in affected} == set(relying)
    assert sorted(quote.text for quote in affected) == sorted(
        [said("bridge"), said("ferry"), said("tunnel")]
    )
    content = response.content.decode()
    for article in relying:
        assert reverse("admin:articles_article_change", args=[article.pk]) in content


def test_discrediting_opens_one_correction_task_per_published_story(client, standards, relied_on):
    source, relying = relied_on
    client.force_login(standards)

    response = client.post(
        reverse("admin:sourcing_source_discredit", args=[source.pk]),
        {"reason": "Invented the meeting he described."},
    )

    source.refresh_from_db()
    assert source.is_discredited
    assert (source.discredited_by, source.discredited_reason) == (
        standards,
        "Invented the meeting he described.",
    )
    tasks = CorrectionTask.objects.filter(source=source)
    assert sorted(task.article_id for task in tasks) == sorted(a.pk for a in relying)
    assert {task.reason for task in tasks} == {"Invented the meeting he described."}
    changelist = reverse("admin:sourcing_correctiontask_changelist")
    assert response["Location"] == f"{changelist}?source__id__exact={source.pk}"
    listed = client.get(response["Location"]).context["cl"]
    assert sorted(task.article_id for task in listed.result_list) == sorted(a.pk for a in relying)


def test_discrediting_again_opens_no_second_task_and_keeps_the_first_record(
    standards, relied_on, editor
):
    source, relying = relied_on
    first = services.discredit_source(source=source, by=standards, reason="Invented a meeting.")
    source.refresh_from_db()
    when = source.discredited_at
    services.resolve_correction_task(task=first[0], by=editor, resolution="Corrected.")

    again = services.discredit_source(source=source, by=standards, reason="And another.")

    assert [task.pk for task in again] == [task.pk for task in first]
    assert CorrectionTask.objects.count() == len(relying)
    source.refresh_from_db()
    assert (source.discredited_at, source.discredited_reason) == (when, "Invented a meeting.")


def test_a_story_published_after_the_discredit_gets_its_task_when_it_is_run_again(
    standards, relied_on, published_story
):
    source, relying = relied_on
    services.discredit_source(source=source, by=standards, reason="Invented a meeting.")
    later = published_story(SourceFactory(), said("later"))
    later_quote = later.quotes.get()
    later_quote.source = source
    later_quote.save()

    tasks = services.discredit_source(source=source, by=standards, reason="Invented a meeting.")

    assert sorted(task.article_id for task in tasks) == sorted(a.pk for a in [*relying, later])


@pytest.mark.parametrize("role", [role for role in ROLES if role != "standards"])
def test_only_the_standards_editor_may_discredit(request, relied_on, role):
    source, _ = relied_on

    with pytest.raises(PermissionDenied):
        services.discredit_source(source=source, by=request.getfixturevalue(role), reason="No.")

    source.refresh_from_db()
    assert not source.is_discredited
    assert not CorrectionTask.objects.exists()


def test_a_discredit_needs_a_reason(standards, relied_on):
    source, _ = relied_on

    with pytest.raises(ValidationError, match="Say why"):
        services.discredit_source(source=source, by=standards, reason="  ")

    source.refresh_from_db()
    assert not source.is_discredited


@pytest.mark.parametrize("role", ROLES)
def test_editors_and_the_standards_editor_resolve_correction_tasks_in_the_admin(
    request, client, standards, relied_on, role
):
    source, _ = relied_on
    task = services.discredit_source(source=source, by=standards, reason="Invented a meeting.")[0]
    user = request.getfixturevalue(role)
    client.force_login(user)
    url = reverse("admin:sourcing_correctiontask_change", args=[task.pk])

    response = client.post(url, {"resolution": "Appended a correction on March 9."})

    task.refresh_from_db()
    if role in {"editor", "standards"}:
        assert response.status_code == 302
        assert (task.resolved_by, task.resolution) == (user, "Appended a correction on March 9.")
        assert task.resolved_at is not None
    else:
        assert response.status_code == 403
        assert task.resolved_at is None
