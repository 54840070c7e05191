"""Editing a story in a real browser: nothing typed is lost, the desk fits the screen, and no
admin page breaks the Content-Security-Policy."""

import pytest
from django.urls import reverse

from articles.models import Article, Autosave
from articles.workflow import Status
from tests.articles.conftest import drive_to
from tests.factories import ArticleFactory, PersonFactory, StaffPersonFactory

from .conftest import WIDTHS

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def draft(reporter):
    return ArticleFactory(
        created_by=reporter,
        byline=StaffPersonFactory(user=reporter, name="Rita Reporter"),
        headline="Harbour bridge reopens",
    )


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def type_into_body(page, text):
    body = page.locator("[contenteditable=true].ProseMirror")
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def test_a_workflow_step_saves_what_was_typed_with_it(open_page, draft, reporter):
    tab = open_page(reporter)
    tab.page.goto(change_url(draft))

    tab.page.fill("#id_dek", "A dek typed just now.")
    type_into_body(tab.page, " A sentence typed just now.")
    tab.page.click("button[name='workflow-transition'][value='submit']")
    tab.page.wait_for_selector(".messagelist .success")

    article = Article.objects.get(pk=draft.pk)
    assert article.status == Status.IN_REVIEW
    assert article.dek == "A dek typed just now."
    assert "A sentence typed just now." in article.body
    assert tab.problems == []


def test_a_refused_step_saves_nothing_and_keeps_the_typed_text(open_page, draft, editor):
    drive_to(draft, Status.APPROVED, by=editor)
    tab = open_page(editor)
    tab.page.goto(change_url(draft))

    tab.page.fill("#id_headline", "Harbour bridge reopens a week early")
    tab.page.click("button[name='workflow-transition'][value='publish']")
    tab.page.wait_for_selector(".errornote, .errorlist")

    assert tab.page.input_value("#id_headline") == "Harbour bridge reopens a week early"
    assert "nothing was saved" in tab.page.content()
    article = Article.objects.get(pk=draft.pk)
    assert (article.status, article.headline) == (Status.APPROVED, "Harbour bridge reopens")
    assert tab.problems == []


def test_leaving_with_unsaved_changes_asks_first(open_page, draft, reporter):
    tab = open_page(reporter)
    tab.page.goto(change_url(draft))
    tab.page.wait_for_timeout(500)  # the form takes its first snapshot after load
    asked = []
    tab.page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))

    tab.page.fill("#id_dek", "Typed, not saved.")
    tab.page.close(run_before_unload=True)
    tab.page.wait_for_timeout(300)

    assert asked == ["beforeunload"]


def test_unsaved_text_is_kept_and_offered_back(open_page, draft, reporter):
    tab = open_page(reporter)
    tab.page.goto(change_url(draft))
    tab.page.wait_for_timeout(500)

    tab.page.fill("#id_dek", "Typed, then the laptop died.")
    tab.page.wait_for_timeout(6500)  # the form keeps unsaved text every five seconds

    kept = Autosave.objects.get(article=draft, user=reporter)
    assert kept.fields["dek"] == "Typed, then the laptop died."
    assert Article.objects.get(pk=draft.pk).dek != "Typed, then the laptop died."
    again = open_page(reporter)
    again.page.goto(change_url(draft))
    again.page.click("text=Put it back into the form")
    assert again.page.input_value("#id_dek") == "Typed, then the laptop died."
    assert tab.problems == again.problems == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_desk_fits_the_screen(open_page, draft, editor, factchecker, width):
    draft.body = (
        "<p>“We will keep the harbour bridge open all winter,” a council engineer said.</p>"
        "<blockquote><p>The repairs took eight months and cost more than planned.</p></blockquote>"
    )
    draft.save()
    drive_to(draft, Status.FACT_CHECK, by=editor)
    pages = {
        "article-list": (editor, reverse("admin:articles_article_changelist")),
        "change-form": (editor, change_url(draft)),
        "my-work": (editor, reverse("my_work")),
        "fact-check-desk": (factchecker, reverse("admin:sourcing_desk")),
    }

    overflowing, problems = {}, []
    for name, (user, url) in pages.items():
        tab = open_page(user, width=width)
        tab.page.goto(url)
        tab.screenshot(f"admin-{name}-{width}")
        if tab.overflow() > 0:
            overflowing[name] = tab.overflow()
        problems += tab.problems

    assert overflowing == {}
    assert problems == []


def test_the_body_checks_spelling_and_types_typographic_quotes(open_page, draft, reporter):
    tab = open_page(reporter)
    tab.page.goto(change_url(draft))
    tab.page.wait_for_timeout(500)

    type_into_body(tab.page, ' She said "we will open on Monday" and it\'s true.')
    tab.page.click("input[name='_continue']")
    tab.page.wait_for_selector(".messagelist .success")

    body = Article.objects.get(pk=draft.pk).body
    assert "\u201cwe will open on Monday\u201d" in body
    assert "it\u2019s true" in body
    checked = tab.page.eval_on_selector("[contenteditable=true].ProseMirror", "el => el.spellcheck")
    assert checked is True
    assert tab.problems == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_reporter_picks_the_people_a_story_is_about(open_page, draft, reporter, width):
    PersonFactory(name="Ruth Abernathy")
    tab = open_page(reporter, width)
    tab.page.goto(change_url(draft))

    tab.page.locator(".field-people .select2-container").click()
    tab.page.keyboard.type("Abern")
    tab.page.locator(".select2-results__option", has_text="Ruth Abernathy").click()
    tab.page.click("input[name=_continue]")
    tab.page.wait_for_load_state()
    tab.screenshot(f"admin-people-picked-{width}")

    assert [person.name for person in draft.people.all()] == ["Ruth Abernathy"]
    assert "Ruth Abernathy" in tab.page.locator(".field-people").inner_text()
    assert tab.problems == []
