"""Finding the quotations in an article body.

A quotation is text between double quotation marks (straight "…", curly “…”, or guillemets «…»)
or a block quote. Quotes nested inside a quotation belong to it; a quotation left open at the end
of a paragraph runs to the paragraph's end (the convention for quotes that go on over several
paragraphs). Quotations shorter than a minimum number of words are scare quotes (“insider”),
not things someone said, and are left out.
"""

from dataclasses import dataclass

from django.conf import settings

from articles.html import text_blocks

CLOSERS = {"“": "”", "«": "»"}
OPENERS = {closer: opener for opener, closer in CLOSERS.items()}
STRAIGHT = '"'


@dataclass(frozen=True)
class Quotation:
    """The words inside one pair of quotation marks (or one block quote), in body order."""

    text: str
    position: int
    from_block_quote: bool = False


def _spans(text):
    """(start, end) of each outermost quotation in `text`, marks excluded."""
    stack, start = [], 0
    for index, char in enumerate(text):
        if char == STRAIGHT:
            if stack and stack[-1] == STRAIGHT:
                stack.pop()
                if not stack:
                    yield start, index
                continue
            if not stack:
                start = index + 1
            stack.append(STRAIGHT)
        elif char in CLOSERS:
            if not stack:
                start = index + 1
            stack.append(char)
        elif char in OPENERS and OPENERS[char] in stack:
            while stack.pop() != OPENERS[char]:
                pass
            if not stack:
                yield start, index
    if stack:
        yield start, len(text)


def find_quotations(html: str, *, min_words: int | None = None) -> list[Quotation]:
    """Every quotation in the body HTML, in order, each one verbatim from the body's text."""
    if min_words is None:
        min_words = settings.SOURCING_QUOTE_MIN_WORDS
    min_words = max(min_words, 1)
    found = []
    for block in text_blocks(html):
        spans = (block.text[start:end].strip() for start, end in _spans(block.text))
        quoted = [words for words in spans if len(words.split()) >= min_words]
        # A block quote is a quotation in itself, unless marks inside it say which words are
        # quoted; a scare quote inside it does not.
        if block.quoted and not quoted and len(block.text.split()) >= min_words:
            quoted = [block.text]
        for words in quoted:
            found.append(Quotation(words, len(found), from_block_quote=block.quoted))
    return found
