from django.contrib import admin

from .models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_minor", "description", "user"]
    list_filter = ["kind", "is_minor"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo", "user"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "is_minor", "description"]}),
        ("Profile", {"fields": ["bio", "photo", "same_as"]}),
        ("Staff", {"classes": ["collapse"], "fields": ["user"]}),
    ]
