"""What readers are told about sourcing: why an anonymous source was not named, and where the
newsroom's sourcing, verification and corrections policy lives (linked from JSON-LD)."""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
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


def test_a_story_with_an_anonymous_source_tells_readers_why(client, anonymous_story):
    response = client.get(anonymous_story.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert "About the sources in this story" in content
    assert escape(REASON) in content
    assert f'href="{reverse("public:sourcing_policy")}#anonymous-sources"' in content


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


def test_json_ld_links_every_policy_to_the_policy_page_which_answers(client, anonymous_story):
    data = json_ld(client.get(anonymous_story.get_absolute_url()).content.decode())
    policy_path = reverse("public:sourcing_policy")

    links = {key: data["publisher"][key] for key in POLICY_KEYS}

    assert data["publishingPrinciples"] == links["publishingPrinciples"]
    for link in links.values():
        url = urlsplit(link)
        assert f"{url.scheme}://{url.netloc}" == settings.SITE_URL
        assert url.path == policy_path
        page = client.get(url.path)
        assert page.status_code == 200
        if url.fragment:
            assert f'id="{url.fragment}"' in page.content.decode()
    assert len({urlsplit(link).fragment for link in links.values()}) == len(POLICY_KEYS)
