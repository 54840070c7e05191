"""Who has an article open in the admin: a soft warning, kept in the shared cache.

This only warns ("being edited by …"); the version check in `Article.save()` is what actually
prevents lost edits.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def _key(article_id):
    return f"articles:editing:{article_id}"


def note_editor(article_id, user):
    """Record that `user` opened the article now; return the others who did so recently,
    as (name, opened_at) pairs, most recent first."""
    window = settings.EDITING_PRESENCE_WINDOW
    now = timezone.now()
    editors = {
        user_id: (name, opened_at)
        for user_id, (name, opened_at) in cache.get(_key(article_id), {}).items()
        if now - opened_at < window
    }
    others = sorted(
        (entry for user_id, entry in editors.items() if user_id != user.pk),
        key=lambda entry: entry[1],
        reverse=True,
    )
    editors[user.pk] = (str(user), now)
    cache.set(_key(article_id), editors, timeout=int(window.total_seconds()))
    return others
