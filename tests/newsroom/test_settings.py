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
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
