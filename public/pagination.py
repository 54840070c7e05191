"""Pagination whose cost does not grow with the archive.

Django's paginator counts every row of a listing and lets a reader ask for any page, so page
5,000 of the home page would make the database count and skip 100,000 stories. Listings here
stop at `PUBLIC_LIST_MAX_PAGES`: the count looks no further than the last page served, and
older stories are reached through the date archives, whose pages are bounded the same way.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class BoundedPaginator(Paginator):
    @cached_property
    def count(self):
        """The number of items, counted no further than the last page served."""
        return self.object_list[: self.per_page * settings.PUBLIC_LIST_MAX_PAGES].count()
