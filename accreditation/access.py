"""Fetch an accreditation object *for this user*, or raise Http404.

Every accreditation view goes through these helpers, so no URL can forget the check. Asking for
something you may not see looks exactly like asking for something that does not exist.

Who holds which role is decided in ``learning_platform.accounts.roles``; these helpers apply it.

Sections: supervised reviews (reviews, stages, evidence, registers); supervision; applications,
assessment and certificates; bulk issuance.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404

from courses.models import Cohort
from learning_platform.accounts.models import User
from learning_platform.accounts.roles import (
    user_is_assessor,
    user_is_programme_staff,
    user_is_trainee,
)
from learning_platform.shortcuts import get_or_404

from .models import (
    AccreditationApplication,
    Appeal,
    BulkIssue,
    CaseGroupParticipant,
    Certificate,
    Conversation,
    CpdEntry,
    Decision,
    Evidence,
    FamilyInvolvement,
    Finding,
    KeyPracticeEpisode,
    RenewalApplication,
    ReviewMeeting,
    ReviewStage,
    ReviewTeamMember,
    SupervisedReview,
    SupervisionSession,
)
from .models.review import review_carried_out_by
from .selectors.appeals import appeals_for_assessor

# Supervised reviews -------------------------------------------------------------------------


def require_assessor(user: User) -> None:
    """An assessor's page is a 404 to anyone else: it does not say it exists."""
    if not user_is_assessor(user):
        raise Http404


def _assessable_applications() -> QuerySet[AccreditationApplication]:
    """An assessor reads a portfolio only once the trainee has submitted it for a decision: not
    a draft, nor a draft the trainee withdrew without ever submitting it."""
    Status = AccreditationApplication.Status
    return AccreditationApplication.objects.exclude(status=Status.DRAFT).exclude(
        status=Status.WITHDRAWN, submitted_at__isnull=True
    )


def _assessable_review_ids() -> QuerySet:
    return _assessable_applications().values("review_id")


def reviews_for_user(user: User) -> QuerySet[SupervisedReview]:
    """Reviews a user may read: their own (as trainee or partner), those they supervise, all for
    programme staff (who read every review but change nothing outside the admin screens), and
    those an assessor is deciding on."""
    if not user.is_authenticated or not user.is_active:
        return SupervisedReview.objects.none()
    if user_is_programme_staff(user):
        return SupervisedReview.objects.all()
    visible = review_carried_out_by(user) | Q(supervisor=user)
    if user_is_assessor(user):
        visible |= Q(pk__in=_assessable_review_ids())
    return SupervisedReview.objects.filter(visible)


def user_works_on_review(user: User, review: SupervisedReview) -> bool:
    """The trainee or their partner: the people who record the review's work."""
    return user.is_authenticated and user.pk in (review.trainee_id, review.partner_id)


def user_supervises_review(user: User, review: SupervisedReview) -> bool:
    return user.is_authenticated and user.pk == review.supervisor_id


_REVIEW_RELATED = (
    "scheme",
    "review_type",
    "trainee",
    "partner",
    "supervisor",
    "commissioning_organisation",
)


def get_review_for_user(user: User, pk) -> SupervisedReview:
    return get_or_404(reviews_for_user(user).select_related(*_REVIEW_RELATED), pk)


def get_review_for_supervisor(user: User, pk) -> SupervisedReview:
    """The review's own supervisor only: they alone make the recommendation on it."""
    if not user.is_authenticated or not user.is_active:
        raise Http404
    reviews = SupervisedReview.objects.filter(supervisor=user).select_related(*_REVIEW_RELATED)
    return get_or_404(reviews, pk)


def get_stage_for_user(user: User, pk) -> ReviewStage:
    stages = ReviewStage.objects.filter(review__in=reviews_for_user(user)).select_related(
        "definition", *(f"review__{name}" for name in _REVIEW_RELATED)
    )
    return get_or_404(stages, pk)


