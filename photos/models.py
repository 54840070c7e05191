import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from newsroom.fields import SingleLineCharField

from .images import ACCEPTED_FORMATS, validate_image_file


def neutral_name(photo, filename):
    """A random name under the month's folder: the uploader's filename never reaches storage
    (it can name a person, a place or a source)."""
    extension = PurePath(filename).suffix.lower().replace(".jpeg", ".jpg")
    if extension not in ACCEPTED_FORMATS.values():
        extension = ""
    return f"photos/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{extension}"


class Photo(models.Model):
    """A photo in the library, with the words that travel with it wherever it is used."""

    class Licence(models.TextChoices):
        STAFF = "staff", "Staff"
        AGENCY = "agency", "Agency (subscription)"
        AGENCY_ONE_USE = "agency_one_use", "Agency — one use"
        HANDOUT = "handout", "Handout"
        READER = "reader", "Reader submission"

    image = models.ImageField(
        upload_to=neutral_name,
        width_field="width",
        height_field="height",
        validators=[validate_image_file],
        help_text="JPEG, PNG or WebP. Location and camera data are removed on upload.",
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    focal_x = models.PositiveIntegerField(
        "focal point x",
        null=True,
        blank=True,
        help_text="What every crop keeps in view, in the original's pixels from the left. "
        "Empty: the centre.",
    )
    focal_y = models.PositiveIntegerField(
        "focal point y", null=True, blank=True, help_text="In pixels from the top."
    )
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
    source = SingleLineCharField(
        "source or agency",
        max_length=200,
        blank=True,
        help_text="Where the file came from, e.g. “Eastmere Police (handout)”.",
    )
    licence = models.CharField(max_length=20, choices=Licence, default=Licence.STAFF)
    usage_note = models.TextField(
        blank=True,
        help_text="Conditions of use, e.g. “Only with stories about the 2026 flood.”",
    )
    tags = TaggableManager(
        through="TaggedPhoto", blank=True, help_text="Words to find the photo by in the picker."
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
        constraints = [
            models.CheckConstraint(
                condition=models.Q(focal_x__isnull=True, focal_y__isnull=True)
                | models.Q(focal_x__isnull=False, focal_y__isnull=False),
                name="photo_focal_point_whole",
            )
        ]

    def __str__(self):
        return self.alt_text or self.caption[:60] or f"Photo {self.pk}"

    def save(self, *args, **kwargs):
        """Saving a new file or focal point drops the renditions it made stale (their files go
        after commit) and queues the new ones."""
        from .tasks import make_renditions

        adding = self._state.adding
        super().save(*args, **kwargs)
        stale, _ = self.renditions.stale().delete()
        if adding or stale:
            transaction.on_commit(lambda: make_renditions.enqueue(self.pk))

    @property
    def focal_point(self) -> tuple[int, int]:
        if self.focal_x is None or self.focal_y is None:
            return self.width // 2, self.height // 2
        return self.focal_x, self.focal_y

    def clean(self):
        super().clean()
        if (self.focal_x is None) != (self.focal_y is None):
            raise ValidationError("Give both coordinates of the focal point, or neither.")
        if (
            self.focal_x is not None
            and self.width
            and (self.focal_x >= self.width or self.focal_y >= self.height)
        ):
            raise ValidationError(
                "The focal point must lie inside the photo (%(width)s by %(height)s pixels).",
                code="focal_point_outside",
                params={"width": self.width, "height": self.height},
            )


class TaggedPhoto(TaggedItemBase):
    content_object = models.ForeignKey(Photo, on_delete=models.CASCADE)


class RenditionQuerySet(models.QuerySet):
    def stale(self):
        """Renditions made from another file or focal point than their photo's current ones."""
        from .renditions import current_keys

        stale_ids = [
            rendition.pk
            for rendition in self.select_related("photo")
            if current_keys(rendition.photo).get((rendition.spec, rendition.format))
            != rendition.key
        ]
        return self.filter(pk__in=stale_ids)


class Rendition(models.Model):
    """One resized or cropped copy of a photo, made once and reused (photos/renditions.py)."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=20)
    format = models.CharField(max_length=4)
    #: A digest of what made it (file, focal point, spec, format): its file name carries it, so
    #: the name changes whenever the content does and the file can be cached for ever.
    key = models.CharField(max_length=16)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.FileField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RenditionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["photo", "spec", "format"], name="one_rendition_each")
        ]

    def __str__(self):
        return f"{self.spec}.{self.format} of photo {self.photo_id}"


@receiver(post_delete, sender=Rendition)
def _delete_rendition_file(sender, instance, **kwargs):
    name, storage = instance.file.name, instance.file.storage
    transaction.on_commit(lambda: storage.delete(name))


@receiver(post_delete, sender=Photo)
def _delete_original(sender, instance, **kwargs):
    name, storage = instance.image.name, instance.image.storage
    transaction.on_commit(lambda: storage.delete(name))
