"""Fetch an object *for this user*, or raise Http404; and decide what a person sees of a module.

Every cohort, enrolment and training-day view goes through these helpers, so no URL can forget
the check. Asking for something you may not see looks exactly like asking for something that
does not exist. Who holds which role is decided in ``learning_platform.accounts.roles``.

Sections: cohorts and enrolments; modules (whose body a person may read).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from learning_platform.accounts.models import User
from learning_platform.accounts.roles import user_is_programme_staff
from learning_platform.shortcuts import get_or_404

from .models import Cohort, Enrolment, Invitation, ModulePage, ModuleProgress, TrainingDay
from .selectors.modules import course_path_of, incomplete_prerequisites

# Enrolments that still give a trainee a place in the cohort (and its calendar).
MEMBER_STATUSES = (
    Enrolment.Status.INVITED,
    Enrolment.Status.ACTIVE,
    Enrolment.Status.DEFERRED,
    Enrolment.Status.COMPLETED,
)

# Enrolments that open a course's module bodies to the trainee.
LEARNING_STATUSES = (Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED)


# Cohorts and enrolments ----------------------------------------------------------------------


def cohorts_for_staff_or_supervisor(user: User) -> QuerySet[Cohort]:
    if not user.is_authenticated:
        return Cohort.objects.none()
    if user_is_programme_staff(user):
        return Cohort.objects.all()
    return Cohort.objects.filter(supervisors=user)


def cohorts_for_user(user: User) -> QuerySet[Cohort]:
    """Cohorts a user may open: staff all; supervisors theirs; trainees those they belong to."""
    if not user.is_authenticated:
        return Cohort.objects.none()
    if user_is_programme_staff(user):
        return Cohort.objects.all()
    member_of = Enrolment.objects.filter(user=user, status__in=MEMBER_STATUSES).values("cohort")
    supervises = Enrolment.objects.filter(supervisor=user).values("cohort")
    return Cohort.objects.filter(
        Q(supervisors=user) | Q(pk__in=member_of) | Q(pk__in=supervises)
    ).distinct()


def get_cohort_for_user(user: User, pk) -> Cohort:
    return get_or_404(cohorts_for_user(user).select_related("course"), pk)


def get_cohort_for_staff_or_supervisor(user: User, pk) -> Cohort:
    """For the progress grid and its exports: programme staff and the cohort's supervisors."""
    return get_or_404(cohorts_for_staff_or_supervisor(user).select_related("course"), pk)


def get_cohort_for_staff(user: User, pk) -> Cohort:
    """For running a cohort: inviting people, taking the register."""
    if not user_is_programme_staff(user):
        raise Http404
    return get_or_404(Cohort.objects.select_related("course"), pk)


def get_invitation_for_staff(user: User, pk) -> Invitation:
    """For the invitations screen: sending a fresh link to one invitation."""
    if not user_is_programme_staff(user):
        raise Http404
    return get_or_404(Invitation.objects.select_related("cohort"), pk)


def get_training_day_for_staff(user: User, cohort_pk, pk) -> TrainingDay:
    if not user_is_programme_staff(user):
        raise Http404
    return get_or_404(TrainingDay.objects.select_related("cohort").filter(cohort_id=cohort_pk), pk)


def enrolments_for_user(user: User) -> QuerySet[Enrolment]:
    """The trainee's own, their supervisor's, their cohort supervisors' and staff's."""
    if not user.is_authenticated:
        return Enrolment.objects.none()
    if user_is_programme_staff(user):
        return Enrolment.objects.all()
    return Enrolment.objects.filter(
        Q(user=user)
        | Q(supervisor=user)
        | Q(cohort__in=Cohort.objects.filter(supervisors=user).values("pk"))
    )


def get_enrolment_for_user(user: User, pk) -> Enrolment:
    return get_or_404(enrolments_for_user(user).select_related("user", "cohort", "supervisor"), pk)


def get_enrolment_for_staff(user: User, pk) -> Enrolment:
    """For changing an enrolment's status, supervisor or review partner."""
    if not user_is_programme_staff(user):
        raise Http404
    return get_or_404(Enrolment.objects.select_related("user", "cohort", "supervisor"), pk)


# Modules ------------------------------------------------------------------------------------


class Viewer(models.TextChoices):
    ANONYMOUS = "anonymous", "Not signed in"
    NOT_ENROLLED = "not_enrolled", "Not enrolled"
    TRAINEE = "trainee", "Enrolled trainee"
    SUPERVISOR = "supervisor", "Supervisor"
    STAFF = "staff", "Programme staff"


