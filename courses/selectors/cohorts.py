"""Reads for cohorts: places, the progress grid, the register and a supervisor's trainees.

Each selector runs a fixed number of queries however many trainees there are.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from learning_platform.accounts.models import User
from learning_platform.accounts.roles import Role
from learning_platform.accounts.selectors import active_users_with_role

from ..models import (
    Attendance,
    Cohort,
    Enrolment,
    Invitation,
    ModulePage,
    ModuleProgress,
    TrainingDay,
)

# Enrolments that hold a place in the cohort.
PLACE_HOLDING = (Enrolment.Status.ACTIVE, Enrolment.Status.INVITED)


def cohort_places_taken(*, cohort: Cohort) -> int:
    """Active and invited enrolments, plus invitations nobody has answered yet."""
    enrolled = Enrolment.objects.filter(cohort=cohort, status__in=PLACE_HOLDING).count()
    pending = Invitation.objects.filter(cohort=cohort, enrolment__isnull=True).pending().count()
    return enrolled + pending


def cohort_places_left(*, cohort: Cohort) -> int:
    return max(cohort.capacity - cohort_places_taken(cohort=cohort), 0)


def cohort_pending_invitations(*, cohort: Cohort) -> QuerySet[Invitation]:
    return Invitation.objects.filter(cohort=cohort).pending().select_related("invited_by")


def invitations_unsent_ids(
    *, made_before: datetime, now: datetime, resent_fewer_than: int
) -> list[int]:
    """Invitations still open whose current link was made before ``made_before``, whose email
    has not gone, and that the sweeper has not already sent ``resent_fewer_than`` fresh links.
    Invitations to an erased person's withdrawn address are left alone."""
    return list(
        Invitation.objects.unsent()
        .pending(now)
        .filter(link_made_at__lt=made_before, automatic_resends__lt=resent_fewer_than)
        .exclude(email__iendswith="@invalid")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def cohort_training_days(*, cohort: Cohort) -> list[TrainingDay]:
    return list(cohort.training_days.all())


def course_modules(*, courses) -> dict[int, list[ModulePage]]:
    """Live modules of each course page, in the order editors arranged them. One query."""
    from wagtail.models import Page

    by_path = {course.path: course.pk for course in courses}
    if not by_path:
        return {}
    query = Q()
    for path in by_path:
        query |= Q(path__startswith=path, depth=len(path) // Page.steplen + 1)
    result: dict[int, list[ModulePage]] = {pk: [] for pk in by_path.values()}
    modules = ModulePage.objects.live().filter(query).only("id", "title", "path", "depth")
    for module in modules.order_by("path"):
        course_id = by_path.get(module.path[: -Page.steplen])
        if course_id is not None:
            result[course_id].append(module)
    return result


def cohort_enrolments_to_assign(*, cohort: Cohort) -> list[Enrolment]:
    """Trainees who can be given a supervisor and a review partner: all but the withdrawn."""
    return list(
        Enrolment.objects.filter(cohort=cohort)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .select_related("user", "supervisor")
        .order_by("user__full_name", "user__email")
    )


def supervisor_choices(*, enrolments: list[Enrolment]) -> list[User]:
    """Everyone active in the Supervisor group, and anyone already supervising one of these
    enrolments (so a form does not quietly drop a supervisor who has since left the role).
    One query."""
    users = list(active_users_with_role(role=Role.SUPERVISOR))
    known = {user.pk for user in users}
    for enrolment in enrolments:
        if enrolment.supervisor_id and enrolment.supervisor_id not in known:
            users.append(enrolment.supervisor)
            known.add(enrolment.supervisor_id)
    return users


# Progress grid ------------------------------------------------------------------------------


class Cell:
    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"

    LABELS = {COMPLETED: "Completed", IN_PROGRESS: "In progress", NOT_STARTED: "Not started"}


@dataclass
class GridFilters:
    status: str = ""
    supervisor: int | None = None
    q: str = ""


@dataclass
class GridRow:
    enrolment: Enrolment
    cells: list[str]
    completed: int
    attended: int

    @property
    def cell_labels(self) -> list[tuple[str, str]]:
        return [(cell, Cell.LABELS[cell]) for cell in self.cells]


@dataclass
class ModuleSummary:
    module: ModulePage
    completed: int
    in_progress: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0


@dataclass
class ProgressGrid:
    cohort: Cohort
    modules: list[ModulePage]
    rows: list[GridRow]
    training_day_count: int
    # Days whose register has been taken: a day without one counts as neither present nor absent.
    registers_taken: int = 0
    summaries: list[ModuleSummary] = field(default_factory=list)


def cohort_supervisor_choices(*, cohort: Cohort) -> list[User]:
    """Everyone who supervises someone in this cohort, or the cohort itself. One query."""
    return list(
        User.objects.filter(
            Q(supervised_cohorts=cohort)
            | Q(pk__in=Enrolment.objects.filter(cohort=cohort).values("supervisor"))
        )
        .distinct()
        .order_by("full_name")
    )


def cohort_progress_grid(*, cohort: Cohort, filters: GridFilters | None = None) -> ProgressGrid:
    """Trainees × modules for a cohort, with attendance. Five queries whatever the size."""
    filters = filters or GridFilters()
    modules = course_modules(courses=[cohort.course]).get(cohort.course_id, [])
    # Attendance only counts for days that have come: rows for a later day (saved before the
    # register refused them, or by hand) say nothing about who was there.
    today = timezone.localdate()
    days = TrainingDay.objects.filter(cohort=cohort).aggregate(
        total=Count("pk", distinct=True),
        taken=Count("pk", filter=Q(attendance__isnull=False, date__lte=today), distinct=True),
    )
    training_day_count = days["total"]

    enrolments = (
        Enrolment.objects.filter(cohort=cohort)
        .select_related("user", "supervisor", "review_partner")
        .annotate(
            days_attended=Count(
                "attendance",
                filter=Q(attendance__present=True, attendance__training_day__date__lte=today),
            )
        )
        .order_by("user__full_name", "user__email")
    )
    if filters.status:
        enrolments = enrolments.filter(status=filters.status)
    if filters.supervisor:
        enrolments = enrolments.filter(supervisor_id=filters.supervisor)
    if filters.q:
        enrolments = enrolments.filter(
            Q(user__full_name__icontains=filters.q) | Q(user__email__icontains=filters.q)
        )
    enrolments = list(enrolments)

    # One query for every trainee's progress, read directly so the grid depends on no other code.
    module_ids = {m.pk for m in modules}
    progress: dict[tuple[int, int], bool] = {}
    for enrolment_id, module_id, completed_at in ModuleProgress.objects.filter(
        enrolment__cohort=cohort
    ).values_list("enrolment_id", "module_id", "completed_at"):
        if module_id in module_ids:
            progress[(enrolment_id, module_id)] = completed_at is not None

    rows = []
    for enrolment in enrolments:
        cells = []
        for module in modules:
            done = progress.get((enrolment.pk, module.pk))
            if done is None:
                cells.append(Cell.NOT_STARTED)
            else:
                cells.append(Cell.COMPLETED if done else Cell.IN_PROGRESS)
        rows.append(
            GridRow(
                enrolment=enrolment,
                cells=cells,
                completed=cells.count(Cell.COMPLETED),
                attended=enrolment.days_attended,
            )
        )
    summaries = [
        ModuleSummary(
            module=module,
            completed=sum(1 for row in rows if row.cells[i] == Cell.COMPLETED),
            in_progress=sum(1 for row in rows if row.cells[i] == Cell.IN_PROGRESS),
            total=len(rows),
        )
        for i, module in enumerate(modules)
    ]
    return ProgressGrid(
        cohort=cohort,
        modules=modules,
        rows=rows,
        training_day_count=training_day_count,
        registers_taken=days["taken"],
        summaries=summaries,
    )


def _safe_cell(value: object) -> object:
    if not isinstance(value, str):
        return value
    # An XLSX file cannot hold most control characters (openpyxl refuses the whole workbook),
    # and a name or title pasted from elsewhere can carry one; they mean nothing in a report.
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    # A spreadsheet treats a leading =, +, - or @ as a formula; names come from users.
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def cohort_progress_table(*, grid: ProgressGrid) -> tuple[list[str], list[list[object]]]:
    """The grid as a header and plain rows, for CSV and XLSX downloads."""
    header = [
        "Name",
        "Email",
        "Status",
        "Supervisor",
        "Review partner",
        f"Days attended (of {grid.registers_taken} registers taken)",
        *[module.title for module in grid.modules],
        f"Modules completed (of {len(grid.modules)})",
    ]
    rows = []
    for row in grid.rows:
        e = row.enrolment
        rows.append(
            [
                _safe_cell(value)
                for value in (
                    e.user.full_name,
                    e.user.email,
                    e.get_status_display(),
                    e.supervisor.full_name if e.supervisor else "",
                    e.review_partner.full_name if e.review_partner else "",
                    row.attended,
                    *[Cell.LABELS[cell] for cell in row.cells],
                    row.completed,
                )
            ]
        )
    return [str(_safe_cell(h)) for h in header], rows


# Attendance register ------------------------------------------------------------------------


@dataclass
class RegisterEntry:
    enrolment: Enrolment
    present: bool
    recorded_by: User | None
    recorded_at: object


def attendance_register(*, training_day: TrainingDay) -> list[RegisterEntry]:
    """Active trainees for the day, with what was last recorded for each. Two queries."""
    enrolments = list(
        Enrolment.objects.filter(
            cohort_id=training_day.cohort_id, status=Enrolment.Status.ACTIVE
        ).select_related("user")
    )
    recorded = {
        a.enrolment_id: a
        for a in Attendance.objects.filter(training_day=training_day).select_related("recorded_by")
    }
    entries = []
    for enrolment in enrolments:
        row = recorded.get(enrolment.pk)
        entries.append(
            RegisterEntry(
                enrolment=enrolment,
                present=bool(row and row.present),
                recorded_by=row.recorded_by if row else None,
                recorded_at=row.recorded_at if row else None,
            )
        )
    return entries


# Supervisor home ----------------------------------------------------------------------------


@dataclass
class TraineeSummary:
    enrolment: Enrolment
    modules_completed: int
    modules_total: int


def supervisor_trainees(*, user: User) -> list[TraineeSummary]:
    """Trainees this user supervises directly or through a cohort. Three queries."""
    enrolments = list(
        Enrolment.objects.filter(
            Q(supervisor=user) | Q(cohort__in=Cohort.objects.filter(supervisors=user).values("pk"))
        )
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .select_related("user", "cohort__course", "review_partner")
        .annotate(
            completed_count=Count(
                "module_progress",
                filter=Q(
                    module_progress__completed_at__isnull=False,
                    module_progress__module__live=True,
                ),
                distinct=True,
            )
        )
        .order_by("cohort__name", "user__full_name")
    )
    courses = {e.cohort.course_id: e.cohort.course for e in enrolments}
    modules = course_modules(courses=list(courses.values()))
    return [
        TraineeSummary(
            enrolment=e,
            modules_completed=min(e.completed_count, len(modules.get(e.cohort.course_id, []))),
            modules_total=len(modules.get(e.cohort.course_id, [])),
        )
        for e in enrolments
    ]


def invitation_by_token(*, token: str) -> Invitation | None:
    from ..services.invitations.links import hash_token

    return (
        Invitation.objects.select_related("cohort", "invited_by", "cohort__course")
        .filter(token_hash=hash_token(token))
        .first()
    )
