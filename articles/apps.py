from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from . import live_use, notifications, preview_links, search  # noqa: F401 (subscribe to signals)

        live_use.register()
