"""The production settings plus one trivial view, for `make bench`'s ceiling: the same bytes as
the article page, returned through the same server and middleware without any work."""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.ceiling_urls"
