"""The fact-check desk: who may do what there (every action, every role), the queue's filters,
second-hand quotes shown apart, the per-source ledger, the sourcing smells it warns about, and
sourcing pages that cost the same number of queries however many rows they show."""

import datetime
import secrets

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import FactCheckAssignment
from articles.workflow import Status
from sourcing import services
from sourcing.confidential import log_identity_views
from sourcing.models import CorrectionTask, Quote
from sourcing.smells import attribution_smells
from tests.factories import (
    AnonymousSourceFactory,
    OutletFactory,
    PersonFactory,
    SectionFactory,
    SourceFactory,
)

from .conftest import ROLES, approved_anonymous_source, attribute, body, said, verdict

pytestmark = pytest.mark.django_db


@pytest.fixture
def quote(story, reporter):
    """An unverified quote from an anonymous source the reporter recorded, in their draft."""
    source = AnonymousSourceFactory(created_by=reporter, real_name="Ada Quayside")
    return attribute(story(said("bridge")).quotes.get(), source)


# Permissions: every desk action, every role.


@pytest.mark.parametrize("role", ROLES)
def test_the_desk_opens_for_editors_fact_checkers_and_the_standards_editor(client, users, role):
    client.force_login(users[role])

    response = client.get(reverse("admin:sourcing_desk"))

    assert response.status_code == (200 if role != "reporter" else 403)


@pytest.mark.parametrize("status", ["verified", "disputed", "unverifiable"])
@pytest.mark.parametrize("role", ROLES)
def test_only_fact_checkers_and_the_standards_editor_give_verdicts(
    client, users, quote, role, status
):
    client.force_login(users[role])

    response = client.post(
        reverse("admin:sourcing_quote_check", args=[quote.pk]),
        verdict(quote, status, note="Checked against the recording."),
    )

    quote.refresh_from_db()
    if role in {"factchecker", "standards"}:
        assert response.status_code == 302
        assert (quote.status, quote.checked_by) == (status, users[role])
    else:
        assert response.status_code == 403
        assert quote.status == Quote.Status.UNVERIFIED


@pytest.mark.parametrize("role", ROLES)
def test_only_the_standards_editor_approves_anonymity_from_the_source_page(
    client, users, quote, role
):
    client.force_login(users[role])

    response = client.post(reverse("admin:sourcing_source_approve", args=[quote.source_id]))

    quote.source.refresh_from_db()
    assert quote.source.anonymity_approved is (role == "standards")
    assert response.status_code == (302 if role == "standards" else 403)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_standards_editor_approves_anonymity_with_the_list_action(
    client, users, quote, role
):
    client.force_login(users[role])
    changelist = reverse("admin:sourcing_source_changelist")
    offered = "approve_anonymity_action" in client.get(changelist).content.decode()

    client.post(
        changelist,
        {"action": "approve_anonymity_action", "_selected_action": [quote.source_id]},
    )

    quote.source.refresh_from_db()
    may = role == "standards"
    assert offered is may
    assert quote.source.anonymity_approved is may


@pytest.mark.parametrize("role", ROLES)
def test_only_the_standards_editor_may_discredit_a_source(client, users, quote, role):
    client.force_login(users[role])
    url = reverse("admin:sourcing_source_discredit", args=[quote.source_id])

    page = client.get(url)
    response = client.post(url, {"reason": "Made up the meeting."})

    quote.source.refresh_from_db()
    may = role == "standards"
    assert (page.status_code, response.status_code) == ((200, 302) if may else (403, 403))
    assert quote.source.is_discredited is may


@pytest.mark.parametrize("role", [*ROLES, "other_reporter"])
def test_every_role_reads_a_sources_ledger_but_only_some_see_the_identity(
    request, client, quote, role
):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("admin:sourcing_source_ledger", args=[quote.source_id]))

    assert response.status_code == 200
    content = response.content.decode()
    # The reporter who recorded the source sees its identity and their own draft; another
    # reporter sees neither.
    sees = role != "other_reporter"
    assert ("Ada Quayside" in content) is sees
    assert (str(quote) in content) is sees


