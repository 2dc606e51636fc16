"""What accreditation notifies people about: stages, supervision sessions, applications,
certificates and the reminders sent by Celery beat.

The notifications app reads NOTIFICATION_EVENTS when it starts. The emails' templates are in
`accreditation/notifications/`.
"""

from datetime import date
from enum import StrEnum

from django.conf import settings
from django.db.models import Model, Prefetch
from django.urls import reverse
from django.utils import timezone

from learning_platform.accounts.models import User
from notifications.models import Notification
from notifications.registry import EventType

from .models import (
    AccreditationApplication,
    Appeal,
    AppealDecision,
    Certificate,
    CertificateEvent,
    Decision,
    RenewalApplication,
    RenewalDecision,
    ReviewStage,
    SignOff,
    SupervisedReview,
    SupervisionAttendance,
    SupervisionSession,
    SupervisorRecommendation,
)

TEMPLATE_DIR = "accreditation/notifications"


class AccreditationEvent(StrEnum):
    STAGE_SUBMITTED = "stage_submitted"
    STAGE_CHANGES_REQUESTED = "stage_changes_requested"
    STAGE_APPROVED = "stage_approved"
    STAGE_REOPENED = "stage_reopened"
    SUPERVISION_TO_CONFIRM = "supervision_to_confirm"
    APPLICATION_SUBMITTED = "application_submitted"
    APPLICATION_DECIDED = "application_decided"
    CERTIFICATE_ISSUED = "certificate_issued"
    CERTIFICATE_SUSPENDED = "certificate_suspended"
    CERTIFICATE_REINSTATED = "certificate_reinstated"
    CERTIFICATE_REVOKED = "certificate_revoked"
    STAGE_WAITING_REMINDER = "stage_waiting_reminder"
    SUPERVISOR_DIGEST = "supervisor_digest"
    CERTIFICATE_EXPIRY_WARNING = "certificate_expiry_warning"
    # The supervisor's recommendation
    RECOMMENDATION_RECORDED = "recommendation_recorded"
    # The public register
    REGISTER_CONTACT = "register_contact"
    # Appeals
    APPEAL_LODGED = "appeal_lodged"
    APPEAL_DECIDED = "appeal_decided"
    # Renewal
    RENEWAL_SUBMITTED = "renewal_submitted"
    RENEWAL_DECIDED = "renewal_decided"


# Links ----------------------------------------------------------------------------------------


def target_path(target: Model) -> str:
    """The page about one of accreditation's objects, for whoever the notification is for."""
    if isinstance(target, AccreditationApplication | Decision):
        return reverse("accreditation:application")
    if isinstance(target, SignOff):
        return reverse("accreditation:stage_detail", args=[target.stage_id])
    if isinstance(target, ReviewStage):
        return reverse("accreditation:stage_detail", args=[target.pk])
    if isinstance(target, SupervisionSession):
        return reverse("accreditation:session_detail", args=[target.pk])
    if isinstance(target, Certificate | CertificateEvent):
        return reverse("accreditation:my_certificates")
    if isinstance(target, SupervisorRecommendation):
        return reverse("accreditation:application")
    if isinstance(target, AppealDecision):
        return appellant_path(target.appeal)
    if isinstance(target, RenewalApplication):
        return reverse("accreditation:renewal_status", args=[target.pk])
    if isinstance(target, RenewalDecision):
        return reverse("accreditation:renewal_status", args=[target.renewal_id])
    return ""


def appellant_path(appeal: Appeal) -> str:
    """The appellant's own page about what they appealed."""
    if appeal.kind == Appeal.Kind.DECLINE:
        return reverse("accreditation:application")
    return reverse("accreditation:my_certificates")


def appeal_assessor_path(target: Model) -> str:
    return reverse("accreditation:appeal_detail", args=[target.pk])


def assessor_path(target: Model) -> str:
    # Assessors read the portfolio; the trainee reads their own application page.
    if isinstance(target, AccreditationApplication):
        return reverse("accreditation:assessment_portfolio", args=[target.pk])
    if isinstance(target, RenewalApplication):
        return reverse("accreditation:renewal_portfolio", args=[target.pk])
    return target_path(target)


def renewal_form_path(target: Model) -> str:
    """An expiry warning links to the form to renew the certificate."""
    if isinstance(target, Certificate):
        return reverse("accreditation:renewal", args=[target.pk])
    return target_path(target)


# What the notifications list reads from each kind of target (the subject lines), fetched together
# so a page of notifications runs one query per kind of target, however many there are.
SIGN_OFFS = SignOff.objects.select_related("stage__definition")
SESSIONS = SupervisionSession.objects.all()
APPLICATIONS = AccreditationApplication.objects.all()
DECISIONS = Decision.objects.all()
CERTIFICATES = Certificate.objects.all()
CERTIFICATE_EVENTS = CertificateEvent.objects.select_related("certificate")
RECOMMENDATIONS = SupervisorRecommendation.objects.all()
APPEALS = Appeal.objects.all()
APPEAL_DECISIONS = AppealDecision.objects.select_related("appeal")
RENEWALS = RenewalApplication.objects.select_related("holder")
RENEWAL_DECISIONS = RenewalDecision.objects.all()


