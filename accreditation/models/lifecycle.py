"""After the award: appeals against a decline or a revocation, and renewal of a certificate."""

from django.conf import settings
from django.db import models

from .base import AppendOnlyModel


class Appeal(models.Model):
    """A trainee's appeal against a decline, or a holder's against a revocation. The grounds
    are fixed once lodged; the outcome is an append-only AppealDecision."""

    class Kind(models.TextChoices):
        DECLINE = "decline", "Against a decline"
        REVOCATION = "revocation", "Against a revocation"

    class Status(models.TextChoices):
        LODGED = "lodged", "Waiting for a decision"
        UPHELD = "upheld", "Upheld (the decision stands)"
        OVERTURNED = "overturned", "Overturned"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appeals"
    )
    # Against a decline: the decision. Against a revocation: the certificate event.
    decision = models.OneToOneField(
        "accreditation.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeal",
    )
    certificate_event = models.OneToOneField(
        "accreditation.CertificateEvent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeal",
    )
    grounds = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.LODGED)
    lodged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-lodged_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind="decline", decision__isnull=False, certificate_event__isnull=True
                )
                | models.Q(
                    kind="revocation", decision__isnull=True, certificate_event__isnull=False
                ),
                name="appeal_against_one_thing",
            )
        ]

    def __str__(self) -> str:
        return f"Appeal by {self.appellant} ({self.get_status_display()})"


class AppealDecision(AppendOnlyModel):
    """The outcome of an appeal, by an assessor who neither made the decision appealed nor
    supervises the appellant; append-only."""

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Upheld (the decision stands)"
        OVERTURNED = "overturned", "Overturned"

    appeal = models.OneToOneField(Appeal, on_delete=models.PROTECT, related_name="outcome")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reasons = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.get_outcome_display()


class RenewalApplication(models.Model):
    """A holder's application to renew their certificate, made inside the renewal window with a
    declaration and their CPD summary. Approval issues a new certificate superseding the old."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        REFERRED = "referred", "Referred back"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="renewals"
    )
    certificate = models.ForeignKey(
        "accreditation.Certificate", on_delete=models.PROTECT, related_name="renewals"
    )
    # The application that first accredited the holder, carried from certificate to certificate.
    application = models.ForeignKey(
        "accreditation.AccreditationApplication", on_delete=models.PROTECT, related_name="+"
    )
    scheme = models.ForeignKey(
        "accreditation.AccreditationScheme", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    practice_statement = models.TextField(
        help_text="The holder's account of their practice since they were accredited."
    )
    declaration = models.BooleanField(default=False)
    # The CPD summary as it stood when the holder applied.
    cpd_hours = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    cpd_entries = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"Renewal by {self.holder} ({self.get_status_display()})"


class RenewalReview(models.Model):
    """A review the holder led or co-led while accredited: on the platform, or outside it with
    a link to its published report."""

    class Role(models.TextChoices):
        LED = "led", "Led"
        CO_LED = "co_led", "Co-led"

    renewal = models.ForeignKey(
        RenewalApplication, on_delete=models.CASCADE, related_name="reviews"
    )
    review = models.ForeignKey(
        "accreditation.SupervisedReview",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(max_length=255, blank=True)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.LED)
    completed_on = models.DateField(null=True, blank=True)
    published_report_url = models.URLField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title or str(self.review)


class RenewalDecision(AppendOnlyModel):
    """An assessor's decision on a renewal, against the scheme's renewal criteria; append-only."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        REFERRED = "referred", "Referred back"
        DECLINED = "declined", "Declined"

    renewal = models.ForeignKey(
        RenewalApplication, on_delete=models.PROTECT, related_name="decisions"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reasons = models.TextField()
    required_actions = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
