"""What the public, staff and holders of a preview link can see: 404 before publication,
410 after unpublishing, 301 from old addresses, and previews that are never indexed or cached."""

from datetime import timedelta

import hypothesis
import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from articles.models import Article, PreviewLink
from articles.workflow import Status
from tests.factories import UserFactory

from .conftest import edit, public_url

pytestmark = pytest.mark.django_db

UNSEEN = [Status.DRAFT, Status.IN_REVIEW, Status.FACT_CHECK, Status.APPROVED, Status.SCHEDULED]


def preview_url(article):
    return reverse("public:preview", args=[article.pk])


def assert_is_a_private_preview(response):
    assert response.status_code == 200
    assert response["X-Robots-Tag"].startswith("noindex")
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    page = response.content.decode()
    assert '<meta name="robots" content="noindex' in page
    assert 'class="preview-banner"' in page
    assert "<strong>Preview</strong>" in page
    assert 'rel="canonical"' not in page


@pytest.mark.parametrize("viewer", [None, "owner", "editor", "standards"])
@pytest.mark.parametrize("state", UNSEEN)
def test_an_unpublished_story_is_404_to_everyone(client, users, article_in, state, viewer):
    article = article_in(state)
    if viewer:
        client.force_login(users[viewer])

    assert client.get(public_url(article)).status_code == 404


def test_a_story_sent_back_after_unpublishing_is_404(client, editor, article_in):
    article = article_in(Status.UNPUBLISHED)
    address = public_url(article)
    article.request_changes(by=editor)

    assert client.get(address).status_code == 404


def test_a_published_story_is_on_its_page_and_the_home_page(client, article_in):
    article = article_in(Status.PUBLISHED)

    page = client.get(public_url(article))
    home = client.get(reverse("public:home"))

    assert page.status_code == 200
    assert article.headline in page.content.decode()
    assert article in home.context["articles"]


def test_unpublishing_answers_410_and_leaves_the_home_page(client, editor, article_in):
    article = article_in(Status.PUBLISHED)
    address = public_url(article)

    article.unpublish(by=editor, comment="Legal asked us to take it down.")

    gone = client.get(address)
    assert gone.status_code == 410
    assert article.headline not in gone.content.decode()
    assert article not in client.get(reverse("public:home")).context["articles"]


def test_a_new_slug_keeps_the_old_address_as_a_permanent_redirect(client, editor, article_in):
    article = article_in(Status.PUBLISHED)
    old_address = public_url(article)

    edit(article, by=editor, slug="harbour-bridge-reopens-early")

    response = client.get(old_address)
    assert response.status_code == 301
    assert response["Location"] == public_url(article)
    assert client.get(response["Location"]).status_code == 200


def test_a_wrong_date_in_the_address_redirects_permanently(client, article_in):
    article = article_in(Status.PUBLISHED)

    response = client.get(public_url(article, when=timezone.now() - timedelta(days=40)))

    assert response.status_code == 301
    assert response["Location"] == public_url(article)


@pytest.mark.parametrize(
    ("viewer", "state", "visible"),
    [
        ("owner", Status.DRAFT, True),
        ("owner", Status.SCHEDULED, True),
        ("other_reporter", Status.DRAFT, False),
        ("other_reporter", Status.SCHEDULED, False),
        ("editor", Status.DRAFT, True),
        ("factchecker", Status.FACT_CHECK, True),
        ("standards", Status.SCHEDULED, True),
    ],
)
def test_the_staff_preview_respects_who_may_see_the_story(
    client, users, article_in, viewer, state, visible
):
    article = article_in(state)
    client.force_login(users[viewer])

    response = client.get(preview_url(article))

    if visible:
        assert_is_a_private_preview(response)
        assert article.headline in response.content.decode()
    else:
        assert response.status_code == 404


def test_the_staff_preview_is_404_to_a_reader_with_an_account(client, article_in):
    client.force_login(UserFactory(username="reader", is_staff=False))

    assert client.get(preview_url(article_in(Status.DRAFT))).status_code == 404


def test_the_staff_preview_sends_visitors_to_log_in(client, article_in):
    response = client.get(preview_url(article_in(Status.DRAFT)))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.fixture
