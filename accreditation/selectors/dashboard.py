"""The programme dashboard: per cohort and per funding strand, how many trainees have reached
each point on the way to accreditation. Counted in the database with a fixed number of queries,
whatever the number of trainees."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from courses.models import Cohort, Enrolment, ModulePage, ModuleProgress

from ..models import AccreditationApplication, ReviewStage, StageDefinition
from .readiness import default_scheme

# People on the programme: accepted their place and not withdrawn.
ON_PROGRAMME = (Enrolment.Status.ACTIVE, Enrolment.Status.DEFERRED, Enrolment.Status.COMPLETED)
AppStatus = AccreditationApplication.Status


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


def _count_subquery(queryset, counted: str = "pk", *, distinct: bool = False) -> Subquery:
    return Coalesce(
        Subquery(
            queryset.order_by()
            .values(group=F("pk") * 0)
            .annotate(n=Count(counted, distinct=distinct))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def programme_dashboard() -> Dashboard:
    scheme = default_scheme()
    definitions = list(scheme.stages.order_by("sort_order")) if scheme else []

    cohorts = list(
        Cohort.objects.order_by("-start_date", "name").annotate(
            enrolled=Count("enrolments", filter=Q(enrolments__status__in=ON_PROGRAMME)),
            withdrawn=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WITHDRAWN)),
        )
    )
    counts = {
        cohort.pk: Counts(enrolled=cohort.enrolled, withdrawn=cohort.withdrawn)
        for cohort in cohorts
    }

    # A trainee has completed the modules when every live module of the cohort's course has a
    # completed progress record on their enrolment.
    total_modules = _count_subquery(
        ModulePage.objects.filter(
            live=True,
            depth=OuterRef("cohort__course__depth") + 1,
            path__startswith=OuterRef("cohort__course__path"),
        )
    )
    done_modules = _count_subquery(
        ModuleProgress.objects.filter(
            enrolment=OuterRef("pk"), completed_at__isnull=False, module__live=True
        )
    )
    # A trainee's review has started once any stage has moved on from "not started"; all its
    # stages are signed off when every stage of the scheme is approved. Both trainees of a pair
    # carry out the review; an accredited co-reviewer is not on the programme.
    their_stages = ReviewStage.objects.carried_out_by(OuterRef("user"), accredited_partner=False)
    started_stages = _count_subquery(their_stages.exclude(status=ReviewStage.Status.NOT_STARTED))
    approved_stages = _count_subquery(
        their_stages.filter(
            status=ReviewStage.Status.APPROVED, definition__in=[d.pk for d in definitions]
        ),
        "definition",
        distinct=True,
    )
    per_trainee = (
        Enrolment.objects.filter(status__in=ON_PROGRAMME)
        .annotate(
            total=total_modules, done=done_modules, started=started_stages, signed=approved_stages
        )
        .values("cohort_id")
        .annotate(
            modules_complete=Count("pk", filter=Q(total__gt=0, done__gte=F("total"))),
            review_started=Count("pk", filter=Q(started__gt=0)),
            # With no stages defined, nobody has signed them all off.
            stages_signed_off=Count("pk", filter=Q(signed__gte=max(len(definitions), 1))),
        )
        .order_by()
    )
    for item in per_trainee:
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
        strands[row.funding_strand or "No funding strand"].add(row.counts)
    strand_rows = [Row(label=name, counts=strands[name]) for name in sorted(strands)]
    return Dashboard(stage_definitions=definitions, cohorts=cohort_rows, strands=strand_rows)
