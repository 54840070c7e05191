"""Keeping each article's `Quote` rows in step with the quotations in its body."""

from difflib import SequenceMatcher

from django.conf import settings
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils import timezone

from articles.extensions import article_body_changed
from articles.html import register_body_validator

from .models import Quote
from .quotes import find_quotations

#: How alike two texts must be (0 to 1) for a new quotation to count as an edit of an old one.
EDIT_SIMILARITY = 0.6


def _take_exact(texts, quotes):
    """Pair each text with an unused quote of exactly that text; return pairs and leftovers."""
    pool = {}
    for quote in quotes:
        pool.setdefault(quote.text, []).append(quote)
    pairs, unmatched = [], []
    for item in texts:
        candidates = pool.get(item.text)
        if candidates:
            pairs.append((item, candidates.pop(0)))
        else:
            unmatched.append(item)
    leftover = [quote for candidates in pool.values() for quote in candidates]
    return pairs, unmatched, leftover


#: How many quotes either side of the same place in order an edited quotation is compared with.
#: Edits keep quotations in order, so a narrow window finds the old wording while keeping the
#: work linear in the number of quotes (comparing every pair took minutes for a thousand).
EDIT_WINDOW = 3


def _take_similar(texts, quotes):
    """Pair texts with the most similar remaining quotes nearby in order, best matches first."""
    quotes = sorted(quotes, key=lambda quote: quote.position)
    scored = []
    for n, item in enumerate(texts):
        # The same rank among the leftovers, scaled when more quotes left than arrived.
        centre = n * len(quotes) // max(len(texts), 1)
        for m in range(max(centre - EDIT_WINDOW, 0), min(centre + EDIT_WINDOW + 1, len(quotes))):
            matcher = SequenceMatcher(None, item.text, quotes[m].text)
            # The quick ratios are upper bounds: most pairs are ruled out without the full one.
            if matcher.real_quick_ratio() >= EDIT_SIMILARITY and matcher.quick_ratio() >= (
                EDIT_SIMILARITY
            ):
                scored.append((matcher.ratio(), n, m))
    scored.sort(reverse=True)
    used_texts, used_quotes, pairs = set(), set(), []
    for ratio, n, m in scored:
        if ratio < EDIT_SIMILARITY:
            break
        if n not in used_texts and m not in used_quotes:
            used_texts.add(n)
            used_quotes.add(m)
            pairs.append((texts[n], quotes[m]))
    unmatched = [item for n, item in enumerate(texts) if n not in used_texts]
    leftover = [quote for m, quote in enumerate(quotes) if m not in used_quotes]
    return pairs, unmatched, leftover


def too_many_quotations(found) -> ValidationError | None:
    limit = settings.SOURCING_QUOTES_PER_STORY_LIMIT
    if len(found) <= limit:
        return None
    return ValidationError(
        "This story has %(count)s quotations, and a story may carry at most %(limit)s (each "
        "needs a source and a check). Split it into several stories, or take out quotes.",
        code="too_many_quotes",
        params={"count": len(found), "limit": limit},
    )


@register_body_validator
def check_quotation_count(body):
    if error := too_many_quotations(find_quotations(body)):
        raise error


def sync_quotes(article):
    """Bring the article's quote ledger in line with the text being worked on (a published
    story's pending update, else its body), and mark which quotes readers see now.

    A quotation still in the text keeps its row (and its attribution and check). One whose
    wording changed keeps its row too, with the old wording in `previous_text`; it goes back to
    unverified, because a check belongs to the exact text checked. A new quotation gets a new,
    unattributed row; one that left the text is marked removed and kept for the record. So new
    quotes in a pending update are attributed and checked before they go live. While readers
    still see a quotation's old wording (a pending update edits it), its row and check stay as
    they are and the new wording gets a row of its own, attributed alike: discarding the update
    then leaves the live story's ledger exactly as it was.
    """
    live = {item.text for item in find_quotations(article.body)}
    found = find_quotations(article.working_body)
    if error := too_many_quotations(found):
        raise error
    existing = list(article.quotes.all())
    before = {quote.pk: _synced_values(quote) for quote in existing}
    in_text = [quote for quote in existing if quote.removed_at is None]
    removed = [quote for quote in existing if quote.removed_at is not None]

    kept, unmatched, gone = _take_exact(found, in_text)
    restored, unmatched, _ = _take_exact(unmatched, removed)
    edited, new, gone = _take_similar(unmatched, gone)

    created = []
    for item, quote in kept + restored:
        quote.position, quote.removed_at = item.position, None
    for item, quote in edited:
        if quote.text in live and article.has_pending_update:
            created.append(quote.reworded(item.text, position=item.position))
            gone.append(quote)
            continue
        quote.previous_text, quote.text, quote.position = quote.text, item.text, item.position
        quote.status = Quote.Status.UNVERIFIED
    now = timezone.now()
    for quote in gone:
        quote.removed_at = now
    created += [Quote(article=article, text=item.text, position=item.position) for item in new]
    for quote in existing + created:
        quote.in_live_text = quote.text in live
    # Only rows that changed are written: a verdict given meanwhile must not be overwritten.
    changed = [quote for quote in existing if _synced_values(quote) != before[quote.pk]]
    Quote.objects.bulk_update(changed, SYNCED_FIELDS)
    Quote.objects.bulk_create(created)


#: What the sync writes on existing rows.
SYNCED_FIELDS = ("text", "previous_text", "position", "status", "removed_at", "in_live_text")


def _synced_values(quote):
    return tuple(getattr(quote, name) for name in SYNCED_FIELDS)


@receiver(article_body_changed, dispatch_uid="sourcing.sync_quotes")
def keep_ledger_in_step(sender, article, **kwargs):
    sync_quotes(article)
