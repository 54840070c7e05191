from django.contrib import admin

from newsroom.shared_records import SharedRecordAdmin
from photos.widgets import PhotoPickerMixin

from .models import LINK_STAFF_ACCOUNT, Person


@admin.register(Person)
class PersonAdmin(PhotoPickerMixin, SharedRecordAdmin):
    list_display = ["name", "kind", "is_minor", "description", "user"]
    list_filter = ["kind", "is_minor"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "is_minor", "description"]}),
        ("Profile", {"fields": ["bio", "photo", "same_as"]}),
        ("Staff", {"classes": ["collapse"], "fields": ["user"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Linking a profile to a login lends that login the profile's bylines, and with them
        # the stories and previews it may open: an administrator's decision.
        if request.user.has_perm(LINK_STAFF_ACCOUNT):
            return super().get_readonly_fields(request, obj)
        return [*super().get_readonly_fields(request, obj), "user"]
