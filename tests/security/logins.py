"""Logging in as staff do: the password step, then a code from the authenticator app."""

from django.urls import reverse
from django_otp.oath import totp

PASSWORD = "correct horse battery staple"  # UserFactory's
LOGIN = "/admin/login/"
RESET = "/admin/password-reset/"
NEW_PASSWORD = "a fresh long passphrase 71"
WRONG_PASSWORD = "wrong password"


def log_in(client, username, password=PASSWORD, **extra):
    data = {"username": username, "password": password, "next": reverse("admin:index")}
    return client.post(LOGIN, data, **extra)


def code_for(device, steps_ahead=0):
    """The code an authenticator app shows for `device` (optionally for a later 30 s step)."""
    token = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead
    )
    return f"{token:0{device.digits}d}"


def forgive_failures(device):
    """Skip the growing wait django-otp imposes after a wrong code (a test of its own checks it)."""
    device.refresh_from_db()
    device.throttle_reset()
