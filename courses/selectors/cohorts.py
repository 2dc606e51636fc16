"""Reads for cohorts: the cohort list, places, the progress grid and its downloads, the
register and a supervisor's trainees.

Each selector runs a fixed number of queries however many trainees there are; lists that grow
with the data are read a page at a time, and downloads a chunk at a time.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet, TextChoices
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


# Cohort list --------------------------------------------------------------------------------

COHORT_PAGE_SIZE = 25


class CohortTiming(TextChoices):
    CURRENT = "current", "Running now"
    UPCOMING = "upcoming", "Starting later"
    PAST = "past", "Finished"


def cohorts_matching(
    *, cohorts: QuerySet[Cohort], q: str = "", timing: str = "", today: date
) -> QuerySet[Cohort]:
    """Those of ``cohorts`` (already limited to what the person may see) whose name holds ``q``
    and whose dates put them before, around or after ``today``: newest first."""
    if q:
        cohorts = cohorts.filter(name__icontains=q)
    if timing == CohortTiming.CURRENT:
        cohorts = cohorts.filter(start_date__lte=today, end_date__gte=today)
    elif timing == CohortTiming.UPCOMING:
        cohorts = cohorts.filter(start_date__gt=today)
    elif timing == CohortTiming.PAST:
        cohorts = cohorts.filter(end_date__lt=today)
    # The last key makes the order total, so a cohort never appears on two pages or on none.
    return cohorts.order_by("-start_date", "name", "pk")


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


ASSIGNMENT_PAGE_SIZE = 25
# The last key makes the order total, so a trainee never appears on two pages or on none.
ASSIGNMENT_ORDER = ("user__full_name", "user__email", "pk")
ASSIGNMENT_SEARCH_MAX = 100


def _assignable(cohort: Cohort) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(cohort=cohort).exclude(status=Enrolment.Status.WITHDRAWN)


def assignment_search_text(value: str | None) -> str:
    return (value or "").strip()[:ASSIGNMENT_SEARCH_MAX]


def cohort_enrolments_to_assign(
    *,
    cohort: Cohort,
    q: str = "",
    page_number: str | int | None = None,
    per_page: int = ASSIGNMENT_PAGE_SIZE,
) -> Page:
    """One page of the trainees who can be given a supervisor and a review partner (all but the
    withdrawn), those whose name or email holds ``q``. Two queries: the count and the page."""
    enrolments = _assignable(cohort)
    if q:
        enrolments = enrolments.filter(
            Q(user__full_name__icontains=q) | Q(user__email__icontains=q)
        )
    page = Paginator(
        enrolments.select_related("user", "supervisor").order_by(*ASSIGNMENT_ORDER), per_page
    ).get_page(page_number)
    page.object_list = list(page.object_list)
    return page


def review_partner_choices(*, cohort: Cohort) -> list[tuple[int, str]]:
    """(user id, name) of every trainee who can be a review partner in the cohort, whichever
    page they are on. One query, read as tuples: a national cohort has ten thousand."""
    return [
        (user_id, full_name or email)
        for user_id, full_name, email in _assignable(cohort)
        .order_by(*ASSIGNMENT_ORDER)
        .values_list("user_id", "user__full_name", "user__email")
    ]


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

GRID_PAGE_SIZE = 50
# Trainees read per query when a download walks the whole cohort: small enough that the rows,
# their progress and their attendance stay a few hundred kilobytes, and that a chunk's ids fit
# one IN list on every database.
EXPORT_CHUNK_SIZE = 500
# The last key makes the order total, so a trainee never appears on two pages or on none.
GRID_ORDER = ("user__full_name", "user__email", "pk")


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

    @property
    def active(self) -> bool:
        return bool(self.status or self.supervisor or self.q)


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
    # One page of trainees; `page` says which, and `total` how many match the filters.
    rows: list[GridRow]
    training_day_count: int
    # Days whose register has been taken: a day without one counts as neither present nor absent.
    registers_taken: int = 0
    summaries: list[ModuleSummary] = field(default_factory=list)
    page: Page | None = None
    total: int = 0


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


def cohort_grid_enrolments(*, cohort: Cohort, filters: GridFilters) -> QuerySet[Enrolment]:
    """The cohort's enrolments that match the filters, unordered and without related rows."""
    enrolments = Enrolment.objects.filter(cohort=cohort)
    if filters.status:
        enrolments = enrolments.filter(status=filters.status)
    if filters.supervisor:
        enrolments = enrolments.filter(supervisor_id=filters.supervisor)
    if filters.q:
        enrolments = enrolments.filter(
            Q(user__full_name__icontains=filters.q) | Q(user__email__icontains=filters.q)
        )
    return enrolments.order_by()


