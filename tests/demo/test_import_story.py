"""`manage.py import_story FILE`: a story file becomes a draft; a malformed one, a one-line
error and no article."""

import html
import sqlite3
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article
from articles.workflow import Status
from tests.factories import SectionFactory, UserFactory
from tests.newsroom.manage_py import run_manage

from .conftest import file_paragraphs, write

pytestmark = pytest.mark.django_db


def import_story(*args):
    out = StringIO()
    call_command("import_story", *args, stdout=out)
    return out.getvalue()


def test_the_seed_file_becomes_a_draft(seed_path, seed_text):
    printed = import_story(str(seed_path))

    article = Article.objects.get()
    assert article.status == Status.DRAFT
    assert article.first_published_at is None
    assert article.body == "".join(
        f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in file_paragraphs(seed_text)
    )
    assert "2024-03-08" in article.desk_notes
    assert f"Created draft #{article.pk}" in printed


def test_headline_section_and_owner_can_be_given(tmp_path):
    story = write(tmp_path / "ferry.txt", "date 2025-11-03\n\nThe ferry left late.\n")
    section = SectionFactory(name="News", slug="news")
    reporter = UserFactory(username="maren")

    import_story(str(story), "--headline", "Ferry late", "--section", "news", "--by", "maren")

    article = Article.objects.get()
    assert (article.headline, article.section, article.created_by) == (
        "Ferry late",
        section,
        reporter,
    )


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--section", "nowhere", "there is no section 'nowhere'"),
        ("--by", "nobody", "there is no user 'nobody'"),
    ],
)
def test_unknown_section_or_owner_is_refused(tmp_path, option, value, message):
    story = write(tmp_path / "ferry.txt", "date 2025-11-03\n\nThe ferry left late.\n")

    with pytest.raises(CommandError, match=message):
        import_story(str(story), option, value)

    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("date 2025-02-30\n\nText.", "'2025-02-30' is not a real date", id="bad date"),
        pytest.param(
            "date 2025-11-03\n\n", "there is no story text after the date line", id="no text"
        ),
        pytest.param(
            "date 2025-11-03\n\nCaf\xe9 owners protest.".encode("latin-1"),
            "not a UTF-8 text file",
            id="not utf-8",
        ),
        pytest.param(None, "no such file", id="missing file"),
    ],
)
def test_a_bad_file_gives_a_clear_error(tmp_path, content, message):
    path = tmp_path / "story.txt"
    if content is not None:
        write(path, content)

    with pytest.raises(CommandError) as refused:
        import_story(str(path))

    assert str(refused.value) == f"{path}: {message}"
    assert not Article.objects.exists()


def test_command_line_without_a_date_line_exits_with_one_line(tmp_path, migrated_sqlite):
    story = write(tmp_path / "undated.txt", "The ferry left late.\n\nNobody was hurt.\n")

    result = run_manage(
        "import_story", str(story), DEBUG="true", DATABASE_URL=f"sqlite:///{migrated_sqlite}"
    )

    assert result.returncode != 0
    assert result.stderr.splitlines() == [
        f"CommandError: {story}: the first line must start with 'date YYYY-MM-DD'"
    ]
    with sqlite3.connect(migrated_sqlite) as database:
        assert database.execute("SELECT count(*) FROM articles_article").fetchone() == (0,)
