"""Plain helpers the review-stage tests share."""

from accreditation.models import ReviewStage, SignOff


def stage_state(s):
    """The stage's status and how many sign-offs it has, read afresh from the database."""
    s = ReviewStage.objects.get(pk=s.pk)
    return s.status, SignOff.objects.filter(stage=s).count()
