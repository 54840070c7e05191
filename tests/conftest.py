from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

from accounts import roles

from .factories import UserFactory

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_7b01bd8a63ffcb3d.txt"


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


@pytest.fixture
def reporter(db):
    return UserFactory(username="reporter", role=roles.REPORTER)


@pytest.fixture
def other_reporter(db):
    return UserFactory(username="other_reporter", role=roles.REPORTER)


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", role=roles.EDITOR)


@pytest.fixture
def factchecker(db):
    return UserFactory(username="factchecker", role=roles.FACT_CHECKER)


@pytest.fixture
def standards(db):
    return UserFactory(username="standards", role=roles.STANDARDS_EDITOR)


@pytest.fixture
def seed_text():
    """The real story the product is built around; read at run time, never committed."""
    if not SEED.exists():
        pytest.skip(f"the seed story is not beside this checkout ({SEED})")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def seed_path(seed_text):
    return SEED


def run_tasks():
    """Run every task that is due, as `manage.py db_worker` would, then return."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
