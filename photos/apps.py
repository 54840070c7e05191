from django.apps import AppConfig


class PhotosConfig(AppConfig):
    name = "photos"

    def ready(self):
        from . import checks  # noqa: F401 (registers the system check)
        from .renditions import modern_formats

        modern_formats()  # which of AVIF and WebP this Pillow encodes, checked once
