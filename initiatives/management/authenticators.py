"""Giving a staff account its authenticator (TOTP), for the admin's two-factor login."""

from base64 import b32encode

from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "authenticator app"


def enrol(user, *, replace: bool = False) -> TOTPDevice:
    """A new authenticator for ``user``; ``replace`` removes the ones it had (a lost phone)."""
    if replace:
        TOTPDevice.objects.filter(user=user).delete()
    # Confirmed at once: the operator hands the key over in person or over a safe channel.
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)


def enrolment_instructions(device: TOTPDevice) -> str:
    """What the account holder needs: the otpauth:// address (a QR code of it, or the key
    typed in) for an authenticator app, then the app's code at each login."""
    key = b32encode(device.bin_key).decode()
    grouped = " ".join(key[i : i + 4] for i in range(0, len(key), 4))
    return (
        "Two-factor login: add this account to an authenticator app (Google Authenticator,\n"
        "FreeOTP, 1Password, ...) by scanning a QR code of this address, e.g. made with\n"
        "`qrencode -t ansiutf8 '<address>'`:\n"
        f"  {device.config_url}\n"
        f"or by typing the key: {grouped}\n"
        "(time-based, 6 digits, every 30 seconds). At each admin login, enter the app's\n"
        "current code with the password. Keep the key as secret as the password.\n"
    )
