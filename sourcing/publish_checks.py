"""The sourcing rules of the publish gate, registered through `articles.extensions`."""

from django.urls import reverse

from articles.extensions import PublishProblem, register_publish_check

from .models import Quote


def _quote_link(quote):
    return reverse("admin:sourcing_quote_change", args=[quote.pk])


def _source_link(source):
    return reverse("admin:sourcing_source_change", args=[source.pk])


@register_publish_check
def sourcing_is_in_order(article):
    """Every quotation attributed; anonymous quotes verified and their anonymity approved;
    nothing disputed; nothing resting on a discredited source."""
    quotes = article.quotes.in_body().select_related("source__person").order_by("position")
    unapproved = {}
    for quote in quotes:
        source = quote.source
        if source is None:
            yield PublishProblem(f"Attribute the quote {quote} to a source.", _quote_link(quote))
            continue
        if quote.status == Quote.Status.DISPUTED:
            yield PublishProblem(
                f"The quote {quote} is disputed: resolve it or take it out.", _quote_link(quote)
            )
        elif source.is_anonymous and quote.status != Quote.Status.VERIFIED:
            yield PublishProblem(
                f"The quote {quote} is from an anonymous source and must be verified.",
                _quote_link(quote),
            )
        if source.is_anonymous and not source.anonymity_approved:
            unapproved[source.pk] = source
        if source.is_discredited:
            yield PublishProblem(
                f"The quote {quote} comes from a discredited source ({source}).",
                _quote_link(quote),
            )
    for source in unapproved.values():
        yield PublishProblem(
            f"A standards editor must approve anonymity for “{source}”.", _source_link(source)
        )
