"""Who has an article open in the admin right now: a soft warning, kept in the shared cache.

The change form sends a heartbeat every EDITING_HEARTBEAT seconds; someone who stops (closes
the tab, goes elsewhere) drops off the list within EDITING_PRESENCE_WINDOW. Only people who may
edit the story are listed. This only warns; the version check in `Article.save()` is what
actually prevents lost edits.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone


def _key(article_id):
    return f"articles:editing:{article_id}"


def note_editor(article, user):
    """Record that `user` has `article` open now; return the names of the others who have it
    open and may edit it, most recent first."""
    window = settings.EDITING_PRESENCE_WINDOW
    now = timezone.now()
    seen = {
        user_id: at
        for user_id, at in cache.get(_key(article.pk), {}).items()
        if now - at < window and user_id != user.pk
    }
    cache.set(_key(article.pk), {**seen, user.pk: now}, timeout=int(window.total_seconds()))
    others = get_user_model().objects.filter(pk__in=seen, is_active=True)
    editing = [other for other in others if article.can_be_edited_by(other)]
    return [str(other) for other in sorted(editing, key=lambda other: seen[other.pk], reverse=True)]
