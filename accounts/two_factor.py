"""Two-factor authentication for staff (django-otp): who must use it, and recovery codes.

A staff member who can publish or can see who a confidential source is must confirm each login
with a code from an authenticator app (TOTP), a passkey (accounts/passkeys.py) or one of their
single-use recovery codes; anyone
else may turn it on and is then held to it too. `SecondFactorMiddleware` sends a user who has
given their password but not yet their second factor to the step that is missing.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.urls import reverse
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

#: Holding any of these permissions makes a second factor compulsory.
SECOND_FACTOR_PERMISSIONS = (
    "articles.publish_article",
    "sourcing.view_confidential_source",
)

RECOVERY_DEVICE_NAME = "Recovery codes"
#: What authenticator apps show (django-otp's TOTP default); recovery codes are letters.
AUTHENTICATOR_DIGITS = 6

#: Views a user may open between the password and the second factor.
OPEN_BEFORE_SECOND_FACTOR = {
    "two_factor_verify",
    "two_factor_setup",
    "admin:logout",
    "health",
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
}


def second_factor_required(user) -> bool:
    """Whether `user` must confirm each login with a second factor."""
    if not user.is_authenticated:
        return False
    if any(user.has_perm(permission) for permission in SECOND_FACTOR_PERMISSIONS):
        return True
    return user_has_device(user)


def authenticator_of(user):
    """The user's confirmed authenticator app, or None."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_authenticator(user):
    """An authenticator being set up for `user` (a new secret, not yet confirmed)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def confirm_authenticator(device) -> list[str]:
    """Turn the set-up authenticator on (replacing any earlier one) and issue recovery codes."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return issue_recovery_codes(device.user)


@transaction.atomic
def issue_recovery_codes(user) -> list[str]:
    """New single-use recovery codes for `user`; any earlier ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
    device.token_set.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def is_recovery_code_device(device) -> bool:
    return isinstance(device, StaticDevice)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def verify(user, code):
    """The device that accepts `code`, or None: the authenticator for six digits, else the
    recovery codes. Each device throttles its own failures (django-otp doubles the wait after
    each one), so a mistyped code never counts against the other device.
    """
    code = "".join(code.split()).lower()
    if code.isdigit() and len(code) == AUTHENTICATOR_DIGITS:
        device = TOTPDevice.objects.devices_for_user(user, confirmed=True)
    else:
        device = StaticDevice.objects.devices_for_user(user, confirmed=True)
    with transaction.atomic():
        device = device.select_for_update().first()
        if device is not None and device.verify_token(code):
            return device
    return None


class SecondFactorMiddleware:
    """Sends a user who owes a second factor to the verification step (or to set one up).

    Runs after django-otp's OTPMiddleware, which tells whether the session is verified.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if not second_factor_required(user):
            return None
        step = "two_factor_verify" if user_has_device(user) else "two_factor_setup"
        return redirect_to_login(request.get_full_path(), reverse(step))
