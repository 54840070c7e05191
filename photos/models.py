from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from newsroom.fields import SingleLineCharField

from .images import validate_image_file


class Photo(models.Model):
    """A photo in the library, with the words that travel with it wherever it is used."""

    image = models.ImageField(
        upload_to="photos/%Y/%m/",
        width_field="width",
        height_field="height",
        validators=[validate_image_file],
        help_text="JPEG, PNG or WebP. Location and camera data are removed on upload.",
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = SingleLineCharField(
        "alt text",
        max_length=250,
        blank=True,
        help_text="What the photo shows, for readers who cannot see it. "
        "Required before a story with this lead photo can publish. "
        "E.g. “Firefighters carry hoses past the flooded library on Quay Street.”",
    )
    caption = models.TextField(
        blank=True, help_text="Shown under the photo. Who, what, where, when."
    )
    credit = SingleLineCharField(
        max_length=200, blank=True, help_text="Photographer and agency, e.g. “Ines Varga / Ledger”."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.alt_text or self.caption[:60] or self.image.name
