"""Supervisors and review partners: for one enrolment, or for any number of a cohort's trainees
at once. Pairing is mutual, so both sides of a pair change together."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log

from learning_platform.accounts.models import User
from learning_platform.accounts.roles import Role

from ..models import Cohort, Enrolment
from .cohorts import EnrolmentError, check_supervisor

Status = Enrolment.Status


@transaction.atomic
def enrolment_assign(
    *,
    enrolment: Enrolment,
    supervisor: User | None,
    review_partner: User | None,
    by: User | None,
) -> Enrolment:
    """Set the supervisor and the review partner. Pairing is mutual, so both sides change."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    check_supervisor(supervisor)
    if supervisor is not None and supervisor.pk == enrolment.user_id:
        raise EnrolmentError("A trainee cannot supervise themselves.")

    partner_enrolment = None
    if review_partner is not None:
        if review_partner.pk == enrolment.user_id:
            raise EnrolmentError("A trainee cannot be their own review partner.")
        partner_enrolment = (
            Enrolment.objects.select_for_update()
            .filter(cohort_id=enrolment.cohort_id, user=review_partner)
            .exclude(status=Status.WITHDRAWN)
            .first()
        )
        if partner_enrolment is None:
            raise EnrolmentError(f"{review_partner} is not a trainee in {enrolment.cohort}.")

    old_partner_id = enrolment.review_partner_id
    new_partner_id = review_partner.pk if review_partner else None

    if old_partner_id and old_partner_id != new_partner_id:
        # The old partner is left without a partner rather than pointing at someone who moved on.
        Enrolment.objects.filter(
            cohort_id=enrolment.cohort_id, user_id=old_partner_id, review_partner=enrolment.user
        ).update(review_partner=None, updated_at=timezone.now())
    if partner_enrolment is not None and partner_enrolment.review_partner_id not in (
        None,
        enrolment.user_id,
    ):
        # The new partner's previous partner loses them too.
        Enrolment.objects.filter(
            cohort_id=enrolment.cohort_id,
            user_id=partner_enrolment.review_partner_id,
            review_partner_id=review_partner.pk,
        ).update(review_partner=None, updated_at=timezone.now())
    if partner_enrolment is not None:
        partner_enrolment.review_partner_id = enrolment.user_id
        partner_enrolment.save(update_fields=["review_partner", "updated_at"])

    _assignment_save(
        enrolment,
        supervisor_id=supervisor.pk if supervisor else None,
        review_partner_id=new_partner_id,
        by=by,
    )
    return enrolment


def _assignment_save(
    enrolment: Enrolment, *, supervisor_id: int | None, review_partner_id: int | None, by: User
) -> None:
    """Save an enrolment's supervisor and review partner, with the audit entry of the change."""
    before = {"supervisor": enrolment.supervisor_id, "review_partner": enrolment.review_partner_id}
    enrolment.supervisor_id = supervisor_id
    enrolment.review_partner_id = review_partner_id
    enrolment.save(update_fields=["supervisor", "review_partner", "updated_at"])
    log(
        instance=enrolment,
        action="courses.enrolment.assign",
        user=by,
        data={
            "from": before,
            "to": {"supervisor": supervisor_id, "review_partner": review_partner_id},
            "reason": "",
        },
    )


# Supervisors and review partners for a whole cohort -------------------------------------------


@dataclass(frozen=True)
class Assignment:
    """What staff chose for one enrolment: its supervisor and its review partner (user ids)."""

    enrolment_id: int
    supervisor_id: int | None
    review_partner_id: int | None


@dataclass(frozen=True)
class AssignmentProblem:
    enrolment_id: int
    field: str  # "supervisor" or "review_partner"
    message: str


class AssignmentError(EnrolmentError):
    """Some of the choices cannot be saved; nothing was. Each problem names its enrolment."""

    def __init__(self, problems: list[AssignmentProblem]):
        self.problems = problems
        super().__init__(" ".join(problem.message for problem in problems))


def _name(user: User) -> str:
    return user.full_name or user.email


def _complete_pairs_off_the_page(
    chosen: dict[int, Assignment], enrolments: dict[int, Enrolment], by_user: dict[int, Enrolment]
) -> None:
    """The cohort page shows its trainees a page at a time, so the other half of a pair may not
    be on the form. A trainee paired with someone not on it who has no partner yet gets the
    pair on their side too; a trainee left by someone not on it loses the pair on their side
    too. Anyone with another partner is left alone, and the check below still refuses the
    one-sided pair that would make."""
    for a in list(chosen.values()):
        enrolment = enrolments[a.enrolment_id]
        if a.review_partner_id == enrolment.review_partner_id:
            continue
        partner = by_user.get(a.review_partner_id) if a.review_partner_id else None
        if partner is not None and partner.pk not in chosen and partner.review_partner_id is None:
            chosen[partner.pk] = Assignment(
                enrolment_id=partner.pk,
                supervisor_id=partner.supervisor_id,
                review_partner_id=enrolment.user_id,
            )
        old = by_user.get(enrolment.review_partner_id) if enrolment.review_partner_id else None
        if old is not None and old.pk not in chosen and old.review_partner_id == enrolment.user_id:
            chosen[old.pk] = Assignment(
                enrolment_id=old.pk, supervisor_id=old.supervisor_id, review_partner_id=None
            )


