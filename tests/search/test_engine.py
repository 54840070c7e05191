"""Relevance, query syntax and hostile input, on whichever database the run uses (the suite
runs on SQLite and on PostgreSQL)."""

import time

import pytest
from django.db import connection

from articles import search as search_module
from articles.models import Article
from articles.search import MAX_QUERY_CHARS, MAX_TERMS, engine, parse, search
from articles.workflow import Status

pytestmark = pytest.mark.django_db


def found(text, **kwargs):
    results = search(text, scope=Article.objects.published(), **kwargs)
    return [hit.article for hit in results[: results.count()]]


def keys(corpus, articles):
    names = {article.pk: name for name, article in corpus.items()}
    return [names[article.pk] for article in articles]


def test_a_headline_match_outranks_a_body_match_even_when_older(corpus):
    assert keys(corpus, found("lighthouse")) == ["headline", "body"]


def test_a_phrase_matches_only_the_phrase(corpus):
    assert keys(corpus, found('"ferry timetable"')) == ["phrase"]
    assert sorted(keys(corpus, found("ferry timetable"))) == ["phrase", "split"]


def test_phrases_hold_across_stop_words_and_in_alternatives(corpus):
    assert keys(corpus, found('"timetable for the ferry"')) == ["split"]
    assert keys(corpus, found('"ferry timetable" or "timetable for the ferry"')) in (
        ["phrase", "split"],
        ["split", "phrase"],
    )
    assert sorted(keys(corpus, found('"ferry timetable" or consultation'))) == ["phrase", "split"]
    assert found('"timetable ferry"') == []
    assert found('"Okonkwo Hale"') == [corpus["byline"]]


def test_phrases_found_through_the_index_alone_are_the_same(corpus, monkeypatch):
    """With no newest stories to test one by one, PostgreSQL finds everything in its second
    step, through the word pairs and the GIN index."""
    monkeypatch.setattr(search_module.PostgresEngine, "NEWEST", 0)
    assert keys(corpus, found('"ferry timetable"')) == ["phrase"]
    assert keys(corpus, found('"timetable for the ferry"')) == ["split"]
    assert found('"timetable ferry"') == []
    assert sorted(keys(corpus, found('"ferry timetable" or consultation'))) == ["phrase", "split"]
    assert keys(corpus, found('timetable -"new ferry"')) == ["split"]


