"""Edits to a published story wait in its pending update, with their quotes in the ledger, until
"Publish update" passes the same gate as publication; readers see the live version until then."""

import pytest
from django.urls import reverse

from articles.models import Article, Correction
from articles.workflow import Action, PublishBlocked, Status
from sourcing import services
from sourcing.models import Quote
from tests.factories import PhotoFactory

from .conftest import approved_anonymous_source, attribute, body, said

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(published_story, standards):
    """A published story quoting an approved, verified anonymous source."""
    source = approved_anonymous_source(by=standards)
    return published_story(source, said("bridge"))


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content


def test_an_edit_leaves_the_public_page_byte_identical_until_published(client, live, editor):
    before = page(client, live)
    live.headline = "A new headline nobody may read yet"
    live.body = body(said("bridge"), lead="A new first paragraph.")
    live.save_edit(by=editor)

    assert page(client, live) == before
    live.refresh_from_db()
    assert live.has_pending_update
    assert live.headline != "A new headline nobody may read yet"

    event = live.transition(Action.PUBLISH_UPDATE, by=editor)

    assert event.action == Action.PUBLISH_UPDATE
    after = page(client, live).decode()
    assert "A new headline nobody may read yet" in after
    assert "A new first paragraph." in after
    assert not live.has_pending_update


def test_an_unverified_anonymous_quote_in_an_update_is_refused_until_fixed(
    client, live, editor, factchecker, standards
):
    before = page(client, live)
    source = approved_anonymous_source(by=standards)
    live.body = body(said("bridge"), said("ferry"))
    live.save_edit(by=editor)
    new_quote = live.quotes.get(text=said("ferry"))
    assert (new_quote.in_body, new_quote.in_live_text) == (True, False)

    with pytest.raises(PublishBlocked) as blocked:
        live.transition(Action.PUBLISH_UPDATE, by=editor)
    assert any("Attribute the quote" in reason for reason in blocked.value.reasons)

    attribute(new_quote, source)
    with pytest.raises(PublishBlocked) as blocked:
        live.transition(Action.PUBLISH_UPDATE, by=editor)
    assert blocked.value.reasons == [
        f"The quote {new_quote} is from an anonymous source and must be verified."
    ]
    assert page(client, live) == before

    services.check_quote(
        quote=new_quote, by=factchecker, status=Quote.Status.VERIFIED, note="On tape."
    )
    live.transition(Action.PUBLISH_UPDATE, by=editor)

    assert said("ferry") in page(client, live).decode()
    assert live.events.filter(action=Action.PUBLISH_UPDATE).count() == 1
    new_quote.refresh_from_db()
    assert new_quote.in_live_text


def test_discarding_changes_nothing_live(client, live, editor):
    before = page(client, live)
    live.body = body(said("ferry"))
    live.save_edit(by=editor)
    assert live.quotes.get(text=said("bridge")).removed_at is not None

    live.transition(Action.DISCARD_UPDATE, by=editor)

    assert page(client, live) == before
    live.refresh_from_db()
    assert not live.has_pending_update
    bridge = live.quotes.get(text=said("bridge"))
    assert (bridge.in_body, bridge.in_live_text, bridge.status) == (True, True, "verified")
    assert live.quotes.get(text=said("ferry")).removed_at is not None


def test_publishing_again_a_story_taken_down_puts_back_its_live_text_only(client, live, editor):
    headline = live.headline
    live.headline = ""  # an update that would fail the gate
    live.save_edit(by=editor)
    live.transition(Action.UNPUBLISH, by=editor)

    live.transition(Action.PUBLISH, by=editor)

    live.refresh_from_db()
    assert (live.status, live.headline) == (Status.PUBLISHED, headline)
    assert live.has_pending_update
    with pytest.raises(PublishBlocked):
        live.transition(Action.PUBLISH_UPDATE, by=editor)


def test_a_correction_and_its_fix_go_live_together(client, live, editor):
    live.body = body(said("bridge"), lead="The crew finished the work on Tuesday.")
    live.save_edit(by=editor)

    live.correct(
        by=editor,
        kind=Correction.Kind.CORRECTION,
        text="An earlier version said the work finished on Monday. It was Tuesday.",
    )

    content = page(client, live).decode()
    assert "finished the work on Tuesday" in content
    assert "finished the work on Monday" not in content
    assert "It was Tuesday." in content
    assert not live.has_pending_update
    assert live.shows_update
    assert list(live.events.values_list("action", flat=True))[-1] == Action.CORRECT


def test_a_correction_whose_fix_fails_the_gate_is_refused_whole(client, live, editor):
    before = page(client, live)
    live.body = body(said("bridge"), said("unattributed"))
    live.save_edit(by=editor)

    with pytest.raises(PublishBlocked):
        live.correct(by=editor, kind=Correction.Kind.CORRECTION, text="A fix.")

    assert page(client, live) == before
    assert not live.corrections.exists()
    live.refresh_from_db()
    assert live.has_pending_update


def test_a_lead_photo_without_alt_text_waits_for_the_gate(client, live, editor):
    before = page(client, live)
    live.lead_photo = PhotoFactory(alt_text="")
    live.save_edit(by=editor)

    with pytest.raises(PublishBlocked, match=r"The lead photo needs alt text\."):
        live.transition(Action.PUBLISH_UPDATE, by=editor)

    assert page(client, live) == before
    assert Article.objects.get(pk=live.pk).lead_photo is None


def test_the_preview_shows_the_update_or_the_live_version(client, live, editor):
    live.headline = "The headline of the update"
    live.save_edit(by=editor)
    client.force_login(editor)
    url = reverse("public:preview", args=[live.pk])

    update = client.get(url).content.decode()
    current = client.get(f"{url}?live").content.decode()

    assert "The headline of the update" in update
    assert "pending update" in update
    assert "The headline of the update" not in current


def test_restoring_a_revision_of_a_live_story_makes_a_pending_update(client, live, editor):
    first = live.history.get(version=1)
    live.headline = "A headline that went live"
    live.lead_photo = PhotoFactory()
    live.save_edit(by=editor)
    live.transition(Action.PUBLISH_UPDATE, by=editor)
    before = page(client, live)
    client.force_login(editor)
    url = reverse("admin:articles_article_simple_history", args=[live.pk, first.pk])

    confirmation = client.get(url).content.decode()
    response = client.post(url)

    assert "pending update" in confirmation
    assert "Also bring back that version" in confirmation
    assert response.status_code == 302
    assert page(client, live) == before
    live.refresh_from_db()
    assert live.pending_update["fields"]["headline"] == first.headline
    assert live.pending_update["fields"]["lead_photo"] == live.lead_photo_id  # left as it is
    assert live.status == Status.PUBLISHED


def test_restoring_can_bring_back_the_lead_photo_when_asked(client, live, editor):
    first = live.history.get(version=1)
    live.lead_photo = PhotoFactory()
    live.save_edit(by=editor)
    live.transition(Action.PUBLISH_UPDATE, by=editor)
    client.force_login(editor)
    url = reverse("admin:articles_article_simple_history", args=[live.pk, first.pk])

    client.post(url, {"with_lead_photo": "on"})

    live.refresh_from_db()
    assert live.pending_update["fields"]["lead_photo"] is None
