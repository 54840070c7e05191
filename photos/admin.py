from django.contrib import admin
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html, format_html_join

from newsroom.shared_records import SharedRecordAdmin

from .forms import PhotoForm
from .models import Photo
from .pictures import admin_preview, crop_previews
from .usage import where_used


def _admin_link(record):
    opts = record._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(record.pk)])
    except NoReverseMatch:
        return format_html("{}: {}", opts.verbose_name.capitalize(), record)
    return format_html('<a href="{}">{}: {}</a>', url, opts.verbose_name.capitalize(), record)


@admin.register(Photo)
class PhotoAdmin(SharedRecordAdmin):
    form = PhotoForm
    list_display = ["thumbnail", "__str__", "credit", "licence", "width", "height", "created_at"]
    list_filter = ["licence"]
    search_fields = ["alt_text", "caption", "credit", "source", "tags__name"]
    readonly_fields = ["focal_point_control", "used_in", "width", "height", "uploaded_by"]
    fieldsets = [
        (None, {"fields": ["image", "alt_text", "caption", "credit"]}),
        ("Rights", {"fields": ["source", "licence", "usage_note"]}),
        (
            "Focal point and crops",
            {"fields": ["focal_point_control", ("focal_x", "focal_y")]},
        ),
        ("Finding it", {"fields": ["tags", "used_in", ("width", "height"), "uploaded_by"]}),
    ]

    class Media:
        css = {"all": ["admin/css/photos.css"]}
        js = ["admin/js/focal_point.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renditions")

    @admin.display(description="Photo")
    def thumbnail(self, photo):
        return format_html('<img src="{}" alt="" width="80">', admin_preview(photo, 320).url)

    @admin.display(description="Focal point")
    def focal_point_control(self, photo):
        if not photo.pk:
            return "Save the photo first; then click it to choose what every crop keeps."
        return render_to_string(
            "admin/photos/photo/focal_point.html",
            {"photo": photo, "preview": admin_preview(photo, 960), "crops": crop_previews()},
        )

    @admin.display(description="Where used")
    def used_in(self, photo):
        users = where_used(photo) if photo.pk else []
        if not users:
            return "Not used in any story or profile."
        items = format_html_join("", "<li>{}</li>", ((_admin_link(user),) for user in users))
        return format_html("<ul>{}</ul>", items)

    def get_deleted_objects(self, objs, request):
        """A photo a story or a profile uses cannot be deleted: the refusal lists them."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for photo in objs:
            protected += [
                format_html("{} uses {}", _admin_link(user), photo) for user in where_used(photo)
            ]
        return deleted, counts, perms_needed, protected

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        picker = self.admin_site.admin_view(self.picker_view)
        return [path("picker/", picker, name="photos_photo_picker"), *super().get_urls()]

    def picker_view(self, request):
        """The image picker (a popup from `PhotoPickerWidget`): thumbnails, searched by caption,
        credit, alt text, source and tag."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "")
        photos, _ = self.get_search_results(request, self.get_queryset(request), query)
        page = Paginator(photos.distinct(), 24).get_page(request.GET.get("page"))
        return TemplateResponse(
            request,
            "admin/photos/photo/picker.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Choose a photo",
                "query": query,
                "target": request.GET.get("target", ""),
                "page": page,
                "thumbnails": [(photo, admin_preview(photo, 320)) for photo in page],
                "is_popup": True,
            },
        )
