"""A passkey in a real browser: Chromium's virtual authenticator stands in for a laptop's
fingerprint reader. Added from the two-factor page, then used to finish a login."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from tests.security.logins import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def passkeys_on_live_server(settings, live_server):
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]


def add_virtual_authenticator(page):
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_an_editor_adds_a_passkey_and_logs_in_with_it(
    open_page, editor, passkeys_on_live_server, width
):
    tab = open_page(editor, width=width)
    page = tab.page
    add_virtual_authenticator(page)

    page.goto(reverse("two_factor"))
    page.click("#passkey-register-button")
    page.wait_for_selector("table.passkeys")
    tab.screenshot(f"two-factor-passkey-{width}")
    added = WebAuthnCredential.objects.get(user=editor)
    assert page.get_by_text(added.name).is_visible()

    page.click("#logout-form button")
    page.goto(reverse("admin:login"))
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#passkey-verification-button")
    tab.screenshot(f"two-factor-verify-{width}")
    page.click("#passkey-verification-button")
    page.wait_for_url(lambda url: urlsplit(url).path == reverse("admin:index"))

    added.refresh_from_db()
    assert added.last_used_at is not None
    assert page.goto(reverse("admin:articles_article_changelist")).url.endswith(
        reverse("admin:articles_article_changelist")
    )
    assert tab.overflow() == 0
    assert tab.problems == []
