"""How other apps extend articles without this app importing them.

The dependency rule (docs/architecture.md) lets `sourcing` and `public` import `articles`, never
the other way round. So `articles` offers these hooks, and the apps above plug into them from
their `AppConfig.ready()`:

- `register_publish_check(check)`: add a check to the publish gate. `check(article)` yields a
  `PublishProblem` for each reason the article may not be published (sourcing adds its rules).
- `article_body_changed`: sent inside `Article.save()`'s transaction when the body is new or has
  changed, with `article=`. Receivers that write (sourcing's quote sync) are part of the save.
- `article_transitioned`: sent once after a workflow transition has committed, never for one
  that rolled back, with `article=`, `action=` (an `Action`), `by=` (the user, or None for the
  system) and `event=` (the `WorkflowEvent`). Notifications and the search index subscribe to
  it; so will the page cache, feeds and webhooks.
- The article admin: an app that adds to it unregisters `ArticleAdmin` and registers a subclass
  (sourcing adds the quote inline that way).
"""

from django.dispatch import Signal

from .publish_gate import PublishProblem, publish_problems, register_publish_check

article_body_changed = Signal()
article_transitioned = Signal()

__all__ = [
    "PublishProblem",
    "article_body_changed",
    "article_transitioned",
    "publish_problems",
    "register_publish_check",
]
