"""How other apps extend articles without this app importing them.

The dependency rule (docs/architecture.md) lets `sourcing` and `public` import `articles`, never
the other way round. So `articles` offers these hooks, and the apps above plug into them from
their `AppConfig.ready()`:

- `register_publish_check(check, at_approval=False)`: add a check to the publish gate.
  `check(article)` yields a `PublishProblem` for each reason the article may not be published
  (sourcing adds its rules); `at_approval` makes it hold for approval too (planning's blocking
  comments).
- `article_body_changed`: sent inside `Article.save()`'s transaction when the body is new or has
  changed, with `article=`. Receivers that write (sourcing's quote sync) are part of the save.
- `article_transitioned`: sent once after a workflow transition has committed, never for one
  that rolled back, with `article=`, `action=` (an `Action`), `by=` (the user, or None for the
  system) and `event=` (the `WorkflowEvent`). Notifications and the search index subscribe to
  it; so will the page cache, feeds and webhooks.
- The article admin: an app that adds to it unregisters `ArticleAdmin` and registers a subclass
  (sourcing adds the quote inline that way).
- `register_desk_link(link)`: `link(user, article)` returns a `DeskLink` (or None) that the
  article's workflow panel shows, e.g. planning's comments on the story.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.dispatch import Signal

from .publish_gate import PublishProblem, publish_problems, register_publish_check

article_body_changed = Signal()
article_transitioned = Signal()


@dataclass(frozen=True)
class DeskLink:
    """A link the article's workflow panel shows, with a short note beside it."""

    label: str
    url: str
    note: str = ""


_desk_links: list[Callable] = []


def register_desk_link(link: Callable) -> Callable:
    """Show `link(user, article)`'s `DeskLink` on the workflow panel (once, however often it is
    registered). Usable as a decorator."""
    if link not in _desk_links:
        _desk_links.append(link)
    return link


def desk_links(user, article) -> list[DeskLink]:
    return [found for link in _desk_links if (found := link(user, article)) is not None]


__all__ = [
    "DeskLink",
    "PublishProblem",
    "article_body_changed",
    "article_transitioned",
    "desk_links",
    "publish_problems",
    "register_desk_link",
    "register_publish_check",
]