@transaction.atomic
def enrolments_assign(*, cohort: Cohort, assignments: Iterable[Assignment], by: User) -> int:
    """Set the supervisor and the review partner of any number of a cohort's trainees at once.

    Everything is checked against the state after the change before anything is saved: a
    supervisor holds the Supervisor role and is not the trainee; a review partner is another
    trainee of this cohort (not withdrawn); and pairs are mutual, so if Tess's partner is Pat
    then Pat's partner is Tess. Only values that change are checked, so a supervisor who has
    since left the role does not block saving someone else's row. Returns how many enrolments
    changed."""
    # Lock the cohort's enrolments: two people saving at once cannot leave a one-sided pair.
    enrolments = {
        e.pk: e
        for e in Enrolment.objects.select_for_update(of=("self",))
        .filter(cohort=cohort)
        .exclude(status=Status.WITHDRAWN)
        .select_related("user")
    }
    by_user = {e.user_id: e for e in enrolments.values()}
    problems: list[AssignmentProblem] = []
    chosen: dict[int, Assignment] = {}
    for assignment in assignments:
        if assignment.enrolment_id not in enrolments:
            raise EnrolmentError("The form names someone who is not a trainee in this cohort.")
        chosen[assignment.enrolment_id] = assignment

    new_supervisors = {
        a.supervisor_id
        for a in chosen.values()
        if a.supervisor_id and a.supervisor_id != enrolments[a.enrolment_id].supervisor_id
    }
    supervisors = {
        user.pk: user
        for user in User.objects.filter(pk__in=new_supervisors, groups__name=Role.SUPERVISOR.value)
    }
    _complete_pairs_off_the_page(chosen, enrolments, by_user)

    partner_of = {e.user_id: e.review_partner_id for e in enrolments.values()}
    for a in chosen.values():
        partner_of[enrolments[a.enrolment_id].user_id] = a.review_partner_id

    changed: list[Enrolment] = []
    for a in chosen.values():
        enrolment = enrolments[a.enrolment_id]
        trainee = _name(enrolment.user)
        supervisor_changed = a.supervisor_id != enrolment.supervisor_id
        partner_changed = a.review_partner_id != enrolment.review_partner_id
        if supervisor_changed and a.supervisor_id:
            if a.supervisor_id == enrolment.user_id:
                problems.append(
                    AssignmentProblem(
                        a.enrolment_id, "supervisor", f"{trainee} cannot supervise themselves."
                    )
                )
            elif a.supervisor_id not in supervisors:
                problems.append(
                    AssignmentProblem(
                        a.enrolment_id,
                        "supervisor",
                        f"The supervisor chosen for {trainee} is not in the Supervisor group.",
                    )
                )
        if (
            (supervisor_changed or partner_changed)
            and a.supervisor_id
            and (a.supervisor_id == a.review_partner_id)
        ):
            problems.append(
                AssignmentProblem(
                    a.enrolment_id,
                    "supervisor",
                    f"{trainee}'s supervisor cannot also be their review partner.",
                )
            )
        partner = by_user.get(a.review_partner_id) if a.review_partner_id else None
        if partner_changed and a.review_partner_id:
            if a.review_partner_id == enrolment.user_id:
                problems.append(
                    AssignmentProblem(
                        a.enrolment_id,
                        "review_partner",
                        f"{trainee} cannot be their own review partner.",
                    )
                )
                partner = None
            elif partner is None:
                problems.append(
                    AssignmentProblem(
                        a.enrolment_id,
                        "review_partner",
                        f"The review partner chosen for {trainee} is not a trainee in {cohort}.",
                    )
                )
        # Pairs are mutual. Checked wherever a choice changed, on either side of the pair.
        if partner is not None and (partner_changed or partner.pk in chosen):
            partners_partner = partner_of.get(partner.user_id)
            if partners_partner != enrolment.user_id:
                partner_name = _name(partner.user)
                if partners_partner is None:
                    detail = f"{partner_name} has no review partner"
                elif partners_partner in by_user:
                    other = _name(by_user[partners_partner].user)
                    detail = f"{partner_name}'s review partner is {other}"
                else:
                    detail = f"{partner_name}'s review partner is someone else"
                problems.append(
                    AssignmentProblem(
                        a.enrolment_id,
                        "review_partner",
                        f"{trainee}'s review partner is {partner_name}, but {detail}. "
                        f"Choose {trainee} as {partner_name}'s review partner too.",
                    )
                )
        # Whoever the trainee leaves must not still name them.
        if partner_changed and enrolment.review_partner_id:
            old = by_user.get(enrolment.review_partner_id)
            if old is not None and partner_of.get(old.user_id) == enrolment.user_id:
                problems.append(
                    AssignmentProblem(
                        a.enrolment_id,
                        "review_partner",
                        f"{trainee} is no longer paired with {_name(old.user)}, but "
                        f"{_name(old.user)} is still paired with {trainee}. Change "
                        f"{_name(old.user)}'s review partner too.",
                    )
                )
        if supervisor_changed or partner_changed:
            changed.append(enrolment)
    if problems:
        raise AssignmentError(problems)

    for enrolment in changed:
        a = chosen[enrolment.pk]
        _assignment_save(
            enrolment, supervisor_id=a.supervisor_id, review_partner_id=a.review_partner_id, by=by
        )
    return len(changed)
