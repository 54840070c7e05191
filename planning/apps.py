from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = "Planning desk"

    def ready(self):
        # The blocking-comment check, the comments link on the article page, mention emails.
        from . import checks  # noqa: F401