def get_evidence_for_user(user: User, pk) -> Evidence:
    evidence = Evidence.objects.filter(stage__review__in=reviews_for_user(user)).select_related(
        "stage__review"
    )
    return get_or_404(evidence, pk)


# An application rests on the review once it is submitted, and still after it is decided.
_REPORT_APPLICATION_STATUSES = (
    AccreditationApplication.Status.SUBMITTED,
    AccreditationApplication.Status.APPROVED,
    AccreditationApplication.Status.REFERRED,
    AccreditationApplication.Status.DECLINED,
)


def application_opens_report(application: AccreditationApplication) -> bool:
    """Whether this application lets an assessor download its review's draft report."""
    return application.status in _REPORT_APPLICATION_STATUSES


def _reviews_read_closely_by(user: User) -> QuerySet[SupervisedReview]:
    """Reviews whose working papers (the draft report, the review's people, conversations and
    meetings) this user may read: the trainee, their partner and the supervisor; an assessor once
    an application rests on the review (submitted, or decided). Programme staff read the review's
    pages but not these, which are the review team's own."""
    if not user.is_authenticated or not user.is_active:
        return SupervisedReview.objects.none()
    visible = review_carried_out_by(user) | Q(supervisor=user)
    if user_is_assessor(user):
        resting = AccreditationApplication.objects.filter(status__in=_REPORT_APPLICATION_STATUSES)
        visible |= Q(pk__in=resting.values("review_id"))
    return SupervisedReview.objects.filter(visible)


def get_review_for_report(user: User, pk) -> SupervisedReview:
    """The review whose draft report this user may download (see ``_reviews_read_closely_by``)."""
    reviews = _reviews_read_closely_by(user).select_related(*_REVIEW_RELATED)
    return get_or_404(reviews, pk)


def get_review_for_records(user: User, pk) -> SupervisedReview:
    """The review whose records of how it is run (its people, conversations, meetings and
    clock) this user may read: the same people as its draft report."""
    reviews = _reviews_read_closely_by(user).select_related(*_REVIEW_RELATED)
    return get_or_404(reviews, pk)


def user_reads_review_records(user: User, review: SupervisedReview) -> bool:
    """Whether ``get_review_for_records`` would give this user the review."""
    if user_works_on_review(user, review) or user_supervises_review(user, review):
        return True
    return user_is_assessor(user) and _reviews_read_closely_by(user).filter(pk=review.pk).exists()


def reviews_kept_by(user: User) -> QuerySet[SupervisedReview]:
    """Reviews whose records this user may change: the trainee, their partner and the
    supervisor."""
    if not user.is_authenticated or not user.is_active:
        return SupervisedReview.objects.none()
    return SupervisedReview.objects.filter(review_carried_out_by(user) | Q(supervisor=user))


def get_review_for_record_keeping(user: User, pk) -> SupervisedReview:
    """For changing the review's records: only the trainee, their partner and the supervisor."""
    reviews = reviews_kept_by(user).select_related(*_REVIEW_RELATED)
    return get_or_404(reviews, pk)


def user_keeps_review_records(user: User, review: SupervisedReview) -> bool:
    return user_works_on_review(user, review) or user_supervises_review(user, review)


def get_episode_for_reviewer(user: User, pk) -> KeyPracticeEpisode:
    """For editing a register entry: only the trainee and their partner."""
    episodes = KeyPracticeEpisode.objects.carried_out_by(user).select_related("review")
    if not user.is_authenticated:
        raise Http404
    return get_or_404(episodes, pk)


def get_finding_for_reviewer(user: User, pk) -> Finding:
    if not user.is_authenticated:
        raise Http404
    patterns = Finding.objects.carried_out_by(user).select_related("review", "category")
    return get_or_404(patterns, pk)


