"""Build the national-scale world the benchmarks run on (content.scale).

manage.py seed_scale --scale 1 --huge-cohort 10000
"""

from django.core.management.base import BaseCommand, CommandError

from content.scale import ScaleRefused, scale_seed
from learning_platform.accounts.demo import DEMO_TOTP_SECRET, text_table


class Command(BaseCommand):
    help = (
        "Create a national-scale world of cohorts, trainees, reviews, applications, "
        "certificates and notifications for the benchmarks (never in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="1 is the national programme (about 1,500 trainees); 0.01 a small world of "
            "the same shape.",
        )
        parser.add_argument(
            "--huge-cohort",
            type=int,
            default=0,
            metavar="N",
            help="Add one more cohort of N trainees, the largest, for the grid and exports.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remove the world an earlier run built (and nothing else) before building.",
        )

    def handle(self, *args, scale: float, huge_cohort: int, reset: bool, **options):
        try:
            seeded = scale_seed(
                scale=scale, huge_cohort=huge_cohort, reset=reset, stdout=self.stdout
            )
        except ScaleRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        handles = seeded.handles
        self.stdout.write(self.style.SUCCESS(f"Scale {seeded.plan.scale:g} world is ready."))
        self.stdout.write("")
        logins = [
            ("Role", "Email", "Shows"),
            ("Trainee", handles.trainee_email, "a review under way, with My learning"),
            (
                "Supervisor",
                handles.supervisor_email,
                f"the busiest supervisor: {handles.supervisor_trainees:,} trainees",
            ),
            ("Assessor", handles.assessor_email, "the assessment queue"),
            ("Administrator", handles.administrator_email, "cohorts, dashboard, Wagtail admin"),
        ]
        self.stdout.write(f"Logins (password for every one: {handles.password})")
        self.stdout.write("")
        self.stdout.write("\n".join(text_table(logins)))
        self.stdout.write(
            f"Staff sign in with a code from the demo authenticator secret {DEMO_TOTP_SECRET} "
            "(make totp EMAIL=...)."
        )
        self.stdout.write("")
        counts = [("Created", "Count")] + [
            (name, f"{count:,}") for name, count in seeded.counts.items()
        ]
        self.stdout.write("\n".join(text_table(counts)))
        self.stdout.write("")
        self.stdout.write(f"Seeded in {seeded.seconds:.1f} s")
