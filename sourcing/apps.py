from django.apps import AppConfig


class SourcingConfig(AppConfig):
    name = "sourcing"
    verbose_name = "Sourcing and fact-checking"

    def ready(self):
        # The gate's sourcing rules, the quote sync and the confidentiality system check.
        from . import confidential, publish_checks, quote_sync  # noqa: F401
