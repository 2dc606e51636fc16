"""What counts as a trainee's own activity in accreditation, for the inactivity reminders.

Adding evidence, moving one of their review's stages (starting or submitting it), saving or
submitting their application, and confirming a supervision session. A decision on their
application counts too: it is news they act on. A supervisor's sign-off is not the trainee's
work.

A trainee whose application waits for the assessor, or who is accredited, has nothing left to do,
so they are never inactive.

Both are registered with courses' ``register_activity`` when the app is ready.
"""

from django.db.models import Exists, OuterRef, Q, Subquery

from courses.selectors.activity import latest

from ..models import (
    AccreditationApplication,
    Certificate,
    Decision,
    Evidence,
    SignOff,
    SupervisionAttendance,
)


def trainee_activity_sources(*, user_ref: OuterRef) -> dict[str, Subquery]:
    return {
        "evidence_at": latest(
            queryset=Evidence.objects.filter(uploaded_by=user_ref), field="created_at"
        ),
        "transition_at": latest(queryset=SignOff.objects.filter(by=user_ref), field="created_at"),
        # Saving a draft, submitting, and each decision all touch the application's updated_at;
        # the decisions are read too, should an application be saved some other way.
        "application_at": latest(
            queryset=AccreditationApplication.objects.filter(trainee=user_ref), field="updated_at"
        ),
        "decision_at": latest(
            queryset=Decision.objects.filter(application__trainee=user_ref), field="created_at"
        ),
        "confirmation_at": latest(
            queryset=SupervisionAttendance.objects.filter(
                trainee=user_ref, confirmed_at__isnull=False
            ),
            field="confirmed_at",
        ),
    }


def trainee_has_nothing_left_to_do(*, user_ref: OuterRef) -> Q:
    """The trainee waits on the assessor (application submitted) or is accredited (application
    approved, or a certificate issued)."""
    return Exists(
        AccreditationApplication.objects.filter(
            trainee=user_ref,
            status__in=[
                AccreditationApplication.Status.SUBMITTED,
                AccreditationApplication.Status.APPROVED,
            ],
        )
    ) | Exists(Certificate.objects.issued().filter(holder=user_ref))
