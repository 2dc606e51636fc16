"""Enrolling someone directly from the admin's "Add enrolment": it respects the cohort's places,
and an open invitation of theirs is closed, so its link no longer offers an acceptance that
can only fail."""

from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from courses.models import Enrolment, Invitation
from courses.selectors.cohorts import cohort_places_taken
from courses.services.cohorts import EnrolmentError, enrolment_create
from tests.courses.factories import EnrolmentFactory, InvitationFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/programme/enrolments/new/"


def _add(client, user, cohort, supervisor=None):
    return client.post(
        ADD_URL,
        {"user": user.pk, "cohort": cohort.pk, "supervisor": supervisor.pk if supervisor else ""},
    )


def test_it_refuses_to_enrol_anyone_in_a_full_cohort_with_a_clear_error(
    client, ada, sam, pat, uma, cohort
):
    cohort.capacity = 2
    cohort.save()
    EnrolmentFactory(user=pat, cohort=cohort)
    InvitationFactory(cohort=cohort, email="someone@example.org")  # holds the last place
    client.force_login(ada)

    response = _add(client, uma, cohort, supervisor=sam)

    assert response.status_code == 200
    page = response.content.decode()
    assert f"{cohort.name} is full: all 2 places are taken or offered." in page
    form = response.context["form"]
    assert (form["user"].value(), form["cohort"].value()) == (str(uma.pk), str(cohort.pk))
    assert str(form["supervisor"].value()) == str(sam.pk)
    assert not Enrolment.objects.filter(user=uma).exists()


def test_it_enrols_someone_whose_invitation_holds_the_last_place_and_closes_it(
    client, ada, pat, uma, cohort
):
    cohort.capacity = 2
    cohort.save()
    EnrolmentFactory(user=pat, cohort=cohort)
    invitation = InvitationFactory(cohort=cohort, email="UMA@example.org", token="tok-uma")
    client.force_login(ada)

    response = _add(client, uma, cohort)

    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=uma, cohort=cohort)
    assert enrolment.status == Enrolment.Status.ACTIVE
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert (invitation.accepted_by, invitation.enrolment) == (uma, enrolment)
    assert cohort_places_taken(cohort=cohort) == 2  # the invitation's place became the enrolment's
    entry = ModelLogEntry.objects.for_instance(invitation).get(action="courses.invitation.close")
    assert entry.user == ada

    # Uma's old link now says it has been used, instead of sending her round in a loop.
    client.force_login(uma)
    link = client.get(reverse("courses:invitation_accept", args=["tok-uma"]))
    assert link.status_code == 410
    assert "This invitation has already been used" in link.content.decode()


def test_it_closes_an_open_invitation_even_when_places_are_left(ada, uma, cohort):
    invitation = InvitationFactory(cohort=cohort, email="uma@example.org")
    other_cohorts = InvitationFactory(email="uma@example.org")

    enrolment = enrolment_create(user=uma, cohort=cohort, by=ada)

    invitation.refresh_from_db(), other_cohorts.refresh_from_db()
    assert invitation.enrolment == enrolment
    assert other_cohorts.accepted_at is None  # another cohort's invitation is still open
    assert Invitation.objects.filter(accepted_at__isnull=True).count() == 1


def test_it_refuses_a_full_cohort_in_the_service_and_writes_nothing(ada, pat, uma, cohort):
    cohort.capacity = 1
    cohort.save()
    EnrolmentFactory(user=pat, cohort=cohort)

    with pytest.raises(EnrolmentError, match="is full"):
        enrolment_create(user=uma, cohort=cohort, by=ada)

    assert not Enrolment.objects.filter(user=uma).exists()
