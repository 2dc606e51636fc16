from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from .base import AppendOnlyModel, private_storage


def _private_storage():
    return private_storage


class AccreditationApplication(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        REFERRED = "referred", "Referred back"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    review = models.ForeignKey(
        "accreditation.SupervisedReview", on_delete=models.PROTECT, related_name="applications"
    )
    scheme = models.ForeignKey(
        "accreditation.AccreditationScheme", on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    reflective_statement = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"Application by {self.trainee} ({self.get_status_display()})"


class Decision(AppendOnlyModel):
    """An assessor's decision; append-only."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        REFERRED = "referred", "Referred back"
        DECLINED = "declined", "Declined"

    application = models.ForeignKey(
        AccreditationApplication, on_delete=models.PROTECT, related_name="decisions"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reasons = models.TextField()
    required_actions = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]


class CriterionJudgement(AppendOnlyModel):
    """An assessor's judgement against one criterion, as part of a decision on an application or
    on a renewal; append-only. The criterion's title is kept as it was when judged."""

    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="judgements"
    )
    renewal_decision = models.ForeignKey(
        "accreditation.RenewalDecision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="judgements",
    )
    criterion = models.ForeignKey(
        "accreditation.AssessmentCriterion",
        null=True,
        on_delete=models.SET_NULL,
        related_name="judgements",
    )
    criterion_title = models.CharField(max_length=255)
    sort_order = models.PositiveSmallIntegerField(default=0)
    met = models.BooleanField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision__isnull=False, renewal_decision__isnull=True)
                | models.Q(decision__isnull=True, renewal_decision__isnull=False),
                name="judgement_of_one_decision",
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion_title}: {'met' if self.met else 'not yet met'}"


class SupervisorRecommendation(AppendOnlyModel):
    """At the end of the review, the supervisor's view of whether the trainee is ready to be
    accredited; append-only, the latest counts."""

    review = models.ForeignKey(
        "accreditation.SupervisedReview", on_delete=models.PROTECT, related_name="recommendations"
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recommendations"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ready = models.BooleanField()
    statement = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{'Ready' if self.ready else 'Not yet ready'}: {self.trainee}"


class CertificateNumberSequence(models.Model):
    """The last certificate number used in a year; locked while a number is taken (gapless)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)


class CertificateQuerySet(models.QuerySet):
    def issued(self) -> "CertificateQuerySet":
        """Issued and neither suspended nor revoked (expired ones included)."""
        return self.filter(status=Certificate.Status.ISSUED)

    def valid(self, *, on: date | None = None) -> "CertificateQuerySet":
        """Issued and still in date on the given day (today unless given)."""
        return self.issued().filter(valid_until__gte=on or timezone.localdate())

    def awarded(self) -> "CertificateQuerySet":
        """Issued at some point, whatever happened since: all but the pending."""
        return self.exclude(status=Certificate.Status.PENDING)

    def with_credential(self) -> "CertificateQuerySet":
        """Each certificate with its current Open Badges credential (None before one is
        issued) as ``current_credential``, in the same query."""
        return self.annotate(
            current_credential=models.FilteredRelation(
                "credentials", condition=models.Q(credentials__replaced_at__isnull=True)
            )
        ).select_related("current_credential")


class Certificate(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ISSUED = "issued", "Issued"
        SUSPENDED = "suspended", "Suspended"
        REVOKED = "revoked", "Revoked"

    # A first award's certificate comes from an application; a renewed one from a renewal.
    application = models.OneToOneField(
        AccreditationApplication,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    renewal = models.OneToOneField(
        "accreditation.RenewalApplication",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="new_certificate",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    scheme = models.ForeignKey(
        "accreditation.AccreditationScheme", on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(max_length=20, unique=True)
    verification_code = models.CharField(max_length=40, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    awarded_at = models.DateField(
        help_text="When accreditation was first awarded; kept on renewal."
    )
    issued_at = models.DateField()
    valid_until = models.DateField()
    pdf = models.FileField(upload_to="certificates/", storage=_private_storage, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    rendering_started_at = models.DateTimeField(null=True, blank=True)
    listed_on_register = models.BooleanField(
        default=False, help_text="The holder chose to appear on the public register."
    )
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application__isnull=False, renewal__isnull=True)
                | models.Q(application__isnull=True, renewal__isnull=False),
                name="certificate_from_application_or_renewal",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def origin_application(self) -> "AccreditationApplication":
        """The application whose approval first accredited the holder; a renewed certificate
        reaches it through its renewal."""
        if self.application_id is not None:
            return self.application
        return self.renewal.application


class CertificateEvent(AppendOnlyModel):
    """The certificate's status history, append-only: who changed it, when, from, to and why."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="events")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=Certificate.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Certificate.Status.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
