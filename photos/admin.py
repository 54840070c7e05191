from django.contrib import admin
from django.utils.html import format_html

from newsroom.shared_records import SharedRecordAdmin

from .forms import PhotoForm
from .models import Photo


@admin.register(Photo)
class PhotoAdmin(SharedRecordAdmin):
    form = PhotoForm
    list_display = ["thumbnail", "__str__", "credit", "width", "height", "created_at"]
    search_fields = ["alt_text", "caption", "credit"]
    readonly_fields = ["width", "height", "uploaded_by", "created_at"]

    @admin.display(description="Photo")
    def thumbnail(self, photo):
        return format_html('<img src="{}" alt="" width="80">', photo.image.url)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
