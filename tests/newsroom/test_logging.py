"""One structured log line per workflow event and per identity view, never a confidential value,
and each line printed once."""

import logging

import pytest

from articles.models import Article, Byline
from articles.workflow import PublishBlocked, Status
from sourcing.confidential import log_identity_views
from tests.articles.conftest import drive_to
from tests.factories import AnonymousSourceFactory, ArticleFactory

from .manage_py import run_manage

pytestmark = pytest.mark.django_db


def lines(caplog, logger):
    return [record.getMessage() for record in caplog.records if record.name == logger]


def test_each_transition_and_gate_refusal_writes_one_line(caplog, editor):
    caplog.set_level(logging.INFO)
    article = drive_to(ArticleFactory(), Status.APPROVED, by=editor)
    caplog.clear()

    Byline.objects.filter(article=article).delete()
    with pytest.raises(PublishBlocked):
        article.publish(by=editor)
    article.request_changes(by=editor)

    assert lines(caplog, "articles.workflow") == [
        f"publish gate refused action=publish article={article.pk} by={editor.username} problems=1",
        f"transition action=request_changes article={article.pk} by={editor.username} "
        "from=approved to=draft",
    ]


def test_a_scheduled_run_writes_its_outcome(caplog, editor):
    caplog.set_level(logging.INFO)
    article = drive_to(ArticleFactory(), Status.SCHEDULED, by=editor)
    caplog.clear()

    Article.publish_if_due(article.pk)

    assert lines(caplog, "articles.workflow") == [
        f"scheduled run article={article.pk} outcome=skipped reason=Its scheduled time has "
        "not come."
    ]


def test_an_identity_view_is_logged_by_id_only(caplog, standards):
    caplog.set_level(logging.INFO)
    source = AnonymousSourceFactory(real_name="Ada Quayside", contact="ada@example.org")

    log_identity_views(user=standards, sources=[source], place="ledger")

    assert lines(caplog, "sourcing.confidential") == [
        f"identity shown source={source.pk} user={standards.username} place=ledger"
    ]
    assert "Quayside" not in caplog.text
    assert "ada@example.org" not in caplog.text


def test_each_line_is_printed_once(tmp_path):
    """The task worker logs through `django.tasks`; its lines used to come out twice."""
    result = run_manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('django.tasks').warning('task line')",
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr.count("task line") == 1
