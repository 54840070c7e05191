"""Background work for articles, run by the django-tasks-db worker (`manage.py db_worker`).

Models are looked up through the app registry because models.py enqueues these tasks.
"""

from django.apps import apps
from django.tasks import task


@task()
def publish_scheduled_article(article_id):
    """Publish a scheduled article at its time (a no-op if it was rescheduled or already out)."""
    apps.get_model("articles", "Article").publish_if_due(article_id)
