"""Shareable preview links end when the story they preview is published or taken down."""

from django.dispatch import receiver
from django.utils import timezone

from .extensions import article_transitioned
from .workflow import Status


@receiver(article_transitioned, dispatch_uid="articles.end_preview_links")
def end_preview_links(sender, article, event, **kwargs):
    """Once readers can see the story (or it is unpublished), a link made to show it before
    publication must stop working: revoke every active one."""
    if event.to_status in (Status.PUBLISHED, Status.UNPUBLISHED):
        article.preview_links.active().update(revoked_at=timezone.now())
