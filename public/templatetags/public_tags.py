import json
import re
from functools import lru_cache

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from sourcing.models import Source

from ..models import TrustProperty
from ..navigation import SiteChrome
from ..structured_data import author_profile, news_article, organization

register = template.Library()

# The same escapes as Django's json_script: the JSON can never close its <script> element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}

_FIRST_PARAGRAPH = re.compile(r"\A\s*<p>")


def json_ld_script(data):
    """`data` as a JSON-LD script element (a data block: no script runs, the CSP allows it)."""
    text = json.dumps(data, cls=DjangoJSONEncoder).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """The article's NewsArticle JSON-LD (and its breadcrumbs), in a script element."""
    return json_ld_script(news_article(article, context["chrome"].policy_paths))


@register.simple_tag(takes_context=True)
def organization_json_ld(context):
    """The newsroom itself (NewsMediaOrganization) with its policies, for the front page and
    the masthead."""
    policies = tuple(sorted(context["chrome"].policy_paths.items()))
    return _organization_script(policies, settings.SITE_URL, settings.NEWSROOM_NAME)


@lru_cache(maxsize=16)
def _organization_script(policies, site_url, name):
    """Made once per process for each set of policy pages (and the settings it shows)."""
    return json_ld_script(organization(dict(policies)))


@register.simple_tag
def cards(stories):
    """The cards of `stories` (made by the view: `PublishedArticlesMixin.with_cards()`), in
    order."""
    return mark_safe("".join(story.card_html for story in stories))  # noqa: S308 (each rendered by our template)


@register.simple_tag
def author_json_ld(person):
    return json_ld_script(author_profile(person))


@register.simple_tag
def with_dateline(article):
    """The body, with the dateline run into its first paragraph ("EASTMERE — The council…")."""
    body = article.body
    if not article.dateline:
        return mark_safe(body)  # noqa: S308 (sanitised on every save)
    dateline = format_html('<span class="dateline">{} — </span>', article.dateline)
    if _FIRST_PARAGRAPH.match(body):
        return mark_safe(_FIRST_PARAGRAPH.sub(lambda _: f"<p>{dateline}", body, count=1))  # noqa: S308
    return mark_safe(f"<p>{dateline}</p>{body}")  # noqa: S308


@register.simple_tag
def public_people(article):
    """The people in the story who may be shown to readers (no minors, no private people)."""
    return [person for person in article.people.all() if person.has_public_page]


@register.inclusion_tag("public/includes/anonymous_note.html", takes_context=True)
def anonymous_sourcing_note(context, article):
    """Tell readers how many sources went unnamed and why (public fields only), linking to the
    anonymous-sources policy when there is one."""
    quoted = (
        Source.objects.anonymous()
        .filter(quotes__article=article, quotes__in_live_text=True)
        .values_list("pk", "anonymity_reason_public")
        .distinct()
        .order_by("anonymity_reason_public", "pk")
    )
    rows = list(quoted)
    return {
        "count": len({pk for pk, _ in rows}),
        "reasons": list(dict.fromkeys(reason for _, reason in rows if reason)),
        "policy_url": context["chrome"].policy_paths.get(TrustProperty.UNNAMED_SOURCES),
    }


@register.simple_tag(takes_context=True)
def site_header(context):
    """The site's header (includes/header.html), the same on every page but for the section
    marked as current: made once per process for each version of the sections. A page made
    without the context processors (the 500 page) has no sections, and reads nothing."""
    request = context.get("request")
    return _chrome(context).header(request.path if request else None)


@register.simple_tag(takes_context=True)
def site_footer(context):
    return _chrome(context).footer()


def _chrome(context):
    return context.get("chrome") or SiteChrome(rows=())


@register.tag
def fragment(parser, token):
    """`{% fragment "part" %}…{% endfragment %}`: a part of the page the view keeps in the
    fragment cache (`public.fragments.PageFragments`, as `fragments` in the context): shown from
    there when found, else rendered and handed to it to keep. Without `fragments`, rendered."""
    try:
        _, part = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError("{% fragment %} takes the part's name.") from None
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(parser.compile_filter(part), nodelist)


class FragmentNode(template.Node):
    def __init__(self, part, nodelist):
        self.part = part
        self.nodelist = nodelist

    def render(self, context):
        kept = context.get("fragments")
        if kept is None:
            return self.nodelist.render(context)
        part = self.part.resolve(context)
        if part in kept.found:
            return kept.found[part]
        kept.made[part] = html = self.nodelist.render(context)
        return html
