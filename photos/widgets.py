from django import forms
from django.urls import reverse

from .models import Photo
from .pictures import admin_preview


class PhotoPickerWidget(forms.HiddenInput):
    """A photo chosen from thumbnails: the chosen one shown, and a button opening the picker
    (`PhotoAdmin.picker_view`) in a popup, which hands back its choice (static/admin/js/
    photo_picker.js)."""

    template_name = "photos/picker_widget.html"

    @property
    def is_hidden(self):
        return False  # the id is, but the thumbnail and buttons are not: the row must show

    class Media:
        css = {"all": ["admin/css/photos.css"]}
        js = ["admin/js/photo_picker.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        photo = (
            Photo.objects.prefetch_related("renditions").filter(pk=value).first() if value else None
        )
        context["photo"] = photo
        context["thumbnail"] = admin_preview(photo, 320) if photo else None
        context["picker_url"] = reverse("admin:photos_photo_picker")
        return context


class PhotoPickerMixin:
    """For a ModelAdmin with foreign keys to photos: each is chosen with the picker."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Photo:
            kwargs["widget"] = PhotoPickerWidget()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
