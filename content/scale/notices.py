"""The notifications the world's history would have sent: each sign-off, supervision session,
submission, decision and certificate notifies whom the services notify, with the same event,
actor, target and link. The plan's number of them is drawn from those, at random, so the mix of
events stays as real use makes it.

Their emails count as sent, so no worker sends them again. People read what they are sent: a
notification the services mark done once its matter is done (a submission once the supervisor
decides it, a session once confirmed) is read then, and mostly unread while it waits; anything
else more than two weeks old has been read, and about half of the last two weeks' is unread.
"""

import datetime
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from accreditation.events import AccreditationEvent as Event
from accreditation.models import ReviewStage, SignOff
from accreditation.services.reminders import iso_week
from notifications.links import link_for
from notifications.models import EmailStatus, Notification

from . import awards, reviews
from .base import World, insert

STAGE_EVENTS = {
    SignOff.Decision.APPROVED: Event.STAGE_APPROVED,
    SignOff.Decision.CHANGES_REQUESTED: Event.STAGE_CHANGES_REQUESTED,
    SignOff.Decision.REOPENED: Event.STAGE_REOPENED,
}
CERTIFICATE_EVENTS = {
    "suspended": Event.CERTIFICATE_SUSPENDED,
    "revoked": Event.CERTIFICATE_REVOKED,
}
RECENT = timedelta(days=14)
STILL_UNREAD = 0.5
# Of the notifications asking for something not done yet, those left unread until it is.
STILL_TO_DO = 0.6


@dataclass
class Sent:
    recipient: object
    event: str
    created_at: datetime.datetime
    target: models.Model | None = None
    actor: object = None
    context: dict | None = None
    dedupe_key: str = ""
    # Whether it asks for something the service marks it read for doing, and when that was.
    asks: bool = False
    settled_at: datetime.datetime | None = None


def notifications_create(
    world: World,
    *,
    reviewed: reviews.Made,
    awarded: awards.Made,
    supervisors: list,
    assessors: list,
) -> None:
    rng = world.rng
    sent = list(_history(reviewed, awarded, assessors))
    target = world.plan.notifications
    if len(sent) > target:
        sent = [sent[index] for index in sorted(rng.sample(range(len(sent)), target))]
    else:
        sent += _digests(world, reviewed, supervisors, target - len(sent))
    sent.sort(key=lambda item: item.created_at)
    content_types: dict[type, ContentType] = {}
    links: dict[tuple, str] = {}
    rows = []
    for item in sent:
        # Many notifications share a page (every assessor's for one application).
        key = (item.event, type(item.target), getattr(item.target, "pk", None))
        if key not in links:
            links[key] = link_for(event=item.event, target=item.target)
        row = Notification(
            recipient=item.recipient,
            event=str(item.event),
            actor=item.actor,
            link=links[key],
            context=item.context or {},
            dedupe_key=item.dedupe_key,
            created_at=item.created_at,
            read_at=_read_at(world, item),
            email_status=EmailStatus.SENT,
            email_attempts=1,
            emailed_at=item.created_at + timedelta(minutes=1),
        )
        if item.target is not None:
            model = type(item.target)
            if model not in content_types:
                content_types[model] = ContentType.objects.get_for_model(model)
            row.target_content_type = content_types[model]
            row.target_object_id = item.target.pk
        rows.append(row)
    insert(Notification, rows)


def _read_at(world: World, item: Sent) -> datetime.datetime | None:
    rng = world.rng
    if item.settled_at is not None:
        return item.settled_at
    if item.asks and rng.random() < STILL_TO_DO:
        return None
    now = world.moment(world.days_ago(1), 22)
    if now - item.created_at < RECENT and rng.random() < STILL_UNREAD:
        return None
    return min(item.created_at + timedelta(hours=rng.uniform(1, 72)), now)


