"""Paginators for long admin lists."""

from django.core.paginator import Paginator
from django.db.models import QuerySet


class DeferredJoinPaginator(Paginator):
    """A paginator whose pages stay fast deep into a long list ("deferred join").

    A plain page is `SELECT <every column, with the joins> ... ORDER BY ... LIMIT n OFFSET m`:
    the database builds, then throws away, the m rows before the page, so the last page of
    100,000 stories read the whole table (20,000 pages of it on PostgreSQL). Here the page's
    query picks the page's ids in a subquery, the same slice of the same queryset (filters,
    search, the clicked ordering) selecting only the primary key, which an index in the list's
    order answers by itself (an index-only scan over m + n entries, no table rows). The outer
    query reads just those rows, with the queryset's joins, prefetches and ordering (total in
    the admin, which breaks ties by the primary key, so the rows come back in the page's order):

        SELECT ... WHERE <filters> AND id IN (SELECT id ... ORDER BY ... LIMIT n OFFSET m)
        ORDER BY ...

    One query a page, as before, and the page's `object_list` is still a queryset. The first
    page skips no rows, so it keeps the plain query: the subquery would only add to it (2 ms on
    PostgreSQL at 100,000 stories, and a search's filter would run twice). (MySQL, which this
    project does not use, refuses a LIMIT in an IN subquery.)
    """

    def page(self, number):
        page = super().page(number)
        if page.number > 1 and isinstance(page.object_list, QuerySet):
            # The slice is not run yet: select its primary keys only (prefetching needs objects).
            ids = page.object_list.prefetch_related(None).values("pk")
            page.object_list = self.object_list.filter(pk__in=ids)
        return page
