"""Hostile input answers 4xx or a form error, quickly, and leaves nothing half-written."""

import unicodedata
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles import html
from articles.models import Article
from articles.workflow import Status
from sourcing.models import Quote
from tests.articles.conftest import change_form_data, drive_to
from tests.factories import ArticleFactory, PersonFactory, StaffPersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edit_page(client, editor):
    """Open an article's change form as its editor; returns (article, response)."""
    article = ArticleFactory(created_by=editor, byline=StaffPersonFactory(user=editor))
    client.force_login(editor)
    return article, client.get(reverse("admin:articles_article_change", args=[article.pk]))


def save(client, article, page, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    return client.post(url, change_form_data(page, **changes))


def form_errors(response):
    return " ".join(str(error) for error in response.context["adminform"].form.errors.values())


# 6. Deeply nested or huge bodies.


@pytest.mark.parametrize(
    "body",
    [
        "<ul><li>" * 20_000 + "deep",
        "<blockquote>" * 20_000 + "<p>deep</p>",
        "<p>" + "<b><i>" * 5_000 + "x",
    ],
    ids=["20,000 nested lists", "20,000 nested blockquotes", "10,000 nested inline tags"],
)
def test_a_deeply_nested_body_is_refused_before_parsing(client, edit_page, bounded, body):
    article, page = edit_page
    before = Article.objects.get(pk=article.pk).body

    with bounded():
        response = save(client, article, page, body=body)

    assert response.status_code == 200
    assert "nested too deeply" in form_errors(response)
    assert Article.objects.get(pk=article.pk).body == before


def test_a_huge_body_is_refused_before_parsing(client, edit_page, bounded):
    article, page = edit_page
    body = "<p>" + "word " * (html.MAX_BODY_CHARS // 5) + "</p>"

    with bounded():
        response = save(client, article, page, body=body)

    assert response.status_code == 200
    assert "too long" in form_errors(response)


def test_hundreds_of_thousands_of_nested_tags_cost_nothing_outside_forms_either(bounded):
    with bounded(), pytest.raises(ValidationError, match="too"):
        ArticleFactory(body="<blockquote>" * 100_000)
    assert not Article.objects.exists()


def test_a_story_with_lists_and_quotes_nested_a_few_levels_is_fine(client, edit_page):
    article, page = edit_page
    nested = (
        "<ul><li><p>one</p><ul><li><p>two</p><ul><li><p>three</p></li></ul></li></ul></li></ul>"
    )
    body = f"<blockquote>{nested}</blockquote><p>After.</p>"

    response = save(client, article, page, body=body)

    assert response.status_code == 302
    assert "three" in Article.objects.get(pk=article.pk).body


def test_the_body_is_sanitised_once_per_save(client, edit_page, monkeypatch):
    article, page = edit_page
    calls = []
    sanitize = html._sanitize
    monkeypatch.setattr(html, "_sanitize", lambda body: calls.append(body) or sanitize(body))

    response = save(client, article, page, body="<p>New words <script>x()</script></p>")

    assert response.status_code == 302
    assert len(calls) == 1
    assert "<script" not in Article.objects.get(pk=article.pk).body


# 7. Quote sync is near-linear; a story's quotes are capped.


def quoted_paragraphs(count, template="“Quote number {n} was said about the harbour bridge.”"):
    return "".join(f"<p>{template.format(n=n)}</p>" for n in range(count))


def test_editing_every_one_of_hundreds_of_quotes_syncs_quickly(settings, bounded):
    count = settings.SOURCING_QUOTES_PER_STORY_LIMIT
    article = ArticleFactory(body=quoted_paragraphs(count))
    ids = list(article.quotes.order_by("position").values_list("pk", flat=True))

    article.body = quoted_paragraphs(count, "“Quote number {n} was said about the old bridge.”")
    with bounded():
        article.save()

    edited = article.quotes.order_by("position")
    assert list(edited.values_list("pk", flat=True)) == ids  # every row kept: edits, not new
    assert edited.filter(previous_text__contains="harbour bridge").count() == count
    assert not edited.filter(removed_at__isnull=False).exists()


def test_a_story_with_too_many_quotes_is_refused_with_a_form_error(client, edit_page, settings):
    article, page = edit_page
    limit = settings.SOURCING_QUOTES_PER_STORY_LIMIT

    response = save(client, article, page, body=quoted_paragraphs(limit + 1))

    assert response.status_code == 200
    assert f"at most {limit}" in form_errors(response)
    assert not Quote.objects.filter(article=article).exists()


def test_too_many_quotes_are_refused_on_every_path(settings):
    settings.SOURCING_QUOTES_PER_STORY_LIMIT = 3

    with pytest.raises(ValidationError, match="at most 3"):
        ArticleFactory(body=quoted_paragraphs(4))

    assert not Article.objects.exists()
    assert not Quote.objects.exists()


# 9. Single-line text refuses control characters.


@pytest.mark.parametrize(
    "text",
    ["Bridge reopens\r\nBcc: all@example.org", "Tab\there", "Escape\x1b[2J", "Line\u2028break"],
)
def test_a_headline_with_control_characters_is_a_form_error(client, edit_page, text):
    article, page = edit_page

    response = save(client, article, page, headline=text)

    assert response.status_code == 200
    assert "one line of plain text" in form_errors(response)
    assert Article.objects.get(pk=article.pk).headline == article.headline


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("articles.Article", "dek"),
        ("articles.Article", "dateline"),
        ("people.Person", "name"),
        ("photos.Photo", "credit"),
        ("sourcing.Source", "public_description"),
        ("sourcing.Quote", "attribution"),
    ],
)
def test_every_single_line_field_refuses_line_breaks(model, field):
    from django.apps import apps

    model_field = apps.get_model(model)._meta.get_field(field)

    with pytest.raises(ValidationError, match="one line"):
        model_field.run_validators("first line\nsecond line")
    with pytest.raises(ValidationError, match="one line"):
        model_field.run_validators("paragraph\u2029separator")
    model_field.run_validators("Ça va — “fine”, naïve café")


