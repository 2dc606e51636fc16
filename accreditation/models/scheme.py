from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from wagtail.models import Orderable

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel


class AccreditationScheme(ClusterableModel):
    """What accreditation requires. Staff edit it in the admin; reviews follow its stages."""

    name = models.CharField(max_length=200, unique=True)
    course = models.ForeignKey(
        "courses.CoursePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The course a trainee must complete before applying.",
    )
    requires_course_completion = models.BooleanField(default=True)
    min_group_sessions = models.PositiveSmallIntegerField(
        default=4, help_text="Group supervision sessions a trainee must have attended."
    )
    min_individual_sessions = models.PositiveSmallIntegerField(
        default=1, help_text="Individual sessions, held during report writing."
    )
    requires_reflective_statement = models.BooleanField(default=True)
    reflective_statement_guidance = models.TextField(blank=True)
    min_statement_words = models.PositiveIntegerField(
        default=300,
        help_text="The fewest words a reflective statement may have when the trainee submits.",
    )
    validity_years = models.PositiveSmallIntegerField(
        default=3, help_text="How long a certificate stays valid."
    )
    renewal_evidence = models.TextField(
        blank=True, help_text="What a holder must show to renew (CPD and practice evidence)."
    )
    review_type_expectations_required = models.BooleanField(
        "review type's expectations are requirements",
        default=False,
        help_text="When ticked, a trainee cannot apply until their review has held the "
        "conversations and meetings its type expects. Otherwise they are shown as guidance.",
    )
    min_training_days = models.PositiveSmallIntegerField(
        "training days to attend",
        null=True,
        blank=True,
        help_text="How many of the cohort's training days a trainee must have attended. Leave "
        "blank for all of them. Only days whose register has been taken count.",
    )
    accreditation_statement = models.TextField(
        "what the holder is accredited to do",
        blank=True,
        default="is accredited to lead Learning Together multi-agency case reviews in "
        "safeguarding, using the systems approach developed by SCIE.",
        help_text="Printed on the certificate after the holder's name.",
    )
    appeal_window_days = models.PositiveSmallIntegerField(
        "appeal window (days)",
        default=28,
        validators=[MinValueValidator(1)],
        help_text="How long after a decline or a revocation the person may appeal.",
    )
    renewal_window_days = models.PositiveSmallIntegerField(
        "renewal opens (days before expiry)",
        default=90,
        validators=[MinValueValidator(1)],
        help_text="A holder may apply to renew from this many days before the certificate's "
        "valid-until date.",
    )
    renewal_grace_days = models.PositiveSmallIntegerField(
        "grace period (days after expiry)",
        default=30,
        help_text="A holder may still apply to renew for this many days after the valid-until "
        "date; after that the certificate has expired and they must re-accredit.",
    )
    renewal_cpd_hours = models.PositiveSmallIntegerField(
        "CPD hours to renew",
        default=30,
        help_text="The CPD hours a holder must have logged over the certificate's validity.",
    )
    renewal_reviews_required = models.PositiveSmallIntegerField(
        "reviews led or co-led to renew",
        default=1,
        help_text="Learning Together reviews the holder must have led or co-led over the "
        "certificate's validity, on the platform or outside it.",
    )
    public_register_enabled = models.BooleanField(
        default=True, help_text="Holders may choose to appear on the public register."
    )
    report_introduction = models.TextField(
        "introduction",
        blank=True,
        help_text="Opens every review's draft report: why Learning Together reviews are "
        "carried out and what the report is for.",
    )
    report_methodology = models.TextField(
        "methodology",
        blank=True,
        help_text="The draft report's account of the systems method: the review team, the case "
        "group, the conversations and the analysis. Blank lines separate paragraphs.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StageDefinition(Orderable):
    class Register(models.TextChoices):
        NONE = "", "None"
        KEY_PRACTICE_EPISODES = "kpe", "Key practice episodes and contributory factors"
        FINDINGS = "findings", "Findings (underlying patterns) and issues for the board"

    class Needs(models.TextChoices):
        EVIDENCE = "evidence", "Files or written notes"
        REGISTER = "register", "Entries in its register"
        BOTH = "both", "Files or written notes, and entries in its register"

    scheme = ParentalKey(AccreditationScheme, on_delete=models.CASCADE, related_name="stages")
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    expected_evidence = models.TextField(blank=True)
    register = models.CharField(
        max_length=20,
        choices=Register.choices,
        blank=True,
        default=Register.NONE,
        help_text="A structured register the trainee fills in at this stage.",
    )
    needs = models.CharField(
        "needed before submitting",
        max_length=20,
        choices=Needs.choices,
        default=Needs.EVIDENCE,
        help_text="What the trainee must add before they can submit this stage for sign-off.",
    )
    min_register_entries = models.PositiveSmallIntegerField(
        "register entries needed",
        default=1,
        validators=[MinValueValidator(1)],
        help_text="When the register counts: the fewest entries it must have.",
    )

    class Meta(Orderable.Meta):
        pass

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.needs_register and not self.register:
            raise ValidationError(
                {
                    "needs": "This stage has no register, so only files or written notes can be "
                    "needed before submitting it. Choose a register, or choose files or notes."
                }
            )

    @property
    def needs_evidence(self) -> bool:
        return self.needs in (self.Needs.EVIDENCE, self.Needs.BOTH)

    @property
    def needs_register(self) -> bool:
        return self.needs in (self.Needs.REGISTER, self.Needs.BOTH)


class AssessmentCriterion(Orderable):
    """A standard an assessor judges met or not yet met, for a first accreditation or for its
    renewal. Editable; each judgement keeps the criterion's wording as it was."""

    class Purpose(models.TextChoices):
        ACCREDITATION = "accreditation", "Accreditation"
        RENEWAL = "renewal", "Renewal"

    scheme = ParentalKey(AccreditationScheme, on_delete=models.CASCADE, related_name="criteria")
    purpose = models.CharField(
        max_length=20, choices=Purpose.choices, default=Purpose.ACCREDITATION
    )
    title = models.CharField(max_length=255)
    description = models.TextField(
        "what “met” looks like",
        blank=True,
        help_text="Shown to the trainee before they apply and to the assessor who judges it.",
    )

    class Meta(Orderable.Meta):
        verbose_name = "assessment criterion"
        verbose_name_plural = "assessment criteria"

    def __str__(self) -> str:
        return self.title


class Region(models.Model):
    """A region a reviewer works in, for the public register's filter. Data, not code."""

    name = models.CharField(max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class CpdActivityType(models.Model):
    """A kind of continuing professional development activity. Data, not code."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "CPD activity type"

    def __str__(self) -> str:
        return self.name


class FactorLevel(models.Model):
    """A level at which contributory factors work, from frontline practice to national context."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class ContributoryFactorCategory(models.Model):
    """The nine contributory-factor categories; data, so staff can edit them."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    level = models.ForeignKey(
        FactorLevel,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="categories",
        help_text="The level at which factors of this kind work.",
    )
    prompting_questions = models.TextField(
        blank=True,
        help_text="Questions that lead the trainee through this category, one per line. They "
        "are shown beside the box where a factor is written.",
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name_plural = "contributory factor categories"

    def __str__(self) -> str:
        return self.name

    @property
    def questions(self) -> list[str]:
        return [line.strip() for line in self.prompting_questions.splitlines() if line.strip()]


class FindingCategory(models.Model):
    """The typology of underlying patterns that sorts a review's findings; one list, used by the
    findings register, the draft report and the training module. Data, not code."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "finding category"
        verbose_name_plural = "finding categories (typology)"

    def __str__(self) -> str:
        return self.name


class ReviewType(models.Model):
    """A kind of Learning Together review, with what it is expected to involve. Data, so staff
    can edit it; reviews that use a type keep it from being deleted."""

    code = models.SlugField(
        max_length=40, unique=True, help_text="A short, fixed name used in exports and links."
    )
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    expected_duration_months = models.PositiveSmallIntegerField(
        "expected duration (months)",
        default=6,
        validators=[MinValueValidator(1)],
        help_text="Sets a review's target date from its start, unless it is a statutory review "
        "(six months from the partners' decision).",
    )
    has_conversations = models.BooleanField(
        "has one-to-one conversations",
        default=True,
        help_text="The lead reviewers hold a one-to-one conversation with each member of the "
        "case group.",
    )
    min_conversations = models.PositiveSmallIntegerField(
        "conversations required",
        default=0,
        help_text="The fewest one-to-one conversations held, where the scheme makes the type's "
        "expectations requirements. 0 for a type without conversations.",
    )
    expected_team_meetings = models.PositiveSmallIntegerField(
        "expected review-team meetings", default=0
    )
    expected_joint_meetings = models.PositiveSmallIntegerField(
        "expected joint meetings",
        default=0,
        help_text="Follow-up meetings of the review team with the case group, after the "
        "introductory meeting.",
    )
    covers_several_cases = models.BooleanField(
        default=False, help_text="A themed review: it holds several pseudonymous case references."
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if not self.has_conversations and self.min_conversations:
            raise ValidationError(
                {
                    "min_conversations": "A review type without one-to-one conversations cannot "
                    "require any. Set this to 0, or tick “has one-to-one conversations”."
                }
            )
