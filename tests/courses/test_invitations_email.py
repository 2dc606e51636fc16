"""The invitation's email is sent from the invitation's id alone: the link is made when the email
goes, from the nonce stored with the invitation, so no token waits in the broker."""

import re

from django.core import mail

import pytest

from courses.models import Invitation
from courses.services.invitations.lifecycle import invitation_create
from courses.services.invitations.links import hash_token
from courses.tasks import send_invitation_email
from tests.courses.factories import InvitationFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/learning/invitations/([\w-]+)/")


def _token_in(message) -> str:
    return LINK.search(message.body).group(1)


def test_it_sends_the_same_working_link_when_the_message_is_delivered_again(
    cohort, ada, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            cohort=cohort, email="nia@example.org", full_name="Nia Jones", invited_by=ada
        )
    first = _token_in(mail.outbox[0])
    # A worker lost after the email went but before it was recorded: the broker delivers the
    # message again.
    Invitation.objects.filter(pk=invitation.pk).update(emailed_at=None)

    send_invitation_email.delay(invitation.pk)

    assert len(mail.outbox) == 2
    assert _token_in(mail.outbox[1]) == first
    assert Invitation.objects.get(token_hash=hash_token(first)).emailed_at is not None


def test_it_sends_nothing_for_a_message_delivered_after_the_email_went(
    cohort, ada, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            cohort=cohort, email="nia@example.org", full_name="Nia Jones", invited_by=ada
        )

    send_invitation_email.delay(invitation.pk)

    assert len(mail.outbox) == 1


def test_it_gives_a_link_it_cannot_make_again_a_fresh_one_before_sending(cohort):
    invitation = InvitationFactory(cohort=cohort, token="tok-not-from-a-nonce")

    send_invitation_email.delay(invitation.pk)

    token = _token_in(mail.outbox[0])
    assert token != "tok-not-from-a-nonce"
    invitation.refresh_from_db()
    assert invitation.token_hash == hash_token(token)
    assert invitation.emailed_at is not None
    assert not Invitation.objects.filter(token_hash=hash_token("tok-not-from-a-nonce")).exists()
