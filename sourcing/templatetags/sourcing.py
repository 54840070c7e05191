from django import template

from ..models import Source

register = template.Library()


@register.inclusion_tag("sourcing/includes/anonymous_note.html")
def anonymous_sourcing_note(article):
    """Tell readers why the story's anonymous sources were not named (public fields only)."""
    reasons = (
        Source.objects.anonymous()
        .filter(quotes__article=article, quotes__removed_at__isnull=True)
        .exclude(anonymity_reason_public="")
        .values_list("anonymity_reason_public", flat=True)
        .distinct()
        .order_by("anonymity_reason_public")
    )
    return {"reasons": list(reasons)}
