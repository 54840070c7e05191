"""Published stories to fill the public pages, the demo newsroom, and helpers to read pages."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.workflow import Status
from tests.articles.conftest import (  # the workflow tests' fixtures, re-exported
    article_in,  # noqa: F401
    drive_to,
    reporter_person,  # noqa: F401
)
from tests.factories import ArticleFactory, SectionFactory, StaffPersonFactory


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block's after-commit work (purges are made after commit) as a commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def author(db):
    return StaffPersonFactory(name="Rita Reporter", slug="rita-reporter", bio="Covers the harbour.")


@pytest.fixture
def publish(editor, author):
    """publish(**fields) -> a published article, bylined to `author` unless told otherwise."""

    def make(**fields):
        fields.setdefault("byline", author)
        return drive_to(ArticleFactory(**fields), Status.PUBLISHED, by=editor)

    return make


@pytest.fixture
def draft(editor, author):
    def make(state=Status.DRAFT, **fields):
        fields.setdefault("byline", author)
        return drive_to(ArticleFactory(**fields), state, by=editor)

    return make


@pytest.fixture
def sport(db):
    return SectionFactory(name="Sport", slug="sport", position=2)


def text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def json_ld(content):
    """Every JSON-LD object in the page, flattened out of the lists they come in."""
    found = []
    for block in re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', content, re.DOTALL
    ):
        data = json.loads(block)
        found.extend(data if isinstance(data, list) else [data])
    return found


def queries_for(client, url):
    """How many SQL queries `url` costs, after a first request warms per-process caches."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def local_time(*args):
    """A time on the newsroom's clock (TIME_ZONE)."""
    return datetime.datetime(*args, tzinfo=timezone.get_current_timezone())
