"""Staff account pages: password reset by email, the second factor, and the lockout page."""

import base64

import django_otp
import segno
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from . import passkeys, two_factor
from .client_address import client_address
from .forms import ConfirmAuthenticatorForm, QueuedPasswordResetForm, SecondFactorForm


class AdminPageMixin:
    """Renders in the admin's frame (site header, colours, user links)."""

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


def _admin_page(request, template, context, *, status=200):
    response = render(
        request, template, {**admin.site.each_context(request), **context}, status=status
    )
    # These pages can show secrets (a new authenticator key, recovery codes).
    add_never_cache_headers(response)
    return response


def _by_address(group, request):
    return client_address(request)


def _by_email(group, request):
    return request.POST.get("email", "").strip().lower()


class PasswordResetView(AdminPageMixin, auth_views.PasswordResetView):
    """Django's reset view, rate-limited per client address and per address asked about."""

    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        rate = settings.PASSWORD_RESET_RATE
        limited = [
            is_ratelimited(
                request, group=f"password-reset-{name}", key=key, rate=rate, increment=True
            )
            for name, key in (("address", _by_address), ("email", _by_email))
        ]
        if any(limited):
            return _admin_page(
                request,
                "accounts/password_reset_limited.html",
                {"title": "Too many reset requests", "rate": rate},
                status=429,
            )
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(AdminPageMixin, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(AdminPageMixin, auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(AdminPageMixin, auth_views.PasswordResetCompleteView):
    pass


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: what happened and how long it lasts."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _admin_page(
        request,
        "accounts/locked_out.html",
        {"title": "Login temporarily refused", "minutes": minutes},
        status=429,
    )


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _verified(request, device):
    # A new session key once the login is complete, as Django does after the password.
    request.session.cycle_key()
    django_otp.login(request, device)


@staff_member_required
def verify(request):
    """The second step of a login: a code from the authenticator app or a recovery code."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not django_otp.user_has_device(request.user):
        return redirect(f"{reverse('two_factor_setup')}?{request.GET.urlencode()}")
    form = SecondFactorForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        _verified(request, form.device)
        if two_factor.is_recovery_code_device(form.device):
            left = two_factor.recovery_codes_left(request.user)
            messages.warning(
                request,
                f"You used a recovery code; {left} left. Make new ones on the two-factor page "
                "if you are running out, and set up your authenticator again if you lost it.",
            )
        return redirect(_next_url(request))
    context = {
        "title": "Confirm it is you",
        "form": form,
        "next": _next_url(request),
        "passkeys": passkeys.offered_here(request) and passkeys.passkeys_of(request.user).exists(),
    }
    return _admin_page(request, "accounts/two_factor_verify.html", context)


@staff_member_required
def setup(request):
    """Add an authenticator app (or replace the one in use, once this login is confirmed)."""
    user = request.user
    if two_factor.authenticator_of(user) and not user.is_verified():
        return redirect(f"{reverse('two_factor_verify')}?{request.GET.urlencode()}")
    device = two_factor.pending_authenticator(user)
    form = ConfirmAuthenticatorForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_authenticator(device)
        _verified(request, device)
        return _recovery_codes_page(request, codes, next_url=_next_url(request))
    context = {
        "title": "Set up two-factor authentication",
        "form": form,
        "qr_code": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret": base64.b32encode(device.bin_key).decode(),
        "required": two_factor.second_factor_required(user),
        "next": _next_url(request),
    }
    return _admin_page(request, "accounts/two_factor_setup.html", context)


@staff_member_required
def overview(request):
    """The user's two-factor settings: on or off, recovery codes left."""
    user = request.user
    context = {
        "title": "Two-factor authentication",
        "authenticator": two_factor.authenticator_of(user),
        "codes_left": two_factor.recovery_codes_left(user),
        "required": two_factor.second_factor_required(user),
        "passkeys": passkeys.passkeys_of(user),
        "passkeys_offered_here": passkeys.offered_here(request),
        "passkey_address": settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0],
    }
    return _admin_page(request, "accounts/two_factor.html", context)


@staff_member_required
@require_POST
def remove_passkey(request, pk):
    """Forget one of the user's passkeys (the authenticator app and the others keep working)."""
    if not request.user.is_verified():
        return redirect(f"{reverse('two_factor_verify')}?next={reverse('two_factor')}")
    passkey = get_object_or_404(passkeys.passkeys_of(request.user), pk=pk)
    passkey.delete()
    messages.success(request, f"The passkey “{passkey.name}” is removed.")
    return redirect("two_factor")


@staff_member_required
@require_POST
def new_recovery_codes(request):
    if not request.user.is_verified():
        return redirect(f"{reverse('two_factor_verify')}?next={reverse('two_factor')}")
    codes = two_factor.issue_recovery_codes(request.user)
    return _recovery_codes_page(request, codes, next_url=reverse("two_factor"))


def _recovery_codes_page(request, codes, *, next_url):
    return _admin_page(
        request,
        "accounts/recovery_codes.html",
        {"title": "Your recovery codes", "codes": codes, "next": next_url},
    )


password_reset = PasswordResetView.as_view()
password_reset_done = PasswordResetDoneView.as_view()
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = PasswordResetCompleteView.as_view()
