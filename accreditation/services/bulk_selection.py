"""Which of a cohort's approved applications a bulk job works on: the whole cohort, or the ones
programme staff selected. A selection that cannot be worked is refused with a message that says
what to change, before any job exists."""

from collections.abc import Collection

from courses.models import Cohort

from ..exceptions import TransitionError
from ..models import AccreditationApplication, BulkIssue
from ..selectors.bulk import cohort_approved_applications

Kind = BulkIssue.Kind


def _names(applications: list[AccreditationApplication], limit: int = 5) -> str:
    names = [a.trainee.get_full_name() or a.trainee.email for a in applications[:limit]]
    more = len(applications) - len(names)
    return ", ".join(names) + (f" and {more} more" if more else "")


def _eligible(cohort: Cohort) -> list[AccreditationApplication]:
    eligible = list(cohort_approved_applications(cohort=cohort))
    if not eligible:
        raise TransitionError(f"{cohort} has no approved applications, so there is nothing to do.")
    return eligible


def bulk_applications_for_cohort(*, cohort: Cohort, kind: str) -> list[AccreditationApplication]:
    """Every approved application in the cohort that the job applies to: those without a
    certificate to issue one, those with one to re-render it."""
    eligible = _eligible(cohort)
    if kind == Kind.ISSUE:
        chosen = [a for a in eligible if not a.has_certificate]
        if not chosen:
            raise TransitionError(
                f"Every approved application in {cohort} already has a certificate. "
                "Choose “Re-render certificate PDFs” to make fresh copies."
            )
    else:
        chosen = [a for a in eligible if a.has_certificate]
        if not chosen:
            raise TransitionError(
                f"No approved application in {cohort} has a certificate yet. "
                "Choose “Issue certificates” first."
            )
    return chosen


def bulk_applications_selected(
    *, cohort: Cohort, application_ids: Collection[int], kind: str
) -> list[AccreditationApplication]:
    """The selected applications, each of which must be approved, in the cohort, of a trainee
    whose data was not erased, and without a certificate to issue one (with one to re-render)."""
    wanted = set(application_ids)
    erased = list(
        AccreditationApplication.objects.filter(
            pk__in=wanted, trainee__erased_at__isnull=False
        ).select_related("trainee")
    )
    if erased:
        raise TransitionError(
            "No certificate is issued or re-rendered for a trainee whose personal data was "
            f"erased: {_names(erased)}. Deselect them."
        )
    eligible = _eligible(cohort)
    if not wanted:
        raise TransitionError("Select at least one application, or choose the whole cohort.")
    by_pk = {a.pk: a for a in eligible}
    outside = wanted - by_pk.keys()
    if outside:
        others = list(
            AccreditationApplication.objects.filter(pk__in=outside).select_related("trainee")
        )
        not_approved = [a for a in others if a.status != AccreditationApplication.Status.APPROVED]
        if not_approved:
            raise TransitionError(
                "Only approved applications can have certificates; not approved: "
                f"{_names(not_approved)}."
            )
        raise TransitionError(
            f"Some selected applications are not in {cohort}"
            + (f": {_names(others)}." if others else ".")
        )
    chosen = [a for a in eligible if a.pk in wanted]
    if kind == Kind.ISSUE:
        holding = [a for a in chosen if a.has_certificate]
        if holding:
            raise TransitionError(
                f"Already issued: {_names(holding)}. Deselect them, or choose "
                "“Re-render certificate PDFs” for them."
            )
    else:
        lacking = [a for a in chosen if not a.has_certificate]
        if lacking:
            raise TransitionError(
                f"No certificate to re-render yet: {_names(lacking)}. Issue theirs first."
            )
    return chosen