@pytest.mark.parametrize("role", ROLES)
def test_only_the_standards_editor_exports_the_ledger(client, users, quote, role):
    client.force_login(users[role])
    today = timezone.localdate()

    response = client.get(reverse("admin:sourcing_ledger_export"), {"start": today, "end": today})

    if role == "standards":
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_evidence_files_go_only_to_those_who_may_see_identities(
    client, users, quote, factchecker, role
):
    check = services.check_quote(
        quote=quote,
        by=factchecker,
        status="verified",
        note="Matches the notebook.",
        evidence_file=SimpleUploadedFile("notes.txt", b"notebook page"),
    )
    client.force_login(users[role])

    response = client.get(reverse("admin:sourcing_quotecheck_evidence", args=[check.pk]))

    assert response.status_code == (403 if role == "reporter" else 200)


@pytest.mark.parametrize("role", ROLES)
def test_editors_and_the_standards_editor_assign_a_story_to_a_checker(
    client, users, quote, factchecker, role
):
    client.force_login(users[role])
    due = timezone.localtime() + datetime.timedelta(days=1)

    response = client.post(
        reverse("admin:articles_factcheckassignment_add"),
        {
            "article": quote.article_id,
            "checker": factchecker.pk,
            "due_at_0": f"{due:%Y-%m-%d}",
            "due_at_1": f"{due:%H:%M:%S}",
            "note": "Start with the anonymous quotes.",
        },
    )

    assignment = FactCheckAssignment.objects.filter(article=quote.article).first()
    if role in {"editor", "standards"}:
        assert response.status_code == 302
        assert (assignment.checker, assignment.assigned_by) == (factchecker, users[role])
    else:
        assert response.status_code == 403
        assert assignment is None


def test_a_story_is_assigned_only_to_someone_who_can_verify(client, editor, quote):
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_factcheckassignment_add"),
        {"article": quote.article_id, "checker": editor.pk, "due_at_0": "", "due_at_1": ""},
    )

    assert response.status_code == 200
    assert "Choose someone who can verify quotes." in response.content.decode()
    assert not FactCheckAssignment.objects.exists()


# The queue and its filters.


@pytest.fixture
def queue(story, reporter, editor, factchecker):
    """One quote of each kind the desk tells apart, plus one removed from its story; returns
    the objects the filters name."""
    news, culture = SectionFactory(name="News"), SectionFactory(name="Culture")
    anonymous = AnonymousSourceFactory()
    draft = story(said("unattributed"), said("disputed"), said("cut"), section=news)
    in_factcheck = story(said("anonymous"), said("anonymous verified"), section=culture)
    in_review = story(said("second hand"), section=news)
    quotes = {
        name: Quote.objects.get(text=said(name))
        for name in ["unattributed", "disputed", "anonymous", "anonymous verified", "second hand"]
    }
    attribute(quotes["disputed"], SourceFactory())
    attribute(quotes["anonymous"], anonymous)
    attribute(quotes["anonymous verified"], anonymous)
    attribute(
        quotes["second hand"],
        SourceFactory(),
        how_obtained=Quote.HowObtained.OTHER_OUTLET,
        outlet=OutletFactory(),
        outlet_url="https://gazette.example/story",
        outlet_date=datetime.date(2024, 3, 8),
    )
    services.check_quote(quote=quotes["disputed"], by=factchecker, status="disputed", note="No.")
    services.check_quote(
        quote=quotes["anonymous verified"],
        by=factchecker,
        status="verified",
        note="Matches the notes.",
    )
    draft.body = body(said("unattributed"), said("disputed"))
    draft.save()
    in_review.submit(by=reporter)
    in_factcheck.submit(by=reporter)
    in_factcheck.send_to_factcheck(by=editor, checker=factchecker)
    return {"section": culture.pk, "checker": factchecker.pk}


