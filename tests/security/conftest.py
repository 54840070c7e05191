import re
import time
from contextlib import contextmanager

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles
from tests.factories import UserFactory
from tests.security.logins import code_for, log_in

#: What a bounded-input case may cost, however hostile the input.
BOUNDED_SECONDS = 2.0


@contextmanager
def within_bound():
    """Fail unless the block costs less than BOUNDED_SECONDS of this thread's CPU time.

    CPU time rather than wall time: this machine's cores are shared with other test runs, and a
    hostile input's cost is the work it makes the server do, whoever else is busy. The server
    runs in this thread (the test client); PostgreSQL's own work, in its process, is left out,
    and so is the work of this process's other threads (the live server the browser tests
    start lives on for the rest of the run).
    """
    started = time.thread_time()
    yield
    spent = time.thread_time() - started
    assert spent < BOUNDED_SECONDS, f"cost {spent:.2f} s of CPU"


@pytest.fixture
def bounded():
    return within_bound


@pytest.fixture
def editor_with_authenticator(unverified_client):
    """An editor, "maren", who set up an authenticator app: (device, recovery codes)."""
    editor = UserFactory(username="maren", role=roles.EDITOR)
    log_in(unverified_client, "maren")
    unverified_client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=editor)
    page = unverified_client.post(reverse("two_factor_setup"), {"code": code_for(device)})
    unverified_client.logout()
    return device, re.findall(r"<li><code>(\w+)</code></li>", page.text)