def _grid_modules(cohort: Cohort) -> list[ModulePage]:
    return course_modules(courses=[cohort.course]).get(cohort.course_id, [])


def _training_days(cohort: Cohort, today: date) -> dict[str, int]:
    # Attendance only counts for days that have come: rows for a later day (saved before the
    # register refused them, or by hand) say nothing about who was there.
    return TrainingDay.objects.filter(cohort=cohort).aggregate(
        total=Count("pk", distinct=True),
        taken=Count("pk", filter=Q(attendance__isnull=False, date__lte=today), distinct=True),
    )


def _grid_rows(
    enrolments: list[Enrolment], modules: list[ModulePage], today: date
) -> list[GridRow]:
    """Rows for these enrolments: two queries, whatever the size of the cohort around them."""
    ids = [e.pk for e in enrolments]
    if not ids:
        return []
    attended = dict(
        Attendance.objects.filter(enrolment_id__in=ids, present=True, training_day__date__lte=today)
        .order_by()
        .values("enrolment_id")
        .annotate(days=Count("pk"))
        .values_list("enrolment_id", "days")
    )
    # Progress is read directly so the grid depends on no other code.
    # Whether each module is done, asked of the database rather than read as a timestamp:
    # parsing one per trainee per module is a large share of a national cohort's download.
    progress: dict[tuple[int, int], bool] = {
        (enrolment_id, module_id): bool(done)
        for enrolment_id, module_id, done in ModuleProgress.objects.filter(
            enrolment_id__in=ids, module_id__in=[m.pk for m in modules]
        )
        .annotate(done=ExpressionWrapper(Q(completed_at__isnull=False), BooleanField()))
        .values_list("enrolment_id", "module_id", "done")
    }
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
                attended=attended.get(enrolment.pk, 0),
            )
        )
    return rows


def _module_summaries(
    enrolments: QuerySet[Enrolment], modules: list[ModulePage], total: int
) -> list[ModuleSummary]:
    """Completion of each module across every matching trainee, not just one page: counted by
    the database, one row per module."""
    counts: dict[int, tuple[int, int]] = {}
    if total and modules:
        counts = {
            module_id: (completed, in_progress)
            for module_id, completed, in_progress in ModuleProgress.objects.filter(
                enrolment__in=enrolments.values("pk"), module_id__in=[m.pk for m in modules]
            )
            .order_by()
            .values("module_id")
            .annotate(
                completed=Count("pk", filter=Q(completed_at__isnull=False)),
                in_progress=Count("pk", filter=Q(completed_at__isnull=True)),
            )
            .values_list("module_id", "completed", "in_progress")
        }
    return [
        ModuleSummary(
            module=module,
            completed=counts.get(module.pk, (0, 0))[0],
            in_progress=counts.get(module.pk, (0, 0))[1],
            total=total,
        )
        for module in modules
    ]


