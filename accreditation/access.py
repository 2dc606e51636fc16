"""Fetch an accreditation object *for this user*, or raise Http404.

Every accreditation view goes through these helpers, so no URL can forget the check. Asking for
something you may not see looks exactly like asking for something that does not exist.

Sections: roles; supervised reviews (reviews, stages, evidence, registers); supervision.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from learning_platform.accounts.models import User
from learning_platform.accounts.roles import Role
from learning_platform.accounts.selectors import user_has_role

from .models import (
    AccreditationApplication,
    Certificate,
    Evidence,
    KeyPracticeEpisode,
    ReviewStage,
    SupervisedReview,
    SupervisionSession,
    UnderlyingPattern,
)


def _get(queryset: QuerySet, pk) -> object:
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


# Roles --------------------------------------------------------------------------------------


def user_is_programme_staff(user: User) -> bool:
    """Programme administrators (and superusers) may read every review; they change nothing
    outside the admin screens."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user_has_role(user=user, role=Role.PROGRAMME_ADMIN))
    )


def user_is_supervisor(user: User) -> bool:
    return (
        user.is_authenticated and user.is_active and user_has_role(user=user, role=Role.SUPERVISOR)
    )


def user_is_assessor(user: User) -> bool:
    return user.is_authenticated and user.is_active and user_has_role(user=user, role=Role.ASSESSOR)


# Supervised reviews -------------------------------------------------------------------------


def _assessable_applications() -> QuerySet[AccreditationApplication]:
    """An assessor reads a portfolio only once the trainee has submitted it for a decision: not
    a draft, nor a draft the trainee withdrew without ever submitting it."""
    Status = AccreditationApplication.Status
    return AccreditationApplication.objects.exclude(status=Status.DRAFT).exclude(
        status=Status.WITHDRAWN, submitted_at__isnull=True
    )


def _assessable_review_ids() -> QuerySet:
    return _assessable_applications().values("review_id")


def assessor_may_read_review(user: User, review: SupervisedReview) -> bool:
    """An assessor may read a review that belongs to a submitted or decided application, unless
    they supervise it (a supervisor never assesses their own trainee)."""
    if not user_is_assessor(user) or review.supervisor_id == user.pk:
        return False
    return _assessable_applications().filter(review=review).exists()


def reviews_for_user(user: User) -> QuerySet[SupervisedReview]:
    """Reviews a user may read: their own (as trainee or partner), those they supervise, all for
    programme staff, and those an assessor is deciding on."""
    if not user.is_authenticated or not user.is_active:
        return SupervisedReview.objects.none()
    if user_is_programme_staff(user):
        return SupervisedReview.objects.all()
    visible = Q(trainee=user) | Q(partner=user) | Q(supervisor=user)
    if user_is_assessor(user):
        visible |= Q(pk__in=_assessable_review_ids())
    return SupervisedReview.objects.filter(visible)


def user_works_on_review(user: User, review: SupervisedReview) -> bool:
    """The trainee or their partner: the people who record the review's work."""
    return user.is_authenticated and user.pk in (review.trainee_id, review.partner_id)


def user_supervises_review(user: User, review: SupervisedReview) -> bool:
    return user.is_authenticated and user.pk == review.supervisor_id


_REVIEW_RELATED = ("scheme", "trainee", "partner", "supervisor", "commissioning_organisation")


def get_review_for_user(user: User, pk) -> SupervisedReview:
    return _get(reviews_for_user(user).select_related(*_REVIEW_RELATED), pk)


def get_stage_for_user(user: User, pk) -> ReviewStage:
    stages = ReviewStage.objects.filter(review__in=reviews_for_user(user)).select_related(
        "definition", *(f"review__{name}" for name in _REVIEW_RELATED)
    )
    return _get(stages, pk)


def get_evidence_for_user(user: User, pk) -> Evidence:
    evidence = Evidence.objects.filter(stage__review__in=reviews_for_user(user)).select_related(
        "stage__review"
    )
    return _get(evidence, pk)


def get_episode_for_reviewer(user: User, pk) -> KeyPracticeEpisode:
    """For editing a register entry: only the trainee and their partner."""
    episodes = KeyPracticeEpisode.objects.filter(
        Q(review__trainee=user) | Q(review__partner=user)
    ).select_related("review")
    if not user.is_authenticated:
        raise Http404
    return _get(episodes, pk)


def get_pattern_for_reviewer(user: User, pk) -> UnderlyingPattern:
    if not user.is_authenticated:
        raise Http404
    patterns = UnderlyingPattern.objects.filter(
        Q(review__trainee=user) | Q(review__partner=user)
    ).select_related("review", "pattern_type")
    return _get(patterns, pk)


# Supervision --------------------------------------------------------------------------------


def sessions_for_user(user: User) -> QuerySet[SupervisionSession]:
    """The supervisor's own sessions, sessions the user attended, and all for programme staff."""
    if not user.is_authenticated or not user.is_active:
        return SupervisionSession.objects.none()
    if user_is_programme_staff(user):
        return SupervisionSession.objects.all()
    return SupervisionSession.objects.filter(
        Q(supervisor=user) | Q(pk__in=SupervisionSession.objects.filter(attendees__trainee=user))
    )


def get_session_for_user(user: User, pk) -> SupervisionSession:
    return _get(sessions_for_user(user).select_related("supervisor"), pk)


# Applications, assessment, certificates and the dashboard ------------------------------------


def user_is_trainee(user: User) -> bool:
    return user.is_authenticated and user.is_active and user_has_role(user=user, role=Role.TRAINEE)


def user_may_see_dashboard(user: User) -> bool:
    return user_is_programme_staff(user)


def get_application_for_assessor(user: User, pk) -> AccreditationApplication:
    """An assessor reads submitted and decided applications (and those withdrawn after being
    submitted); drafts do not exist for them."""
    if not user_is_assessor(user):
        raise Http404
    applications = _assessable_applications().select_related(
        "trainee__organisation", "scheme__course", "review__supervisor", "review__partner"
    )
    return _get(applications, pk)


def get_certificate_for_holder(user: User, pk) -> Certificate:
    if not user.is_authenticated:
        raise Http404
    return _get(Certificate.objects.filter(holder=user).select_related("scheme"), pk)


def get_certificate_for_download(user: User, pk) -> Certificate:
    """Assessors (who manage certificates) may download any PDF. The holder may download theirs
    while it is issued (valid or expired), not while it is suspended or revoked: that copy would
    still read as a valid award, and the verification page is the record to rely on."""
    if not user.is_authenticated:
        raise Http404
    certificates = Certificate.objects.select_related("holder")
    if not user_is_assessor(user):
        certificates = certificates.filter(holder=user, status=Certificate.Status.ISSUED)
    return _get(certificates, pk)


def get_certificate_for_assessor(user: User, pk) -> Certificate:
    if not user_is_assessor(user):
        raise Http404
    return _get(
        Certificate.objects.select_related("holder__organisation", "scheme", "application__review"),
        pk,
    )
