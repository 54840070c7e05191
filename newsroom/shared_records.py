"""Records that stories share and readers see through them: photos, people and sections.

Each keeps a history (django-simple-history), and a change to one that a published story uses
shows on the live page at once, with no workflow. So changing such a record needs the editor
role (the permission to edit any article); a reporter may change a record they created while
no published story uses it.

The apps that hold these records sit below `articles`, so they cannot ask whether a published
story uses a record: `articles` tells them, through `register_live_use()`.
"""

from collections.abc import Callable

from django.db import models
from simple_history.admin import SimpleHistoryAdmin

#: The editor role's permission: it may change records that live stories use.
EDIT_LIVE_RECORDS = "articles.edit_any_article"

_live_uses: dict[type, Callable] = {}


def register_live_use(model, uses: Callable) -> None:
    """`uses(record)` tells whether a published story shows `record` (of `model`)."""
    _live_uses[model] = uses


def used_live(record) -> bool:
    uses = _live_uses.get(type(record))
    return bool(uses and uses(record))


def created_by(record, user) -> bool:
    """Whether the record's history says `user` created it."""
    creation = record.history.filter(history_type="+").order_by("history_date")
    return creation.values_list("history_user_id", flat=True).first() == user.pk


def may_change(user, record) -> bool:
    if user.has_perm(EDIT_LIVE_RECORDS):
        return True
    return created_by(record, user) and not used_live(record)


class SharedRecordAdmin(SimpleHistoryAdmin):
    """The admin of a shared record: history pages, and changes limited as described above."""

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or may_change(request.user, obj)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # simple-history calls select_related() with no field names for a model without
        # foreign keys (a section), which Django 6.1 deprecates: name them, or none.
        records = history_manager.filter(**{pk_name: object_id}).select_related("history_user")
        tracked = [
            field.name
            for field in history_manager.model.tracked_fields
            if isinstance(field, models.ForeignKey)
        ]
        return records.select_related(*tracked) if tracked else records
