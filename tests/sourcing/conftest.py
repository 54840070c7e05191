"""Helpers for the sourcing tests: bodies holding quotations, stories driven through the real
workflow, sources granted anonymity by a standards editor, and every role by name."""

from io import StringIO

import pytest
from django.core.files.storage import storages
from django.core.management import call_command

from articles.html import paragraphs_to_html
from articles.models import Article
from sourcing import services
from sourcing.models import Quote, QuoteCheck, Source
from tests.factories import AnonymousSourceFactory, ArticleFactory, StaffPersonFactory

#: The four newsroom roles, as the names of their user fixtures.
ROLES = ("reporter", "editor", "factchecker", "standards")


def said(topic: str) -> str:
    """A quotation of well over the minimum length, unique to `topic`."""
    return f"We have worked on the {topic} every day and we will keep at it"


def body(*quotations: str, lead: str = "The crew finished the work on Monday.") -> str:
    """Body HTML: a lead paragraph, then one paragraph per quotation in curly quotes."""
    return paragraphs_to_html([lead, *(f"“{text}”, the source said." for text in quotations)])


def change_form_data(response, **changes):
    """What a browser posts back, unchanged, from the admin change form in `response` (its
    inlines included), with `changes` applied by field name (inline fields with their prefix)."""
    context = response.context
    forms = [context["adminform"].form]
    data = {}
    for inline in context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data |= {
            management.add_prefix(name): management[name].value() for name in management.fields
        }
        forms += inline.formset.forms
    for form in forms:
        data |= {form.add_prefix(name): _posted(form[name]) for name in form.fields}
    data |= changes
    return {name: value for name, value in data.items() if value is not None}


def _posted(bound_field):
    """What a browser sends for `bound_field` as rendered (None: the key is left out)."""
    value = bound_field.value()
    widget = bound_field.field.widget
    widget = getattr(widget, "widget", widget)  # the admin's related-object wrapper
    if isinstance(value, bool):
        return "on" if value else None
    if getattr(widget, "allow_multiple_selected", False):
        return [str(item) for item in value or ()]
    if isinstance(value, list | tuple):
        return widget.format_value(value)
    return "" if value is None else value


def import_seed(seed_path, *, by, section) -> Article:
    """The seed story as `import_story` makes it (owned by `by`, filed under `section`)."""
    call_command(
        "import_story",
        str(seed_path),
        headline="Seed story",
        section=section.slug,
        by=by.username,
        stdout=StringIO(),
    )
    return Article.objects.get(created_by=by, headline="Seed story")


def publish(article, *, by):
    """Take a draft through every step to published, as an editor does."""
    for step in ("submit", "send_to_factcheck", "approve", "publish"):
        getattr(article, step)(by=by)
    return article


def attribute(quote, source, **fields):
    """Attribute `quote` to `source` (and set any other attribution fields)."""
    quote.source = source
    for name, value in fields.items():
        setattr(quote, name, value)
    quote.save()
    return quote


def verdict(quote, status, **fields):
    """What the desk posts for a one-click verdict on `quote` as it reads now."""
    return {
        "status": status,
        "text": quote.text,
        "note": "Matches the notes.",
        "evidence_url": "",
        **fields,
    }


def approved_anonymous_source(*, by, **fields) -> Source:
    """An anonymous source whose grant a standards editor (`by`) has approved."""
    source = AnonymousSourceFactory(**fields)
    return services.approve_anonymity(source=source, by=by)


@pytest.fixture(autouse=True)
def _private_evidence_storage(_isolated_settings, monkeypatch):
    # The evidence field resolved its storage when models loaded, before the test settings
    # moved the private storage into a temporary directory: point it there too.
    monkeypatch.setattr(QuoteCheck._meta.get_field("evidence_file"), "storage", storages["private"])


@pytest.fixture
def users(reporter, editor, factchecker, standards):
    return {
        "reporter": reporter,
        "editor": editor,
        "factchecker": factchecker,
        "standards": standards,
    }


@pytest.fixture
def reporter_person(reporter):
    """The reporter's staff profile, for bylines."""
    return StaffPersonFactory(user=reporter, name="Rita Reporter")


@pytest.fixture
def story(reporter, reporter_person):
    """Make a reporter's bylined draft whose body holds `quotations`."""

    def make(*quotations, **fields):
        fields.setdefault("created_by", reporter)
        fields.setdefault("byline", reporter_person)
        return ArticleFactory(body=body(*quotations), **fields)

    return make


@pytest.fixture
def published_story(story, editor, factchecker):
    """Make a published story whose every quotation is attributed to `source` and verified."""

    def make(source, *quotations, **fields):
        article = story(*quotations, **fields)
        for quote in article.quotes.all():
            attribute(quote, source)
            services.check_quote(
                quote=quote, by=factchecker, status=Quote.Status.VERIFIED, note="Matches the notes."
            )
        return publish(article, by=editor)

    return make
