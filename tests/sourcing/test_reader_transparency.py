"""What readers are told about sourcing: why an anonymous source was not named, and where the
newsroom's sourcing, verification and corrections policy lives (linked from JSON-LD)."""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils.html import escape

from tests.factories import SourceFactory

from .conftest import approved_anonymous_source, body, said

pytestmark = pytest.mark.django_db

POLICY_KEYS = (
    "publishingPrinciples",
    "unnamedSourcesPolicy",
    "correctionsPolicy",
    "verificationFactCheckingPolicy",
)
REASON = "The worker asked not to be named because they fear losing their job."


def json_ld(content):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.DOTALL)
    return json.loads(match.group(1))


@pytest.fixture
def anonymous_story(published_story, standards):
    source = approved_anonymous_source(by=standards, anonymity_reason_public=REASON)
    return published_story(source, said("bridge"))


def test_a_story_with_an_anonymous_source_tells_readers_why(client, anonymous_story, policy_pages):
    response = client.get(anonymous_story.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert "About the sources in this story" in content
    assert "quotes a source who is not named" in content
    assert escape(REASON) in content
    policy = policy_pages["unnamedSourcesPolicy"]
    assert f'href="{policy.get_absolute_url()}"' in content


def test_the_note_counts_the_unnamed_sources(client, published_story, standards):
    article = published_story(
        approved_anonymous_source(by=standards, anonymity_reason_public=REASON),
        said("bridge"),
        said("river"),
    )
    second = approved_anonymous_source(by=standards, anonymity_reason_public=REASON)
    article.quotes.filter(text__contains="river").update(source=second)

    content = client.get(article.get_absolute_url()).content.decode()

    assert "quotes 2 sources who are not named" in content
    assert content.count(escape(REASON)) == 1


def test_a_story_with_named_sources_only_has_no_note(client, published_story):
    article = published_story(SourceFactory(), said("bridge"))

    content = client.get(article.get_absolute_url()).content.decode()

    assert "About the sources in this story" not in content


def test_the_note_goes_when_the_anonymous_quote_leaves_the_live_story(
    client, anonymous_story, editor
):
    anonymous_story.body = body()
    anonymous_story.save_edit(by=editor)
    while_pending = client.get(anonymous_story.get_absolute_url()).content.decode()
    anonymous_story.transition("publish_update", by=editor)

    content = client.get(anonymous_story.get_absolute_url()).content.decode()

    assert escape(REASON) in while_pending  # the quote is still in what readers see
    assert "About the sources in this story" not in content
    assert escape(REASON) not in content


def test_json_ld_links_every_policy_to_its_page_which_answers(
    client, anonymous_story, policy_pages
):
    article_data = json_ld(client.get(anonymous_story.get_absolute_url()).content.decode())[0]

    links = {key: article_data["publisher"][key] for key in POLICY_KEYS}

    assert article_data["publishingPrinciples"] == links["publishingPrinciples"]
    for key, link in links.items():
        url = urlsplit(link)
        assert f"{url.scheme}://{url.netloc}" == settings.SITE_URL
        assert url.path == policy_pages[key].get_absolute_url()
        page = client.get(url.path)
        assert page.status_code == 200
        assert escape(policy_pages[key].title) in page.content.decode()
    assert len(set(links.values())) == len(POLICY_KEYS)


def test_without_policy_pages_json_ld_claims_no_policy(client, anonymous_story):
    article_data = json_ld(client.get(anonymous_story.get_absolute_url()).content.decode())[0]

    assert not set(POLICY_KEYS) & set(article_data["publisher"])
