"""Accepting an invitation: as someone new, as an existing account, and when the link is dead."""

import datetime

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

import pytest
from allauth.account.models import EmailAddress

from courses.models import Enrolment, Invitation
from courses.services.invitations.acceptance import invitation_accept_new_user
from courses.services.invitations.checks import InvitationError
from learning_platform.accounts.models import User
from learning_platform.accounts.roles import Role
from tests.courses.factories import EnrolmentFactory, InvitationFactory
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-unusual-passphrase-42"


def _url(token: str) -> str:
    return reverse("courses:invitation_accept", args=[token])


@pytest.fixture
def invitation(cohort, ada):
    return InvitationFactory(
        cohort=cohort,
        token="tok-new",
        email="nia@example.org",
        full_name="Nia Jones",
        invited_by=ada,
    )


def test_it_shows_the_create_account_form_with_the_name_filled_in(client, invitation):
    response = client.get(_url("tok-new"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Create your account" in page
    assert 'value="Nia Jones"' in page
    assert "nia@example.org" in page


def test_it_creates_a_verified_trainee_with_an_active_enrolment_and_signs_them_in(
    client, invitation, cohort
):
    response = client.post(
        _url("tok-new"),
        {"full_name": "Nia Jones", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("courses:my_learning")  # where the first step is
    user = User.objects.get(email="nia@example.org")
    assert user.check_password(NEW_PASSWORD)
    assert user.groups.filter(name=Role.TRAINEE.value).exists()
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("nia@example.org", True, True)
    enrolment = Enrolment.objects.get(user=user, cohort=cohort)
    assert enrolment.status == Enrolment.Status.ACTIVE
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.accepted_by == user
    assert invitation.enrolment == enrolment
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get(reverse("courses:cohort_detail", args=[cohort.pk])).status_code == 200


def test_it_rejects_a_weak_or_mismatched_password(client, invitation):
    weak = client.post(
        _url("tok-new"), {"full_name": "Nia", "password1": "123", "password2": "123"}
    )
    mismatched = client.post(
        _url("tok-new"),
        {"full_name": "Nia", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
    )

    assert weak.status_code == 200 and "There is a problem" in weak.content.decode()
    assert "do not match" in mismatched.content.decode()
    assert not User.objects.filter(email="nia@example.org").exists()


def test_it_cannot_be_used_twice(client, invitation):
    data = {"full_name": "Nia Jones", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    client.post(_url("tok-new"), data)
    client.logout()

    response = client.get(_url("tok-new"))

    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    with pytest.raises(InvitationError):
        invitation_accept_new_user(token="tok-new", full_name="Again", password=NEW_PASSWORD)
    assert User.objects.filter(email="nia@example.org").count() == 1


def test_it_says_an_expired_link_has_expired_and_whom_to_contact(client, cohort, ada):
    InvitationFactory(cohort=cohort, token="tok-old", invited_by=ada, expires_in_days=-1)

    response = client.get(_url("tok-old"))

    assert response.status_code == 410
    page = response.content.decode()
    assert "This invitation has expired" in page
    assert "ada@example.org" in page
    assert client.post(_url("tok-old"), {"password1": "x"}).status_code == 410


def test_it_says_an_unknown_link_is_not_valid(client):
    response = client.get(_url("no-such-token"))

    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()


def test_it_expires_after_the_configured_number_of_days(settings, ada, cohort, client):
    from courses.services.invitations.lifecycle import invitation_create

    settings.INVITATION_EXPIRY_DAYS = 3
    invitation = invitation_create(
        cohort=cohort, email="x@example.org", full_name="X Person", invited_by=ada
    )

    expected = timezone.now() + datetime.timedelta(days=3)
    assert abs((invitation.expires_at - expected).total_seconds()) < 60


def test_it_asks_an_existing_account_to_sign_in_then_links_the_enrolment(client, uma, cohort):
    uma.groups.remove(Group.objects.get(name=Role.TRAINEE.value))
    InvitationFactory(cohort=cohort, token="tok-uma", email="uma@example.org")

    anonymous = client.get(_url("tok-uma"))
    assert anonymous.status_code == 200
    assert "Sign in to accept" in anonymous.content.decode()
    assert f"?next={_url('tok-uma')}" in anonymous.content.decode()

    client.force_login(uma)
    confirm = client.get(_url("tok-uma"))
    assert "Accept the invitation" in confirm.content.decode()
    assert not Enrolment.objects.filter(user=uma).exists()

    response = client.post(_url("tok-uma"))

    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=uma, cohort=cohort)
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert uma.groups.filter(name=Role.TRAINEE.value).exists()
    assert Invitation.objects.get(email="uma@example.org").accepted_by == uma


def test_it_activates_an_invited_enrolment_on_acceptance(client, uma, cohort):
    EnrolmentFactory(user=uma, cohort=cohort, status=Enrolment.Status.INVITED)
    InvitationFactory(cohort=cohort, token="tok-uma", email="uma@example.org")
    client.force_login(uma)

    client.post(_url("tok-uma"))

    assert Enrolment.objects.get(user=uma, cohort=cohort).status == Enrolment.Status.ACTIVE


def test_it_will_not_let_another_account_use_the_invitation(client, tess, cohort):
    InvitationFactory(cohort=cohort, token="tok-uma", email="uma@example.org")
    client.force_login(tess)

    get = client.get(_url("tok-uma"))
    post = client.post(_url("tok-uma"))

    assert "This invitation is for someone else" in get.content.decode()
    assert "This invitation is for someone else" in post.content.decode()
    assert not Enrolment.objects.filter(cohort=cohort).exists()
    assert Invitation.objects.get(email="uma@example.org").accepted_at is None


def test_it_keeps_signup_through_allauth_closed(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "someone@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert not User.objects.filter(email="someone@example.org").exists()
    assert response.status_code in (200, 302, 403)


def test_it_refuses_a_name_with_a_control_character_keeping_what_was_typed(client, invitation):
    response = client.post(
        _url("tok-new"),
        {"full_name": "Nia\x0bJones", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The name contains an invisible control character" in page
    assert 'value="Nia\x0bJones"' in page  # kept as typed, for the trainee to correct
    assert not User.objects.filter(email="nia@example.org").exists()
    with pytest.raises(InvitationError, match="control character"):
        invitation_accept_new_user(token="tok-new", full_name="Nia\x1fJones", password=NEW_PASSWORD)
    assert not User.objects.filter(email="nia@example.org").exists()
