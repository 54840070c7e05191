from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class NewsroomUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "roles"]
    list_filter = [*UserAdmin.list_filter]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Roles")
    def roles(self, user):
        return ", ".join(group.name for group in user.groups.all()) or "—"
