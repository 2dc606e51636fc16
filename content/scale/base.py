"""What every part of the scale world shares: the marks that say a row belongs to it, the world
being built, its clock and the bulk insert every part writes through."""

import datetime
import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .plan import ScalePlan

# Every person the world holds has an address at this domain, and every cohort and organisation
# it makes has a name starting with this prefix: that is how a second run, a reset and the
# benchmarks recognise the world, and how a reset leaves everything else alone.
DOMAIN = "scale.example.org"
PREFIX = "Scale "
SEED = 2011
BATCH_SIZE = 1000


def in_world(path: str = "") -> Q:
    """Rows whose person at ``path`` (a user field; "" for the users themselves) is one of the
    world's people."""
    return Q(**{f"{path}{'__' if path else ''}email__endswith": f"@{DOMAIN}"})


@dataclass
class World:
    """The world as it is built: the plan, one random generator for every choice (so a run is
    the same each time), today's date, and what each part has made for the parts after it."""

    plan: ScalePlan
    today: datetime.date
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    zone: datetime.tzinfo = field(default_factory=timezone.get_current_timezone)
    made: dict = field(default_factory=dict)

    def days_ago(self, days: float) -> datetime.date:
        return self.today - timedelta(days=round(days))

    def moment(self, day: datetime.date, hour: float = 10.0) -> datetime.datetime:
        """A time of day on ``day`` in the site's time zone."""
        minutes = round(hour * 60)
        at = datetime.time(minutes // 60 % 24, minutes % 60)
        return datetime.datetime.combine(day, at, tzinfo=self.zone)


@contextmanager
def timestamps_as_given(model: type[models.Model]) -> Iterator[None]:
    """Insert ``model``'s rows with the creation and change times set on them, not the time of
    the insert: the world has a history, and pages sort and say "3 months ago" by those times."""
    stamped = [
        f
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    flags = [(f, f.auto_now, f.auto_now_add) for f in stamped]
    for f in stamped:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in flags:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def insert(model: type[models.Model], rows: Iterable[models.Model]) -> list:
    """Bulk insert with primary keys set on the rows (both databases return them), in batches,
    with the times given on the rows."""
    rows = list(rows)
    with timestamps_as_given(model):
        return model.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def spread(start: datetime.datetime, end: datetime.datetime, count: int) -> list:
    """``count`` moments evenly inside ``start``..``end``, in order."""
    span = end - start
    return [start + span * (index + 1) / (count + 1) for index in range(count)]
