"""Corrections, clarifications, editor's notes and retractions on published stories."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Correction
from articles.workflow import Status, TransitionRefused

from .conftest import public_url

pytestmark = pytest.mark.django_db

TEXT = "An earlier version of this story said the repairs took six months. They took eight."


@pytest.mark.parametrize("kind", list(Correction.Kind))
def test_each_kind_is_shown_to_readers_and_moves_the_updated_time(client, editor, article_in, kind):
    article = article_in(Status.PUBLISHED)
    before = timezone.now()

    event = article.correct(by=editor, kind=kind, text=f"  {TEXT}  ")

    correction = article.corrections.get()
    assert (correction.kind, correction.text, correction.created_by) == (kind, TEXT, editor)
    assert before <= correction.created_at <= timezone.now()
    assert article.updated_at == correction.created_at
    assert article.shows_update
    assert (event.action, event.from_status, event.to_status) == (
        "correct",
        Status.PUBLISHED,
        Status.PUBLISHED,
    )
    assert event.comment == kind.label
    page = client.get(public_url(article))
    assert page.status_code == 200
    assert TEXT in page.content.decode()
    assert f"<strong>{kind.label}</strong>".replace("'", "&#x27;") in page.content.decode()


def test_a_retraction_keeps_the_page_up_with_the_notice_at_the_top(client, editor, article_in):
    article = article_in(Status.PUBLISHED)
    article.correct(by=editor, kind=Correction.Kind.RETRACTION, text=TEXT)

    page = client.get(public_url(article)).content.decode()

    story = page[page.index('<article class="story">') :]
    assert story.index('class="corrections retraction"') < story.index("<h1>")
    assert story.index(TEXT) < story.index("<h1>")


def test_an_ordinary_correction_is_not_at_the_top(client, editor, article_in):
    article = article_in(Status.PUBLISHED)
    article.correct(by=editor, kind=Correction.Kind.CORRECTION, text=TEXT)

    page = client.get(public_url(article)).content.decode()

    story = page[page.index('<article class="story">') :]
    assert "retraction" not in story
    assert story.index("<h1>") < story.index(TEXT)


def test_a_correction_needs_words(editor, article_in):
    article = article_in(Status.PUBLISHED)

    with pytest.raises(TransitionRefused):
        article.correct(by=editor, kind=Correction.Kind.CORRECTION, text="   ")

    assert not article.corrections.exists()
    assert article.events.filter(action="correct").count() == 0


def test_a_correction_through_the_admin(client, editor, article_in):
    article = article_in(Status.PUBLISHED)
    client.force_login(editor)

    client.post(
        f"/admin/articles/article/{article.pk}/workflow/",
        {
            "workflow-transition": "correct",
            "workflow-correction_kind": "clarification",
            "workflow-correction_text": TEXT,
        },
    )

    assert article.corrections.get().kind == Correction.Kind.CLARIFICATION


def test_the_corrections_log_in_the_admin_lists_only_visible_stories(client, users, article_in):
    still_up = article_in(Status.PUBLISHED)
    still_up.correct(by=users["editor"], kind=Correction.Kind.CORRECTION, text=TEXT)
    taken_down = article_in(Status.PUBLISHED)
    taken_down.correct(by=users["editor"], kind=Correction.Kind.RETRACTION, text=TEXT)
    taken_down.unpublish(by=users["editor"])

    client.force_login(users["other_reporter"])
    theirs = client.get(reverse("admin:articles_correction_changelist"))
    client.force_login(users["editor"])
    editors = client.get(reverse("admin:articles_correction_changelist"))

    assert set(theirs.context["cl"].result_list) == set(still_up.corrections.all())
    assert set(editors.context["cl"].result_list) == set(Correction.objects.all())
