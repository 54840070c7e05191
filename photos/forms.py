from django import forms

from .images import validate_image_file, without_metadata
from .models import Photo


class PhotoForm(forms.ModelForm):
    class Meta:
        model = Photo
        fields = ["image", "alt_text", "caption", "credit"]

    def clean_image(self):
        image = self.cleaned_data["image"]
        if image and "image" in self.changed_data:
            # The limits are checked on the upload itself, before re-encoding decodes it.
            validate_image_file(image)
            return without_metadata(image)
        return image
