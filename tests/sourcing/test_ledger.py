"""The quote ledger follows the body: new quotations appear, edited ones lose their check but
keep their history, removed ones are kept for the record and stop counting, and `import_story`
fills the ledger of the seed story."""

import pytest
from django.urls import reverse

from articles.html import paragraphs_to_html
from articles.publish_gate import publish_problems
from articles.storyfile import read_story
from sourcing import services
from sourcing.models import Quote, QuoteCheck
from sourcing.quotes import find_quotations
from tests.factories import SectionFactory, SourceFactory

from .conftest import attribute, body, change_form_data, import_seed, said

pytestmark = pytest.mark.django_db


def ledger(article):
    """(text, removed?) of each of the article's quotes, in body order, removed ones last."""
    return [(quote.text, quote.removed_at is not None) for quote in article.quotes.all()]


def edit_body(article, *quotations):
    article.body = body(*quotations)
    article.save()


def test_new_quotations_appear_unattributed_and_unverified(story):
    article = story(said("bridge"), said("ferry"))

    quotes = list(article.quotes.all())

    assert [(q.text, q.position) for q in quotes] == [(said("bridge"), 0), (said("ferry"), 1)]
    for quote in quotes:
        assert quote.source is None
        assert quote.status == Quote.Status.UNVERIFIED
        assert quote.in_body
        assert quote.previous_text == ""


def test_a_quotation_added_later_joins_the_ledger_and_the_others_keep_their_rows(story):
    article = story(said("bridge"))
    first = article.quotes.get()

    edit_body(article, said("ferry"), said("bridge"))

    assert ledger(article) == [(said("ferry"), False), (said("bridge"), False)]
    assert article.quotes.get(text=said("bridge")).pk == first.pk
    assert article.quotes.get(text=said("bridge")).position == 1


def test_an_edit_elsewhere_in_the_body_keeps_attribution_and_check(story, factchecker):
    article = story(said("bridge"))
    quote = attribute(article.quotes.get(), SourceFactory())
    services.check_quote(
        quote=quote, by=factchecker, status=Quote.Status.VERIFIED, note="Matches the notes."
    )

    article.body = body(said("bridge"), lead="The crew finished the work on Tuesday.")
    article.save()

    quote.refresh_from_db()
    assert quote.status == Quote.Status.VERIFIED
    assert quote.source is not None
    assert quote.previous_text == ""


@pytest.mark.parametrize("verdict", ["verified", "disputed", "unverifiable"])
def test_editing_a_checked_quote_unchecks_it_and_keeps_the_old_and_checked_text(
    story, factchecker, verdict
):
    article = story(said("bridge"))
    quote = attribute(article.quotes.get(), SourceFactory())
    services.check_quote(quote=quote, by=factchecker, status=verdict, note="Per the recording.")
    edited = said("bridge").replace("every day", "every single day")

    edit_body(article, edited)

    quote.refresh_from_db()
    assert quote.text == edited
    assert quote.status == Quote.Status.UNVERIFIED
    assert quote.previous_text == said("bridge")
    assert quote.checked_text == said("bridge")
    assert quote.checked_by == factchecker
    assert quote.source is not None
    assert QuoteCheck.objects.get(quote=quote).text == said("bridge")


def test_a_removed_quotation_is_kept_marked_removed_and_stops_counting(story):
    article = story(said("bridge"), said("ferry"))
    unattributed = f"Attribute the quote {article.quotes.get(text=said('ferry'))} to a source."
    assert unattributed in [problem.message for problem in publish_problems(article)]

    edit_body(article, said("bridge"))

    assert ledger(article) == [(said("bridge"), False), (said("ferry"), True)]
    assert list(article.quotes.in_body().values_list("text", flat=True)) == [said("bridge")]
    assert unattributed not in [problem.message for problem in publish_problems(article)]


def test_putting_a_removed_quotation_back_restores_its_row(story, factchecker):
    article = story(said("bridge"), said("ferry"))
    quote = attribute(article.quotes.get(text=said("ferry")), SourceFactory())
    services.check_quote(
        quote=quote, by=factchecker, status=Quote.Status.VERIFIED, note="Matches the notes."
    )
    edit_body(article, said("bridge"))

    edit_body(article, said("ferry"), said("bridge"))

    quote.refresh_from_db()
    assert quote.in_body
    assert quote.position == 0
    assert quote.status == Quote.Status.VERIFIED
    assert article.quotes.count() == 2


def test_a_different_quotation_in_place_of_another_is_new(story):
    article = story(said("bridge"))
    old = article.quotes.get()

    edit_body(article, "Nobody expected the council to approve the money so quickly")

    assert ledger(article) == [
        ("Nobody expected the council to approve the money so quickly", False),
        (said("bridge"), True),
    ]
    assert article.quotes.get(removed_at__isnull=False).pk == old.pk


def test_the_same_quotation_twice_has_two_rows_and_loses_one_when_cut(story):
    article = story(said("bridge"), said("bridge"))
    assert ledger(article) == [(said("bridge"), False), (said("bridge"), False)]

    edit_body(article, said("bridge"))

    assert ledger(article) == [(said("bridge"), False), (said("bridge"), True)]


def test_the_article_admin_attributes_quotes_in_the_same_save_as_a_body_edit(
    client, editor, factchecker, story
):
    """The inline saves only the attribution; the ledger sync owns text and status."""
    article = story(said("bridge"))
    source = SourceFactory()
    quote = attribute(article.quotes.get(), SourceFactory())
    services.check_quote(
        quote=quote, by=factchecker, status=Quote.Status.VERIFIED, note="Matches the notes."
    )
    edited = said("bridge").replace("every day", "every night")
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(
        client.get(url),
        body=body(edited),
        **{"quotes-0-source": source.pk, "quotes-0-attribution": "the harbour master said"},
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    quote.refresh_from_db()
    assert (quote.text, quote.previous_text) == (edited, said("bridge"))
    assert quote.status == Quote.Status.UNVERIFIED
    assert (quote.source, quote.attribution) == (source, "the harbour master said")


def test_import_story_fills_the_ledger_of_the_seed_story(seed_path, reporter):
    article = import_seed(seed_path, by=reporter, section=SectionFactory(name="Culture"))

    expected = find_quotations(paragraphs_to_html(read_story(seed_path).paragraphs))
    assert article.quotes.count() == 3
    assert [(q.text, q.position) for q in article.quotes.all()] == [
        (quotation.text, quotation.position) for quotation in expected
    ]
    assert not article.quotes.filter(source__isnull=False).exists()
