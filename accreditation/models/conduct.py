"""The review as it is run: the cases a themed review covers, the review team and the case
group the lead reviewers work with (professionals, not platform users), the family's
involvement (without names), the one-to-one conversations and the meetings."""

from django.conf import settings
from django.db import models

from .analysis import MEDIUM_TEXT, PSEUDONYMS
from .review import ReviewPartQuerySet, SupervisedReview

# The words a review record's notes share with evidence: private to the review.
PRIVATE_NOTES = (
    "Private to the review: only the lead reviewers, their supervisor and, once an application "
    "rests on the review, its assessor read these notes. " + PSEUDONYMS
)


class ReviewCase(models.Model):
    """One of the cases a themed review covers, by its pseudonymous reference."""

    review = models.ForeignKey(SupervisedReview, on_delete=models.CASCADE, related_name="cases")
    reference = models.CharField(
        max_length=60,
        help_text="A pseudonymous reference, for example 'Child K'. Never a name, date of birth "
        "or address.",
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    objects = ReviewPartQuerySet.as_manager()

    class Meta:
        ordering = ["review", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.reference


class ReviewTeamMember(models.Model):
    """A senior manager from one of the agencies involved, on the review team."""

    TEXT_FIELDS = ("name", "role", "agency")

    review = models.ForeignKey(
        SupervisedReview, on_delete=models.CASCADE, related_name="team_members"
    )
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=120)
    agency = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewPartQuerySet.as_manager()

    class Meta:
        ordering = ["review", "agency", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role}, {self.agency})"


class CaseGroupParticipant(models.Model):
    """A practitioner or manager who worked the case. A name is optional: initials often do,
    and the case group's notes are easier to keep private without names."""

    class Involvement(models.TextChoices):
        DIRECT = "direct", "Directly involved"
        MANAGER = "manager", "As a manager"

    TEXT_FIELDS = ("name", "role", "agency")

    review = models.ForeignKey(
        SupervisedReview, on_delete=models.CASCADE, related_name="case_group"
    )
    name = models.CharField(
        "name or initials",
        max_length=120,
        blank=True,
        help_text="Optional. Initials (for example 'J.T.') are often better: the role and agency "
        "say who the person is to the review, and notes stay easier to keep private.",
    )
    role = models.CharField(max_length=120)
    agency = models.CharField(max_length=120)
    involvement = models.CharField(
        max_length=20, choices=Involvement.choices, default=Involvement.DIRECT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewPartQuerySet.as_manager()

    class Meta:
        ordering = ["review", "agency", "role", "pk"]

    def __str__(self) -> str:
        who = f"{self.name}, " if self.name else ""
        return f"{who}{self.role} ({self.agency})"


class FamilyInvolvement(models.Model):
    """How a family member was involved, recorded without a name."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        DECLINED = "declined", "Declined"
        TOOK_PART = "took_part", "Took part"

    TEXT_FIELDS = ("relationship", "how")

    review = models.ForeignKey(
        SupervisedReview, on_delete=models.CASCADE, related_name="family_involvement"
    )
    relationship = models.CharField(
        "family member",
        max_length=80,
        help_text="Their relationship to the child or adult, for example 'Mother' or "
        "'Grandparent'. Never a name.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INVITED)
    how = models.TextField(
        "how they were involved",
        max_length=MEDIUM_TEXT,
        blank=True,
        help_text="For example 'A home visit by both lead reviewers'. " + PSEUDONYMS,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewPartQuerySet.as_manager()

    class Meta:
        ordering = ["review", "pk"]
        verbose_name_plural = "family involvement"

    def __str__(self) -> str:
        return f"{self.relationship} ({self.get_status_display().lower()})"


class Conversation(models.Model):
    """A one-to-one conversation with case-group members: planned, then held."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"

    TEXT_FIELDS = ("notes",)

    review = models.ForeignKey(
        SupervisedReview, on_delete=models.CASCADE, related_name="conversations"
    )
    participants = models.ManyToManyField(
        CaseGroupParticipant, related_name="conversations", help_text="From the case group."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    date = models.DateField(help_text="When it is planned for, or when it was held.")
    lead_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Which of the lead reviewers holds the conversation.",
    )
    notes = models.TextField(max_length=MEDIUM_TEXT * 2, blank=True, help_text=PRIVATE_NOTES)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewPartQuerySet.as_manager()

    class Meta:
        ordering = ["review", "date", "pk"]

    def __str__(self) -> str:
        return f"Conversation on {self.date:%d %b %Y}"


class ReviewMeeting(models.Model):
    """A meeting of the review team, or of the review team with the case group."""

    class Kind(models.TextChoices):
        REVIEW_TEAM = "review_team", "Review-team meeting"
        INTRODUCTORY = "introductory", "Case-group introductory meeting"
        JOINT = "joint", "Joint follow-up meeting"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"

    TEXT_FIELDS = ("notes",)

    review = models.ForeignKey(SupervisedReview, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    date = models.DateField()
    team_attendees = models.ManyToManyField(
        ReviewTeamMember, blank=True, related_name="meetings", verbose_name="review team present"
    )
    group_attendees = models.ManyToManyField(
        CaseGroupParticipant,
        blank=True,
        related_name="meetings",
        verbose_name="case group present",
    )
    notes = models.TextField(max_length=MEDIUM_TEXT * 2, blank=True, help_text=PRIVATE_NOTES)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewPartQuerySet.as_manager()

    class Meta:
        ordering = ["review", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.date:%d %b %Y}"