# Email bodies ---------------------------------------------------------------------------------


def supervisor_digest_context(notification: Notification) -> dict:
    """What the weekly supervisor digest shows, read from the ids its notification keeps (the row
    holds no names: they are rendered from the objects when the email is sent)."""
    stored = notification.context or {}
    stages = (
        ReviewStage.objects.filter(pk__in=stored.get("stage_ids", []))
        .select_related("definition", "review__trainee")
        .order_by("submitted_at", "pk")
    )
    sessions = (
        SupervisionSession.objects.filter(pk__in=stored.get("session_ids", []))
        .prefetch_related(
            Prefetch(
                "attendees",
                queryset=SupervisionAttendance.objects.filter(
                    confirmed_at__isnull=True,
                    trainee__is_active=True,
                    trainee__erased_at__isnull=True,
                )
                .select_related("trainee")
                .order_by("trainee__full_name"),
                to_attr="unconfirmed",
            )
        )
        .order_by("-date", "pk")
    )
    trainees = User.objects.filter(pk__in=stored.get("trainee_ids", [])).order_by("full_name", "pk")
    from .selectors.clock import with_time_to_target

    # Days to the target as they were on the day the digest was sent.
    sent_on = date.fromisoformat(stored["today"]) if stored.get("today") else timezone.localdate()
    at_risk = with_time_to_target(
        SupervisedReview.objects.filter(pk__in=stored.get("at_risk_review_ids", [])),
        today=sent_on,
    ).order_by("target_publication_date", "pk")
    # Querysets, not lists: the notifications page renders only the subject line, which reads
    # none of them, so listing digests costs no query per row.
    return {
        "waiting_stages": stages,
        "unconfirmed_sessions": sessions,
        "inactive_trainees": trainees,
        "at_risk_reviews": at_risk,
        "inactivity_days": stored.get("inactivity_days"),
    }


def _days(number: int) -> str:
    return f"{number} day" if number == 1 else f"{number} days"


def stage_waiting_label() -> str:
    days = _days(settings.STAGE_REMINDER_DAYS)
    return f"A reminder when a stage has waited more than {days} for your sign-off"


# Declarations ---------------------------------------------------------------------------------

CERTIFICATE_CHANGES = "Changes to your certificate are always sent."