# 10. 4xx or a form error, never a 500.


def test_a_non_numeric_author_filter_is_a_bad_request(client, editor):
    StaffPersonFactory()  # the filter is offered once there is a staff profile
    client.force_login(editor)

    response = client.get(reverse("admin:articles_article_changelist"), {"author": "abc"})

    assert response.status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/?q=%00",
        "/admin/articles/article/?status=%00",
        "/admin/autocomplete/?term=%00&app_label=articles&model_name=article&field_name=people",
        "/?page=\x00",
    ],
)
def test_a_nul_in_the_query_string_is_a_bad_request(client, editor, url):
    client.force_login(editor)

    assert client.get(url).status_code == 400


def test_scheduling_for_the_year_9999_is_refused_with_a_message(client, editor):
    article = drive_to(ArticleFactory(created_by=editor), Status.APPROVED, by=editor)
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_article_workflow", args=[article.pk]),
        {"workflow-transition": "schedule", "workflow-publish_at": "9999-12-31T23:59"},
        follow=True,
    )

    assert response.status_code == 200
    assert "within the next hundred years" in response.text
    article.refresh_from_db()
    assert (article.status, article.publish_at) == (Status.APPROVED, None)


def test_scheduling_a_year_ahead_still_works(editor):
    article = drive_to(ArticleFactory(created_by=editor), Status.APPROVED, by=editor)

    article.schedule(by=editor, publish_at=timezone.now() + timedelta(days=365))

    assert article.status == Status.SCHEDULED


def test_a_slug_taken_at_the_same_moment_is_a_form_error(client, editor, monkeypatch):
    client.force_login(editor)
    add_url = reverse("admin:articles_article_add")
    page = client.get(add_url)
    data = change_form_data(page, headline="Bridge reopens", slug="bridge-reopens")
    # The other person's save lands after this form was checked and before it is written: the
    # form's check of the slug constraint does not see it; the database does.
    competitor = ArticleFactory(slug="bridge-reopens", created_by=editor)
    checks = []
    validate = Article.validate_constraints

    def first_check_misses_it(article, *args, **kwargs):
        checks.append(article.slug)
        if len(checks) > 1:
            validate(article, *args, **kwargs)

    monkeypatch.setattr(Article, "validate_constraints", first_check_misses_it)

    response = client.post(add_url, data)

    assert response.status_code == 200
    assert "slug" in form_errors(response).lower()
    assert list(Article.objects.values_list("pk", flat=True)) == [competitor.pk]


@pytest.mark.parametrize(
    ("tag", "error"),
    [
        ("x" * 150, "150 characters long"),
        ("x" * 10_000, "10000 characters long"),
        ("!!!", "no letters or digits"),
        ("bell\x07", "one line"),
    ],
)
def test_bad_tags_are_form_errors(client, edit_page, tag, error):
    article, page = edit_page

    response = save(client, article, page, tags=f'"{tag}"')

    assert response.status_code == 200
    assert error in form_errors(response)
    assert not article.tags.exists()


def test_tags_are_stored_in_nfc(client, edit_page):
    article, page = edit_page
    decomposed = "cafe\u0301 culture"

    response = save(client, article, page, tags=f'"{decomposed}", "Café culture"')

    assert response.status_code == 302
    assert list(article.tags.names()) == [unicodedata.normalize("NFC", "Café culture")]


def test_people_names_keep_their_letters():
    person = PersonFactory(name="José Müller")
    person.full_clean()
