"""Reading body HTML as text: the base of quote detection and of the publish gate."""

from hypothesis import given
from hypothesis import strategies as st

from articles.html import paragraphs_to_html, plain_text, sanitize_body, text_blocks

MARKUP = st.lists(
    st.one_of(
        st.text(max_size=20),
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<blockquote>",
                "</blockquote>",
                "<br>",
                "<![",
                "<!--",
                "<![CDATA[",
                "]]>",
                "<li>",
                "&amp;",
                "&#8220;",
                "<script>",
                "<",
            ]
        ),
    ),
    max_size=30,
).map("".join)


@given(MARKUP)
def test_reading_never_fails_and_matches_the_stored_body(html):
    blocks = text_blocks(html)

    assert all(block.text == " ".join(block.text.split()) and block.text for block in blocks)
    assert plain_text(sanitize_body(html)) == plain_text(sanitize_body(sanitize_body(html)))


def test_malformed_declarations_are_read_as_the_sanitiser_stores_them():
    assert plain_text("<p>before</p><![ after") == plain_text(
        sanitize_body("<p>before</p><![ after")
    )


def test_block_quotes_are_marked_and_entities_decoded():
    blocks = text_blocks("<p>Intro &amp; more</p><blockquote><p>Quoted  words</p></blockquote>")

    assert [(block.text, block.quoted) for block in blocks] == [
        ("Intro & more", False),
        ("Quoted words", True),
    ]


def test_paragraphs_keep_their_text_exactly():
    paragraphs = ['She said: "It <was> fine & dandy."', "Second paragraph."]

    assert plain_text(paragraphs_to_html(paragraphs)).split("\n\n") == paragraphs