def desk_rows(client, **filters):
    response = client.get(reverse("admin:sourcing_desk"), filters)
    assert response.status_code == 200
    context = response.context
    return {
        "first_hand": {quote.text for quote, _ in context["first_hand"]},
        "second_hand": {quote.text for quote, _ in context["second_hand"]},
    }, response


NEEDING_ACTION = {"unattributed", "disputed", "anonymous", "second hand"}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, NEEDING_ACTION),
        ({"status": "all"}, NEEDING_ACTION | {"anonymous verified"}),
        ({"status": "verified"}, {"anonymous verified"}),
        ({"status": "disputed"}, {"disputed"}),
        ({"anonymous": "yes"}, {"anonymous"}),
        ({"anonymous": "no"}, {"unattributed", "disputed", "second hand"}),
        ({"second_hand": "yes"}, {"second hand"}),
        ({"second_hand": "no"}, {"unattributed", "disputed", "anonymous"}),
        ({"section": "culture"}, {"anonymous"}),
        ({"article_state": Status.IN_REVIEW}, {"second hand"}),
        ({"article_state": Status.DRAFT}, {"unattributed", "disputed"}),
        ({"checker": "factchecker"}, {"anonymous"}),
        ({"status": "all", "checker": "factchecker"}, {"anonymous", "anonymous verified"}),
    ],
    ids=lambda filters: (
        "&".join(f"{name}={value}" for name, value in filters.items()) or "default"
        if isinstance(filters, dict)
        else None
    ),
)
def test_each_desk_filter_narrows_the_queue(client, factchecker, queue, filters, expected):
    params = {name: queue.get(name, value) for name, value in filters.items()}
    client.force_login(factchecker)

    rows, _ = desk_rows(client, **params)

    assert rows["first_hand"] | rows["second_hand"] == {said(name) for name in expected}


def test_second_hand_quotes_are_shown_apart_with_their_outlet(client, factchecker, queue):
    client.force_login(factchecker)

    rows, response = desk_rows(client, status="all")

    assert rows["second_hand"] == {said("second hand")}
    assert said("second hand") not in rows["first_hand"]
    content = response.content.decode()
    assert "Quotes via other outlets (1)" in content
    assert "https://gazette.example/story" in content
    assert "The Harbour Gazette" in content


def test_the_desk_lists_stories_in_fact_check_with_their_checker(
    client, editor, factchecker, queue, story
):
    unassigned = story(said("unassigned"))
    unassigned.submit(by=editor)
    unassigned.send_to_factcheck(by=editor)
    # An editor took the checker off it (sending a story always names one when anyone can check).
    FactCheckAssignment.objects.filter(article=unassigned).delete()
    client.force_login(editor)

    _, response = desk_rows(client)

    assert [a.checker for a in response.context["assignments"]] == [factchecker]
    assert list(response.context["unassigned"]) == [unassigned]
    add = reverse("admin:articles_factcheckassignment_add")
    assert f"{add}?article={unassigned.pk}" in response.content.decode()


def test_a_source_ledger_lists_every_story_with_first_and_last_use(
    client, standards, published_story, story
):
    source = SourceFactory()
    first = published_story(source, said("first"))
    published_story(source, said("second"))
    draft = story(said("third"))
    attribute(draft.quotes.get(), source)
    client.force_login(standards)

    response = client.get(reverse("admin:sourcing_source_ledger", args=[source.pk]))

    span = response.context["span"]
    assert span["stories"] == 3
    assert span["first"] == first.first_published_at
    assert span["last"] == draft.created_at
    assert [quote.text for quote in response.context["quotes"]] == [
        said("first"),
        said("second"),
        said("third"),
    ]


# Sourcing smells.


@pytest.mark.parametrize(
    ("attribution", "smells"),
    [
        ("a friend of the couple told PEOPLE", 0),
        ("an official who was not authorized to speak publicly said", 1),
        ("A source said", 1),
        ("sources say", 1),
        ("one source told us, though sources say otherwise", 2),
    ],
)
def test_attribution_boilerplate_is_flagged(attribution, smells):
    assert len(attribution_smells(attribution)) == smells


