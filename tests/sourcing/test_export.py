"""The quote ledger as CSV: a date range of stories, identities only for those allowed to see
them (and every such export logged), and no cell a spreadsheet would run as a formula."""

import csv
import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from newsroom.spreadsheets import FORMULA_STARTS
from sourcing.export import COLUMNS
from sourcing.models import ConfidentialAccess, Source
from tests.factories import UserFactory

from .conftest import approved_anonymous_source, attribute, said

pytestmark = pytest.mark.django_db

MARCH_8 = datetime.date(2024, 3, 8)


def published_on(article, day):
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    Article.objects.filter(pk=article.pk).update(first_published_at=when)


def export(client, start, end):
    response = client.get(reverse("admin:sourcing_ledger_export"), {"start": start, "end": end})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="quote-ledger-{start}-{end}.csv"'
    )
    header, *rows = csv.reader(StringIO(b"".join(response.streaming_content).decode()))
    return header, [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture
def exporter(db):
    """Someone who may export the ledger but not see who confidential sources are."""
    user = UserFactory(username="exporter")
    user.user_permissions.add(Permission.objects.get(codename="export_ledger"))
    return user


@pytest.fixture
def ledger_stories(published_story, story, standards):
    """A story published on March 8, one published a week later, and a draft from today, each
    quoting an approved anonymous source."""
    source = approved_anonymous_source(by=standards, real_name="Ada Quayside")
    march = published_story(source, said("march"))
    published_on(march, MARCH_8)
    later = published_story(source, said("later"))
    published_on(later, MARCH_8 + datetime.timedelta(days=7))
    attribute(story(said("draft")).quotes.get(), source)
    return source


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (MARCH_8, MARCH_8, ["march"]),
        (MARCH_8, MARCH_8 + datetime.timedelta(days=7), ["march", "later"]),
        (MARCH_8 + datetime.timedelta(days=1), timezone.localdate(), ["later", "draft"]),
    ],
)
def test_the_export_covers_stories_dated_in_the_range(
    client, standards, ledger_stories, start, end, expected
):
    client.force_login(standards)

    _, rows = export(client, start, end)

    assert [row["quote"] for row in rows] == [said(name) for name in expected]


def test_the_standards_editor_exports_identities_and_the_export_is_logged(
    client, standards, ledger_stories
):
    client.force_login(standards)

    header, rows = export(client, MARCH_8, MARCH_8)

    assert header == [*COLUMNS, *Source.CONFIDENTIAL_FIELDS]
    assert rows[0]["real_name"] == "Ada Quayside"
    assert rows[0]["anonymous"] == "yes"
    view = ConfidentialAccess.objects.get()
    assert (view.user, view.source, view.place) == (standards, ledger_stories, "export")


def test_without_the_permission_the_export_has_no_identities_and_logs_nothing(
    client, exporter, ledger_stories
):
    client.force_login(exporter)

    header, rows = export(client, MARCH_8, timezone.localdate())

    assert header == list(COLUMNS)
    assert len(rows) == 3
    assert not any("Ada Quayside" in value for row in rows for value in row.values())
    assert not ConfidentialAccess.objects.exists()


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=repr)
def test_cells_a_spreadsheet_would_run_are_escaped(client, standards, story, start):
    article = story(said("formula"), headline=f"{start}SUM(A1:A9) headline")
    attribute(article.quotes.get(), None, attribution=f'{start}HYPERLINK("http://evil.example")')
    client.force_login(standards)

    _, rows = export(client, timezone.localdate(), timezone.localdate())

    assert rows[0]["story"] == f"'{start}SUM(A1:A9) headline"
    assert rows[0]["attribution as printed"] == f'\'{start}HYPERLINK("http://evil.example")'
    assert rows[0]["source"] == "unattributed"


def test_a_range_that_ends_before_it_starts_is_refused(client, standards):
    client.force_login(standards)

    response = client.get(
        reverse("admin:sourcing_ledger_export"),
        {"start": MARCH_8, "end": MARCH_8 - datetime.timedelta(days=1)},
    )

    assert response.status_code == 200
    assert "The start date must come before the end date." in response.content.decode()
    assert not ConfidentialAccess.objects.exists()
