"""Article body HTML: one sanitiser for every way text gets in, and a plain-text reading of it.

Every body is measured before anything parses it: HTML parsers take time that grows with the
square of the nesting depth, so a body that is too long or nested too deep is refused outright
(`check_body_limits`), with an error that says why.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

from django.core.exceptions import ValidationError
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

#: Longest body accepted, in characters of HTML (a 30,000-word story takes about 200,000).
MAX_BODY_CHARS = 300_000
#: Deepest nesting of elements accepted (a list nested ten deep inside a quote uses about 22).
MAX_BODY_DEPTH = 40

#: Elements that never hold others, so never deepen the nesting.
VOID_TAGS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}

# A tag runs to the next ">" and never past a "<", so one pass over the text finds every tag
# in linear time however the markup is broken.
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*?(/?)>")

_sanitize = create_sanitizer(BODY_EXTENSIONS)


def body_depth(html: str, *, stop_after: int | None = None) -> int:
    """How deep the body's elements nest, by counting tags (not parsing): unclosed tags count as
    open, so this is never less than what a parser would build. Stops early past `stop_after`."""
    depth = deepest = 0
    for closing, name, self_closing in (match.groups() for match in _TAG.finditer(html)):
        if self_closing or name.lower() in VOID_TAGS:
            continue
        if closing:
            depth = max(depth - 1, 0)
            continue
        depth += 1
        deepest = max(deepest, depth)
        if stop_after is not None and deepest > stop_after:
            break
    return deepest


def check_body_limits(html: str) -> None:
    """Refuse, before any parsing, a body too long or nested too deep to handle safely."""
    if len(html) > MAX_BODY_CHARS:
        raise ValidationError(
            "The body is too long: %(length)s characters of HTML, and the most a story can "
            "hold is %(limit)s. Split it into several stories.",
            code="body_too_long",
            params={"length": f"{len(html):,}", "limit": f"{MAX_BODY_CHARS:,}"},
        )
    if body_depth(html, stop_after=MAX_BODY_DEPTH) > MAX_BODY_DEPTH:
        raise ValidationError(
            "The body's formatting is nested too deeply (more than %(limit)s levels of lists, "
            "quotes or other blocks inside each other). Paste it as plain text, or remove the "
            "extra levels.",
            code="body_too_deep",
            params={"limit": MAX_BODY_DEPTH},
        )


BodyValidator = Callable[[str], None]
_body_validators: list[BodyValidator] = []


def register_body_validator(validator: BodyValidator) -> BodyValidator:
    """Add a check that a body must pass to be saved from a form (raising ValidationError).

    Other apps register theirs from `AppConfig.ready()` (sourcing caps the quotes per story).
    Each runs after the size and depth limits, so it may parse the body.
    """
    if validator not in _body_validators:
        _body_validators.append(validator)
    return validator


def validate_body(html: str) -> None:
    """Every check a body from a form must pass: the limits, then the registered validators."""
    check_body_limits(html)
    for validator in _body_validators:
        validator(html)


class SanitizedBody(str):
    """Body HTML as the sanitiser returned it, so that it is not sanitised a second time (a
    form's model validation sanitises the body, and the save that follows must not repeat it)."""


def sanitize_body(html: str) -> str:
    """The body with only what the editor can make; refuses bodies over the limits."""
    if isinstance(html, SanitizedBody):
        return html
    check_body_limits(html or "")
    return SanitizedBody(_sanitize(html))


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