def _digests(world: World, reviewed: reviews.Made, supervisors: list, count: int) -> list[Sent]:
    """Weekly summaries for the supervisors, from last week back, for a world too small to have
    sent the plan's number otherwise (its few assessors see few submissions). Each lists the
    stages waiting for that supervisor now, and is keyed on its week as the weekly job keys it."""
    waiting: dict[int, list[int]] = {}
    for stages in reviewed.stages.values():
        for stage in stages:
            if stage.status == ReviewStage.Status.SUBMITTED:
                waiting.setdefault(stage.review.supervisor_id, []).append(stage.pk)
    last_monday = world.today - timedelta(days=world.today.weekday() + 7)
    digests = []
    for index in range(count):
        weeks_back, supervisor = divmod(index, len(supervisors))
        monday = last_monday - timedelta(weeks=weeks_back)
        week = iso_week(monday)
        person = supervisors[supervisor]
        digests.append(
            Sent(
                person,
                Event.SUPERVISOR_DIGEST,
                world.moment(monday, 7),
                context={
                    "week": week,
                    "stage_ids": waiting.get(person.pk, []),
                    "session_ids": [],
                    "trainee_ids": [],
                    "at_risk_review_ids": [],
                    "today": monday.isoformat(),
                    "inactivity_days": settings.TRAINEE_INACTIVITY_DAYS,
                },
                dedupe_key=f"supervisor-digest:{week}",
            )
        )
    return digests


def _history(reviewed: reviews.Made, awarded: awards.Made, assessors: list):
    for sign_off in reviewed.sign_offs:
        review = sign_off.stage.review
        if sign_off.decision == SignOff.Decision.SUBMITTED:
            yield Sent(
                review.supervisor,
                Event.STAGE_SUBMITTED,
                sign_off.created_at,
                sign_off,
                actor=sign_off.by,
                asks=True,
                settled_at=sign_off.settled_at,
            )
        elif sign_off.decision in STAGE_EVENTS:
            for person in (review.trainee, review.partner):
                yield Sent(
                    person,
                    STAGE_EVENTS[sign_off.decision],
                    sign_off.created_at,
                    sign_off,
                    sign_off.by,
                )
    for attendance in reviewed.attendance:
        session = attendance.session
        yield Sent(
            attendance.trainee,
            Event.SUPERVISION_TO_CONFIRM,
            session.created_at,
            session,
            session.supervisor,
            asks=True,
            settled_at=attendance.confirmed_at,
        )
    yield from _award_history(awarded, assessors)


def _award_history(awarded: awards.Made, assessors: list):
    decided = {}
    for decision in awarded.decisions:
        decided.setdefault(decision.application_id, []).append(decision.created_at)
    for application in awarded.applications:
        settled = sorted(decided.get(application.pk, [])) + [application.withdrawn_at]
        for number, moment in enumerate(application.submissions):
            done = next((at for at in settled if at and at > moment), None)
            for assessor in assessors:
                yield Sent(
                    assessor,
                    Event.APPLICATION_SUBMITTED,
                    moment,
                    application,
                    application.trainee,
                    context={"resubmitted": number > 0},
                    asks=True,
                    settled_at=done,
                )
    for decision in awarded.decisions:
        yield Sent(
            decision.application.trainee,
            Event.APPLICATION_DECIDED,
            decision.created_at,
            decision,
            decision.assessor,
            context={"outcome": decision.outcome},
        )
    for recommendation in awarded.recommendations:
        yield Sent(
            recommendation.trainee,
            Event.RECOMMENDATION_RECORDED,
            recommendation.created_at,
            recommendation,
            recommendation.supervisor,
        )
    for certificate in awarded.certificates:
        yield Sent(
            certificate.holder,
            Event.CERTIFICATE_ISSUED,
            certificate.created_at,
            certificate,
            certificate.issued_by,
        )
    for event in awarded.events:
        if event.to_status in CERTIFICATE_EVENTS:
            yield Sent(
                event.certificate.holder,
                CERTIFICATE_EVENTS[event.to_status],
                event.created_at,
                event,
                event.by,
            )
    for renewal, decision in zip(awarded.renewals, awarded.renewal_decisions, strict=True):
        for assessor in assessors:
            yield Sent(
                assessor,
                Event.RENEWAL_SUBMITTED,
                renewal.submitted_at,
                renewal,
                renewal.holder,
                asks=True,
                settled_at=decision.created_at,
            )
        yield Sent(
            renewal.holder, Event.RENEWAL_DECIDED, decision.created_at, decision, decision.assessor
        )