def _record_for_keeping(model, user: User, pk):
    """One of the records of how a review is run, for changing it: only the trainee, their
    partner and the supervisor (as ``get_review_for_record_keeping``)."""
    if not user.is_authenticated or not user.is_active:
        raise Http404
    records = model.objects.filter(review__in=reviews_kept_by(user)).select_related(
        *(f"review__{name}" for name in _REVIEW_RELATED)
    )
    return get_or_404(records, pk)


def get_team_member_for_record_keeping(user: User, pk) -> ReviewTeamMember:
    return _record_for_keeping(ReviewTeamMember, user, pk)


def get_participant_for_record_keeping(user: User, pk) -> CaseGroupParticipant:
    return _record_for_keeping(CaseGroupParticipant, user, pk)


def get_family_for_record_keeping(user: User, pk) -> FamilyInvolvement:
    return _record_for_keeping(FamilyInvolvement, user, pk)


def get_conversation_for_record_keeping(user: User, pk) -> Conversation:
    return _record_for_keeping(Conversation, user, pk)


def get_meeting_for_record_keeping(user: User, pk) -> ReviewMeeting:
    return _record_for_keeping(ReviewMeeting, user, pk)


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
    return get_or_404(sessions_for_user(user).select_related("supervisor"), pk)


# Applications, assessment and certificates ---------------------------------------------------


def get_application_for_assessor(user: User, pk) -> AccreditationApplication:
    """An assessor reads submitted and decided applications (and those withdrawn after being
    submitted); drafts do not exist for them."""
    if not user_is_assessor(user):
        raise Http404
    applications = _assessable_applications().select_related(
        "trainee__organisation",
        "scheme__course",
        "review__supervisor",
        "review__partner",
        "review__review_type",
    )
    return get_or_404(applications, pk)


def get_certificate_for_holder(user: User, pk) -> Certificate:
    if not user.is_authenticated:
        raise Http404
    return get_or_404(
        Certificate.objects.filter(holder=user).select_related("scheme", "superseded_by"), pk
    )


def get_certificate_for_download(user: User, pk) -> Certificate:
    """Assessors (who manage certificates) may download any PDF. The holder may download theirs
    while it is issued (valid or expired), not while it is suspended or revoked: that copy would
    still read as a valid award, and the verification page is the record to rely on."""
    if not user.is_authenticated:
        raise Http404
    certificates = Certificate.objects.select_related("holder")
    if not user_is_assessor(user):
        certificates = certificates.issued().filter(holder=user)
    return get_or_404(certificates, pk)


def get_certificate_for_assessor(user: User, pk) -> Certificate:
    if not user_is_assessor(user):
        raise Http404
    return get_or_404(
        Certificate.objects.with_credential().select_related(
            "holder__organisation",
            "scheme",
            "application__review",
            "renewal__application__review",
            "superseded_by",
        ),
        pk,
    )


# Bulk issuance ----------------------------------------------------------------------------


def get_cohort_for_bulk_issue(user: User, pk) -> Cohort:
    """A cohort whose certificates programme staff may issue in bulk."""
    if not user_is_programme_staff(user):
        raise Http404
    return get_or_404(Cohort.objects.select_related("course"), pk)


def get_bulk_issue_for_user(user: User, pk) -> BulkIssue:
    """The job, for programme staff (who issue certificates in bulk); 404 for anyone else."""
    if not user_is_programme_staff(user):
        raise Http404
    return get_or_404(BulkIssue.objects.select_related("cohort", "requested_by"), pk)


# The public register ------------------------------------------------------------------------


def require_register_holder(user: User) -> None:
    """The register profile is for people who hold (or held) a certificate; 404 for anyone
    else."""
    from .selectors.register import user_holds_a_certificate

    if not user_holds_a_certificate(user=user):
        raise Http404


def get_certificate_for_contact(number: str) -> Certificate:
    """A certificate by its number, for its contact page: 404 unless it exists. Whether its
    holder accepts messages is the page's to say (selectors.register.holder_accepts_messages)."""
    from .selectors.register import contact_certificate

    certificate = contact_certificate(number=number)
    if certificate is None:
        raise Http404
    return certificate


