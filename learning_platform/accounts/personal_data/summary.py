"""What an erasure will touch, counted, for the confirmation page."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ErasureSummary:
    reflections: int
    evidence: int
    applications: int
    certificates: int


def user_erasure_summary(user) -> ErasureSummary:
    from accreditation.models import AccreditationApplication, Certificate
    from accreditation.privacy import evidence_to_erase
    from courses.models import ReflectionAnswer

    return ErasureSummary(
        reflections=ReflectionAnswer.objects.filter(progress__enrolment__user=user).count(),
        evidence=evidence_to_erase(user).count(),
        applications=AccreditationApplication.objects.filter(trainee=user).count(),
        certificates=Certificate.objects.filter(holder=user).count(),
    )
