from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from accounts import roles
from accounts.two_factor import second_factor_required

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


class SecondFactorClient(Client):
    """A test client whose `force_login` ends where a real login ends: for an account that must
    use a second factor, with a confirmed authenticator and the session marked as verified by it.

    Two-factor enforcement stays on in every test; tests of the login steps themselves use
    `unverified_client`.
    """

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if second_factor_required(user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


@pytest.fixture
def client():
    return SecondFactorClient()


@pytest.fixture
def unverified_client():
    """A plain client: `force_login` gives the password step only."""
    return Client()


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


#: A worker that runs what is due now, in this process, and stops.
IN_PROCESS_WORKER = {
    "queue_names": ["*"],
    "interval": 0,
    "batch": True,
    "backend_name": "default",
    "startup_delay": False,
    "max_tasks": None,
    "excluded_queue_names": [],
}


def run_tasks():
    """Run every due task in this process, as `manage.py db_worker` does, and fail loudly if
    one fails. (The command itself closes the database connection, which a test cannot allow.)"""
    worker = Worker(**IN_PROCESS_WORKER, worker_id="tests")
    ran = list(DBTaskResult.objects.ready())
    for result in ran:
        result.claim("tests")
        worker.run_task(result)
    failed = DBTaskResult.objects.failed().filter(pk__in=[result.pk for result in ran])
    assert not failed.exists(), [result.traceback for result in failed]
    return len(ran)


@pytest.fixture
def policy_pages(db):
    """The standards pages `load_demo` creates, one per Trust Project property."""
    from demo.loader import ensure_policy_pages
    from public.models import Page

    ensure_policy_pages()
    return {page.trust_property: page for page in Page.objects.all()}