def link(article_in, editor):
    return PreviewLink.create_for(article_in(Status.IN_REVIEW), by=editor)


def test_a_shared_preview_link_works_without_an_account(client, link):
    response = client.get(link.get_absolute_url())

    assert_is_a_private_preview(response)
    assert link.article.headline in response.content.decode()


def test_a_shared_preview_link_lasts_48_hours_by_default(link):
    assert link.expires_at - link.created_at == pytest.approx(
        timedelta(hours=48), abs=timedelta(seconds=5)
    )


def test_an_expired_preview_link_is_404(client, link):
    PreviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())

    assert client.get(link.get_absolute_url()).status_code == 404


def test_a_revoked_preview_link_is_404(client, link):
    link.revoke()

    assert client.get(link.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"), id="signature"),
        pytest.param(lambda token: "x" + token, id="payload"),
        pytest.param(lambda token: "not-a-token", id="garbage"),
    ],
)
def test_a_tampered_preview_token_is_404(client, link, tamper):
    url = reverse("public:shared_preview", args=[link.article_id, tamper(link.token)])

    assert client.get(url).status_code == 404


def test_a_token_signed_for_another_link_id_is_404(client, link):
    """A genuine signature over a payload naming a link that does not exist."""
    payload = {"article": link.article_id, "link": link.pk + 1}
    forged = signing.Signer(salt=PreviewLink.SALT).sign_object(payload)
    url = reverse("public:shared_preview", args=[link.article_id, forged])

    assert client.get(url).status_code == 404


def test_a_preview_link_opens_only_its_own_article(client, link, article_in):
    other = article_in(Status.DRAFT)
    url = reverse("public:shared_preview", args=[other.pk, link.token])

    assert client.get(url).status_code == 404


def test_an_editor_creates_and_revokes_a_preview_link_in_the_admin(client, editor, article_in):
    article = article_in(Status.IN_REVIEW)
    client.force_login(editor)

    client.post(reverse("admin:articles_article_preview_link", args=[article.pk]))
    created = article.preview_links.get()
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    client.post(
        reverse("admin:articles_article_revoke_preview_link", args=[article.pk, created.pk])
    )

    assert created.get_absolute_url() in page.content.decode()
    assert not article.preview_links.active().exists()
    assert client.get(created.get_absolute_url()).status_code == 404


def test_a_reporter_may_not_share_a_preview(client, reporter, article_in):
    article = article_in(Status.DRAFT)
    client.force_login(reporter)

    response = client.post(reverse("admin:articles_article_preview_link", args=[article.pk]))

    assert response.status_code == 403
    assert not article.preview_links.exists()


@pytest.fixture
def stories_over_time(article_in):
    """Published stories first published every 10 hours from 3 days ago to 2 days ahead (the
    clock of a server behind), one of them expired, and one unpublished among them."""
    now = timezone.now()
    for n in range(12):
        story = article_in(Status.UNPUBLISHED if n == 5 else Status.PUBLISHED)
        Article.objects.filter(pk=story.pk).update(
            first_published_at=now + timedelta(hours=10 * n - 72),
            expires_at=now - timedelta(hours=1) if n == 3 else None,
        )
    return now


@hypothesis.settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    since=st.integers(min_value=-100, max_value=60),
    length=st.integers(min_value=0, max_value=120),
)
def test_the_stories_of_a_period_are_those_readers_see_first_published_in_it(
    stories_over_time, since, length
):
    start = stories_over_time + timedelta(hours=since)
    end = start + timedelta(hours=length)

    in_period = Article.objects.published(since=start, before=end)
    expected = Article.objects.published().filter(
        first_published_at__gte=start, first_published_at__lt=end
    )

    assert set(in_period) == set(expected)


def test_a_past_period_is_asked_for_with_its_own_upper_bound_alone():
    # SQLite walks the stories' index from the first upper bound it is given: "published by
    # now" would make an old year's page pass every story published since.
    start = timezone.now() - timedelta(days=800)
    sql = str(Article.objects.published(since=start, before=start + timedelta(days=365)).query)

    assert sql.count('"first_published_at" <') == 1
    assert '"first_published_at" < ' in sql
