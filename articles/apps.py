from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from . import notifications  # noqa: F401 (subscribes to article_transitioned)
