"""Making an invitation, sending it a fresh link, and the sweeper's resends of emails that never
went."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log

from kombu.exceptions import OperationalError as BrokerError

from learning_platform.accounts.models import Organisation, User
from notifications.services import notify

from ...events import CourseEvent
from ...models import Cohort, Invitation
from ...selectors.cohorts import cohort_places_left, invitations_unsent_ids
from .checks import (
    InvitationError,
    invitation_expiry_days,
    invitee_problems,
    normalise_email,
    taken_emails,
)
from .links import new_link

logger = logging.getLogger(__name__)
# An email not gone ten minutes after its link was made is taken as lost.
UNSENT_AFTER = timedelta(minutes=10)
# After this many fresh links the sweeper leaves an invitation to staff, who see "Not sent yet".
MAX_AUTOMATIC_RESENDS = 3


def invitation_add(
    *,
    cohort: Cohort,
    email: str,
    full_name: str,
    organisation: Organisation | None,
    job_title: str,
    invited_by: User | None,
) -> Invitation:
    """Save an invitation already checked, inside the caller's transaction, and send it once
    that commits."""
    invitation = Invitation(
        cohort=cohort,
        email=email,
        full_name=full_name,
        organisation=organisation,
        job_title=job_title,
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=invitation_expiry_days()),
    )
    new_link(invitation)
    invitation.save()
    log(instance=invitation, action="courses.invitation.create", user=invited_by)
    # Only once the invitation is committed: a rolled-back import must send nothing.
    transaction.on_commit(lambda: _enqueue_email(invitation.pk))
    # Someone who already has an account also sees it in the platform (in-app only: the email
    # above is the one that carries the link).
    invitee = User.objects.filter(email__iexact=email, is_active=True).first()
    if invitee is not None:
        notify(recipient=invitee, event=CourseEvent.INVITATION, actor=invited_by, target=invitation)
    return invitation


def _enqueue_email(invitation_id: int) -> None:
    """A broker that cannot be reached is logged, not raised into the request: the invitation
    is committed without ``emailed_at``, and the sweeper sends it a fresh link."""
    from ...tasks import send_invitation_email

    try:
        send_invitation_email.delay(invitation_id)
    except BrokerError:
        logger.exception("Could not enqueue the email of invitation %s.", invitation_id)


@transaction.atomic
def invitation_create(
    *,
    cohort: Cohort,
    email: str,
    full_name: str,
    organisation: Organisation | None = None,
    job_title: str = "",
    invited_by: User | None,
) -> Invitation:
    # Lock the cohort so two invitations cannot both take its last place.
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    email, full_name = normalise_email(email), full_name.strip()
    pending, enrolled = taken_emails(cohort)
    problems = invitee_problems(
        name=full_name,
        email=email,
        pending=pending,
        enrolled=enrolled,
        organisation=organisation.name if organisation else "",
        job_title=job_title.strip(),
    )
    if not problems and cohort_places_left(cohort=cohort) < 1:
        problems.append(f"{cohort} is full ({cohort.capacity} places).")
    if problems:
        raise InvitationError(" ".join(problems))
    return invitation_add(
        cohort=cohort,
        email=email,
        full_name=full_name,
        organisation=organisation,
        job_title=job_title.strip(),
        invited_by=invited_by,
    )


@transaction.atomic
def invitation_resend(
    *, invitation_id: int, by: User | None, automatic: bool = False
) -> Invitation:
    """Send a fresh link. Only a hash of a token is stored, so a lost email cannot be sent again
    as it was: the new token replaces the old one, and the link in any earlier email stops
    working. Staff sending one give the link the full period again; the sweeper's automatic
    resends keep the expiry, so an invitation nobody can receive still runs out."""
    invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
    if invitation is None:
        raise InvitationError("That invitation no longer exists.")
    if invitation.accepted_at is not None:
        raise InvitationError(
            f"{invitation.full_name} has already accepted this invitation, so there is nothing "
            "to send again."
        )
    new_link(invitation)
    if automatic:
        invitation.automatic_resends += 1
    else:
        invitation.expires_at = timezone.now() + timedelta(days=invitation_expiry_days())
        invitation.automatic_resends = 0
    invitation.emailed_at = None
    invitation.save(
        update_fields=[
            "link_nonce",
            "token_hash",
            "expires_at",
            "automatic_resends",
            "link_made_at",
            "emailed_at",
        ]
    )
    log(instance=invitation, action="courses.invitation.resend", user=by)
    transaction.on_commit(lambda: _enqueue_email(invitation.pk))
    return invitation


def invitations_resend_unsent(*, now=None) -> int:
    """For the sweeper: invitations whose email has still not gone ten minutes after the link
    was made (the message was lost, or the mail server refused it every time) get a fresh one.
    Each runs in its own transaction, so one failure does not stop the rest."""
    now = now or timezone.now()
    sent = 0
    unsent = invitations_unsent_ids(
        made_before=now - UNSENT_AFTER, now=now, resent_fewer_than=MAX_AUTOMATIC_RESENDS
    )
    for invitation_id in unsent:
        try:
            invitation_resend(invitation_id=invitation_id, by=None, automatic=True)
        except InvitationError:
            continue  # accepted in the meantime
        sent += 1
    if sent:
        logger.warning("Sent %s invitation(s) a fresh link: their first email never went.", sent)
    return sent
