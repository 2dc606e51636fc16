"""The programme dashboard: per cohort and per funding strand, how many trainees have reached
each point on the way to accreditation. Counted in the database with a fixed number of queries,
whatever the number of trainees."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Length, Substr

from wagtail.models import Page

from courses.models import Cohort, Enrolment, ModulePage, ModuleProgress

from ..models import AccreditationApplication, AccreditationScheme, ReviewStage, StageDefinition

# People on the programme: accepted their place and not withdrawn.
ON_PROGRAMME = (Enrolment.Status.ACTIVE, Enrolment.Status.DEFERRED, Enrolment.Status.COMPLETED)
AppStatus = AccreditationApplication.Status
# Cohorts with no funding strand are totalled under this name.
NO_STRAND = "No funding strand"


@dataclass
class Counts:
    enrolled: int = 0
    modules_complete: int = 0
    review_started: int = 0
    stages_signed_off: int = 0
    stages: dict[int, int] = field(default_factory=dict)
    applied: int = 0
    referred: int = 0
    accredited: int = 0
    withdrawn: int = 0

    def add(self, other: "Counts") -> None:
        for name in (
            "enrolled",
            "modules_complete",
            "review_started",
            "stages_signed_off",
            "applied",
            "referred",
            "accredited",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.withdrawn += other.withdrawn
        for key, value in other.stages.items():
            self.stages[key] = self.stages.get(key, 0) + value


@dataclass
class Row:
    label: str
    counts: Counts
    cohort: Cohort | None = None
    funding_strand: str = ""

    @property
    def strand(self) -> str:
        return self.funding_strand or NO_STRAND


@dataclass
class Column:
    key: str
    label: str
    stage_id: int | None = None


@dataclass
class FunnelStep:
    key: str
    label: str
    value: int


# The way from a place on the programme to accreditation, in the order a trainee goes.
FUNNEL = (
    ("enrolled", "Enrolled"),
    ("modules_complete", "Modules complete"),
    ("review_started", "Supervised review started"),
    ("stages_signed_off", "All stages signed off"),
    ("applied", "Applied"),
    ("accredited", "Accredited"),
)


@dataclass
class Dashboard:
    stage_definitions: list[StageDefinition]
    cohorts: list[Row]
    strands: list[Row]

    @property
    def columns(self) -> list[Column]:
        return [
            Column("enrolled", "Enrolled"),
            Column("modules_complete", "Modules complete"),
            *[
                Column(f"stage_{d.pk}", f"Stage {i}: {d.title} approved", d.pk)
                for i, d in enumerate(self.stage_definitions, start=1)
            ],
            Column("applied", "Applied"),
            Column("referred", "Referred back"),
            Column("accredited", "Accredited"),
            Column("withdrawn", "Withdrawn"),
        ]

    def cohorts_matching(self, *, name: str = "", strand: str = "") -> list[Row]:
        """The cohorts, newest first, whose name holds ``name`` (any case), in the funding strand
        named ``strand`` (as the strand totals name it) when one is given. Every cohort's counts
        are at hand for the strand totals, so the choice costs no query."""
        wanted = name.strip().casefold()
        return [
            row
            for row in self.cohorts
            if wanted in row.label.casefold() and (not strand or row.strand == strand)
        ]

    def funnel(self, row: Row) -> list[FunnelStep]:
        return [FunnelStep(key, label, getattr(row.counts, key)) for key, label in FUNNEL]

    def values(self, row: Row) -> list[tuple[Column, int]]:
        result = []
        for column in self.columns:
            if column.stage_id is not None:
                value = row.counts.stages.get(column.stage_id, 0)
            else:
                value = getattr(row.counts, column.key)
            result.append((column, value))
        return result


def _default_scheme_stages() -> list[StageDefinition]:
    """The stages of the scheme new reviews follow (see ``default_scheme``), read in one query."""
    scheme = AccreditationScheme.objects.filter(is_active=True).order_by("pk").values("pk")[:1]
    return list(StageDefinition.objects.filter(scheme=Subquery(scheme)).order_by("sort_order"))


def _module_totals() -> dict[str, int]:
    """How many live modules each course has, by the course's tree path: one grouped query over
    the modules, whatever the number of cohorts or trainees."""
    return dict(
        ModulePage.objects.filter(live=True)
        .values(course_path=Substr("path", 1, Length("path") - Page.steplen))
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("course_path", "n")
    )


def _enrolments_with_modules_complete(totals: dict[int, int]) -> QuerySet:
    """Ids of the enrolments with a completed record for as many live modules as their course
    has (``totals``: live modules by course id). One GROUP BY over the progress records; a course
    without live modules has nobody complete."""
    totals = {course: n for course, n in totals.items() if n > 0}
    if not totals:
        return Enrolment.objects.none().values("pk")
    course_total = Case(
        *[When(enrolment__cohort__course_id=course, then=Value(n)) for course, n in totals.items()],
        default=None,
        output_field=IntegerField(),
    )
    return (
        ModuleProgress.objects.filter(
            completed_at__isnull=False,
            module__live=True,
            enrolment__status__in=ON_PROGRAMME,
            enrolment__cohort__course_id__in=list(totals),
        )
        .values("enrolment_id", "enrolment__cohort__course_id")
        .annotate(done=Count("pk"))
        .filter(done__gte=course_total)
        .values("enrolment_id")
    )


def _carries_out(stages: QuerySet) -> Q:
    """Enrolments whose trainee carries out a review with one of ``stages``: as its lead, or as
    a partner who is a trainee (an accredited co-reviewer is not on the programme). Each side is
    a set the database builds once, not a lookup per enrolment."""
    return Q(user_id__in=stages.values("review__trainee_id")) | Q(
        user_id__in=stages.filter(
            review__partner_is_accredited=False, review__partner__isnull=False
        ).values("review__partner_id")
    )


def _signed_every_stage(definitions: list[StageDefinition]) -> Q:
    """Enrolments whose trainee has each of the scheme's stages approved on a review they carry
    out (the stages may be on different reviews). With no stages defined, nobody has."""
    if not definitions:
        return Q(pk__in=[])
    approved = ReviewStage.objects.filter(status=ReviewStage.Status.APPROVED)
    condition = Q()
    for definition in definitions:
        condition &= _carries_out(approved.filter(definition=definition))
    return condition


def programme_dashboard() -> Dashboard:
    definitions = _default_scheme_stages()

    cohorts = list(
        Cohort.objects.order_by("-start_date", "name").annotate(
            course_path=F("course__path"),
            enrolled=Count("enrolments", filter=Q(enrolments__status__in=ON_PROGRAMME)),
            withdrawn=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WITHDRAWN)),
        )
    )
    counts = {
        cohort.pk: Counts(enrolled=cohort.enrolled, withdrawn=cohort.withdrawn)
        for cohort in cohorts
    }

    # A trainee has completed the modules when every live module of the cohort's course has a
    # completed progress record on their enrolment. A trainee's review has started once any
    # stage has moved on from "not started"; all its stages are signed off when every stage of
    # the scheme is approved. Both trainees of a pair carry out the review.
    modules = _module_totals()
    totals = {cohort.course_id: modules.get(cohort.course_path, 0) for cohort in cohorts}
    per_cohort = (
        Enrolment.objects.filter(status__in=ON_PROGRAMME)
        .values("cohort_id")
        .annotate(
            modules_complete=Count(
                "pk", filter=Q(pk__in=_enrolments_with_modules_complete(totals))
            ),
            review_started=Count(
                "pk",
                filter=_carries_out(
                    ReviewStage.objects.exclude(status=ReviewStage.Status.NOT_STARTED)
                ),
            ),
            stages_signed_off=Count("pk", filter=_signed_every_stage(definitions)),
        )
        .order_by()
    )
    for item in per_cohort:
        if item["cohort_id"] in counts:
            row = counts[item["cohort_id"]]
            row.modules_complete = item["modules_complete"]
            row.review_started = item["review_started"]
            row.stages_signed_off = item["stages_signed_off"]

    # Both trainees of a pair carry out the review, so each counts for every approved stage.
    approved = ReviewStage.objects.filter(
        status=ReviewStage.Status.APPROVED, definition__in=[d.pk for d in definitions]
    )
    for person in ("trainee", "partner"):
        rows = (
            approved.filter(
                **{f"review__{person}__enrolments__status__in": ON_PROGRAMME},
                **({"review__partner_is_accredited": False} if person == "partner" else {}),
            )
            .values(cohort=F(f"review__{person}__enrolments__cohort"), stage=F("definition_id"))
            .annotate(n=Count(f"review__{person}", distinct=True))
            .order_by()
        )
        for item in rows:
            if item["cohort"] in counts:
                stages = counts[item["cohort"]].stages
                stages[item["stage"]] = stages.get(item["stage"], 0) + item["n"]

    applications = (
        AccreditationApplication.objects.filter(trainee__enrolments__status__in=ON_PROGRAMME)
        .values(cohort=F("trainee__enrolments__cohort"))
        .annotate(
            applied=Count(
                "trainee",
                distinct=True,
                filter=~Q(status__in=[AppStatus.DRAFT, AppStatus.WITHDRAWN]),
            ),
            referred=Count("trainee", distinct=True, filter=Q(status=AppStatus.REFERRED)),
            accredited=Count("trainee", distinct=True, filter=Q(status=AppStatus.APPROVED)),
        )
        .order_by()
    )
    for item in applications:
        if item["cohort"] in counts:
            row = counts[item["cohort"]]
            row.applied, row.referred, row.accredited = (
                item["applied"],
                item["referred"],
                item["accredited"],
            )

    cohort_rows = [
        Row(label=c.name, counts=counts[c.pk], cohort=c, funding_strand=c.funding_strand)
        for c in cohorts
    ]
    strands: dict[str, Counts] = defaultdict(Counts)
    for row in cohort_rows:
        strands[row.strand].add(row.counts)
    strand_rows = [Row(label=name, counts=strands[name]) for name in sorted(strands)]
    return Dashboard(stage_definitions=definitions, cohorts=cohort_rows, strands=strand_rows)