@dataclass(frozen=True)
class ModuleAccess:
    viewer: Viewer
    enrolment: Enrolment | None = None
    # Prerequisites the trainee has still to complete; only ever set for a trainee.
    waiting_for: tuple[ModulePage, ...] = ()

    @property
    def can_view_body(self) -> bool:
        if self.viewer == Viewer.TRAINEE:
            return not self.waiting_for
        return self.viewer in (Viewer.SUPERVISOR, Viewer.STAFF)

    @property
    def can_answer(self) -> bool:
        return self.viewer == Viewer.TRAINEE and not self.waiting_for


def _opening_enrolment(enrolments: Sequence[Enrolment]) -> Enrolment | None:
    """Of one course's enrolments, latest first, the one that opens it: an active one first."""
    for enrolment in enrolments:
        if enrolment.status == Enrolment.Status.ACTIVE:
            return enrolment
    return enrolments[0] if enrolments else None


def learning_enrolment(*, user: User, course_path: str) -> Enrolment | None:
    """The user's enrolment that opens this course: an active one first, then the latest."""
    return _opening_enrolment(
        list(
            Enrolment.objects.filter(
                user=user, status__in=LEARNING_STATUSES, cohort__course__path=course_path
            )
            .select_related("cohort")
            .order_by("-cohort__start_date", "-pk")
        )
    )


def module_access_for_user(*, user: User, module: ModulePage) -> ModuleAccess:
    """The one place that decides what a person sees of a module."""
    if not user.is_authenticated:
        return ModuleAccess(viewer=Viewer.ANONYMOUS)
    course_path = course_path_of(module=module) if module.path else ""
    # Staff and supervisors may also be enrolled; the trainee view is what lets them take part.
    enrolment = learning_enrolment(user=user, course_path=course_path) if course_path else None
    if enrolment is not None:
        waiting_for = incomplete_prerequisites(enrolment=enrolment, module=module)
        return ModuleAccess(
            viewer=Viewer.TRAINEE, enrolment=enrolment, waiting_for=tuple(waiting_for)
        )
    if user_is_programme_staff(user):
        return ModuleAccess(viewer=Viewer.STAFF)
    if course_path and user_supervises_course(user=user, course_path=course_path):
        return ModuleAccess(viewer=Viewer.SUPERVISOR)
    return ModuleAccess(viewer=Viewer.NOT_ENROLLED)


def user_supervises_course(*, user: User, course_path: str) -> bool:
    """A cohort supervisor, or the named supervisor of a trainee, in any cohort of the course."""
    return (
        Cohort.objects.filter(course__path=course_path)
        .filter(Q(supervisors=user) | Q(enrolments__supervisor=user))
        .exists()
    )


def modules_with_hidden_body(*, user: User) -> Q:
    """A filter on pages matching the modules whose body this person may not read, decided as
    ``module_access_for_user`` decides it module by module, in a fixed number of queries.

    Site search leaves these out, so a match in a module's body (its text, reflective questions
    and knowledge checks) never shows to someone who may read only its public overview.
    """
    every_module = Q(pk__in=ModulePage.objects.values("pk"))
    if not user.is_authenticated or not user.is_active:
        return every_module
    by_course: dict[str, list[Enrolment]] = defaultdict(list)
    for enrolment in (
        Enrolment.objects.filter(user=user, status__in=LEARNING_STATUSES)
        .annotate(course_path=models.F("cohort__course__path"))
        .order_by("-cohort__start_date", "-pk")
    ):
        by_course[enrolment.course_path].append(enrolment)
    opening = {path: _opening_enrolment(enrolments) for path, enrolments in by_course.items()}
    # A trainee sees a module's body once its published prerequisites are complete.
    waiting: set[int] = set()
    if opening:
        completed = set(
            ModuleProgress.objects.filter(
                enrolment__in=opening.values(), completed_at__isnull=False
            ).values_list("enrolment_id", "module_id")
        )
        edges = ModulePage.prerequisites.through.objects.filter(
            _within_courses(opening, prefix="from_modulepage__"), to_modulepage__live=True
        ).values_list("from_modulepage_id", "from_modulepage__path", "to_modulepage_id")
        for module_id, module_path, prerequisite_id in edges:
            enrolment = opening.get(module_path[: -ModulePage.steplen])
            if enrolment is not None and (enrolment.pk, prerequisite_id) not in completed:
                waiting.add(module_id)
    if user_is_programme_staff(user):
        return Q(pk__in=waiting)
    open_courses = set(opening) | set(
        Cohort.objects.filter(Q(supervisors=user) | Q(enrolments__supervisor=user))
        .values_list("course__path", flat=True)
        .distinct()
    )
    if not open_courses:
        return every_module
    return (every_module & ~_within_courses(open_courses)) | Q(pk__in=waiting)


def _within_courses(course_paths: Iterable[str], *, prefix: str = "") -> Q:
    within = Q()
    for path in course_paths:
        within |= Q(**{f"{prefix}path__startswith": path})
    return within
