"""The Programme menu in the Wagtail admin: cohorts with inline training days, enrolments."""

import datetime

from django.core.exceptions import ValidationError

import pytest

from courses.models import Cohort, Enrolment, TrainingDay
from tests.courses.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def _cohort_post(course, sam, **extra):
    data = {
        "name": "Manchester boards 2027",
        "course": course.pk,
        "funding_strand": "DfE VCS grant",
        "start_date": "2027-01-10",
        "end_date": "2027-07-10",
        "capacity": "12",
        "status": "planned",
        "supervisors": [str(sam.pk)],
        "training_days-TOTAL_FORMS": "1",
        "training_days-INITIAL_FORMS": "0",
        "training_days-MIN_NUM_FORMS": "0",
        "training_days-MAX_NUM_FORMS": "1000",
        "training_days-0-title": "Day 1: systems thinking",
        "training_days-0-date": "2027-01-10",
        "training_days-0-starts_at": "09:30",
        "training_days-0-ends_at": "16:30",
        "training_days-0-venue": "SCIE London",
        "training_days-0-online_link": "",
        "training_days-0-ORDER": "1",
        "training_days-0-DELETE": "",
        "training_days-0-id": "",
    }
    data.update(extra)
    return data


def test_it_lets_ada_list_and_create_cohorts_with_training_days(client, ada, course, sam, cohort):
    client.force_login(ada)

    listing = client.get("/admin/programme/cohorts/?status=in_progress")
    assert listing.status_code == 200
    assert "London boards 2026" in listing.content.decode()
    assert client.get("/admin/programme/cohorts/new/").status_code == 200

    response = client.post("/admin/programme/cohorts/new/", _cohort_post(course, sam))

    assert response.status_code == 302, response.context["form"].errors
    created = Cohort.objects.get(name="Manchester boards 2027")
    assert list(created.supervisors.all()) == [sam]
    assert [d.title for d in created.training_days.all()] == ["Day 1: systems thinking"]
    assert len(created.calendar_token) >= 40


def test_it_refuses_a_training_day_that_ends_before_it_starts_keeping_what_was_typed(
    client, ada, course, sam
):
    client.force_login(ada)
    data = _cohort_post(
        course, sam, **{"training_days-0-starts_at": "16:30", "training_days-0-ends_at": "09:30"}
    )

    response = client.post("/admin/programme/cohorts/new/", data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "The end time must be after the start time (16:30)." in page
    assert 'value="Day 1: systems thinking"' in page and 'value="Manchester boards 2027"' in page
    assert not Cohort.objects.filter(name="Manchester boards 2027").exists()

    data["training_days-0-ends_at"] = "17:00"
    assert client.post("/admin/programme/cohorts/new/", data).status_code == 302


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "field"),
    [
        (datetime.time(12, 0), datetime.time(11, 0), "ends_at"),
        (datetime.time(12, 0), datetime.time(12, 0), "ends_at"),
        (None, datetime.time(12, 0), "starts_at"),
    ],
)
def test_it_checks_the_training_day_times_in_the_model(cohort, starts_at, ends_at, field):
    day = TrainingDay(
        cohort=cohort,
        date=datetime.date(2026, 3, 2),
        title="Day",
        starts_at=starts_at,
        ends_at=ends_at,
    )

    with pytest.raises(ValidationError) as caught:
        day.full_clean()

    assert list(caught.value.message_dict) == [field]


def test_it_only_offers_supervisors_as_cohort_supervisors(client, ada, course, sam, tess):
    client.force_login(ada)

    response = client.post(
        "/admin/programme/cohorts/new/", _cohort_post(course, sam, supervisors=[str(tess.pk)])
    )

    assert response.status_code == 200
    assert "supervisors" in response.context["form"].errors
    assert not Cohort.objects.filter(name="Manchester boards 2027").exists()


