from django.dispatch import Signal

#: Sent by `Article.save()` inside its transaction whenever the body is new or has changed,
#: with `article=`. The sourcing app keeps its quote ledger in step this way, so that this app
#: never imports it (see the dependency rule in DESIGN.md).
article_body_changed = Signal()
