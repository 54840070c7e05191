from django import forms

from .images import validate_image_file, without_metadata
from .models import Photo


class PhotoImageField(forms.ImageField):
    """Django's image field, with this project's checks first: Django's own opens the file with
    Pillow and would answer a mere "not an image" to a pixel bomb."""

    def to_python(self, data):
        if data:
            validate_image_file(data)
        return super().to_python(data)


class PhotoForm(forms.ModelForm):
    class Meta:
        model = Photo
        fields = [
            "image",
            "alt_text",
            "caption",
            "credit",
            "source",
            "licence",
            "usage_note",
            "tags",
            "focal_x",
            "focal_y",
        ]
        field_classes = {"image": PhotoImageField}

    def clean_image(self):
        image = self.cleaned_data["image"]
        if image and "image" in self.changed_data:
            return without_metadata(image)
        return image
