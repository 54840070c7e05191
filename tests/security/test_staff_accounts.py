"""Staff accounts: password reset by email, two-factor authentication, the login lockout."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles
from tests.conftest import run_tasks
from tests.factories import ArticleFactory, UserFactory
from tests.security.logins import (
    LOGIN,
    NEW_PASSWORD,
    PASSWORD,
    RESET,
    WRONG_PASSWORD,
    code_for,
    forgive_failures,
    log_in,
)

pytestmark = pytest.mark.django_db

# Password reset.


def test_the_login_page_offers_a_password_reset_in_the_admins_design(unverified_client, settings):
    login_page = unverified_client.get(LOGIN)
    reset_page = unverified_client.get(RESET)

    assert RESET in login_page.text
    assert reset_page.status_code == 200
    assert settings.NEWSROOM_NAME in reset_page.text  # the admin's header, not Django's
    assert 'name="email"' in reset_page.text


def test_a_reset_request_answers_alike_for_known_and_unknown_addresses(unverified_client):
    UserFactory(username="maren", email="maren@newsroom.test")

    known = unverified_client.post(RESET, {"email": "maren@newsroom.test"})
    unknown = unverified_client.post(RESET, {"email": "nobody@newsroom.test"})

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert known.url == reverse("password_reset_done")
    # Nothing is looked up or sent while the request waits: the task worker does it.
    assert mail.outbox == []
    assert run_tasks() == 2
    assert [message.to for message in mail.outbox] == [["maren@newsroom.test"]]


def test_the_emailed_link_sets_a_new_password(unverified_client):
    user = UserFactory(username="maren", email="maren@newsroom.test")
    unverified_client.post(RESET, {"email": "maren@newsroom.test"})
    run_tasks()
    link = re.search(r"https?://[^/\s]+(/admin/password-reset/\S+/)", mail.outbox[0].body)[1]

    form = unverified_client.get(link, follow=True)
    done = unverified_client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "a fresh long passphrase 71",
            "new_password2": "a fresh long passphrase 71",
        },
    )

    assert done.status_code == 302
    assert done.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_reset_requests_are_rate_limited_per_address_and_per_email(unverified_client, settings):
    settings.PASSWORD_RESET_RATE = "3/h"
    settings.TRUSTED_PROXY_COUNT = 1

    def ask(email, address):
        return unverified_client.post(RESET, {"email": email}, HTTP_X_FORWARDED_FOR=address)

    same_address = [ask(f"person{n}@newsroom.test", "198.51.100.7").status_code for n in range(4)]
    other_address = ask("someone@newsroom.test", "198.51.100.8")
    same_email = [ask("target@newsroom.test", f"203.0.113.{n}").status_code for n in range(4)]

    assert same_address == [302, 302, 302, 429]
    assert other_address.status_code == 302
    assert same_email == [302, 302, 302, 429]
    limited = ask("target@newsroom.test", "203.0.113.99")
    assert limited.status_code == 429
    assert "Too many password reset requests" in limited.text
    assert settings.NEWSROOM_NAME in limited.text


# Two-factor authentication.


@pytest.mark.parametrize("role", [roles.EDITOR, roles.FACT_CHECKER, roles.STANDARDS_EDITOR])
def test_roles_that_publish_or_see_identities_must_set_up_a_second_factor(unverified_client, role):
    UserFactory(username="maren", role=role)

    login = log_in(unverified_client, "maren")
    desk = unverified_client.get(reverse("admin:index"))

    assert login.status_code == 302
    assert desk.status_code == 302
    assert desk.url.startswith(reverse("two_factor_setup"))


def test_a_reporter_logs_in_with_the_password_alone(unverified_client):
    UserFactory(username="maren", role=roles.REPORTER)

    log_in(unverified_client, "maren")

    assert unverified_client.get(reverse("admin:index")).status_code == 200


def test_the_requirement_follows_permissions_not_group_names(unverified_client):
    powerless = Group.objects.create(name="Editors (old)")
    UserFactory(username="renamed", role=powerless.name)
    direct = UserFactory(username="direct")
    direct.user_permissions.add(
        Permission.objects.get(
            codename="view_confidential_source", content_type__app_label="sourcing"
        )
    )

    log_in(unverified_client, "renamed")
    renamed = unverified_client.get(reverse("admin:index"))
    unverified_client.logout()
    log_in(unverified_client, "direct")
    granted = unverified_client.get(reverse("admin:index"))

    assert renamed.status_code == 200
    assert granted.status_code == 302
    assert granted.url.startswith(reverse("two_factor_setup"))


def test_setting_up_an_authenticator_gives_recovery_codes_and_completes_the_login(
    unverified_client,
):
    editor = UserFactory(username="maren", role=roles.EDITOR)
    log_in(unverified_client, "maren")

    page = unverified_client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    wrong = unverified_client.post(reverse("two_factor_setup"), {"code": "000000"})
    forgive_failures(device)
    confirmed = unverified_client.post(reverse("two_factor_setup"), {"code": code_for(device)})

    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.text  # the QR code, inline (CSP allows data:)
    assert wrong.status_code == 200
    assert "does not match" in wrong.text
    assert confirmed.status_code == 200
    assert confirmed.headers["Cache-Control"].startswith("max-age=0")
    codes = re.findall(r"<li><code>(\w+)</code></li>", confirmed.text)
    assert len(codes) == 10
    assert unverified_client.get(reverse("admin:index")).status_code == 200


def test_each_login_asks_for_a_code_and_a_recovery_code_works_once(
    unverified_client, editor_with_authenticator
):
    device, codes = editor_with_authenticator
    verify = reverse("two_factor_verify")

    log_in(unverified_client, "maren")
    held = unverified_client.get(reverse("admin:articles_article_changelist"))
    wrong = unverified_client.post(verify, {"code": "123456"})
    forgive_failures(device)
    right = unverified_client.post(verify, {"code": code_for(device, steps_ahead=1)})

    assert held.status_code == 302
    assert held.url.startswith(verify)
    assert wrong.status_code == 200
    assert "not right" in wrong.text
    assert right.status_code == 302
    assert unverified_client.get(reverse("admin:index")).status_code == 200

    unverified_client.logout()
    log_in(unverified_client, "maren")
    assert unverified_client.post(verify, {"code": codes[0]}).status_code == 302
    unverified_client.logout()
    log_in(unverified_client, "maren")
    assert unverified_client.post(verify, {"code": codes[0]}).status_code == 200  # used up


def test_wrong_codes_make_the_next_attempt_wait(unverified_client, editor_with_authenticator):
    device, _ = editor_with_authenticator
    log_in(unverified_client, "maren")

    unverified_client.post(reverse("two_factor_verify"), {"code": "111111"})
    unverified_client.post(reverse("two_factor_verify"), {"code": "222222"})
    right_too_soon = unverified_client.post(
        reverse("two_factor_verify"), {"code": code_for(device, steps_ahead=1)}
    )

    assert right_too_soon.status_code == 200
    assert unverified_client.get(reverse("admin:index")).status_code == 302


def test_a_stolen_password_cannot_replace_the_authenticator(
    unverified_client, editor_with_authenticator
):
    log_in(unverified_client, "maren")

    replace = unverified_client.get(reverse("two_factor_setup"))
    codes = unverified_client.post(reverse("two_factor_recovery_codes"))

    assert replace.status_code == 302
    assert replace.url.startswith(reverse("two_factor_verify"))
    assert codes.status_code == 302
    assert codes.url.startswith(reverse("two_factor_verify"))


def test_staff_previews_wait_for_the_second_factor_too(unverified_client):
    editor = UserFactory(username="maren", role=roles.EDITOR)
    article = ArticleFactory(created_by=editor)
    log_in(unverified_client, "maren")

    response = unverified_client.get(reverse("public:preview", args=[article.pk]))

    assert response.status_code == 302
    assert article.headline not in response.text


# The login lockout.


def test_the_lockout_keys_on_the_real_client_behind_the_proxy_and_says_how_long(
    unverified_client, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_COOLOFF_TIME = settings.AXES_COOLOFF_TIME.__class__(minutes=15)
    UserFactory(username="maren")

    def attempt(forwarded, password=WRONG_PASSWORD):
        unverified_client.logout()
        return log_in(unverified_client, "maren", password, HTTP_X_FORWARDED_FOR=forwarded)

    # The client writes whatever it likes to the left of the address the proxy appends.
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(f"10.9.9.{n}, 203.0.113.5")
    locked = attempt("10.9.9.200, 203.0.113.5", PASSWORD)
    elsewhere = attempt("203.0.113.6", PASSWORD)

    assert locked.status_code == 429
    assert "15 minutes" in locked.text
    assert settings.NEWSROOM_NAME in locked.text
    # The trade-off: a known username cannot be locked out from everywhere by one address.
    assert elsewhere.status_code == 302


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(unverified_client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    UserFactory(username="maren")

    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(unverified_client, "maren", "wrong password", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    refused = log_in(unverified_client, "maren", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.77")

    assert refused.status_code == 429
