"""The review's analysis, as the Learning Together method writes it: key practice episodes
appraised with their contributory factors, and findings about the underlying patterns, each
with its issues for the board."""

from django.db import models

from .review import ReviewPartQuerySet, SupervisedReview

PSEUDONYMS = (
    "Use the review's pseudonyms: never a child's or family member's name, date of birth or "
    "address."
)

# Limits on free text: long enough for a report's paragraphs, short enough to bound a report.
LONG_TEXT = 6000
MEDIUM_TEXT = 3000


class KeyPracticeEpisode(models.Model):
    """A point in the case where practice was significant to how it unfolded. Its number (KPE1,
    KPE2, …) is its place in the review's order: ``sort_order`` runs 1, 2, 3 with no gaps."""

    class Assessment(models.TextChoices):
        GOOD = "good", "Good practice"
        PROBLEMATIC = "problematic", "Problematic"
        MIXED = "mixed", "Mixed"

    class CaseGroupView(models.TextChoices):
        NOT_DISCUSSED = "not_discussed", "Not yet discussed"
        AGREED = "agreed", "Agreed"
        CONTESTED = "contested", "Contested"

    # What is written about the case in words: stripped when saved, redacted on erasure.
    TEXT_FIELDS = (
        "title",
        "what_happened",
        "when",
        "agencies",
        "assessment_explanation",
        "local_rationality",
        "data_sources",
        "case_group_note",
    )

    review = models.ForeignKey(
        SupervisedReview, on_delete=models.CASCADE, related_name="key_practice_episodes"
    )
    title = models.CharField(max_length=200)
    what_happened = models.TextField(max_length=LONG_TEXT)
    when = models.CharField(
        max_length=100, blank=True, help_text="A date or period, e.g. 'March 2025'."
    )
    agencies = models.CharField(max_length=255, blank=True)
    assessment = models.CharField("appraisal", max_length=20, choices=Assessment.choices)
    assessment_explanation = models.TextField(
        "why the practice is appraised so", max_length=MEDIUM_TEXT, blank=True
    )
    local_rationality = models.TextField(
        "why it made sense at the time",
        max_length=LONG_TEXT,
        blank=True,
        help_text="The practitioners' mindset and local rationality: what they knew, what they "
        "were trying to do, and why their actions made sense to them then.",
    )
    data_sources = models.TextField(
        max_length=MEDIUM_TEXT,
        blank=True,
        help_text="The conversations and records the account rests on, for example "
        "'Conversation with the health visitor; GP records'.",
    )
    conversations = models.ManyToManyField(
        "accreditation.Conversation",
        blank=True,
        related_name="episodes",
        verbose_name="conversations it rests on",
        help_text="The review's one-to-one conversations this account draws on.",
    )
    case_group_view = models.CharField(
        "the case group's view",
        max_length=20,
        choices=CaseGroupView.choices,
        default=CaseGroupView.NOT_DISCUSSED,
    )
    case_group_note = models.TextField(
        "note on the case group's view", max_length=MEDIUM_TEXT, blank=True
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewPartQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.label}: {self.title}"

    @property
    def number(self) -> int:
        return self.sort_order

    @property
    def label(self) -> str:
        return f"KPE{self.sort_order}"


class ContributoryFactor(models.Model):
    episode = models.ForeignKey(
        KeyPracticeEpisode, on_delete=models.CASCADE, related_name="contributory_factors"
    )
    category = models.ForeignKey(
        "accreditation.ContributoryFactorCategory", on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(max_length=MEDIUM_TEXT)

    class Meta:
        ordering = ["category__sort_order", "pk"]


class Finding(models.Model):
    """An underlying pattern in the local multi-agency system, written as SCIE's reports write
    a finding. Findings are numbered in priority order."""

    class Direction(models.TextChoices):
        POOR_PRACTICE_MORE_LIKELY = "poor_more_likely", "Makes poor practice more likely"
        SUPPORTS_SAFE_PRACTICE = "supports_safe", "Supports safe practice"

    # What is written about the case in words: stripped when saved, redacted on erasure.
    TEXT_FIELDS = ("title", "in_this_case", "how_we_know", "system_reliability", "statement")

    review = models.ForeignKey(SupervisedReview, on_delete=models.CASCADE, related_name="findings")
    title = models.CharField(max_length=200)
    category = models.ForeignKey(
        "accreditation.FindingCategory", on_delete=models.PROTECT, related_name="+"
    )
    direction = models.CharField(
        max_length=20, choices=Direction.choices, default=Direction.POOR_PRACTICE_MORE_LIKELY
    )
    in_this_case = models.TextField("how it showed itself in this case", max_length=LONG_TEXT)
    how_we_know = models.TextField(
        "how we know it is an underlying issue",
        max_length=LONG_TEXT,
        blank=True,
        help_text="Why it is not peculiar to this case: how widespread the pattern is, data "
        "beyond the case, and the views of the case group and the review team.",
    )
    system_reliability = models.TextField(
        "what it means for the reliability of the system",
        max_length=MEDIUM_TEXT,
        blank=True,
    )
    statement = models.TextField(
        "the finding",
        max_length=1000,
        blank=True,
        help_text="The finding, stated in a sentence or two.",
    )
    episodes = models.ManyToManyField(KeyPracticeEpisode, related_name="findings", blank=True)
    priority = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewPartQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "pk"]

    def __str__(self) -> str:
        return self.title

    def missing(self) -> list[str]:
        """What the finding lacks before the Findings stage may be submitted, as phrases; uses
        prefetched episodes and issues when the caller loaded them."""
        missing = []
        if not self.episodes.all():
            missing.append("a linked key practice episode")
        if not self.issues_for_board.all():
            missing.append("an issue for the board")
        return missing


class IssueForBoard(models.Model):
    """A question for the safeguarding partnership to consider; the board owns the response."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="issues_for_board")
    text = models.TextField(max_length=1000)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name_plural = "issues for the board"

    def __str__(self) -> str:
        return self.text
