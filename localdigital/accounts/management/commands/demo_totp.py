"""`python manage.py demo_totp <email>`: the current two-factor code of a demo person.

Only for demo authenticators made by `seed_demo`, and only in development (DEBUG) or when the
developer says so with --yes-this-is-a-demo.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from localdigital.accounts import demo


class Command(BaseCommand):
    help = "Print the current 6-digit two-factor code for a demo person (local use only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument(
            "--yes-this-is-a-demo",
            action="store_true",
            help="Run even though DEBUG is off (never on a real deployment).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or options["yes_this_is_a_demo"]):
            raise CommandError(
                "demo_totp only runs with DEBUG on, or with --yes-this-is-a-demo on a demo copy."
            )
        email = options["email"].strip().lower()
        device = TOTPDevice.objects.filter(
            user__email=email, name=demo.DEMO_DEVICE_NAME, key=demo.DEMO_TOTP_KEY_HEX
        ).first()
        if device is None:
            raise CommandError(
                f"{email} has no demo authenticator. Run `python manage.py seed_demo` first."
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
