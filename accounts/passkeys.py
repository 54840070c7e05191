"""Passkeys (django-otp-webauthn) as a second factor beside the authenticator app.

The library's browser ceremony and API views are used as they are, with two rules of ours: a
passkey is added only from a login that has already passed its second factor (so a stolen
password cannot enrol the thief's passkey), and confirming a login with a passkey starts a new
session key, as a code does.
"""

from django.conf import settings
from django.urls import path
from django.utils import formats, timezone
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

app_name = "otp_webauthn"


def passkeys_of(user):
    return WebAuthnCredential.objects.devices_for_user(user, confirmed=True).order_by("created_at")


def offered_here(request) -> bool:
    """Whether this address can use passkeys: browsers bind them to the site's domain."""
    return request.get_host().rsplit(":", 1)[0] == settings.OTP_WEBAUTHN_RP_ID


class PasskeyHelper(WebAuthnHelper):
    """Names each new passkey by the day it was added, so a list of them can be told apart."""

    def create_credential(self, user, response, parsed_credential, original_data):
        passkey = super().create_credential(user, response, parsed_credential, original_data)
        added = formats.date_format(timezone.localdate(), "DATE_FORMAT")
        passkey.name = f"Passkey added on {added}"
        return passkey


class AfterSecondFactor:
    """Registration for a verified login only (the library's own check skips users with no
    device yet; here a passkey always comes after the authenticator app)."""

    def user_is_mfa_enrolled(self, user):
        return True


class BeginRegistration(AfterSecondFactor, views.BeginCredentialRegistrationView):
    pass


class CompleteRegistration(AfterSecondFactor, views.CompleteCredentialRegistrationView):
    pass


class CompleteAuthentication(views.CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        self.request.session.cycle_key()
        return super().complete_auth(device)


urlpatterns = [
    path(
        "registration/begin/",
        BeginRegistration.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        CompleteRegistration.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        views.BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        CompleteAuthentication.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
