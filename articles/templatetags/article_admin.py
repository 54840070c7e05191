"""Template tags of the admin's article pages."""

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.db.models import Exists, Max, Min
from django.utils import timezone

register = template.Library()


@register.inclusion_tag("admin/date_hierarchy.html")
def article_date_hierarchy(cl):
    """Django's `date_hierarchy`, but at its top level the years that hold a story come from one
    query asking, for each year between the first story and the last, whether an indexed range
    holds one; Django truncates the date of every story in the list instead (half a second at
    100,000 stories on SQLite, on every view of the list). Below the top level, Django's own."""
    field = cl.date_hierarchy
    generic = f"{field}__"
    if any(name.startswith(generic) for name in cl.params):
        return date_hierarchy(cl)
    bounds = cl.queryset.aggregate(first=Min(field), last=Max(field))
    years = []
    if bounds["first"] is not None:
        first, last = (timezone.localtime(bounds[end]).year for end in ("first", "last"))
        probes = {
            f"in_{year}": Exists(cl.queryset.order_by().filter(**{f"{field}__year": year}))
            for year in range(first, last + 1)
        }
        found = cl.model._default_manager.annotate(**probes).values(*probes)[0]
        years = [year for year in range(first, last + 1) if found[f"in_{year}"]]
    return {
        "show": True,
        "back": None,
        "choices": [
            {
                "link": cl.get_query_string({f"{field}__year": str(year)}, [generic]),
                "title": str(year),
            }
            for year in years
        ],
        "field_name": cl.model._meta.get_field(field).verbose_name,
    }
