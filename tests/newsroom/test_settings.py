"""The settings, read from the environment, as a fresh `manage.py` process sees them."""

import secrets

from sourcing.models import Source

from .manage_py import run_manage


def test_shell_prints_the_confidential_fields(tmp_path):
    result = run_manage(
        "shell",
        "-c",
        "from sourcing.models import Source; print(Source.CONFIDENTIAL_FIELDS)",
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == repr(Source.CONFIDENTIAL_FIELDS)
    assert isinstance(Source.CONFIDENTIAL_FIELDS, tuple)
    assert "real_name" in Source.CONFIDENTIAL_FIELDS


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    result = run_manage(
        "check",
        DEBUG="false",
        SECRET_KEY="",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    assert result.returncode != 0
    assert result.stderr.splitlines()[-1].startswith(
        "django.core.exceptions.ImproperlyConfigured: SECRET_KEY is required when DEBUG is off"
    )


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="news.example.org",
        SITE_URL="https://news.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_site_url_is_required_when_debug_is_off(tmp_path):
    result = run_manage(
        "check",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        SITE_URL="",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    assert result.returncode != 0
    assert result.stderr.splitlines()[-1].startswith(
        "django.core.exceptions.ImproperlyConfigured: SITE_URL is required when DEBUG is off"
    )


def test_in_development_links_follow_the_port_the_site_is_served_on(tmp_path):
    """`make run PORT=8100` exports PORT: canonical URLs, JSON-LD and emails then say 8100."""
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SITE_URL)",
        DEBUG="true",
        HOST="127.0.0.1",
        PORT="8100",
        SITE_URL="",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "http://127.0.0.1:8100"