NOTIFICATION_EVENTS = (
    EventType(
        key=AccreditationEvent.STAGE_SUBMITTED,
        label="A trainee submits a stage for your sign-off",
        optional=True,
        link=target_path,
        targets=(SIGN_OFFS,),
        template_dir=TEMPLATE_DIR,
    ),
    EventType(
        key=AccreditationEvent.STAGE_CHANGES_REQUESTED,
        label="Your supervisor asks for changes",
        optional=False,
        why_always_sent="Your review cannot go on until you act on the feedback.",
        link=target_path,
        targets=(SIGN_OFFS,),
        template_dir=TEMPLATE_DIR,
    ),
    EventType(
        key=AccreditationEvent.STAGE_APPROVED,
        label="Your supervisor signs off a stage",
        optional=True,
        link=target_path,
        targets=(SIGN_OFFS,),
        template_dir=TEMPLATE_DIR,
    ),
    EventType(
        key=AccreditationEvent.STAGE_REOPENED,
        label="Your supervisor reopens a signed-off stage",
        optional=False,
        why_always_sent="A signed-off stage needs your work again.",
        link=target_path,
        targets=(SIGN_OFFS,),
        template_dir=TEMPLATE_DIR,
    ),
    EventType(
        key=AccreditationEvent.SUPERVISION_TO_CONFIRM,
        label="Your supervisor records a supervision session for you to confirm",
        optional=True,
        link=target_path,
        targets=(SESSIONS,),
        template_dir=TEMPLATE_DIR,
    ),
    EventType(
        key=AccreditationEvent.APPLICATION_SUBMITTED,
        label="A trainee submits an application for accreditation",
        optional=True,
        link=assessor_path,
        targets=(APPLICATIONS,),
        template_dir=TEMPLATE_DIR,
    ),
    EventType(
        key=AccreditationEvent.APPLICATION_DECIDED,
        label="A decision on your application",
        optional=False,
        why_always_sent="Decisions on your accreditation are always sent.",
        link=target_path,
        targets=(DECISIONS,),
        template_dir=TEMPLATE_DIR,
    ),
    EventType(
        key=AccreditationEvent.CERTIFICATE_ISSUED,
        label="Your certificate is issued",
        optional=False,
        why_always_sent=CERTIFICATE_CHANGES,
        link=target_path,
        targets=(CERTIFICATES,),
        template_dir=TEMPLATE_DIR,
    ),
    EventType(
        key=AccreditationEvent.CERTIFICATE_SUSPENDED,
        label="Your certificate is suspended",
        optional=False,
        why_always_sent=CERTIFICATE_CHANGES,
        link=target_path,
        targets=(CERTIFICATE_EVENTS,),
        template_dir=TEMPLATE_DIR,
    ),
    EventType(
        key=AccreditationEvent.CERTIFICATE_REINSTATED,
        label="Your certificate is reinstated",
        optional=False,
        why_always_sent=CERTIFICATE_CHANGES,
        link=target_path,
        targets=(CERTIFICATE_EVENTS,),
        template_dir=TEMPLATE_DIR,
    ),
    EventType(
        key=AccreditationEvent.CERTIFICATE_REVOKED,
        label="Your certificate is revoked",
        optional=False,
        why_always_sent=CERTIFICATE_CHANGES,
        link=target_path,
        targets=(CERTIFICATE_EVENTS,),
        template_dir=TEMPLATE_DIR,
    ),
    EventType(
        key=AccreditationEvent.STAGE_WAITING_REMINDER,
        label=stage_waiting_label,
        optional=True,
        link=target_path,
        targets=(SIGN_OFFS,),
        template_dir=TEMPLATE_DIR,
    ),
    EventType(
        key=AccreditationEvent.SUPERVISOR_DIGEST,
        label="A weekly summary of what waits for you",
        optional=True,
        page="accreditation:supervisor_queue",
        template_dir=TEMPLATE_DIR,
        body_context=supervisor_digest_context,
    ),
    EventType(
        key=AccreditationEvent.CERTIFICATE_EXPIRY_WARNING,
        label="A warning before your certificate expires",
        optional=False,
        why_always_sent="You need to know before your accreditation lapses.",
        link=renewal_form_path,
        page="accreditation:my_certificates",
        targets=(CERTIFICATES,),
        template_dir=TEMPLATE_DIR,
    ),
    # The supervisor's recommendation
    EventType(
        key=AccreditationEvent.RECOMMENDATION_RECORDED,
        label="Your supervisor recommends whether you are ready to be accredited",
        optional=False,
        why_always_sent="Your application needs your supervisor's recommendation.",
        link=target_path,
        targets=(RECOMMENDATIONS,),
        template_dir=TEMPLATE_DIR,
    ),
)


# The public register: a message sent to a holder through its contact form ---------------------


def _contact_message(notification: Notification):
    from .models import ContactMessage

    target = notification.target
    return target if isinstance(target, ContactMessage) else None


def register_contact_context(notification: Notification) -> dict:
    return {
        "contact": _contact_message(notification),
        "retention_days": settings.CONTACT_MESSAGE_RETENTION_DAYS,
    }


def register_contact_reply_to(notification: Notification) -> list[str]:
    # A reply goes to the sender; the holder's own address is never shown to them.
    contact = _contact_message(notification)
    return [contact.sender_email] if contact else []


def _contact_messages():
    from .models import ContactMessage

    return ContactMessage.objects.all()


NOTIFICATION_EVENTS += (
    EventType(
        key=AccreditationEvent.REGISTER_CONTACT,
        label="A message sent to you through the public register",
        optional=False,
        why_always_sent="You chose to accept messages through the register: switch that off on "
        "your register profile.",
        page="accreditation:register_profile",
        targets=(_contact_messages(),),
        template_dir=TEMPLATE_DIR,
        body_context=register_contact_context,
        reply_to=register_contact_reply_to,
    ),
    # Appeals
    EventType(
        key=AccreditationEvent.APPEAL_LODGED,
        label="An appeal is lodged that you may decide",
        optional=True,
        link=appeal_assessor_path,
        targets=(APPEALS,),
        template_dir=TEMPLATE_DIR,
    ),
    EventType(
        key=AccreditationEvent.APPEAL_DECIDED,
        label="A decision on your appeal",
        optional=False,
        why_always_sent="Decisions on your appeal are always sent.",
        link=target_path,
        targets=(APPEAL_DECISIONS,),
        template_dir=TEMPLATE_DIR,
    ),
    # Renewal
    EventType(
        key=AccreditationEvent.RENEWAL_SUBMITTED,
        label="A holder applies to renew their accreditation",
        optional=True,
        link=assessor_path,
        targets=(RENEWALS,),
        template_dir=TEMPLATE_DIR,
    ),
    EventType(
        key=AccreditationEvent.RENEWAL_DECIDED,
        label="A decision on your renewal",
        optional=False,
        why_always_sent="Decisions on your accreditation are always sent.",
        link=target_path,
        targets=(RENEWAL_DECISIONS,),
        template_dir=TEMPLATE_DIR,
    ),
)
