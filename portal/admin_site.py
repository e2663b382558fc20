"""The editors' admin site: a password and a code from an authenticator app (TOTP).

Everyone who uses the admin, editors and reviewers alike, logs in with both; a session
that was not verified by a device is treated as not staff (django-otp's OTPAdminSite).
An account gets its authenticator from ``manage.py create_portal_account`` or, for an
existing account, ``manage.py enrol_authenticator`` (README, "Two-factor login").
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, user_has_device
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class PortalLoginForm(OTPAdminAuthenticationForm):
    """User name, password and the current code, in one step.

    django-otp asks for the device to be chosen first, after the password; an account
    here has one authenticator, which is used without asking (one with several still
    chooses).
    """

    otp_token = forms.CharField(
        label=_("Authenticator code"),
        required=False,
        max_length=16,
        help_text=_("The six digits your authenticator app shows for this portal."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )

    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "token_required": _("Enter the code your authenticator app shows."),
        "invalid_token": _("That code is wrong or has expired: enter the current one."),
        "device_required": _("Choose the authenticator you are using."),
        "no_device": _(
            "This account has no authenticator yet. Ask an administrator to run "
            "`manage.py enrol_authenticator %(username)s` and scan the code it prints."
        ),
    }

    def clean_otp(self, user):
        if user is not None and not user_has_device(user, confirmed=True):
            raise ValidationError(
                self.otp_error_messages["no_device"],
                code="no_device",
                params={"username": user.get_username()},
            )
        super().clean_otp(user)

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None and not self.cleaned_data.get("otp_device"):
            devices = list(devices_for_user(user, confirmed=True, for_verify=True))
            if len(devices) == 1:
                device = devices[0]
        return device

    @property
    def asks_for_device(self) -> bool:
        """Whether the login page offers a choice of device (an account with several)."""
        return bool(self.fields["otp_device"].widget.choices)


class PortalAdminSite(OTPAdminSite):
    login_form = PortalLoginForm
    # The project's templates/admin/login.html, which asks for the code.
    login_template = None

    def __init__(self, name="admin"):
        super().__init__(name)
