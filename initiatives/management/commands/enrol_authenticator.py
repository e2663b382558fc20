"""Give an existing staff account an authenticator (TOTP) for the admin's two-factor login.

    manage.py enrol_authenticator alice             # an account that has none yet
    manage.py enrol_authenticator alice --replace   # a lost or new phone: the old one stops working

Prints the otpauth:// address and key to add to an authenticator app. Accounts made by
``create_portal_account`` have one already; superusers made with ``createsuperuser``
need this before they can use the admin.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp import user_has_device

from ..authenticators import enrol, enrolment_instructions


class Command(BaseCommand):
    help = "Give an existing account an authenticator (TOTP) and print how to add it to an app."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Remove the account's authenticators first (a lost or replaced phone).",
        )

    def handle(self, *args, username, replace, **options):
        User = get_user_model()
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist as error:
            raise CommandError(f"There is no account named {username!r}.") from error
        if not replace and user_has_device(user, confirmed=None):
            raise CommandError(
                f"{username!r} has an authenticator already; pass --replace to give a new "
                "one (the old one then stops working)."
            )
        with transaction.atomic():
            device = enrol(user, replace=replace)
        if not user.is_staff:
            self.stdout.write(
                self.style.WARNING(f"{username!r} is not staff: the admin will not admit it.")
            )
        self.stdout.write(self.style.SUCCESS(f"Authenticator added to {username!r}."))
        self.stdout.write(enrolment_instructions(device))