def test_the_desk_shows_attribution_smells_beside_the_quote(client, factchecker, quote):
    quote.attribution = "an official not authorized to speak publicly said"
    quote.save()
    client.force_login(factchecker)

    _, response = desk_rows(client)

    assert "does not tell readers why the source deserves anonymity" in response.content.decode()


def test_one_anonymous_source_carrying_many_stories_is_flagged(
    client, settings, standards, story, factchecker
):
    settings.SOURCING_ANONYMOUS_STORY_LIMIT = 2
    busy, quiet = AnonymousSourceFactory(), AnonymousSourceFactory()
    for topic in ("bridge", "ferry"):
        attribute(story(said(topic)).quotes.get(), busy)
    cut = story(said("tunnel"))
    attribute(cut.quotes.get(), quiet)
    attribute(story(said("harbour")).quotes.get(), quiet)
    cut.body = body()
    cut.save()
    client.force_login(factchecker)

    _, response = desk_rows(client)

    assert list(response.context["overused"]) == [busy]
    assert f"{busy}</a> is quoted in 2 stories" in response.content.decode()
    ledger = client.get(reverse("admin:sourcing_source_ledger", args=[busy.pk]))
    assert ledger.context["overused"] is True
    assert (
        client.get(reverse("admin:sourcing_source_ledger", args=[quiet.pk])).context["overused"]
        is False
    )


# Query counts: a page costs the same however many rows it shows.


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def grow_sourcing(story, standards, factchecker, n):
    """`n` more stories, each quoting a new approved anonymous source (checked) and a new named
    source with a profile, the latter discredited with a correction task."""
    for _ in range(n):
        topic = secrets.token_hex(4)
        article = story(said(f"{topic} anonymous"), said(f"{topic} named"))
        anonymous_quote, named_quote = article.quotes.all()
        anonymous = approved_anonymous_source(by=standards)
        attribute(anonymous_quote, anonymous, attribution="a person familiar with it said")
        services.check_quote(
            quote=anonymous_quote, by=factchecker, status="verified", note="Matches the notes."
        )
        named = SourceFactory(name="", person=PersonFactory())
        attribute(named_quote, named, how_obtained=Quote.HowObtained.OTHER_OUTLET)
        services.discredit_source(source=named, by=standards, reason="Invented a meeting.")
        CorrectionTask.objects.create(
            article=article, source=named, reason="Invented a meeting.", created_by=standards
        )
        log_identity_views(user=standards, sources=[anonymous, named], place="test")


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:sourcing_desk",
        "admin:sourcing_source_changelist",
        "admin:sourcing_quote_changelist",
        "admin:sourcing_correctiontask_changelist",
        "admin:sourcing_confidentialaccess_changelist",
    ],
)
def test_sourcing_pages_cost_the_same_queries_however_many_rows(
    client, standards, factchecker, story, url_name
):
    client.force_login(standards)
    url = (
        f"{reverse(url_name)}?status=all"
        if url_name == "admin:sourcing_desk"
        else reverse(url_name)
    )
    grow_sourcing(story, standards, factchecker, 1)
    few = query_count(client, url)

    grow_sourcing(story, standards, factchecker, 4)

    assert query_count(client, url) == few


def test_a_source_ledger_costs_the_same_queries_however_many_stories(
    client, standards, factchecker, story
):
    source = AnonymousSourceFactory()

    def quote_in_new_story():
        quote = attribute(story(said(secrets.token_hex(4))).quotes.get(), source)
        services.check_quote(
            quote=quote, by=factchecker, status="verified", note="Matches the notes."
        )

    quote_in_new_story()
    client.force_login(standards)
    url = reverse("admin:sourcing_source_ledger", args=[source.pk])
    few = query_count(client, url)

    for _ in range(4):
        quote_in_new_story()

    assert query_count(client, url) == few
