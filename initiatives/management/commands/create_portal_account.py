"""Create a staff account in one editorial role: an editor or a reviewer.

The password comes from the PORTAL_ACCOUNT_PASSWORD environment variable or, at a
terminal, from a prompt asked twice. There is no default password, and Django's
password validators (settings.AUTH_PASSWORD_VALIDATORS) refuse weak ones.

The admin also asks for a code from an authenticator app: the command gives the account
its authenticator (TOTP) and prints the otpauth:// address and key to add it to the app.
Hand them to the account holder as you would the password. ``enrol_authenticator``
does the same for an account that exists already.

    manage.py create_portal_account alice alice@example.org --role editor
    PORTAL_ACCOUNT_PASSWORD=... manage.py create_portal_account bob bob@example.org --role reviewer
"""

import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from ..authenticators import enrol, enrolment_instructions

PASSWORD_VARIABLE = "PORTAL_ACCOUNT_PASSWORD"
# The groups are created by migration initiatives.0002_editor_roles.
ROLE_GROUPS = {"editor": "Editors", "reviewer": "Reviewers"}


class Command(BaseCommand):
    help = (
        "Create a staff account as an editor or a reviewer. The password is read from "
        f"{PASSWORD_VARIABLE} or asked for at the terminal; there is no default."
    )

    stealth_options = ("stdin",)  # tests pass a stand-in terminal, as createsuperuser allows

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument("--role", choices=sorted(ROLE_GROUPS), required=True)

    def handle(self, *args, username, email, role, **options):
        self.stdin = options.get("stdin", sys.stdin)
        User = get_user_model()
        if User._default_manager.filter(username=username).exists():
            raise CommandError(f"An account named {username!r} already exists.")
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not an email address.") from error
        try:
            group = Group.objects.get(name=ROLE_GROUPS[role])
        except Group.DoesNotExist as error:
            raise CommandError(
                f"The {ROLE_GROUPS[role]} group is missing: run `manage.py migrate` first."
            ) from error

        user = User(username=username, email=email, is_staff=True, is_active=True)
        password = self.read_password()
        try:
            validate_password(password, user=user)
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from error

        user.set_password(password)
        with transaction.atomic():
            user.save()
            user.groups.add(group)
            device = enrol(user)
        self.stdout.write(self.style.SUCCESS(f"Created {role} account {username!r}."))
        self.stdout.write(enrolment_instructions(device))

    def read_password(self) -> str:
        password = os.environ.get(PASSWORD_VARIABLE)
        if password:
            return password
        if not (hasattr(self.stdin, "isatty") and self.stdin.isatty()):
            raise CommandError(
                f"No password given: set {PASSWORD_VARIABLE} or run this command at a terminal."
            )
        password = getpass.getpass("Password: ")
        if not password:
            raise CommandError("The password cannot be empty.")
        if getpass.getpass("Password (again): ") != password:
            raise CommandError("The two passwords do not match.")
        return password
