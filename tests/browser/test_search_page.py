"""The search box in the header leads to the results page, which fits a phone and a desktop
without console errors or CSP violations."""

import pytest

from tests.factories import PersonFactory, SectionFactory, StaffPersonFactory
from tests.search.conftest import make_story  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def stories(make_story):  # noqa: F811 (the imported fixture)
    writer = StaffPersonFactory(name="Imogen Saltmarsh")
    PersonFactory(name="Imogen Tidewell", description="Harbour master")
    sections = [SectionFactory(name="Culture", slug="culture"), SectionFactory()]
    for n in range(22):
        make_story(
            headline=f"Harbour festival fills the quay, day {n}",
            dek="Boats, bands and a long queue for chips.",
            body="<p>Thousands came to the harbour festival on the east quay, where the "
            "lifeboat crew showed visitors around and the brass band played until dark.</p>",
            byline=writer,
            section=sections[n % 2],
            days_ago=n,
        )


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_searching_from_the_header(open_page, live_server, stories, width):
    tab = open_page(width=width)
    tab.page.goto(live_server.url + "/")
    tab.page.fill("#site-search-q", "harbour festival")
    tab.page.press("#site-search-q", "Enter")
    tab.page.wait_for_url("**/search/?q=harbour+festival")

    assert tab.page.locator(".search-hit").count() == 20
    assert tab.page.locator(".search-hit mark").count() >= 20
    assert "22 stories for “harbour festival”" in tab.page.inner_text(".search-summary")
    tab.screenshot(f"search-results-{width}")

    tab.page.click(".search-filters summary")
    tab.page.select_option("#id_sort", "newest")
    tab.page.click(".search-query button")
    tab.page.wait_for_url("**sort=newest**")
    assert "day 0" in tab.page.locator(".search-hit h3").first.inner_text()
    tab.page.click("a[rel=next]")
    tab.page.wait_for_url("**page=2**")
    assert tab.page.locator(".search-hit").count() == 2
    tab.screenshot(f"search-page-two-{width}")

    tab.page.goto(live_server.url + "/search/?q=imogen")
    assert tab.page.locator(".search-people li").count() == 2
    tab.screenshot(f"search-people-{width}")

    assert tab.overflow() == 0
    # The public base template links no favicon yet, so browsers ask for /favicon.ico (404).
    assert [problem for problem in tab.problems if "/favicon.ico" not in problem] == []
