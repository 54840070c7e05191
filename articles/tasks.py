"""Background work for articles, run by the django-tasks-db worker (`manage.py db_worker`).

Models are looked up through the app registry because models.py enqueues these tasks.
"""

from django.apps import apps
from django.tasks import task

from .notifications import notify_about


@task()
def publish_scheduled_article(article_id):
    """Publish a scheduled article at its time (a no-op if it was rescheduled or already out)."""
    apps.get_model("articles", "Article").publish_if_due(article_id)


@task()
def send_workflow_notification(event_id):
    """Email the people a workflow event concerns."""
    event = apps.get_model("articles", "WorkflowEvent").objects.filter(pk=event_id).first()
    if event is not None:
        notify_about(event)
