"""The sourcing app's own pages inside the admin. Each view takes the `ModelAdmin` that serves
it (for permissions, messages and the admin's design) and is wired up in `sourcing/admin.py`."""
