"""Staff accounts under abuse: the admin wants a password and an authenticator code;
failed logins lock out a user name from one address only, and that address is read
through the configured number of trusted proxies, never from what a client writes."""

import io
import os
import re
from base64 import b32decode
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.client_ip import client_ip
from tests import factories as f

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = f.FAST_PASSWORD_HASHERS


def log_in(client, username, code, password=f.STRONG_PASSWORD, **extra):
    data = {"username": username, "password": password, "otp_token": code, "next": "/admin/"}
    return client.post(LOGIN, data, **extra)


# Two-factor login -------------------------------------------------------------------


def test_the_command_prints_an_authenticator_address_whose_codes_open_the_admin(client):
    out = io.StringIO()
    with mock.patch.dict(os.environ, {"PORTAL_ACCOUNT_PASSWORD": f.STRONG_PASSWORD}):
        call_command("create_portal_account", "ana", "ana@example.org", role="editor", stdout=out)

    address = re.search(r"otpauth://totp/\S+", out.getvalue()).group()
    assert "issuer=SME%20Globalization%20Initiatives%20Portal" in address
    secret = re.search(r"secret=([A-Z2-7]+)", address).group(1)
    code = str(TOTP(b32decode(secret)).token()).zfill(6)  # what the app would show

    response = log_in(client, "ana", code)

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_correct_password_without_the_code_does_not_open_the_admin(client):
    f.AccountFactory(username="ana")

    response = log_in(client, "ana", "")

    assert response.status_code == 200
    assert "Enter the code your authenticator app shows." in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_wrong_code_does_not_open_the_admin(client):
    ana = f.AccountFactory(username="ana")
    wrong = str((int(f.current_code(f.authenticator(ana))) + 1) % 1_000_000).zfill(6)

    response = log_in(client, "ana", wrong)

    assert response.status_code == 200
    assert "That code is wrong or has expired" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_code_opens_the_admin_once_only(client):
    ana = f.AccountFactory(username="ana")
    code = f.current_code(f.authenticator(ana))
    assert log_in(client, "ana", code).status_code == 302
    client.post(reverse("admin:logout"))

    response = log_in(Client(), "ana", code)

    assert response.status_code == 200


def test_a_session_without_a_verified_device_is_kept_out_of_the_admin(client):
    client.force_login(f.AccountFactory(role="reviewer"))

    for url in ("/admin/", reverse("admin-data-quality"), "/admin/initiatives/agreement/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_an_account_without_an_authenticator_is_told_how_to_get_one(client):
    get_user_model().objects.create_superuser("root", "root@example.org", f.STRONG_PASSWORD)

    response = log_in(client, "root", "123456")

    assert response.status_code == 200
    assert "manage.py enrol_authenticator root" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_an_existing_account_enrols_with_the_command_and_then_logs_in(client):
    get_user_model().objects.create_superuser("root", "root@example.org", f.STRONG_PASSWORD)
    out = io.StringIO()

    call_command("enrol_authenticator", "root", stdout=out)

    assert "otpauth://totp/" in out.getvalue()
    root = get_user_model().objects.get(username="root")
    assert log_in(client, "root", f.current_code(f.authenticator(root))).status_code == 302


def test_enrolling_again_needs_replace_and_the_old_key_then_stops_working():
    ana = f.AccountFactory(username="ana")
    old = f.authenticator(ana)

    with pytest.raises(CommandError, match="--replace"):
        call_command("enrol_authenticator", "ana", stdout=io.StringIO())
    call_command("enrol_authenticator", "ana", replace=True, stdout=io.StringIO())

    assert list(TOTPDevice.objects.filter(user=ana)) != [old]
    assert TOTPDevice.objects.filter(user=ana).count() == 1
    assert log_in(Client(), "ana", f.current_code(old)).status_code == 200


def test_enrolling_an_unknown_account_is_refused():
    with pytest.raises(CommandError, match="no account named"):
        call_command("enrol_authenticator", "nobody", stdout=io.StringIO())


# The client's address ---------------------------------------------------------------


def request(remote="10.0.0.9", forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.9"),  # no trusted proxy: the header is anyone's
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client wrote 6.6.6.6
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (2, "198.51.100.1", "10.0.0.9"),  # fewer entries than proxies
        (1, "not-an-address", "10.0.0.9"),
        (1, "", "10.0.0.9"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_through_the_trusted_proxies_only(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies

    assert client_ip(request(forwarded=forwarded)) == expected


def test_axes_reads_the_address_through_the_portals_reader(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1

    assert get_client_ip_address(request(forwarded="6.6.6.6, 198.51.100.1")) == "198.51.100.1"


# Lockouts -----------------------------------------------------------------------------


@pytest.fixture
def eve(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return f.AccountFactory(role="editor", username="eve")


def fail(client, address_headers):
    return client.post(LOGIN, {"username": "eve", "password": "guess"}, **address_headers)


def test_failures_from_rotating_addresses_do_not_lock_the_account(eve, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client()
    for n in range(10):
        fail(client, {"HTTP_X_FORWARDED_FOR": f"203.0.113.{n}", "REMOTE_ADDR": "10.0.0.2"})

    response = log_in(
        client,
        "eve",
        f.current_code(f.authenticator(eve)),
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        REMOTE_ADDR="10.0.0.2",
    )

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_failures_from_rotating_direct_addresses_do_not_lock_the_account(eve):
    client = Client()
    for n in range(10):
        fail(client, {"REMOTE_ADDR": f"203.0.113.{n}"})

    response = log_in(
        client, "eve", f.current_code(f.authenticator(eve)), REMOTE_ADDR="198.51.100.7"
    )

    assert response.status_code == 302


def test_the_address_that_failed_is_locked_out_and_another_is_not(eve):
    client = Client()
    for _attempt in range(3):
        fail(client, {"REMOTE_ADDR": "203.0.113.5"})

    code = f.current_code(f.authenticator(eve))
    locked = log_in(client, "eve", code, REMOTE_ADDR="203.0.113.5")
    elsewhere = log_in(Client(), "eve", code, REMOTE_ADDR="198.51.100.7")

    assert locked.status_code == 429
    assert elsewhere.status_code == 302


def test_a_client_cannot_dodge_the_lockout_by_writing_forwarded_for(eve, settings):
    """Behind one proxy, the proxy appends the real address; what the client put in
    front of it changes nothing."""
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client()
    for n in range(3):
        fail(client, {"HTTP_X_FORWARDED_FOR": f"6.6.6.{n}, 203.0.113.5"})

    response = log_in(
        client,
        "eve",
        f.current_code(f.authenticator(eve)),
        HTTP_X_FORWARDED_FOR="6.6.6.99, 203.0.113.5",
    )

    assert response.status_code == 429


def test_without_a_trusted_proxy_forwarded_for_is_ignored(eve, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client = Client()
    for n in range(3):
        fail(client, {"HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"})

    response = fail(client, {"HTTP_X_FORWARDED_FOR": "203.0.113.99"})

    assert response.status_code == 429
