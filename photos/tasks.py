"""Background work for photos, run by the task worker (`manage.py run_worker`)."""

from django.tasks import task

from .renditions import make_all


@task()
def make_renditions(photo_id):
    """Make a photo's renditions after an upload or a new focal point (safe to run twice)."""
    make_all(photo_id)
