import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from sourcing.models import Source

from ..structured_data import news_article

register = template.Library()

# The same escapes as Django's json_script: the JSON can never close its <script> element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def article_json_ld(article):
    """The article's NewsArticle JSON-LD, in a script element."""
    data = json.dumps(news_article(article), cls=DjangoJSONEncoder).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(data))  # noqa: S308


@register.simple_tag
def public_people(article):
    """The people in the story who may be shown to readers (no minors, no private people)."""
    return [person for person in article.people.all() if person.has_public_page]


@register.inclusion_tag("public/includes/anonymous_note.html")
def anonymous_sourcing_note(article):
    """Tell readers why the story's anonymous sources were not named (public fields only)."""
    return {"reasons": list(Source.objects.reasons_for_readers(article))}
