"""The README stays true to the code it describes."""

import re

from django.conf import settings

from demo import content

README = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")


def test_configuration_table_lists_every_variable_settings_reads():
    source = (settings.BASE_DIR / "newsroom" / "settings.py").read_text(encoding="utf-8")
    variables = set(re.findall(r"\benv\.\w+\(\s*\"([A-Z][A-Z0-9_]*)\"", source))
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", README, re.MULTILINE))

    assert "DATABASE_URL" in variables  # the pattern finds what settings.py reads
    assert variables == documented


def test_demo_logins_are_the_ones_load_demo_creates():
    for username, _first, _last, role, password, _description in content.USERS:
        assert f"| `{username}` | `{password}` | {role} |" in README
