"""Print the current TOTP code for a demo staff login. Development only (DEBUG)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt

from learning_platform.accounts.models import User, UserSession


def current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


class Command(BaseCommand):
    help = "Print the current two-factor code for a user (DEBUG only, for trying the demo)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp only works with DEBUG on. Production has no shortcut.")
        user = User.objects.filter(email=email.lower()).first()
        if user is None:
            raise CommandError(f"No user with the email address {email}.")
        authenticator = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is not None:
            secret = decrypt(authenticator.data["secret"])
        else:
            secret = self._pending_setup_secret(user)
        if secret is None:
            raise CommandError(
                f"{email} has not started two-factor setup. Sign in as them first: "
                "the site then shows the setup page, and this command prints its code."
            )
        self.stdout.write(current_code(secret))

    def _pending_setup_secret(self, user: User) -> str | None:
        # The setup page keeps its secret in the user's session until the first code is confirmed.
        for session in UserSession.objects.filter(user_id=user.pk):
            data = session.get_decoded()
            if data.get(SECRET_SESSION_KEY):
                return data[SECRET_SESSION_KEY]
        return None
