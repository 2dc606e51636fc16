"""An invitation's email is tracked: staff can send a fresh link, and the sweeper sends one to an
invitation whose email never went (a lost message, or a mail server down every time)."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import mail
from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest
import time_machine

from courses.models import Invitation
from courses.services.invitations.checks import InvitationError
from courses.services.invitations.lifecycle import invitation_create, invitation_resend
from courses.services.invitations.links import hash_token
from learning_platform.sweeps import stuck_work_requeue
from tests.courses.factories import InvitationFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
INVITED_AT = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)
LINK = re.compile(r"/learning/invitations/([\w-]+)/")


def _invite(cohort, ada, *, deliver: bool, capture):
    with capture(execute=deliver):
        return invitation_create(
            cohort=cohort, email="nia@example.org", full_name="Nia Jones", invited_by=ada
        )


def _token_in(message) -> str:
    return LINK.search(message.body).group(1)


def _find(token: str) -> Invitation | None:
    return Invitation.objects.filter(token_hash=hash_token(token)).first()


def test_it_records_when_the_invitation_email_went(cohort, ada, django_capture_on_commit_callbacks):
    invitation = _invite(cohort, ada, deliver=True, capture=django_capture_on_commit_callbacks)
    invitation.refresh_from_db()
    assert len(mail.outbox) == 1
    assert invitation.emailed_at is not None
    assert _find(_token_in(mail.outbox[0])) == invitation


def test_it_leaves_the_invitation_unsent_when_the_mail_server_is_down(
    client, cohort, ada, settings
):
    settings.EMAIL_BACKEND = "tests.content.failing_backend.EmailBackend"
    client.force_login(ada)
    response = client.post(
        reverse("invitations:add"),
        {
            "cohort": cohort.pk,
            "full_name": "Nia Jones",
            "email": "nia@example.org",
            "job_title": "",
        },
        follow=True,
    )
    # The person making the invitation is not failed by the mail server; the sweeper resends.
    assert response.status_code == 200
    invitation = Invitation.objects.get(email="nia@example.org")
    assert invitation.emailed_at is None


def test_it_sends_a_fresh_link_when_staff_ask_and_the_old_one_stops_working(
    client, cohort, ada, django_capture_on_commit_callbacks
):
    invitation = _invite(cohort, ada, deliver=True, capture=django_capture_on_commit_callbacks)
    old_token = _token_in(mail.outbox[0])
    client.force_login(ada)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("invitations:resend", args=[invitation.pk]), follow=True)

    assert "A new invitation was sent to nia@example.org" in response.content.decode()
    assert len(mail.outbox) == 2
    new_token = _token_in(mail.outbox[1])
    assert new_token != old_token
    assert _find(old_token) is None
    assert _find(new_token).state == Invitation.State.PENDING
    assert ModelLogEntry.objects.filter(
        action="courses.invitation.resend", object_id=str(invitation.pk), user=ada
    ).exists()


def test_it_refuses_to_resend_an_accepted_invitation_with_a_message(client, cohort, ada, tess):
    invitation = InvitationFactory(cohort=cohort, token="tok-used", email=tess.email)
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=INVITED_AT, accepted_by=tess)
    client.force_login(ada)

    response = client.post(reverse("invitations:resend", args=[invitation.pk]), follow=True)

    assert "has already accepted this invitation" in response.content.decode()
    assert len(mail.outbox) == 0
    assert _find("tok-used") == invitation
    with pytest.raises(InvitationError):
        invitation_resend(invitation_id=invitation.pk, by=ada)


def test_it_lets_only_programme_staff_resend(client, cohort, ada, sam, tess):
    invitation = InvitationFactory(cohort=cohort, token="tok-kept")
    url = reverse("invitations:resend", args=[invitation.pk])
    for persona in (sam, tess):
        client.force_login(persona)
        # The Wagtail admin refuses anyone who is not programme staff.
        assert client.post(url).status_code == 403
    assert _find("tok-kept") == invitation


def test_it_asks_before_sending_a_fresh_link(client, cohort, ada):
    invitation = InvitationFactory(cohort=cohort, token="tok-asked")
    client.force_login(ada)
    page = client.get(reverse("invitations:resend", args=[invitation.pk])).content.decode()
    assert "The link in any earlier email will stop working." in page
    assert _find("tok-asked") == invitation


def test_it_sends_a_fresh_link_from_the_sweeper_when_the_first_email_was_lost(
    cohort, ada, client, django_capture_on_commit_callbacks
):
    with time_machine.travel(INVITED_AT, tick=False):
        invitation = _invite(cohort, ada, deliver=False, capture=django_capture_on_commit_callbacks)

    with time_machine.travel(INVITED_AT + timedelta(minutes=9), tick=False):
        assert stuck_work_requeue().invitations == 0
    assert len(mail.outbox) == 0

    with time_machine.travel(INVITED_AT + timedelta(minutes=11), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert stuck_work_requeue().invitations == 1
        # Sent now, so the next sweep leaves it alone.
        assert stuck_work_requeue().invitations == 0

    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.emailed_at is not None
    token = _token_in(mail.outbox[0])
    assert _find(token) == invitation
    with time_machine.travel(INVITED_AT + timedelta(minutes=12), tick=False):
        page = client.get(reverse("courses:invitation_accept", args=[token]))
    assert "Create your account" in page.content.decode()


def test_it_leaves_sent_accepted_and_expired_invitations_to_the_sweeper_alone(cohort, ada, tess):
    with time_machine.travel(INVITED_AT, tick=False):
        InvitationFactory(cohort=cohort, token="tok-sent", emailed_at=INVITED_AT)
        accepted = InvitationFactory(cohort=cohort, token="tok-accepted")
        Invitation.objects.filter(pk=accepted.pk).update(accepted_at=INVITED_AT)
        InvitationFactory(cohort=cohort, token="tok-expired", expires_in_days=0)

    with time_machine.travel(INVITED_AT + timedelta(hours=1), tick=False):
        assert stuck_work_requeue().invitations == 0
    assert {_find(t) is not None for t in ("tok-sent", "tok-accepted", "tok-expired")} == {True}


def test_it_stops_sending_fresh_links_to_an_address_the_mail_server_always_refuses(
    cohort, ada, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.content.failing_backend.EmailBackend"
    with time_machine.travel(INVITED_AT, tick=False):
        invitation = _invite(cohort, ada, deliver=True, capture=django_capture_on_commit_callbacks)
    expires_at = invitation.expires_at

    resends = []
    for minutes in (11, 22, 33, 44, 55):
        with (
            time_machine.travel(INVITED_AT + timedelta(minutes=minutes), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            resends.append(stuck_work_requeue().invitations)

    invitation.refresh_from_db()
    assert resends == [1, 1, 1, 0, 0]
    assert invitation.automatic_resends == 3
    assert invitation.emailed_at is None
    # Automatic resends never stretch the invitation's life.
    assert invitation.expires_at == expires_at
    assert ModelLogEntry.objects.filter(action="courses.invitation.resend").count() == 3


def test_it_lets_staff_send_a_fresh_link_after_the_sweeper_gave_up(
    client, cohort, ada, django_capture_on_commit_callbacks
):
    invitation = _invite(cohort, ada, deliver=False, capture=django_capture_on_commit_callbacks)
    Invitation.objects.filter(pk=invitation.pk).update(automatic_resends=3)
    client.force_login(ada)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("invitations:resend", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert len(mail.outbox) == 1
    assert invitation.automatic_resends == 0
    assert invitation.emailed_at is not None
