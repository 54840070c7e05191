"""Article body HTML: one sanitiser for every way text gets in, and a plain-text reading of it."""

from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.html import escape
from django_prose_editor.fields import create_sanitizer

#: What the body editor offers. The sanitiser is derived from the same list, so the stored HTML
#: can only ever contain what the editor can make.
BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "HardBreak": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    # The editor turns the browser's spelling check off unless told not to.
    "NoSpellCheck": False,
}

sanitize_body = create_sanitizer(BODY_EXTENSIONS)

BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "div", "hr"}


@dataclass(frozen=True)
class TextBlock:
    """The text of one paragraph-like element; `quoted` when it stands inside a <blockquote>."""

    text: str
    quoted: bool = False


class _BlockReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[TextBlock] = []
        self._parts: list[str] = []
        self._blockquote_depth = 0

    def _flush(self):
        text = " ".join("".join(self._parts).split())
        if text:
            self.blocks.append(TextBlock(text, quoted=self._blockquote_depth > 0))
        self._parts = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self._flush()
        if tag == "blockquote":
            self._blockquote_depth += 1
        elif tag == "br":
            self._parts.append(" ")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._flush()
        if tag == "blockquote" and self._blockquote_depth:
            self._blockquote_depth -= 1

    def handle_data(self, data):
        self._parts.append(data)

    def close(self):
        super().close()
        self._flush()


def text_blocks(html: str) -> list[TextBlock]:
    """The body's text, one entry per block element, whitespace folded and entities decoded."""
    reader = _BlockReader()
    try:
        reader.feed(html or "")
        reader.close()
    except AssertionError:
        # html.parser gives up on some malformed markup ("<![ x"). Stored bodies are sanitised
        # and never hold it; anything else is read as the sanitiser would store it.
        return text_blocks(sanitize_body(html))
    return reader.blocks


def plain_text(html: str) -> str:
    """The body as plain text, blocks separated by blank lines."""
    return "\n\n".join(block.text for block in text_blocks(html))


def paragraphs_to_html(paragraphs) -> str:
    """Plain-text paragraphs as sanitised body HTML, text kept exactly as given."""
    return sanitize_body("".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs))
