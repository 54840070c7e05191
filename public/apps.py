from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The reader-facing site, over every domain app (docs/architecture.md)."""

    name = "public"
    verbose_name = "Public site"

    def ready(self):
        from . import page_keys

        page_keys.connect()
