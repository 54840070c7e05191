from django import forms

from .images import without_metadata
from .models import Photo


class PhotoForm(forms.ModelForm):
    class Meta:
        model = Photo
        fields = ["image", "alt_text", "caption", "credit"]

    def clean_image(self):
        image = self.cleaned_data["image"]
        if image and "image" in self.changed_data:
            return without_metadata(image)
        return image
