"""Reads about a person's CPD log: their entries, and the hours they add up to over a period."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from learning_platform.accounts.models import User

from ..models import CpdActivityType, CpdEntry


@dataclass(frozen=True)
class CpdSummary:
    """A person's CPD over a period: total hours, how many entries, and hours by activity type
    (in the activity types' own order)."""

    hours: Decimal = Decimal("0.00")
    entries: int = 0
    by_type: list[tuple[str, Decimal]] = field(default_factory=list)


def cpd_entries_for(person: User) -> QuerySet[CpdEntry]:
    """The person's own CPD entries, newest first, with their activity type."""
    return CpdEntry.objects.filter(person=person).select_related("activity_type")


def cpd_summary(person: User, since: date, until: date) -> CpdSummary:
    """The person's CPD dated from `since` to `until` inclusive, in one query."""
    rows = list(
        CpdEntry.objects.filter(person=person, date__gte=since, date__lte=until)
        .values(
            "activity_type__name",
            "activity_type__sort_order",
        )
        .annotate(hours=Sum("hours"), entries=Count("pk"))
        .order_by("activity_type__sort_order", "activity_type__name")
    )
    by_type = [(row["activity_type__name"], row["hours"]) for row in rows]
    return CpdSummary(
        hours=sum((hours for _, hours in by_type), Decimal("0.00")),
        entries=sum(row["entries"] for row in rows),
        by_type=by_type,
    )


def cpd_log_totals(entries: list[CpdEntry]) -> CpdSummary:
    """The totals of entries already read (the log page lists them anyway: no extra query)."""
    hours_by_type: dict[int, tuple[CpdActivityType, Decimal]] = {}
    for entry in entries:
        kind = entry.activity_type
        _, hours = hours_by_type.get(kind.pk, (kind, Decimal("0.00")))
        hours_by_type[kind.pk] = (kind, hours + entry.hours)
    ordered = sorted(hours_by_type.values(), key=lambda pair: (pair[0].sort_order, pair[0].name))
    return CpdSummary(
        hours=sum((entry.hours for entry in entries), Decimal("0.00")),
        entries=len(entries),
        by_type=[(kind.name, hours) for kind, hours in ordered],
    )
