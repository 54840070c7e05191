from django.apps import AppConfig


class SourcingConfig(AppConfig):
    name = "sourcing"
    verbose_name = "Sourcing and fact-checking"

    def ready(self):
        from . import checks, ledger  # noqa: F401 (registers the gate checks and the quote sync)
