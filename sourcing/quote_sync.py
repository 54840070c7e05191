"""Keeping each article's `Quote` rows in step with the quotations in its body."""

from difflib import SequenceMatcher

from django.dispatch import receiver
from django.utils import timezone

from articles.extensions import article_body_changed

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


def _take_similar(texts, quotes):
    """Pair texts with the most similar remaining quotes, best matches first."""
    scored = sorted(
        (
            (SequenceMatcher(None, item.text, quote.text).ratio(), n, m)
            for n, item in enumerate(texts)
            for m, quote in enumerate(quotes)
        ),
        reverse=True,
    )
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


def sync_quotes(article):
    """Bring the article's quote ledger in line with its body.

    A quotation still in the body keeps its row (and its attribution and check). One whose
    wording changed keeps its row too, with the old wording in `previous_text`; it goes back to
    unverified, because a check belongs to the exact text checked. A new quotation gets a new,
    unattributed row; one that left the body is marked removed and kept for the record.
    """
    found = find_quotations(article.body)
    existing = list(article.quotes.all())
    in_body = [quote for quote in existing if quote.removed_at is None]
    removed = [quote for quote in existing if quote.removed_at is not None]

    kept, unmatched, gone = _take_exact(found, in_body)
    restored, unmatched, _ = _take_exact(unmatched, removed)
    edited, new, gone = _take_similar(unmatched, gone)

    changed = []
    for item, quote in kept + restored:
        quote.position, quote.removed_at = item.position, None
        changed.append(quote)
    for item, quote in edited:
        quote.previous_text, quote.text, quote.position = quote.text, item.text, item.position
        quote.status = Quote.Status.UNVERIFIED
        changed.append(quote)
    now = timezone.now()
    for quote in gone:
        quote.removed_at = now
        changed.append(quote)
    Quote.objects.bulk_update(
        changed, ["text", "previous_text", "position", "status", "removed_at"]
    )
    Quote.objects.bulk_create(
        Quote(article=article, text=item.text, position=item.position) for item in new
    )


@receiver(article_body_changed, dispatch_uid="sourcing.sync_quotes")
def keep_ledger_in_step(sender, article, **kwargs):
    sync_quotes(article)