# Appeals and the CPD log ----------------------------------------------------------------------


def get_appeal_for_assessor(user: User, pk) -> Appeal:
    """Any assessor reads an appeal (the page says whether they may decide it); 404 for others."""
    if not user_is_assessor(user):
        raise Http404
    return get_or_404(appeals_for_assessor(), pk)


def get_declined_decision_for_appellant(user: User) -> Decision:
    """The decline on the trainee's own latest application, for them to appeal; 404 if there is
    none (the service refuses a decline that is no longer the latest or whose window closed)."""
    if not user.is_authenticated:
        raise Http404
    decision = (
        Decision.objects.filter(
            application__trainee=user,
            outcome=Decision.Outcome.DECLINED,
            application__status=AccreditationApplication.Status.DECLINED,
        )
        .select_related("application__scheme", "assessor")
        .order_by("-created_at", "-pk")
        .first()
    )
    if decision is None:
        raise Http404
    return decision


def user_keeps_cpd_log(user: User) -> bool:
    """Trainees and certificate holders keep a CPD log."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user_is_trainee(user) or Certificate.objects.filter(holder=user).exists()


def require_cpd_log_keeper(user: User) -> None:
    if not user_keeps_cpd_log(user):
        raise Http404


def get_cpd_entry_for_owner(user: User, pk) -> CpdEntry:
    """An entry of the user's own CPD log; anyone else's is a 404."""
    if not user.is_authenticated or not user.is_active:
        raise Http404
    return get_or_404(CpdEntry.objects.filter(person=user).select_related("activity_type"), pk)


def user_may_read_cpd(user: User, entry: CpdEntry) -> bool:
    """Who may read a CPD entry and download its evidence: its owner. (The assessor deciding the
    owner's renewal is added here when renewals read the log.)"""
    return user.is_authenticated and user.is_active and entry.person_id == user.pk


def get_cpd_entry_for_reading(user: User, pk) -> CpdEntry:
    entry = get_or_404(CpdEntry.objects.select_related("activity_type"), pk)
    if not user_may_read_cpd(user, entry):
        raise Http404
    return entry


# Renewal ----------------------------------------------------------------------------------


def get_renewal_for_holder(user: User, pk) -> RenewalApplication:
    if not user.is_authenticated:
        raise Http404
    renewals = RenewalApplication.objects.filter(holder=user).select_related(
        "certificate__scheme", "scheme", "new_certificate"
    )
    return get_or_404(renewals, pk)


def get_renewal_for_assessor(user: User, pk) -> RenewalApplication:
    """Assessors read every renewal (each was submitted when it was made); a supervisor of the
    holder reads it but may not decide."""
    if not user_is_assessor(user):
        raise Http404
    renewals = RenewalApplication.objects.select_related(
        "holder__organisation", "certificate__scheme", "scheme", "new_certificate"
    )
    return get_or_404(renewals, pk)


def get_cpd_entry_for_renewal_assessor(user: User, pk) -> CpdEntry:
    """An assessor may download the evidence of a CPD entry that a renewal rests on: one dated
    from the renewed certificate's issue to the day the renewal was submitted, of a renewal not
    withdrawn. Other entries stay the holder's own."""
    if not user_is_assessor(user):
        raise Http404
    renewed = (
        RenewalApplication.objects.filter(
            holder=OuterRef("person"),
            submitted_at__isnull=False,
            certificate__issued_at__lte=OuterRef("date"),
        )
        .exclude(status=RenewalApplication.Status.WITHDRAWN)
        .annotate(submitted_on=TruncDate("submitted_at"))
        .filter(submitted_on__gte=OuterRef("date"))
    )
    return get_or_404(CpdEntry.objects.filter(Exists(renewed)), pk)