@pytest.mark.parametrize("persona", ["tess", "sam", "ali"])
def test_it_keeps_other_personas_out_of_the_programme_admin(client, request, persona, cohort):
    client.force_login(request.getfixturevalue(persona))

    for url in (
        "/admin/programme/cohorts/",
        "/admin/programme/cohorts/new/",
        "/admin/programme/enrolments/",
        "/admin/programme/invitations/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            # Wagtail sends people without admin access to sign in, not to the page.
            assert response["Location"].startswith("/accounts/login/"), url


def test_it_keeps_anonymous_visitors_out(client, cohort):
    response = client.get("/admin/programme/cohorts/")

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_it_assigns_a_partner_and_changes_status_from_the_enrolment_edit_form(
    client, ada, sam, tess, pat, cohort
):
    tess_e = EnrolmentFactory(user=tess, cohort=cohort)
    pat_e = EnrolmentFactory(user=pat, cohort=cohort)
    client.force_login(ada)
    url = f"/admin/programme/enrolments/edit/{tess_e.pk}/"
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {"supervisor": sam.pk, "review_partner": pat.pk, "new_status": "deferred", "reason": ""},
    )
    assert response.status_code == 200  # a reason is needed to defer
    assert "reason" in response.context["form"].errors

    response = client.post(
        url,
        {"supervisor": sam.pk, "review_partner": pat.pk, "new_status": "deferred", "reason": "Ill"},
    )

    assert response.status_code == 302
    tess_e.refresh_from_db(), pat_e.refresh_from_db()
    assert tess_e.status == Enrolment.Status.DEFERRED
    assert (tess_e.supervisor, tess_e.review_partner, pat_e.review_partner) == (sam, pat, tess)


def test_it_offers_as_review_partner_a_trainee_who_withdrew_from_another_cohort_only(
    client, ada, tess, pat, uma, cohort
):
    tess_e = EnrolmentFactory(user=tess, cohort=cohort)
    EnrolmentFactory(user=pat, cohort=cohort)
    # Pat withdrew from an earlier cohort; that has no bearing on this one.
    EnrolmentFactory(user=pat, status=Enrolment.Status.WITHDRAWN)
    # Uma withdrew from this cohort, so she cannot be paired here.
    EnrolmentFactory(user=uma, cohort=cohort, status=Enrolment.Status.WITHDRAWN)
    client.force_login(ada)
    url = f"/admin/programme/enrolments/edit/{tess_e.pk}/"

    offered = client.get(url).context["form"].fields["review_partner"].queryset

    assert list(offered) == [pat]
    response = client.post(url, {"supervisor": "", "review_partner": pat.pk, "new_status": ""})
    assert response.status_code == 302
    tess_e.refresh_from_db()
    assert tess_e.review_partner == pat


def test_it_filters_enrolments_by_status_in_the_admin(client, ada, tess, pat, cohort):
    EnrolmentFactory(user=tess, cohort=cohort, status="active")
    EnrolmentFactory(user=pat, cohort=cohort, status="withdrawn")
    client.force_login(ada)

    page = client.get("/admin/programme/enrolments/?status=withdrawn").content.decode()

    assert "Pat Partner" in page
    assert "Tess Trainee" not in page


def test_it_filters_cohorts_by_status_and_course_in_the_admin(client, ada, course, cohort):
    from tests.courses.factories import CohortFactory, build_course

    other_course = build_course(title="Foundation course")
    CohortFactory(course=course, name="Leeds boards 2025", status=Cohort.Status.COMPLETED)
    CohortFactory(course=other_course, name="Bristol boards 2026")
    client.force_login(ada)

    def names(query):
        response = client.get(f"/admin/programme/cohorts/{query}")
        assert response.status_code == 200
        return sorted(c.name for c in response.context["object_list"])

    assert names("?status=completed") == ["Leeds boards 2025"]
    assert names(f"?course={course.pk}") == ["Leeds boards 2025", "London boards 2026"]
    assert names(f"?course={other_course.pk}&status=in_progress") == ["Bristol boards 2026"]


def test_it_filters_invitations_by_state_in_the_admin(client, ada, cohort):
    from django.utils import timezone

    from tests.courses.factories import InvitationFactory

    InvitationFactory(cohort=cohort, email="waiting@example.org")
    InvitationFactory(cohort=cohort, email="late@example.org", expires_in_days=-1)
    InvitationFactory(cohort=cohort, email="joined@example.org", accepted_at=timezone.now())
    client.force_login(ada)

    def emails(state):
        response = client.get(f"/admin/programme/invitations/?state={state}")
        assert response.status_code == 200
        return sorted(i.email for i in response.context["object_list"])

    assert emails("pending") == ["waiting@example.org"]
    assert emails("expired") == ["late@example.org"]
    assert emails("accepted") == ["joined@example.org"]
