"""Running `load_demo` in the test process, and reading the seed file independently of the
code under test (so a bug in `articles.storyfile` cannot hide itself)."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article
from demo import seed
from tests.newsroom.manage_py import run_manage


@pytest.fixture
def load_demo(db, settings):
    """Run `manage.py load_demo` with DEBUG on (the command refuses otherwise); returns what
    it printed. The seed story comes from its default place unless `--seed` says otherwise."""
    settings.DEBUG = True

    def run(*args):
        out = StringIO()
        call_command("load_demo", *args, stdout=out)
        return out.getvalue()

    return run


@pytest.fixture
def no_default_seed(monkeypatch, tmp_path):
    """A checkout without `../shared` beside it."""
    monkeypatch.setattr(seed, "DEFAULT_PATH", tmp_path / "absent" / "seed.txt")


@pytest.fixture
def seed_story(load_demo, seed_path):
    """The seed story as `load_demo --seed` imports it."""
    load_demo("--seed", str(seed_path))
    return Article.objects.get(slug=seed.SLUG)


def file_paragraphs(text):
    """The paragraphs of a story file, read the simple way: blank lines separate paragraphs,
    and the first one starts after `date YYYY-MM-DD` on the first line."""
    body = re.sub(r"\A\s*date \d{4}-\d{2}-\d{2}\s*", "", text)
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", body) if block.strip()]


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """A migrated SQLite file of its own, for `manage.py` run in another process."""
    path = tmp_path_factory.mktemp("manage") / "db.sqlite3"
    result = run_manage("migrate", "--noinput", DEBUG="true", DATABASE_URL=f"sqlite:///{path}")
    assert result.returncode == 0, result.stderr
    return path
