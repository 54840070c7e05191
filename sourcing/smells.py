"""Warnings for sourcing habits that standards editors want to catch before publication."""

import re

from django.conf import settings
from django.db.models import Count, Q

from .models import Source

ATTRIBUTION_SMELLS = (
    (
        re.compile(r"\bnot authori[sz]ed to (speak|comment|discuss|talk)", re.IGNORECASE),
        "“Not authorized to speak” does not tell readers why the source deserves anonymity.",
    ),
    (
        re.compile(r"^\W*(an?|one)\s+sources?\s+(said|says|told|added)\b", re.IGNORECASE),
        "A bare “a source said”: describe the source as precisely as safety allows.",
    ),
    (
        re.compile(r"\bsources\s+(say|said)\b", re.IGNORECASE),
        "“Sources say” hides how many sources there are and how they know.",
    ),
)


def attribution_smells(attribution: str) -> list[str]:
    """The warnings an attribution as printed deserves (empty when it reads well)."""
    return [warning for pattern, warning in ATTRIBUTION_SMELLS if pattern.search(attribution)]


def overused_anonymous_sources():
    """Anonymous sources quoted in at least SOURCING_ANONYMOUS_STORY_LIMIT stories, with
    `story_count` annotated, busiest first."""
    return (
        Source.objects.anonymous()
        .annotate(
            story_count=Count(
                "quotes__article", distinct=True, filter=Q(quotes__removed_at__isnull=True)
            )
        )
        .filter(story_count__gte=settings.SOURCING_ANONYMOUS_STORY_LIMIT)
        .order_by("-story_count", "pk")
    )
