"""Verdicts on quotes: each belongs to the exact text checked, keeps who and when, needs a note
unless the quote is verified, and may carry evidence (a URL, or a file kept in private storage
and handed out only to those allowed to see it)."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sourcing import services
from sourcing.models import Quote, QuoteCheck
from tests.factories import SourceFactory

from .conftest import attribute, body, said, verdict

pytestmark = pytest.mark.django_db


@pytest.fixture
def quote(story):
    return attribute(story(said("bridge")).quotes.get(), SourceFactory())


def test_a_verdict_records_who_when_and_the_exact_text(quote, factchecker):
    before = timezone.now()

    check = services.check_quote(
        quote=quote,
        by=factchecker,
        status=Quote.Status.VERIFIED,
        note="Matches the recording at 12:40.",
        evidence_url="https://archive.example/recording",
    )

    quote.refresh_from_db()
    assert (check.text, check.checked_by, check.status) == (quote.text, factchecker, "verified")
    assert check.evidence_url == "https://archive.example/recording"
    assert before <= check.checked_at <= timezone.now()
    assert quote.status == Quote.Status.VERIFIED
    assert quote.checked_text == quote.text
    assert (quote.checked_by, quote.checked_at) == (factchecker, check.checked_at)
    assert quote.check_note == "Matches the recording at 12:40."


def test_every_verdict_is_kept_and_the_quote_shows_the_latest(quote, factchecker, standards):
    services.check_quote(quote=quote, by=factchecker, status="disputed", note="Not on tape.")
    services.check_quote(quote=quote, by=standards, status="verified", note="Second tape.")

    quote.refresh_from_db()
    assert [(c.status, c.checked_by) for c in quote.checks.all()] == [
        ("verified", standards),
        ("disputed", factchecker),
    ]
    assert (quote.status, quote.checked_by) == ("verified", standards)


def test_a_verdict_belongs_to_the_text_it_was_given_on(quote, factchecker):
    check = services.check_quote(
        quote=quote, by=factchecker, status="verified", note="Matches the notes."
    )
    edited = said("bridge").replace("every day", "every other day")

    quote.article.body = body(edited)
    quote.article.save()

    quote.refresh_from_db()
    check.refresh_from_db()
    assert quote.status == Quote.Status.UNVERIFIED
    assert check.text == said("bridge") != quote.text


def test_a_verdict_on_words_edited_since_they_were_shown_is_refused(quote, factchecker):
    shown = quote.text
    quote.article.body = body(said("bridge").replace("every day", "every other day"))
    quote.article.save()

    with pytest.raises(ValidationError, match="edited after you loaded it"):
        services.check_quote(
            quote=quote, by=factchecker, status="verified", note="Matches.", text=shown
        )

    assert not QuoteCheck.objects.exists()


@pytest.mark.parametrize("status", ["verified", "disputed", "unverifiable"])
@pytest.mark.parametrize("note", ["", "   "])
def test_every_verdict_needs_a_note(quote, factchecker, status, note):
    with pytest.raises(ValidationError, match=r"Say how you checked|Say why"):
        services.check_quote(quote=quote, by=factchecker, status=status, note=note)

    quote.refresh_from_db()
    assert quote.status == Quote.Status.UNVERIFIED
    assert not quote.checks.exists()


def test_unverified_is_not_a_verdict(quote, factchecker):
    with pytest.raises(ValidationError, match="not a verdict"):
        services.check_quote(quote=quote, by=factchecker, status="unverified", note="Hmm.")


def test_a_quotation_gone_from_the_body_cannot_be_checked(quote, factchecker):
    quote.article.body = body()
    quote.article.save()

    with pytest.raises(ValidationError, match="no longer in the story"):
        services.check_quote(
            quote=quote, by=factchecker, status="verified", note="Matches the notes."
        )


def test_the_desk_refuses_a_verdict_on_words_edited_since_the_desk_loaded(
    client, quote, factchecker
):
    client.force_login(factchecker)
    check_url = reverse("admin:sourcing_quote_check", args=[quote.pk])
    desk = client.get(reverse("admin:sourcing_desk")).content.decode()
    shown = re.search(rf'action="{check_url}".*?name="text" value="([^"]*)"', desk, re.DOTALL)
    assert unescape(shown[1]) == quote.text
    quote.article.body = body(said("bridge").replace("every day", "every other day"))
    quote.article.save()

    response = client.post(
        check_url, verdict(quote, "verified", text=unescape(shown[1])), follow=True
    )

    [message] = response.context["messages"]
    assert "edited after you loaded it" in str(message)
    quote.refresh_from_db()
    assert quote.status == Quote.Status.UNVERIFIED


def test_evidence_uploaded_from_the_desk_is_kept_in_private_storage(client, quote, factchecker):
    client.force_login(factchecker)
    recording = SimpleUploadedFile("interview.txt", b"transcript of the interview")

    response = client.post(
        reverse("admin:sourcing_quote_check", args=[quote.pk]),
        verdict(quote, "verified", note="See transcript.", evidence_file=recording),
    )

    assert response.status_code == 302
    check = quote.checks.get()
    assert check.evidence_file.name.startswith("evidence/")
    stored = Path(storages["private"].path(check.evidence_file.name))
    assert stored.read_bytes() == b"transcript of the interview"
    assert not stored.is_relative_to(settings.MEDIA_ROOT)
    assert not list(Path(settings.MEDIA_ROOT).rglob("interview*"))


def test_evidence_is_downloaded_only_through_the_permission_checked_view(
    client, quote, factchecker, reporter
):
    check = services.check_quote(
        quote=quote,
        by=factchecker,
        status="verified",
        note="Matches the transcript.",
        evidence_file=SimpleUploadedFile("interview.txt", b"transcript"),
    )
    url = reverse("admin:sourcing_quotecheck_evidence", args=[check.pk])

    client.force_login(reporter)
    assert client.get(url).status_code == 403
    client.force_login(factchecker)
    response = client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"transcript"
    assert "attachment" in response["Content-Disposition"]


def test_a_check_without_a_file_has_no_evidence_to_download(client, quote, factchecker):
    check = services.check_quote(
        quote=quote, by=factchecker, status="verified", note="Matches the notes."
    )
    client.force_login(factchecker)

    response = client.get(reverse("admin:sourcing_quotecheck_evidence", args=[check.pk]))

    assert response.status_code == 404


def test_the_quote_page_shows_the_record_of_checks(client, quote, factchecker):
    services.check_quote(
        quote=quote,
        by=factchecker,
        status="verified",
        note="Matches the recording.",
        evidence_file=SimpleUploadedFile("interview.txt", b"transcript"),
    )
    client.force_login(factchecker)

    response = client.get(reverse("admin:sourcing_quote_change", args=[quote.pk]))

    content = response.content.decode()
    assert "Matches the recording." in content
    check = quote.checks.get()
    assert reverse("admin:sourcing_quotecheck_evidence", args=[check.pk]) in content


def test_a_quote_without_a_source_cannot_be_verified(story, factchecker):
    quote = story(said("bridge")).quotes.get()

    with pytest.raises(ValidationError, match="Attribute the quote to a source"):
        services.check_quote(quote=quote, by=factchecker, status="verified", note="Sounds right.")

    quote.refresh_from_db()
    assert quote.status == Quote.Status.UNVERIFIED
    assert not quote.checks.exists()


def test_a_quote_without_a_source_can_still_be_disputed(story, factchecker):
    quote = story(said("bridge")).quotes.get()

    services.check_quote(quote=quote, by=factchecker, status="disputed", note="Nobody said this.")

    quote.refresh_from_db()
    assert quote.status == Quote.Status.DISPUTED
