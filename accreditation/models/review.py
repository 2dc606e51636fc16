from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format

from .base import AppendOnlyModel, private_storage


def _private_storage():
    # Evidence is confidential: never the public media storage.
    return private_storage


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    # The stored name is random; the original name is kept separately for downloads.
    import secrets

    return f"evidence/{instance.stage.review_id}/{secrets.token_hex(16)}"


def review_carried_out_by(person, *, through: str = "", accredited_partner: bool = True) -> Q:
    """Reviews ``person`` carries out, as the lead trainee or as the partner; ``through`` is the
    path from the rows being filtered to their review ("review", "stage__review"), empty for the
    reviews themselves. ``accredited_partner=False`` leaves out the reviews on which the person is
    an accredited co-reviewer rather than a trainee. ``person`` may be an ``OuterRef``."""
    prefix = f"{through}__" if through else ""
    partner = Q(**{f"{prefix}partner": person})
    if not accredited_partner:
        partner &= Q(**{f"{prefix}partner_is_accredited": False})
    return Q(**{f"{prefix}trainee": person}) | partner


class ReviewPartQuerySet(models.QuerySet):
    """Rows that belong to one supervised review, reached from each row by ``review_path``."""

    review_path = "review"

    def carried_out_by(self, person, *, accredited_partner: bool = True) -> "ReviewPartQuerySet":
        return self.filter(
            review_carried_out_by(
                person, through=self.review_path, accredited_partner=accredited_partner
            )
        )


class SupervisedReviewQuerySet(ReviewPartQuerySet):
    """The reviews themselves: there is no path to follow."""

    review_path = ""


class SupervisedReview(models.Model):
    STATUTORY_MONTHS = 6  # a child safeguarding practice review: six months from the decision

    scheme = models.ForeignKey(
        "accreditation.AccreditationScheme", on_delete=models.PROTECT, related_name="reviews"
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lead_reviews"
    )
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partner_reviews",
        help_text="The other trainee, or an accredited co-reviewer.",
    )
    partner_is_accredited = models.BooleanField(
        default=False, help_text="The partner is an accredited reviewer, not a trainee."
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervised_reviews"
    )
    commissioning_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="commissioned_reviews"
    )
    case_reference = models.CharField(
        max_length=60,
        help_text=(
            "A pseudonymous reference, for example 'Child K' or 'LSCB-2026-03'. Never enter a "
            "child's or family member's name, date of birth or address."
        ),
    )
    review_type = models.ForeignKey(
        "accreditation.ReviewType",
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name="type of review",
    )
    start_date = models.DateField()
    target_publication_date = models.DateField(
        blank=True,
        help_text="Defaults to the type's expected duration after the start; for a statutory "
        "review, six months after the partners' decision.",
    )
    # The statutory clock (a child safeguarding practice review, England).
    is_statutory = models.BooleanField(
        "statutory child safeguarding practice review",
        default=False,
        help_text="The report is then expected six months after the safeguarding partners "
        "decided to hold the review.",
    )
    incident_notified_on = models.DateField(
        "serious incident notified", null=True, blank=True, help_text="Optional."
    )
    rapid_review_on = models.DateField("rapid review", null=True, blank=True, help_text="Optional.")
    decision_on = models.DateField(
        "partners decided to hold the review",
        null=True,
        blank=True,
        help_text="Required for a statutory review: its six months run from this date.",
    )
    # The milestones that end it.
    board_agreed_on = models.DateField("board agreed the report", null=True, blank=True)
    published_on = models.DateField("published", null=True, blank=True)
    published_report_url = models.URLField(
        "link to the published report", max_length=500, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SupervisedReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"{self.case_reference} ({self.review_type.name})"

    def save(self, *args, **kwargs):
        if self.is_statutory and self.decision_on or not self.target_publication_date:
            self.target_publication_date = self.default_target()
        super().save(*args, **kwargs)

    def default_target(self) -> date | None:
        """Six months from the partners' decision for a statutory review; otherwise the
        type's expected duration from the start."""
        if self.is_statutory and self.decision_on:
            return _add_months(self.decision_on, self.STATUTORY_MONTHS)
        if self.start_date and self.review_type_id:
            return _add_months(self.start_date, self.review_type.expected_duration_months)
        return None


def _add_months(day: date, months: int) -> date:
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class ReviewStage(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"

    review = models.ForeignKey(SupervisedReview, on_delete=models.CASCADE, related_name="stages")
    definition = models.ForeignKey(
        "accreditation.StageDefinition", on_delete=models.PROTECT, related_name="+"
    )
    sort_order = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewPartQuerySet.as_manager()

    class Meta:
        ordering = ["review", "sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "definition"], name="one_stage_per_definition"
            )
        ]

    def __str__(self) -> str:
        return f"{self.definition.title} – {self.review}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", "File"
        NOTE = "note", "Written note"

    stage = models.ForeignKey(ReviewStage, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    file = models.FileField(upload_to=evidence_upload_to, storage=_private_storage, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    purged_at = models.DateTimeField(
        null=True, blank=True, help_text="When the retention policy deleted the file."
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.title


class SignOff(AppendOnlyModel):
    """An append-only record of a decision on a stage."""

    class Decision(models.TextChoices):
        STARTED = "started", "Started"
        SUBMITTED = "submitted", "Submitted for sign-off"
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        REOPENED = "reopened", "Reopened"

    stage = models.ForeignKey(ReviewStage, on_delete=models.CASCADE, related_name="sign_offs")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    from_status = models.CharField(max_length=20, choices=ReviewStage.Status.choices)
    to_status = models.CharField(max_length=20, choices=ReviewStage.Status.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]


class SupervisionSession(models.Model):
    class Kind(models.TextChoices):
        GROUP = "group", "Group supervision"
        INDIVIDUAL = "individual", "Individual supervision"

    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_sessions"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    date = models.DateField()
    duration_minutes = models.PositiveSmallIntegerField()
    notes = models.TextField(blank=True)
    during_report_writing = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {date_format(self.date)}"


class SupervisionAttendance(models.Model):
    session = models.ForeignKey(
        SupervisionSession, on_delete=models.CASCADE, related_name="attendees"
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_attendance"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "trainee"], name="one_attendance_per_session"
            )
        ]
