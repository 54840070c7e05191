"""The confidentiality boundary around anonymous sources' identities, in one place.

- `CONFIDENTIAL_FIELDS`: the `Source` fields that identify someone we promised not to name.
- `can_see_identity(user, source)`: the one rule for who may see them.
- `log_identity_views(...)`: every path that shows an identity records it (the standards editor
  reads the record in the admin) and writes one log line that never holds a confidential value.
- `ConfidentialAdminMixin`: the admin of `Source` hides the fields from users without the right,
  refuses filters on them, keeps them out of error reports and logs each view.
- A system check fails when any admin's search, list columns, filters, `Source.__str__` or the
  search index's definition (`articles.search.INDEXED_PATHS`) would expose a confidential field.

See docs/architecture.md for where the boundary runs.
"""

import logging

from django.apps import apps
from django.contrib.admin.sites import all_sites
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db.models.constants import LOOKUP_SEP
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters

CONFIDENTIAL_FIELDS = (
    "real_name",
    "contact",
    "relationship_to_subject",
    "knowledge_detail",
    "anonymity_reason_internal",
    "notes",
)
VIEW_CONFIDENTIAL = "sourcing.view_confidential_source"
CONFIDENTIAL_NOTE = (
    "Confidential. Shown only to editors, fact-checkers, the standards editor and the reporter "
    "who recorded the source. Every view of this section is logged."
)

logger = logging.getLogger("sourcing.confidential")


def can_see_identity(user, source) -> bool:
    """Whether `user` may see `source`'s confidential fields: with the permission, or as the
    reporter who recorded the source."""
    return user.has_perm(VIEW_CONFIDENTIAL) or (
        source.created_by_id is not None and source.created_by_id == user.pk
    )


def log_identity_views(*, user, sources, place: str) -> None:
    """Record that `user` was shown the confidential fields of each of `sources` at `place`."""
    access = apps.get_model("sourcing", "ConfidentialAccess")
    sources = list(sources)
    access.objects.bulk_create(access(source=source, user=user, place=place) for source in sources)
    for source in sources:
        logger.info(
            "identity shown source=%s user=%s place=%s", source.pk, user.get_username(), place
        )


class ConfidentialAdminMixin:
    """For `SourceAdmin`. Its `fieldsets` leave the confidential fields out; this adds them,
    for the users who may see them, as the fieldset after the first."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None or can_see_identity(request.user, obj):
            identity = {
                "classes": ["confidential"],
                "description": CONFIDENTIAL_NOTE,
                "fields": list(CONFIDENTIAL_FIELDS),
            }
            fieldsets.insert(1, ("Confidential identity", identity))
        return fieldsets

    def lookup_allowed(self, lookup, value, request):
        # Filtering the list by a confidential field (?real_name__startswith=A) would tell
        # anyone reading the result count what the field holds, one letter at a time.
        if lookup.split(LOOKUP_SEP, 1)[0] in CONFIDENTIAL_FIELDS and not request.user.has_perm(
            VIEW_CONFIDENTIAL
        ):
            return False
        return super().lookup_allowed(lookup, value, request)

    @method_decorator(sensitive_post_parameters(*CONFIDENTIAL_FIELDS))
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and can_see_identity(request.user, obj):
            log_identity_views(user=request.user, sources=[obj], place="source page")
        return super().render_change_form(request, context, add, change, form_url, obj)


# The system check.


def exposed_path(model, path) -> bool:
    """Whether the lookup `path` ("source__real_name__icontains", "^name") from `model` ends
    on a confidential field of `Source`."""
    source_model = apps.get_model("sourcing", "Source")
    current = model
    for part in path.lstrip("^=@").split(LOOKUP_SEP):
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a lookup ("icontains") or a method name: no further field
        if current is source_model and part in CONFIDENTIAL_FIELDS:
            return True
        if not field.is_relation:
            return False
        current = field.related_model
    return False


def _named_paths(model_admin):
    """(option, path) for every field path an admin shows, searches or filters by."""
    for path in model_admin.search_fields:
        yield "search_fields", path
    for item in model_admin.list_display:
        if isinstance(item, str):
            yield "list_display", item
    for item in model_admin.list_filter:
        if isinstance(item, str):
            yield "list_filter", item
        elif isinstance(item, tuple | list):
            yield "list_filter", item[0]


def admin_exposures(site):
    """An error for each way an admin registered on `site` would expose a confidential field."""
    errors = []
    for model, model_admin in site._registry.items():
        for option, path in _named_paths(model_admin):
            if exposed_path(model, path):
                errors.append(
                    checks.Error(
                        f"{type(model_admin).__name__}.{option} names “{path}”, a confidential "
                        "source field: it would show or reveal an identity to everyone.",
                        hint="Take it out; see sourcing/confidential.py.",
                        obj=type(model_admin),
                        id="sourcing.E001",
                    )
                )
    return errors


def string_exposures():
    """An error if `str(source)` of any kind of source would contain a confidential value."""
    source_model = apps.get_model("sourcing", "Source")
    canary = "confidential-canary"
    errors = []
    for kind in source_model.Kind:
        source = source_model(
            pk=0,
            kind=kind,
            name="A name",
            public_description="a description",
            **dict.fromkeys(CONFIDENTIAL_FIELDS, canary),
        )
        if canary in str(source):
            errors.append(
                checks.Error(
                    f"str() of a {kind.label.lower()} source shows a confidential field.",
                    obj=source_model,
                    id="sourcing.E002",
                )
            )
    return errors


def index_exposures():
    """An error for each path of the search index's definition that ends on a confidential
    field: the index feeds the public search page."""
    from articles.search import INDEXED_PATHS

    article_model = apps.get_model("articles", "Article")
    return [
        checks.Error(
            f"The search index's {column} column takes “{path}”, a confidential source field: "
            "public search would find stories by it.",
            hint="Take it out of articles.search.INDEXED_PATHS; see sourcing/confidential.py.",
            obj=article_model,
            id="sourcing.E003",
        )
        for column, paths in INDEXED_PATHS.items()
        for path in paths
        if exposed_path(article_model, path)
    ]


@checks.register(checks.Tags.security)
def check_confidential_fields_stay_hidden(app_configs, **kwargs):
    errors = string_exposures() + index_exposures()
    for site in all_sites:
        errors += admin_exposures(site)
    return errors
