"""The quote ledger as CSV, for the standards editor."""

import csv

from django.db.models.functions import Coalesce, TruncDate

from newsroom.spreadsheets import safe_cell

from .confidential import CONFIDENTIAL_FIELDS
from .models import Quote

COLUMNS = (
    "story",
    "story state",
    "story date",
    "quote",
    "in body",
    "verification",
    "checked by",
    "checked at",
    "source",
    "anonymous",
    "anonymity approved",
    "attribution as printed",
    "how obtained",
    "outlet",
    "outlet URL",
    "outlet date",
)


def ledger_quotes(start, end):
    """Quotes of stories dated (published, or else created) between `start` and `end`."""
    return (
        Quote.objects.for_desk()
        .annotate(
            story_date=TruncDate(Coalesce("article__first_published_at", "article__created_at"))
        )
        .filter(story_date__gte=start, story_date__lte=end)
        .order_by("story_date", "article_id", "position")
    )


class _Line:
    """A file-like object whose write() hands back the line, for streaming csv rows."""

    def write(self, line):
        return line


def ledger_lines(quotes, *, identities_of):
    """The ledger as CSV lines, one at a time (for a streaming response: the export holds one
    chunk of rows in memory, however long the range). The confidential columns are there when
    `identities_of` (the sources whose identity the reader may see) is not empty, and filled
    only for those."""
    writer = csv.writer(_Line())
    identity = CONFIDENTIAL_FIELDS if identities_of else ()
    yield writer.writerow([*COLUMNS, *identity])
    for quote in quotes.iterator(chunk_size=500):
        source = quote.source
        row = [
            quote.article,
            quote.article.get_status_display(),
            quote.story_date,
            quote.text,
            "yes" if quote.in_body else "removed",
            quote.get_status_display(),
            quote.checked_by or "",
            quote.checked_at or "",
            source or "unattributed",
            "yes" if source and source.is_anonymous else "no",
            source.anonymity_approved_at if source and source.is_anonymous else "",
            quote.attribution,
            quote.get_how_obtained_display(),
            quote.outlet or "",
            quote.outlet_url,
            quote.outlet_date or "",
        ]
        shown = source in identities_of
        row += [getattr(source, name) if shown else "" for name in identity]
        yield writer.writerow([safe_cell(value) for value in row])
