"""Build a complete demo: logins for every role, the public site and (when installed) courses.

Safe to run again: each step only adds what is missing.
"""

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from content.demo import seed_site
from learning_platform.accounts.demo import login_table, seed_demo_users


class Command(BaseCommand):
    help = "Create demo users, the public site and demo courses (development only, DEBUG on)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo refuses to run in production (DEBUG is off): it creates logins "
                "with a published password."
            )
        with transaction.atomic():
            self.stdout.write("Demo users")
            users = seed_demo_users(stdout=self.stdout)
            self.stdout.write("Public site")
            seed_site(stdout=self.stdout)
            # The courses app adds its own step when it has one.
            if apps.is_installed("courses") and importlib.util.find_spec("courses.demo"):
                self.stdout.write("Courses")
                courses_demo = importlib.import_module("courses.demo")
                courses_demo.seed_courses(stdout=self.stdout, users=users)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write("")
        self.stdout.write(login_table(users))