def cohort_progress_grid(
    *,
    cohort: Cohort,
    filters: GridFilters | None = None,
    page_number: str | int | None = None,
    per_page: int = GRID_PAGE_SIZE,
) -> ProgressGrid:
    """One page of trainees × modules for a cohort, with attendance, and each module's
    completion across every matching trainee. Seven queries whatever the size."""
    filters = filters or GridFilters()
    today = timezone.localdate()
    modules = _grid_modules(cohort)
    days = _training_days(cohort, today)
    matching = cohort_grid_enrolments(cohort=cohort, filters=filters)
    page = Paginator(
        matching.select_related("user", "supervisor", "review_partner").order_by(*GRID_ORDER),
        per_page,
    ).get_page(page_number)
    total = page.paginator.count
    return ProgressGrid(
        cohort=cohort,
        modules=modules,
        rows=_grid_rows(list(page.object_list), modules, today),
        training_day_count=days["total"],
        registers_taken=days["taken"],
        summaries=_module_summaries(matching, modules, total),
        page=page,
        total=total,
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


def _table_row(row: GridRow) -> list[object]:
    e = row.enrolment
    return [
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


@dataclass
class ProgressTable:
    """The grid for a download: a header, then every matching trainee's row, read a chunk at a
    time. `chunks` can be walked once."""

    header: list[str]
    chunks: Iterator[list[list[object]]]


def cohort_progress_table(
    *, cohort: Cohort, filters: GridFilters | None = None, chunk_size: int | None = None
) -> ProgressTable:
    """Every trainee matching the filters, for CSV and XLSX downloads. Two queries now, then one
    for the trainees as the chunks are read and two for each chunk's progress and attendance,
    so memory stays the size of one chunk however big the cohort."""
    filters = filters or GridFilters()
    chunk_size = chunk_size or EXPORT_CHUNK_SIZE
    today = timezone.localdate()
    modules = _grid_modules(cohort)
    days = _training_days(cohort, today)
    header = [
        "Name",
        "Email",
        "Status",
        "Supervisor",
        "Review partner",
        f"Days attended (of {days['taken']} registers taken)",
        *[module.title for module in modules],
        f"Modules completed (of {len(modules)})",
    ]
    enrolments = (
        cohort_grid_enrolments(cohort=cohort, filters=filters)
        .select_related("user", "supervisor", "review_partner")
        # Only the columns a row shows: three people's whole records per trainee add up.
        .only(
            "status",
            "user__full_name",
            "user__email",
            "supervisor__full_name",
            "review_partner__full_name",
        )
        .order_by(*GRID_ORDER)
    )

    def chunks() -> Iterator[list[list[object]]]:
        walk = enrolments.iterator(chunk_size=chunk_size)
        while chunk := list(islice(walk, chunk_size)):
            yield [_table_row(row) for row in _grid_rows(chunk, modules, today)]

    return ProgressTable(header=[str(_safe_cell(h)) for h in header], chunks=chunks())


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

SUPERVISOR_PAGE_SIZE = 24


@dataclass
class TraineeSummary:
    enrolment: Enrolment
    modules_completed: int
    modules_total: int


def supervisor_enrolments(
    *, user: User, q: str = "", cohort_id: int | None = None
) -> QuerySet[Enrolment]:
    """Trainees this user supervises directly or through a cohort, found by name or email and
    cohort, in the order the page lists them."""
    enrolments = Enrolment.objects.filter(
        Q(supervisor=user) | Q(cohort__in=Cohort.objects.filter(supervisors=user).values("pk"))
    ).exclude(status=Enrolment.Status.WITHDRAWN)
    if cohort_id:
        enrolments = enrolments.filter(cohort_id=cohort_id)
    if q:
        enrolments = enrolments.filter(
            Q(user__full_name__icontains=q) | Q(user__email__icontains=q)
        )
    # The last key makes the order total, so a trainee never appears on two pages or on none.
    return enrolments.order_by("cohort__name", "user__full_name", "user__email", "pk")


def supervisor_cohort_choices(*, user: User) -> list[Cohort]:
    """Cohorts in which this user supervises someone, or the whole cohort. One query."""
    return list(
        Cohort.objects.filter(
            Q(supervisors=user)
            | Q(
                pk__in=Enrolment.objects.filter(supervisor=user)
                .exclude(status=Enrolment.Status.WITHDRAWN)
                .values("cohort")
            )
        )
        .distinct()
        .order_by("name", "pk")
    )


def supervisor_trainee_summaries(*, enrolments: list[Enrolment]) -> list[TraineeSummary]:
    """Each trainee's modules completed out of their course's live modules. Two queries."""
    if not enrolments:
        return []
    courses = {e.cohort.course_id: e.cohort.course for e in enrolments}
    modules = course_modules(courses=list(courses.values()))
    live = {course_id: {m.pk for m in items} for course_id, items in modules.items()}
    completed: dict[int, set[int]] = {}
    for enrolment_id, module_id in ModuleProgress.objects.filter(
        enrolment_id__in=[e.pk for e in enrolments], completed_at__isnull=False
    ).values_list("enrolment_id", "module_id"):
        completed.setdefault(enrolment_id, set()).add(module_id)
    return [
        TraineeSummary(
            enrolment=e,
            modules_completed=len(completed.get(e.pk, set()) & live.get(e.cohort.course_id, set())),
            modules_total=len(live.get(e.cohort.course_id, ())),
        )
        for e in enrolments
    ]


def supervisor_trainees_page(
    *,
    user: User,
    q: str = "",
    cohort_id: int | None = None,
    page_number: str | int | None = None,
    per_page: int = SUPERVISOR_PAGE_SIZE,
) -> tuple[Page, list[TraineeSummary]]:
    """One page of a supervisor's trainees with their progress. Four queries."""
    page = Paginator(
        supervisor_enrolments(user=user, q=q, cohort_id=cohort_id).select_related(
            "user", "cohort__course", "review_partner"
        ),
        per_page,
    ).get_page(page_number)
    return page, supervisor_trainee_summaries(enrolments=list(page.object_list))


def invitation_by_token(*, token: str) -> Invitation | None:
    from ..services.invitations.links import hash_token

    return (
        Invitation.objects.select_related("cohort", "invited_by", "cohort__course")
        .filter(token_hash=hash_token(token))
        .first()
    )
