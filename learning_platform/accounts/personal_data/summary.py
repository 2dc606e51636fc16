"""What an erasure will touch, counted, for the confirmation page."""

from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class ErasureSummary:
    reflections: int
    evidence_added: int
    applications: int
    certificates: int


def user_erasure_summary(user) -> ErasureSummary:
    from accreditation.models import AccreditationApplication, Certificate, Evidence
    from courses.models import ReflectionAnswer

    return ErasureSummary(
        reflections=ReflectionAnswer.objects.filter(progress__enrolment__user=user).count(),
        evidence_added=Evidence.objects.filter(Q(uploaded_by=user)).count(),
        applications=AccreditationApplication.objects.filter(trainee=user).count(),
        certificates=Certificate.objects.filter(holder=user).count(),
    )