def test_phrases_are_narrowed_by_their_word_pairs_on_postgresql(corpus):
    """PostgreSQL keeps each text's pairs of neighbouring words (with their distance, so stop
    words between count) and asks for a phrase's pairs first; SQLite's FTS5 needs none."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT array(SELECT lexeme FROM unnest("
                "search_word_pairs(to_tsvector('english', %s))) ORDER BY 1)",
                ["The new ferry timetable starts in spring"],
            )
            pairs = cursor.fetchone()[0]
        assert pairs == ["ferri~1~timet", "new~1~ferri", "start~2~spring", "timet~1~start"]
        either = engine().match(parse('"timetable for the ferry" or "new ferry"'))
        assert either.index_where_params[0] == "('timet~3~ferri') | ('new~1~ferri')"
        assert either.index_where_params[2] == '"timetable for the ferry" or "new ferry"'
        decided = engine().match(parse('"timetable for the ferry"')).index_where_params
        assert decided[2] == '"timetable" "for" "the" "ferry"'  # its pair decides the phrase
        assert engine().match(parse('"new ferry" or ferry')).index_where == ""
    else:
        assert not hasattr(engine(), "phrase_pairs")


def test_exclusions_leave_out_what_they_name(corpus):
    assert keys(corpus, found("ferry -consultation")) == ["phrase"]
    assert keys(corpus, found('timetable -"new ferry"')) == ["split"]


def test_or_finds_either(corpus):
    assert sorted(keys(corpus, found("lighthouse or allotment"))) == ["body", "byline", "headline"]


def test_a_byline_name_finds_the_authors_stories(corpus):
    assert keys(corpus, found("Okonkwo-Hale")) == ["byline"]
    assert keys(corpus, found("margaret okonkwo hale")) == ["byline"]


def test_recency_breaks_ties(corpus):
    assert keys(corpus, found("runners")) == ["newer_twin", "older_twin"]


def test_newest_order_ignores_relevance(corpus):
    assert keys(corpus, found("lighthouse", order="newest")) == ["body", "headline"]


def test_stemming_finds_other_forms_of_a_word(corpus):
    assert keys(corpus, found("divorce")) == ["divorce"]
    assert keys(corpus, found("retiring")) == ["headline"]


def test_snippets_mark_the_matches_and_escape_the_text(make_story):
    make_story(
        headline="Parish notes",
        body="<p>The sign read &lt;script&gt;alert(1)&lt;/script&gt; beside the bakery.</p>",
    )
    [hit] = search("bakery", scope=Article.objects.published())[:1]
    assert "<mark>bakery</mark>" in hit.snippet
    assert "<script>" not in hit.snippet
    assert "alert(1)" in hit.snippet


def test_paragraphs_stay_apart_in_the_indexed_text(make_story):
    make_story(headline="Ferry notes", body="<p>The pier closed.</p><p>Boats waited offshore.</p>")

    [hit] = search("offshore", scope=Article.objects.published())[:1]

    assert "closed. Boats" in hit.snippet


def test_the_count_and_pages_agree(corpus):
    results = search("runners or lighthouse", scope=Article.objects.published())
    assert results.count() == 4
    first, rest = results[0:3], results[3:10]
    assert len(first) == 3 and len(rest) == 1
    assert {hit.article.pk for hit in first}.isdisjoint({hit.article.pk for hit in rest})


def test_the_scope_limits_what_is_found(corpus):
    culture_only = Article.objects.published().filter(section__slug="culture")
    assert found("divorce") == [corpus["divorce"]]
    assert search("lighthouse", scope=culture_only).count() == 0


def test_an_unknown_order_is_refused():
    with pytest.raises(ValueError, match="order"):
        search("x", scope=Article.objects.published(), order="random")


@pytest.mark.parametrize(
    ("text", "websearch", "fts5"),
    [
        ("lighthouse", '"lighthouse"', '("lighthouse")'),
        ('"old lighthouse" keeper', '"old lighthouse" "keeper"', '("old lighthouse" AND "keeper")'),
        ("a or b", '"a" or "b"', '("a") OR ("b")'),
        ("ferry -fares", '"ferry" -"fares"', '(("ferry")) NOT ("fares")'),
        (
            "NEAR(a b) col:x ^y z*",
            '"NEAR a" "b" "col x" "y" "z"',
            '("NEAR a" AND "b" AND "col x" AND "y" AND "z")',
        ),
        ('unbalanced "quote', '"unbalanced" "quote"', None),
        ("' OR 1=1--", '"1 1"', None),
    ],
)
def test_parse_reduces_any_input_to_quoted_words(text, websearch, fts5):
    query = parse(text)
    assert query.as_websearch() == websearch
    if fts5 is not None:
        assert query.as_fts5() == fts5


@pytest.mark.parametrize("text", ["", "   ", "%", "_", "\\", '"', "-lighthouse", "or", "* ^ :"])
def test_queries_with_nothing_to_look_for_find_nothing(corpus, text):
    assert not parse(text)
    assert found(text) == []


def test_long_queries_are_cut():
    query = parse("word " * 5000)
    assert len(query.words) == MAX_TERMS
    assert len(parse("x" * 10_000).words[0]) == MAX_QUERY_CHARS


HOSTILE = [
    "' OR 1=1--",
    "'; DROP TABLE articles_article; --",
    "%",
    "_",
    "\\",
    '"',
    '"unbalanced',
    "NEAR(lighthouse harbour, 2)",
    "lighthouse*",
    "^lighthouse",
    "headline:lighthouse",
    "{headline body}: lighthouse",
    "lighthouse AND NOT OR",
    "-",
    "--",
    "- -x",
    "(((",
    "é ß ñ 日本語 🙂",
    "x" * 10_000,
    "lighthouse " * 1_000,
    "\u202e\u0000",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_answer_quickly_without_error(corpus, text):
    started = time.perf_counter()
    for order in ("relevance", "newest"):
        results = search(text, scope=Article.objects.published(), order=order)
        results[: results.count()]
    assert time.perf_counter() - started < 0.2


def test_an_operator_word_is_searched_as_a_word(make_story):
    story = make_story(headline="Near the harbour, or not")
    assert found("NEAR") == [story]


def test_a_misspelt_name_finds_the_stories_on_postgresql_only(corpus):
    results = search("Margaret Okonkow-Hale", scope=Article.objects.published())
    if connection.vendor == "postgresql":
        assert keys(corpus, [hit.article for hit in results[:10]]) == ["byline"]
        assert results.loose
    else:
        assert results.count() == 0


def test_the_candidates_are_the_newest_matches_in_scope(make_story, monkeypatch):
    """Ranking looks at the CANDIDATES newest matches; PostgreSQL finds them in two steps
    (the NEWEST stories, then the rest), made small here so that both steps run."""
    monkeypatch.setattr(search_module, "CANDIDATES", 3)
    monkeypatch.setattr(search_module.PostgresEngine, "NEWEST", 2)
    stories = [
        make_story(headline=headline, status=status)
        for headline, status in [
            ("Lighthouse one", Status.PUBLISHED),
            ("Lighthouse two", Status.PUBLISHED),
            ("Lighthouse three", Status.PUBLISHED),
            ("Lighthouse four", Status.DRAFT),
            ("Harbour news", Status.PUBLISHED),
            ("Lighthouse five", Status.PUBLISHED),
            ("Harbour again", Status.PUBLISHED),
        ]
    ]
    _, two, three, draft, _, five, _ = stories

    results = search("lighthouse", scope=Article.objects.published(), order="newest")

    assert results.capped
    assert [hit.article for hit in results[:10]] == [five, three, two]
    assert set(search("lighthouse", scope=Article.objects.all()).ids) == {
        five.pk,
        draft.pk,
        three.pk,
    }
