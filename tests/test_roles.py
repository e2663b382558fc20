"""The two editorial roles, and the command that makes an account in one."""

import io
import os
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from initiatives.management.commands import create_portal_account
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = f.FAST_PASSWORD_HASHERS


RECORD_MODELS = [
    "agreement",
    "ministry",
    "council",
    "meeting",
    "supportcase",
    "organization",
    "person",
    "program",
    "source",
    "metric",
]


class Terminal(io.StringIO):
    """Standard input that says it is a terminal, as when an operator runs the command."""

    def isatty(self):
        return True


def create(username="alice", role="editor", *, env_password=None, typed=(), stdin=None):
    environment = {} if env_password is None else {"PORTAL_ACCOUNT_PASSWORD": env_password}
    answers = iter(typed)
    with (
        mock.patch.dict(os.environ, environment),
        mock.patch.object(create_portal_account.getpass, "getpass", lambda _prompt: next(answers)),
    ):
        if env_password is None:
            os.environ.pop("PORTAL_ACCOUNT_PASSWORD", None)
        call_command(
            "create_portal_account",
            username,
            f"{username}@example.org",
            role=role,
            stdin=stdin or Terminal(),
            stdout=io.StringIO(),
        )
    return get_user_model().objects.get(username=username)


def test_migration_creates_editors_and_reviewers_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Editors", "Reviewers"}


@pytest.mark.parametrize("model", RECORD_MODELS)
def test_editors_add_change_delete_and_view_records_but_do_not_publish(model):
    editor = f.AccountFactory(role="editor")

    for action in ("add", "change", "delete", "view"):
        assert editor.has_perm(f"initiatives.{action}_{model}")
    assert not editor.has_perm(f"initiatives.publish_{model}")


@pytest.mark.parametrize("model", RECORD_MODELS)
def test_reviewers_also_publish(model):
    reviewer = f.AccountFactory(role="reviewer")

    assert reviewer.has_perm(f"initiatives.publish_{model}")
    assert reviewer.has_perm(f"initiatives.change_{model}")


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_neither_role_manages_users_or_groups(role):
    user = f.AccountFactory(role=role)

    for codename in ("add_user", "change_user", "delete_user", "add_group", "change_group"):
        assert not user.has_perm(f"auth.{codename}")
    assert not user.is_superuser


def test_command_takes_the_password_from_the_environment():
    user = create(env_password=f.STRONG_PASSWORD, stdin=io.StringIO())

    assert user.check_password(f.STRONG_PASSWORD)
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]


def test_command_asks_for_the_password_twice_at_a_terminal():
    user = create("bob", role="reviewer", typed=[f.STRONG_PASSWORD, f.STRONG_PASSWORD])

    assert user.check_password(f.STRONG_PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == ["Reviewers"]


def test_command_refuses_two_different_passwords():
    with pytest.raises(CommandError, match="do not match"):
        create(typed=[f.STRONG_PASSWORD, f.STRONG_PASSWORD + "x"])

    assert not get_user_model().objects.filter(username="alice").exists()


def test_command_has_no_default_password():
    """Without the variable and without a terminal there is nothing to fall back on."""
    with pytest.raises(CommandError, match="PORTAL_ACCOUNT_PASSWORD"):
        create(stdin=io.StringIO())

    assert not get_user_model().objects.filter(username="alice").exists()


def test_command_refuses_an_empty_typed_password():
    with pytest.raises(CommandError, match="cannot be empty"):
        create(typed=["", ""])


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1!", "too short"),
        ("password123", "too common"),
        ("48213957604", "entirely numeric"),
        ("alice@example.org", "too similar"),
    ],
)
def test_command_refuses_weak_passwords(password, reason):
    with pytest.raises(CommandError, match=reason):
        create(env_password=password)

    assert not get_user_model().objects.filter(username="alice").exists()


def test_command_refuses_an_unknown_role():
    with pytest.raises(CommandError, match="invalid choice"):
        create(role="admin", env_password=f.STRONG_PASSWORD)


def test_command_refuses_an_existing_username():
    create(env_password=f.STRONG_PASSWORD)

    with pytest.raises(CommandError, match="already exists"):
        create(env_password=f.STRONG_PASSWORD)


def test_command_refuses_a_bad_email():
    with (
        pytest.raises(CommandError, match="not an email address"),
        mock.patch.dict(os.environ, {"PORTAL_ACCOUNT_PASSWORD": f.STRONG_PASSWORD}),
    ):
        call_command("create_portal_account", "carol", "not-an-email", role="editor")


def test_command_explains_a_missing_group():
    Group.objects.filter(name="Editors").delete()

    with pytest.raises(CommandError, match="migrate"):
        create(env_password=f.STRONG_PASSWORD)


def test_an_account_made_by_the_command_can_log_in_to_the_admin(client):
    alice = create(env_password=f.STRONG_PASSWORD)

    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": "alice",
            "password": f.STRONG_PASSWORD,
            "otp_token": f.current_code(f.authenticator(alice)),
            "next": "/admin/",
        },
    )

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
