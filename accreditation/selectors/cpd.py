"""A person's CPD over a period: total hours, number of entries, and hours by activity type."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from learning_platform.accounts.models import User

from ..models import CpdEntry


@dataclass(frozen=True)
class CpdSummary:
    hours: Decimal
    entries: int
    by_type: list[tuple[str, Decimal]] = field(default_factory=list)


def cpd_summary(*, person: User, since: date, until: date) -> CpdSummary:
    rows = list(
        CpdEntry.objects.filter(person=person, date__gte=since, date__lte=until)
        .values("activity_type__name")
        .annotate(hours=Sum("hours"), entries=Count("pk"))
        .order_by("activity_type__name")
    )
    return CpdSummary(
        hours=sum((row["hours"] for row in rows), Decimal("0")),
        entries=sum(row["entries"] for row in rows),
        by_type=[(row["activity_type__name"], row["hours"]) for row in rows],
    )
