"""Accepting an invitation: by making the account it was for, or from the account that has its
address."""

from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log

from allauth.account.models import EmailAddress

from learning_platform.accounts.models import User
from learning_platform.accounts.roles import Role

from ...models import Enrolment, Invitation
from ..cohorts import ENROLMENT_ACTIONS
from .checks import InvitationError, text_problems
from .links import hash_token

# Why a link cannot be used, by the invitation's state (no invitation: an unknown link).
UNUSABLE = {
    None: "This invitation link is not valid.",
    Invitation.State.ACCEPTED: "This invitation has already been used.",
    Invitation.State.EXPIRED: "This invitation has expired.",
}


def _lock_valid_invitation(token: str) -> Invitation:
    # select_for_update: a double click, or two tabs, cannot use the same invitation twice.
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("cohort")
        .filter(token_hash=hash_token(token))
        .first()
    )
    state = invitation.state if invitation is not None else None
    if state != Invitation.State.PENDING:
        raise InvitationError(UNUSABLE[state])
    return invitation


def _enrol_from_invitation(*, invitation: Invitation, user: User) -> Enrolment:
    user.groups.add(Group.objects.get(name=Role.TRAINEE.value))
    enrolment, created = Enrolment.objects.select_for_update().get_or_create(
        user=user, cohort=invitation.cohort, defaults={"status": Enrolment.Status.ACTIVE}
    )
    if created:
        log(
            instance=enrolment,
            action="courses.enrolment.create",
            user=user,
            data={"from": None, "to": Enrolment.Status.ACTIVE, "reason": "Accepted invitation"},
        )
    elif enrolment.status == Enrolment.Status.INVITED:
        enrolment.status = Enrolment.Status.ACTIVE
        enrolment.save(update_fields=["status", "updated_at"])
        log(
            instance=enrolment,
            action=ENROLMENT_ACTIONS[Enrolment.Status.ACTIVE],
            user=user,
            data={
                "from": Enrolment.Status.INVITED,
                "to": Enrolment.Status.ACTIVE,
                "reason": "Accepted invitation",
            },
        )
    else:
        raise InvitationError(
            f"You are already enrolled in {invitation.cohort} "
            f"({enrolment.get_status_display().lower()})."
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.enrolment = enrolment
    invitation.save(update_fields=["accepted_at", "accepted_by", "enrolment"])
    log(instance=invitation, action="courses.invitation.accept", user=user)
    return enrolment


@transaction.atomic
def invitation_accept_new_user(*, token: str, full_name: str, password: str) -> Enrolment:
    """Create the account the invitation was for. The invitation proves the email address."""
    invitation = _lock_valid_invitation(token)
    email = invitation.email.lower()
    if User.objects.filter(email__iexact=email).exists():
        raise InvitationError("An account with this email address already exists. Sign in.")
    full_name = full_name.strip() or invitation.full_name
    problems = text_problems(name=full_name, organisation="", job_title="")
    if problems:
        raise InvitationError(" ".join(problems))
    user = User(
        email=email,
        full_name=full_name,
        organisation=invitation.organisation,
        job_title=invitation.job_title,
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return _enrol_from_invitation(invitation=invitation, user=user)


@transaction.atomic
def invitation_accept_existing_user(*, token: str, user: User) -> Enrolment:
    invitation = _lock_valid_invitation(token)
    if invitation.email.lower() != user.email.lower():
        raise InvitationError(
            f"This invitation was sent to {invitation.email}, but you are signed in as "
            f"{user.email}."
        )
    # The invitation reached this inbox, so the address is proven.
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
    return _enrol_from_invitation(invitation=invitation, user=user)
