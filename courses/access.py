"""Fetch an object *for this user*, or raise Http404.

Every cohort, enrolment and training-day view goes through these helpers, so no URL can forget
the check. Asking for something you may not see looks exactly like asking for something that
does not exist.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from learning_platform.accounts.models import User

from .models import Cohort, Enrolment, TrainingDay

# Enrolments that still give a trainee a place in the cohort (and its calendar).
MEMBER_STATUSES = (
    Enrolment.Status.INVITED,
    Enrolment.Status.ACTIVE,
    Enrolment.Status.DEFERRED,
    Enrolment.Status.COMPLETED,
)


def user_is_programme_staff(user: User) -> bool:
    """Programme administrators and superusers: they may see every cohort."""
    return user.is_authenticated and user.is_active and user.has_perm("courses.view_cohort")


def user_can_manage_cohorts(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("courses.change_cohort")


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


def _get(queryset: QuerySet, pk) -> object:
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def get_cohort_for_user(user: User, pk) -> Cohort:
    return _get(cohorts_for_user(user).select_related("course"), pk)


def get_cohort_for_staff_or_supervisor(user: User, pk) -> Cohort:
    """For the progress grid and its exports: programme staff and the cohort's supervisors."""
    return _get(cohorts_for_staff_or_supervisor(user).select_related("course"), pk)


def get_cohort_for_staff(user: User, pk) -> Cohort:
    """For running a cohort: inviting people, taking the register."""
    if not user_can_manage_cohorts(user):
        raise Http404
    return _get(Cohort.objects.select_related("course"), pk)


def get_training_day_for_staff(user: User, cohort_pk, pk) -> TrainingDay:
    if not user.is_authenticated or not user.has_perm("courses.change_attendance"):
        raise Http404
    return _get(TrainingDay.objects.select_related("cohort").filter(cohort_id=cohort_pk), pk)


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
    return _get(enrolments_for_user(user).select_related("user", "cohort", "supervisor"), pk)


def get_enrolment_for_staff(user: User, pk) -> Enrolment:
    """For changing an enrolment's status, supervisor or review partner."""
    if not user.is_authenticated or not user.has_perm("courses.change_enrolment"):
        raise Http404
    return _get(Enrolment.objects.select_related("user", "cohort", "supervisor"), pk)
