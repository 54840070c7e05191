"""Finding quotations in a body: the seed story, every kind of quotation mark, nesting, block
quotes, quotations running to the paragraph's end, the minimum length, and a property test
over arbitrary bodies."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.html import paragraphs_to_html, plain_text, sanitize_body
from articles.storyfile import read_story
from sourcing.quotes import find_quotations


def texts(html, **kwargs):
    return [quotation.text for quotation in find_quotations(html, **kwargs)]


def test_the_seed_story_has_exactly_its_three_quotations(seed_path):
    story = read_story(seed_path)
    html = paragraphs_to_html(story.paragraphs)

    found = find_quotations(html)

    assert len(found) == 3
    assert [quotation.position for quotation in found] == [0, 1, 2]
    for quotation in found:
        # Each of the story's quotations stands alone as a paragraph, marks and all.
        assert any(paragraph[1:-1] == quotation.text for paragraph in story.paragraphs)


def test_the_seed_storys_scare_quote_is_not_a_quotation(seed_path):
    html = paragraphs_to_html(read_story(seed_path).paragraphs)

    every_marked_span = texts(html, min_words=1)
    scare_quotes = [text for text in every_marked_span if text not in texts(html)]

    assert len(scare_quotes) == 1
    assert len(scare_quotes[0].split()) == 1


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        pytest.param(
            'The mayor said "the bridge opens on Monday morning" to us.',
            "the bridge opens on Monday morning",
            id="straight",
        ),
        pytest.param(
            "The mayor said “the bridge opens on Monday morning” to us.",
            "the bridge opens on Monday morning",
            id="curly",
        ),
        pytest.param(
            "Le maire a dit «le pont ouvre lundi matin» hier.",
            "le pont ouvre lundi matin",
            id="guillemets",
        ),
        pytest.param(
            'She said “my neighbour told me "the bridge is finally open" this morning” today.',
            'my neighbour told me "the bridge is finally open" this morning',
            id="straight-inside-curly",
        ),
        pytest.param(
            'She said "my neighbour told me “the bridge is finally open” this morning" today.',
            "my neighbour told me “the bridge is finally open” this morning",
            id="curly-inside-straight",
        ),
        pytest.param(
            "She said “my neighbour told me “the bridge is open” this morning” today.",
            "my neighbour told me “the bridge is open” this morning",
            id="curly-inside-curly",
        ),
        pytest.param(
            "The mayor said “the bridge opens on Monday, and",
            "the bridge opens on Monday, and",
            id="unclosed-at-paragraph-end",
        ),
    ],
)
def test_each_kind_of_quotation_is_found_without_its_marks(paragraph, expected):
    assert texts(paragraphs_to_html([paragraph])) == [expected]


def test_several_quotations_in_one_paragraph_are_found_in_order():
    html = paragraphs_to_html(
        ["“The bridge is open again,” she said, “and the ferry can finally rest.”"]
    )

    found = find_quotations(html)

    assert [(q.text, q.position) for q in found] == [
        ("The bridge is open again,", 0),
        ("and the ferry can finally rest.", 1),
    ]


def test_a_quotation_over_several_paragraphs_is_found_in_each():
    # The convention: each paragraph opens the quotation again; only the last one closes it.
    html = paragraphs_to_html(
        ["“We will reopen the bridge on Monday and", "“keep it open all through the winter.”"]
    )

    assert texts(html) == [
        "We will reopen the bridge on Monday and",
        "keep it open all through the winter.",
    ]


def test_a_block_quote_is_a_quotation_even_without_marks():
    html = sanitize_body(
        "<p>The statement read:</p>"
        "<blockquote><p>The bridge will reopen on Monday.</p>"
        "<p>Traffic will be limited at first.</p></blockquote>"
    )

    found = find_quotations(html)

    assert [q.text for q in found] == [
        "The bridge will reopen on Monday.",
        "Traffic will be limited at first.",
    ]
    assert all(q.from_block_quote for q in found)


def test_marks_inside_a_block_quote_delimit_the_quotation():
    html = sanitize_body(
        "<blockquote><p>“The bridge will reopen on Monday,” the mayor said.</p></blockquote>"
    )

    assert texts(html) == ["The bridge will reopen on Monday,"]


def test_a_scare_quote_inside_a_block_quote_does_not_hide_the_block_quote():
    html = sanitize_body(
        "<blockquote><p>It was a “tough” year, and we rebuilt the bridge anyway.</p></blockquote>"
    )

    assert texts(html) == ["It was a “tough” year, and we rebuilt the bridge anyway."]


def test_quotation_marks_written_as_entities_are_found():
    html = "<p>He said &quot;we reopen on Monday morning&quot; and &#8220;we stay open&#8221;.</p>"

    assert texts(html, min_words=3) == ["we reopen on Monday morning", "we stay open"]


def test_stray_closing_marks_and_apostrophes_are_not_quotations():
    apostrophe = "\u2019"
    html = paragraphs_to_html(
        [f"The mayor{apostrophe}s bridge” reopened on Monday » with a week{apostrophe}s delay."]
    )

    assert texts(html, min_words=1) == []


@pytest.mark.parametrize(("min_words", "expected"), [(1, 3), (2, 2), (4, 1), (5, 0)])
def test_the_minimum_length_comes_from_the_setting(settings, min_words, expected):
    settings.SOURCING_QUOTE_MIN_WORDS = min_words
    html = paragraphs_to_html(["An “insider” spoke of “hard times” and said “we will rebuild it.”"])

    assert len(find_quotations(html)) == expected


def test_an_explicit_minimum_overrides_the_setting(settings):
    settings.SOURCING_QUOTE_MIN_WORDS = 10
    html = paragraphs_to_html(["He said “hard times” twice."])

    assert texts(html, min_words=2) == ["hard times"]


#: Pieces of bodies: every mark the detector knows, markup it reads, and some it does not.
BODY_PIECES = st.sampled_from(
    [
        '"',
        "“",
        "”",
        "«",
        "»",
        "„",
        "'",
        "\u2019",
        " ",
        "\n",
        "<p>",
        "</p>",
        "<blockquote>",
        "</blockquote>",
        "<br>",
        "<em>",
        "</em>",
        "<h2>",
        "</h2>",
        "<ul><li>",
        "</li></ul>",
        "<script>",
        "<!--",
        "-->",
        "<![ x",
        "&quot;",
        "&#8220;",
        "&amp;",
        "&",
        "<",
        ">",
        "said",
        "the bridge reopens",
        "“we reopen the bridge today”",
        '"we reopen the bridge today"',
        "«on rouvre le pont demain»",
    ]
)
HTML_ISH = st.lists(st.one_of(BODY_PIECES, st.text(max_size=6)), max_size=40).map("".join)
#: What an article can hold: the sanitised editor HTML, or imported plain-text paragraphs.
BODIES = st.one_of(
    HTML_ISH.map(sanitize_body), st.lists(st.text(max_size=40), max_size=5).map(paragraphs_to_html)
)


@given(html=BODIES, min_words=st.integers(min_value=0, max_value=6))
def test_detection_never_fails_and_every_quotation_is_verbatim_in_the_body(html, min_words):
    found = find_quotations(html, min_words=min_words)

    text = plain_text(html)
    assert [quotation.position for quotation in found] == list(range(len(found)))
    for quotation in found:
        assert quotation.text in text
        assert len(quotation.text.split()) >= max(min_words, 1)
