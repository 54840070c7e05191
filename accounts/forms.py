from django import forms
from django.contrib.auth.forms import PasswordResetForm

from .tasks import send_password_reset
from .two_factor import verify


class SecondFactorForm(forms.Form):
    """A code from the authenticator app, or one of the user's recovery codes."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "autofocus": True}
        ),
        help_text="The six digits your authenticator app shows now, or one of your recovery codes.",
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self):
        code = self.cleaned_data["code"]
        self.device = verify(self.user, code)
        if self.device is None:
            raise forms.ValidationError(
                "That code is not right (or was already used). Codes change every 30 seconds: "
                "type the one the app shows now. Repeated wrong codes make you wait longer.",
                code="invalid",
            )
        return code


class ConfirmAuthenticatorForm(forms.Form):
    code = SecondFactorForm.base_fields["code"]

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not self.device.verify_token(code):
            raise forms.ValidationError(
                "That code does not match. Check that the app added this account, and type "
                "the code it shows now.",
                code="invalid",
            )
        return code


class QueuedPasswordResetForm(PasswordResetForm):
    """Hands the address to the task worker, which looks for the account and mails the link.

    The page answers at once and the same way whether or not an account has that address, in
    what it says and in how long it takes, so it tells no one which addresses have accounts.
    """

    def save(self, **kwargs):
        send_password_reset.enqueue(self.cleaned_data["email"])
