"""The public site in a real browser (Debian's Chromium): a reader finds the seed story from the
front page; every page type has no serious or critical axe-core violation in light and dark
mode, logs no console error or CSP violation, and fits 390 px and 1280 px windows (screenshots
of each are saved). The search page belongs to the search issue and is checked there."""

from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article
from demo import content, policies, seed

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

#: What axe-core checks: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and its best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    }
}
BLOCKING = {"serious", "critical"}


@pytest.fixture
def demo_site(settings, seed_path):
    settings.DEBUG = True  # load_demo runs only in development
    call_command("load_demo", "--seed", str(seed_path), stdout=StringIO())
    settings.DEBUG = False  # the site as readers get it: its own 404 page
    return {
        "seed": Article.objects.get(slug=seed.SLUG),
        "library": Article.objects.get(slug=content.STORIES[0]["slug"]),
    }


def every_page(site):
    pages = {
        "home": reverse("public:home"),
        "section": reverse("public:section", args=["entertainment"]),
        "topic": reverse("public:tag", args=["celebrity"]),
        "author": reverse("public:author", args=["lena-marsh"]),
        "person": reverse("public:person", args=["natalie-portman"]),
        "article": site["seed"].get_absolute_url(),
        "article-with-photo": site["library"].get_absolute_url(),
        "archive": reverse("public:archive_month", args=[2024, 3]),
        "corrections": reverse("public:corrections"),
        "masthead": reverse("public:masthead"),
        "search": reverse("public:search") + "?q=library",
        "not-found": "/no-such-page/",
    }
    for slug, *_ in policies.POLICIES:
        pages[f"policy-{slug}"] = reverse("public:policy", args=[slug])
    return pages


def test_a_reader_follows_the_navigation_to_the_seed_story(open_page, live_server, demo_site):
    tab = open_page(width="phone")
    page = tab.page
    page.goto(live_server.url + "/")

    page.get_by_role("navigation", name="Sections").get_by_role(
        "link", name="Entertainment"
    ).click()
    page.wait_for_url("**/entertainment/")
    page.get_by_role("link", name=demo_site["seed"].headline).first.click()
    page.wait_for_url(f"**{demo_site['seed'].get_absolute_url()}")

    story = page.locator("article.story")
    assert story.locator("h1").inner_text() == demo_site["seed"].headline
    byline = story.locator(".byline a.author")
    assert byline.inner_text() == "Lena Marsh"
    assert byline.get_attribute("href") == reverse("public:author", args=["lena-marsh"])
    published = story.locator(".story-header time").first
    assert published.get_attribute("datetime").startswith("2024-03-08T09:00:00-05:00")
    assert "March 8, 2024" in published.inner_text()
    note = page.get_by_role("complementary", name="About the sources in this story")
    assert "not named" in note.inner_text()
    assert tab.problems == []

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="News").click()
    page.get_by_role("link", name=demo_site["library"].headline).first.click()
    page.wait_for_url(f"**{demo_site['library'].get_absolute_url()}")
    page.wait_for_load_state("load")
    photo = page.locator("figure.lead-photo img")
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
    assert photo.get_attribute("alt")
    assert "Ledger graphics" in page.locator("figure.lead-photo .credit").text_content()
    corrections = page.get_by_role("complementary", name="Corrections")
    assert "reopened on Saturday" in corrections.inner_text()
    assert tab.problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_every_page_is_accessible_fits_and_keeps_the_csp(
    open_page, live_server, demo_site, scheme, width
):
    tab = open_page(width=width, color_scheme=scheme)
    axe = Axe()
    failures, overflows, problems = {}, {}, {}

    for name, url in every_page(demo_site).items():
        tab.problems.clear()
        tab.page.goto(live_server.url + url)
        results = axe.run(tab.page, options=AXE_OPTIONS)
        assert results.response["passes"], name  # axe-core ran its rules on the page
        blocking = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in BLOCKING
        ]
        if blocking:
            failures[name] = blocking
        if overflow := tab.overflow():
            overflows[name] = overflow
        # The 404 page's own status shows in the console; anything else is a problem.
        if real := [p for p in tab.problems if not (name == "not-found" and "404" in p)]:
            problems[name] = real
        tab.screenshot(f"public-{name}-{width}-{scheme}")

    assert failures == {}
    assert overflows == {}
    assert problems == {}


def test_the_skip_link_is_the_first_stop_and_shows_when_focused(open_page, live_server, demo_site):
    tab = open_page()
    tab.page.goto(live_server.url + demo_site["seed"].get_absolute_url())

    tab.page.keyboard.press("Tab")

    focused = tab.page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = tab.page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0
    outline = tab.page.locator(".skip-link").evaluate("a => getComputedStyle(a).outlineStyle")
    assert outline != "none"


def test_no_page_overflows_the_narrowest_phone(open_page, live_server, demo_site):
    tab = open_page(width="phone")
    tab.page.set_viewport_size({"width": 320, "height": 700})
    overflows = {}

    for name, url in every_page(demo_site).items():
        tab.page.goto(live_server.url + url)
        if overflow := tab.overflow():
            overflows[name] = overflow

    assert overflows == {}


def test_a_printed_story_drops_the_navigation(open_page, live_server, demo_site):
    tab = open_page()
    tab.page.emulate_media(media="print")
    tab.page.goto(live_server.url + demo_site["library"].get_absolute_url())

    def shown(selector):
        return tab.page.locator(selector).first.is_visible()

    assert not shown(".section-nav")
    assert not shown(".site-footer")
    assert shown("article.story h1")
    assert shown("figure.lead-photo img")
    assert shown(".corrections")
    tab.screenshot("public-article-print")
