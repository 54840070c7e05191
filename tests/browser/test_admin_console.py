"""No admin page a crawl reaches logs a console error or a Content-Security-Policy violation."""

from io import StringIO
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

#: Links a crawl must not follow: they change things (GET is safe, but a crawl should not log
#: itself out) or leave the admin.
SKIP = ("logout", "/delete/", "/password/")
LIMIT = 80


@pytest.fixture
def demo_newsroom(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())


def crawl(tab, start):
    seen, queue, problems = set(), [start], {}
    while queue and len(seen) < LIMIT:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        tab.problems.clear()
        tab.page.goto(url)
        if tab.problems:
            problems[url] = list(tab.problems)
        # A download link (a CSV) is no page to look at.
        for href in tab.page.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map(a => a.href)"
        ):
            link = urldefrag(href).url
            path = urlsplit(link).path
            if path.startswith("/admin/") and not any(part in link for part in SKIP):
                queue.append(link)
    return seen, problems


@pytest.mark.parametrize("username", ["editor", "standards", "reporter", "factchecker"])
def test_no_admin_page_logs_an_error_or_breaks_the_csp(
    open_page, live_server, demo_newsroom, username
):
    tab = open_page(get_user_model().objects.get(username=username))

    seen, problems = crawl(tab, f"{live_server.url}/admin/")

    assert len(seen) >= 20, seen
    assert problems == {}
