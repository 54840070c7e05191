"""Passkeys as a second factor: added only after one, used instead of a code, removable."""

import pytest
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from accounts import roles
from tests.factories import UserFactory
from tests.security.logins import log_in

pytestmark = pytest.mark.django_db

REGISTER = reverse("otp_webauthn:credential-registration-begin")
AUTHENTICATE = reverse("otp_webauthn:credential-authentication-begin")


def passkey_for(user, name="Laptop"):
    return WebAuthnCredential.objects.create(
        user=user,
        name=name,
        credential_id=f"credential of {user.username} {name}".encode(),
        public_key=b"public key",
        sign_count=0,
    )


@pytest.fixture
def passkeys_here(settings):
    """This test's server address is the one passkeys are bound to."""
    settings.OTP_WEBAUTHN_RP_ID = "testserver"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = ["https://testserver"]


def test_a_password_alone_cannot_add_a_passkey(unverified_client, editor_with_authenticator):
    log_in(unverified_client, "maren")

    response = unverified_client.post(REGISTER)

    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_verify"))
    assert not WebAuthnCredential.objects.exists()


def test_an_account_without_any_second_factor_cannot_start_with_a_passkey(unverified_client):
    UserFactory(username="rowan", role=roles.REPORTER)
    log_in(unverified_client, "rowan")

    response = unverified_client.post(REGISTER)

    assert response.status_code == 403


def test_a_verified_login_gets_registration_options_for_this_site(client, editor, passkeys_here):
    client.force_login(editor)

    response = client.post(REGISTER)

    assert response.status_code == 200
    assert response.json()["rp"]["id"] == "testserver"
    assert response.json()["authenticatorSelection"]["userVerification"] in {
        "required",
        "preferred",
    }


def test_between_password_and_second_factor_only_the_passkey_check_is_open(
    unverified_client, editor_with_authenticator, passkeys_here
):
    device, _ = editor_with_authenticator
    passkey_for(device.user)
    log_in(unverified_client, "maren")

    verify_page = unverified_client.get(reverse("two_factor_verify"))
    options = unverified_client.post(AUTHENTICATE)
    desk = unverified_client.get(reverse("admin:index"))

    assert 'id="passkey-verification-button"' in verify_page.text
    assert options.status_code == 200
    assert options.json()["rpId"] == "testserver"
    assert len(options.json()["allowCredentials"]) == 1
    assert desk.status_code == 302


def test_the_verify_page_offers_a_passkey_only_to_those_who_have_one(
    unverified_client, editor_with_authenticator, passkeys_here
):
    log_in(unverified_client, "maren")

    page = unverified_client.get(reverse("two_factor_verify"))

    assert "passkey-verification-button" not in page.text


def test_the_two_factor_page_lists_passkeys_and_offers_one_on_the_sites_address(
    client, editor, passkeys_here
):
    client.force_login(editor)
    passkey_for(editor, "Office security key")

    page = client.get(reverse("two_factor"))

    assert "Office security key" in page.text
    assert 'id="passkey-register-button"' in page.text
    assert 'src="/static/admin/js/passkeys.js"' in page.text


def test_on_another_address_the_page_sends_you_to_the_sites_own(client, editor, settings):
    settings.OTP_WEBAUTHN_RP_ID = "news.example.org"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = ["https://news.example.org"]
    client.force_login(editor)

    page = client.get(reverse("two_factor"))

    assert "passkey-register-button" not in page.text
    assert 'href="https://news.example.org/admin/two-factor/"' in page.text


def test_you_remove_your_own_passkeys_only(client, editor, standards):
    mine = passkey_for(editor)
    theirs = passkey_for(standards)
    client.force_login(editor)

    removed = client.post(reverse("two_factor_remove_passkey", args=[mine.pk]))
    refused = client.post(reverse("two_factor_remove_passkey", args=[theirs.pk]))
    by_get = client.get(reverse("two_factor_remove_passkey", args=[theirs.pk]))

    assert removed.status_code == 302
    assert refused.status_code == 404
    assert by_get.status_code == 405
    assert list(WebAuthnCredential.objects.all()) == [theirs]


def test_a_password_alone_cannot_remove_a_passkey(unverified_client, editor_with_authenticator):
    device, _ = editor_with_authenticator
    passkey = passkey_for(device.user)
    log_in(unverified_client, "maren")

    response = unverified_client.post(reverse("two_factor_remove_passkey", args=[passkey.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_verify"))
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
