"""Staff account pages, beside the admin. The names are the ones Django's admin templates use."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("password-reset/", views.password_reset, name="admin_password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("two-factor/", views.overview, name="two_factor"),
    path("two-factor/verify/", views.verify, name="two_factor_verify"),
    path("two-factor/setup/", views.setup, name="two_factor_setup"),
    path("two-factor/recovery-codes/", views.new_recovery_codes, name="two_factor_recovery_codes"),
    path(
        "two-factor/passkeys/<int:pk>/remove/",
        views.remove_passkey,
        name="two_factor_remove_passkey",
    ),
    path("two-factor/passkeys/", include("accounts.passkeys")),
]
