"""docs/architecture.md stays true: every file it names exists."""

import re

from django.conf import settings

DOC = settings.BASE_DIR / "docs" / "architecture.md"


def test_every_file_the_architecture_names_exists():
    named = set(re.findall(r"`([\w./-]+\.(?:py|html|md))`", DOC.read_text(encoding="utf-8")))

    assert len(named) > 20  # the pattern finds what the document names
    assert sorted(path for path in named if not (settings.BASE_DIR / path).exists()) == []


def test_every_app_directory_the_architecture_names_exists():
    named = set(re.findall(r"`(\w+)/`", DOC.read_text(encoding="utf-8")))

    assert {"articles", "sourcing", "public"} <= named
    assert sorted(app for app in named if not (settings.BASE_DIR / app).is_dir()) == []
