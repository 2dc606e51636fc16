import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class Cohort(ClusterableModel):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    name = models.CharField(max_length=200, help_text='For example "London boards 2011".')
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="cohorts"
    )
    funding_strand = models.CharField(
        max_length=200, blank=True, help_text="For example the DfE VCS grant."
    )
    start_date = models.DateField()
    end_date = models.DateField()
    capacity = models.PositiveIntegerField(default=20)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="supervised_cohorts"
    )
    # The secret in the cohort's calendar feed URL, which calendar apps fetch without signing in.
    calendar_token = models.CharField(
        max_length=64, unique=True, default=new_calendar_token, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "name"]

    def __str__(self) -> str:
        return self.name


class TrainingDay(models.Model):
    cohort = ParentalKey(Cohort, on_delete=models.CASCADE, related_name="training_days")
    date = models.DateField()
    title = models.CharField(max_length=200, help_text='For example "Day 1: systems thinking".')
    venue = models.CharField(max_length=255, blank=True)
    online_link = models.URLField(blank=True)
    starts_at = models.TimeField(null=True, blank=True)
    ends_at = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "starts_at"]

    def __str__(self) -> str:
        return f"{self.title} ({date_format(self.date)})"

    def clean(self) -> None:
        super().clean()
        if self.ends_at and not self.starts_at:
            raise ValidationError({"starts_at": "Give the start time as well as the end time."})
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(
                {
                    "ends_at": (
                        f"The end time must be after the start time ({self.starts_at:%H:%M})."
                    )
                }
            )

    def has_begun(self, today=None) -> bool:
        """Whether the day has come: its register can be taken from the day itself onwards."""
        return self.date <= (today or timezone.localdate())

    @property
    def valid_ends_at(self):
        """The end time, if it is after the start time; rows saved before the check may not be."""
        if self.starts_at and self.ends_at and self.ends_at > self.starts_at:
            return self.ends_at
        return None


class Enrolment(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"
        DEFERRED = "deferred", "Deferred"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INVITED)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_enrolments",
    )
    review_partner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Trainees carry out their supervised review in pairs.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cohort", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "cohort"], name="one_enrolment_per_cohort")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort}"


class Attendance(models.Model):
    training_day = models.ForeignKey(
        TrainingDay, on_delete=models.CASCADE, related_name="attendance"
    )
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["training_day", "enrolment"], name="one_attendance_per_day"
            )
        ]


class InvitationQuerySet(models.QuerySet):
    """The filters by state, so the admin's filter, the cohort page and the services agree on
    what "waiting for a reply" means."""

    def pending(self, now=None):
        return self.filter(accepted_at__isnull=True, expires_at__gt=now or timezone.now())

    def accepted(self):
        return self.filter(accepted_at__isnull=False)

    def expired(self, now=None):
        return self.filter(accepted_at__isnull=True, expires_at__lte=now or timezone.now())

    def in_state(self, state: str, now=None):
        return {
            Invitation.State.PENDING: lambda: self.pending(now),
            Invitation.State.ACCEPTED: self.accepted,
            Invitation.State.EXPIRED: lambda: self.expired(now),
        }[state]()

    def unsent(self):
        """Open invitations whose current link has not been emailed yet."""
        return self.filter(accepted_at__isnull=True, emailed_at__isnull=True)


class Invitation(models.Model):
    """A single-use, expiring invitation to join a cohort. Only a hash of the token is stored,
    with the random nonce the token is made from together with the SECRET_KEY (so the email can
    be made, or made again, when it is sent, without the token passing through the broker)."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for a reply"
        ACCEPTED = "accepted", "Accepted"
        EXPIRED = "expired", "Expired"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    full_name = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL
    )
    job_title = models.CharField(max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    # Blank for a link made some other way (the demo's, or one from before links were made from
    # a nonce): such a link is replaced by a fresh one if its email has still to be sent.
    link_nonce = models.CharField(max_length=64, blank=True, default="", editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    # When the current link was made, and when the email carrying it went. The sweeper sends a
    # fresh link to an invitation whose email has not gone ten minutes after its link was made,
    # since only the email ever holds the token itself.
    link_made_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Fresh links the sweeper has sent on its own; it stops after a few, so an address the mail
    # server always refuses is not sent a new link forever. Staff sending one resets it.
    automatic_resends = models.PositiveSmallIntegerField(default=0)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enrolment = models.OneToOneField(
        Enrolment, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.cohort}"

    @property
    def state(self) -> "Invitation.State":
        if self.accepted_at is not None:
            return self.State.ACCEPTED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING
