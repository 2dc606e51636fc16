"""Build a complete demo: logins for every role, the public site, courses and accreditation.

Safe to run again: each step only adds what is missing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from accreditation.demo import seed_accreditation
from accreditation.demo_world import certificate_table, demo_certificates
from content.demo import seed_site
from courses.demo import seed_courses
from learning_platform.accounts.demo import login_table, seed_demo_users

# The demo's history notifies people as real use does (sign-offs, decisions, certificates). Its
# emails belong to that history, so they are not printed: each person's notifications page
# holds them.
QUIET_EMAIL = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = (
        "Create demo users, the public site, courses, a supervised review in progress and "
        "accredited reviewers in every certificate state (DEBUG only)."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo refuses to run in production (DEBUG is off): it creates logins "
                "with a published password."
            )
        with override_settings(EMAIL_BACKEND=QUIET_EMAIL), transaction.atomic():
            self.stdout.write("Demo users")
            users = seed_demo_users(stdout=self.stdout)
            self.stdout.write("Public site")
            seed_site(stdout=self.stdout)
            self.stdout.write("Courses")
            seed_courses(stdout=self.stdout, users=users)
            self.stdout.write("Accreditation")
            seed_accreditation(stdout=self.stdout, users=users)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write("")
        self.stdout.write(login_table(users))
        self.stdout.write("")
        self.stdout.write(certificate_table(demo_certificates(users=users)))
