"""Writes for cohorts: enrolment status, supervisors and review partners, attendance."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from wagtail.log_actions import log

from learning_platform.accounts.models import User
from learning_platform.accounts.roles import Role
from learning_platform.accounts.selectors import user_has_role

from ..models import Attendance, Cohort, Enrolment, Invitation, TrainingDay
from ..selectors.cohorts import cohort_places_left


class EnrolmentError(Exception):
    """A change to an enrolment that its current state does not allow. The message is for people."""


Status = Enrolment.Status

# Allowed moves. Completed and withdrawn are final; a deferred trainee may come back.
ENROLMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.INVITED: frozenset({Status.ACTIVE, Status.WITHDRAWN}),
    Status.ACTIVE: frozenset({Status.COMPLETED, Status.WITHDRAWN, Status.DEFERRED}),
    Status.DEFERRED: frozenset({Status.ACTIVE, Status.WITHDRAWN}),
    Status.COMPLETED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}

# The audit action for each target state.
ENROLMENT_ACTIONS: dict[str, str] = {
    Status.ACTIVE: "courses.enrolment.activate",
    Status.COMPLETED: "courses.enrolment.complete",
    Status.WITHDRAWN: "courses.enrolment.withdraw",
    Status.DEFERRED: "courses.enrolment.defer",
}

REASON_REQUIRED = frozenset({Status.WITHDRAWN, Status.DEFERRED})


def enrolment_allowed_transitions(enrolment: Enrolment) -> list[str]:
    return [s for s in Status.values if s in ENROLMENT_TRANSITIONS[enrolment.status]]


@transaction.atomic
def enrolment_transition(
    *, enrolment: Enrolment, to_status: str, user: User | None, reason: str = ""
) -> Enrolment:
    # Lock the row so two administrators acting at once cannot both move it from the same state.
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    from_status = enrolment.status
    if to_status not in Status.values:
        raise EnrolmentError(f"“{to_status}” is not an enrolment status.")
    if to_status not in ENROLMENT_TRANSITIONS[from_status]:
        raise EnrolmentError(
            f"An enrolment that is {Status(from_status).label.lower()} cannot be marked "
            f"{Status(to_status).label.lower()}."
        )
    reason = reason.strip()
    if to_status in REASON_REQUIRED and not reason:
        raise EnrolmentError(
            f"Give a reason for marking the enrolment {Status(to_status).label.lower()}."
        )
    enrolment.status = to_status
    enrolment.save(update_fields=["status", "updated_at"])
    log(
        instance=enrolment,
        action=ENROLMENT_ACTIONS[to_status],
        user=user,
        data={"from": from_status, "to": to_status, "reason": reason},
    )
    return enrolment


def _check_supervisor(supervisor: User | None) -> None:
    if supervisor is not None and not user_has_role(user=supervisor, role=Role.SUPERVISOR):
        raise EnrolmentError(f"{supervisor} is not in the Supervisor group.")


@transaction.atomic
def enrolment_create(
    *, user: User, cohort: Cohort, by: User | None, supervisor: User | None = None
) -> Enrolment:
    """Enrol someone who already has an account straight away (no invitation needed).

    An invitation of theirs to this cohort that is still open is closed as used, linked to the
    new enrolment: its place becomes this enrolment's, and its link then says it has been used
    rather than offering an acceptance that can only fail."""
    _check_supervisor(supervisor)
    # Lock the cohort so an invitation or another enrolment cannot take the same last place.
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if Enrolment.objects.filter(user=user, cohort=cohort).exists():
        raise EnrolmentError(f"{user} is already enrolled in {cohort}.")
    now = timezone.now()
    open_invitations = list(
        Invitation.objects.select_for_update()
        .filter(cohort=cohort, email__iexact=user.email, accepted_at__isnull=True)
        .order_by("-created_at")
    )
    holds_place = any(i.expires_at > now and i.enrolment_id is None for i in open_invitations)
    if not holds_place and cohort_places_left(cohort) < 1:
        raise EnrolmentError(
            f"{cohort} is full: all {cohort.capacity} places are taken or offered. Raise its "
            "capacity, or withdraw someone, before enrolling anyone else."
        )
    enrolment = Enrolment.objects.create(
        user=user, cohort=cohort, supervisor=supervisor, status=Status.ACTIVE
    )
    user.groups.add(_trainee_group())
    log(
        instance=enrolment,
        action="courses.enrolment.create",
        user=by,
        data={"from": None, "to": Status.ACTIVE, "reason": ""},
    )
    linked = False
    for invitation in open_invitations:
        invitation.accepted_at = now
        invitation.accepted_by = user
        # Only one invitation can point at the enrolment: the newest, which it replaces.
        if not linked and invitation.enrolment_id is None:
            invitation.enrolment, linked = enrolment, True
        invitation.save(update_fields=["accepted_at", "accepted_by", "enrolment"])
        log(
            instance=invitation,
            action="courses.invitation.close",
            user=by,
            data={"reason": f"Enrolled directly (enrolment {enrolment.pk})"},
        )
    return enrolment


def _trainee_group():
    from django.contrib.auth.models import Group

    return Group.objects.get(name=Role.TRAINEE.value)


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
    _check_supervisor(supervisor)
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


@transaction.atomic
def attendance_record(
    *, training_day: TrainingDay, present_enrolment_ids: Iterable[int], user: User
) -> int:
    """Save the register for a day: one row per active trainee. Returns how many were present.

    A day that has not come yet has no register: nobody can have attended it."""
    training_day = TrainingDay.objects.select_for_update().get(pk=training_day.pk)
    if not training_day.has_begun():
        raise EnrolmentError(
            f"The register for {training_day.title} cannot be taken yet: the day is on "
            f"{date_format(training_day.date, 'j F Y')}. Take it on the day or afterwards."
        )
    present_ids = {int(pk) for pk in present_enrolment_ids}
    enrolments = list(
        Enrolment.objects.filter(cohort_id=training_day.cohort_id, status=Status.ACTIVE)
    )
    unknown = present_ids - {e.pk for e in enrolments}
    if unknown:
        raise EnrolmentError("The register names someone who is not an active trainee here.")
    now = timezone.now()
    existing = {
        a.enrolment_id: a
        for a in Attendance.objects.select_for_update().filter(training_day=training_day)
    }
    to_update, to_create = [], []
    for enrolment in enrolments:
        present = enrolment.pk in present_ids
        row = existing.get(enrolment.pk)
        if row is None:
            to_create.append(
                Attendance(
                    training_day=training_day,
                    enrolment=enrolment,
                    present=present,
                    recorded_by=user,
                )
            )
        else:
            row.present, row.recorded_by, row.recorded_at = present, user, now
            to_update.append(row)
    Attendance.objects.bulk_create(to_create)
    Attendance.objects.bulk_update(to_update, ["present", "recorded_by", "recorded_at"])
    log(
        instance=training_day,
        action="courses.attendance.record",
        user=user,
        data={"present": len(present_ids), "absent": len(enrolments) - len(present_ids)},
    )
    return len(present_ids)


@transaction.atomic
def cohort_reset_calendar_token(*, cohort: Cohort, by: User) -> Cohort:
    """Issue a new feed URL; anyone subscribed to the old one stops receiving updates."""
    from ..models.cohorts import new_calendar_token

    cohort.calendar_token = new_calendar_token()
    cohort.save(update_fields=["calendar_token", "updated_at"])
    log(instance=cohort, action="courses.cohort.reset_calendar", user=by)
    return cohort


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
