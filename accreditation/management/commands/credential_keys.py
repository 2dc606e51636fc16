"""The issuer's credential keys: make a new one, print the current one's public half (to keep
publishing it after a rotation), or show which key signs and which are published."""

from django.core.management.base import BaseCommand, CommandError

from joserfc.jwk import ECKey

from accreditation.services.credential_keys import KeyConfigurationError, issuer_keys


class Command(BaseCommand):
    help = (
        "`new` prints a new P-256 private key in PEM (for CREDENTIAL_SIGNING_KEY) and its kid; "
        "`public` prints the current key's public half in PEM (for CREDENTIAL_PREVIOUS_KEYS after "
        "a rotation); `show` prints the kid that signs new credentials and every kid the JWKS "
        "publishes."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["new", "public", "show"])

    def handle(self, *args, action: str, **options):
        if action == "new":
            key = ECKey.generate_key("P-256", private=True)
            self.stderr.write(f"kid {key.thumbprint()}: keep this key secret.")
            self.stdout.write(key.as_pem(private=True).decode("ascii"), ending="")
            return
        try:
            keys = issuer_keys()
        except KeyConfigurationError as error:
            raise CommandError(str(error)) from error
        if action == "public":
            self.stdout.write(keys.current.as_pem(private=False).decode("ascii"), ending="")
            return
        self.stdout.write(f"Signs new credentials: {keys.current_kid}")
        for key in keys.published:
            role = "current" if key.kid == keys.current_kid else "previous"
            self.stdout.write(f"Published: {key.kid} ({role})")
