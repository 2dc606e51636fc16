"""Supervisors and review partners, set for one trainee or many on the cohort page."""

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from courses.models import Enrolment
from courses.services.assignments import Assignment, AssignmentError, enrolments_assign
from learning_platform.accounts.roles import Role
from tests.courses.factories import EnrolmentFactory
from tests.factories import make_persona

pytestmark = pytest.mark.django_db

COHORT_PAGE_QUERIES = 21


@pytest.fixture
def trainees(cohort, tess, pat, uma):
    """Tess, Pat and Uma in the cohort, nobody supervised or paired yet."""
    return {
        user.email.split("@")[0]: EnrolmentFactory(
            user=user, cohort=cohort, status=Enrolment.Status.ACTIVE
        )
        for user in (tess, pat, uma)
    }


@pytest.fixture
def sue(db):
    return make_persona("Sue Second", "sue@example.org", Role.SUPERVISOR)


def _field(enrolment, part):
    return f"enrolment-{enrolment.pk}-{part}"


def _form_data(trainees, **rows):
    """Every row as the page sends it: what each enrolment has now, changed by `rows`."""
    data = {}
    for key, enrolment in trainees.items():
        enrolment.refresh_from_db()
        supervisor, partner = rows.get(key, (enrolment.supervisor, enrolment.review_partner))
        data[_field(enrolment, "supervisor")] = str(supervisor.pk) if supervisor else ""
        data[_field(enrolment, "review_partner")] = str(partner.pk) if partner else ""
    return data


def _url(cohort):
    return reverse("courses:cohort_assignments", args=[cohort.pk])


def _people(enrolment):
    enrolment.refresh_from_db()
    return enrolment.supervisor_id, enrolment.review_partner_id


def test_it_saves_supervisors_and_partners_for_many_trainees_in_one_go(
    client, ada, sam, sue, cohort, trainees, tess, pat
):
    client.force_login(ada)
    page = client.get(reverse("courses:cohort_detail", args=[cohort.pk])).content.decode()
    assert "Supervisors and review partners" in page
    assert 'for="id_' + _field(trainees["tess"], "supervisor") + '"' in page

    response = client.post(
        _url(cohort),
        _form_data(trainees, tess=(sam, pat), pat=(sue, tess), uma=(sam, None)),
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#assignments")
    assert _people(trainees["tess"]) == (sam.pk, pat.pk)
    assert _people(trainees["pat"]) == (sue.pk, tess.pk)
    assert _people(trainees["uma"]) == (sam.pk, None)
    entry = ModelLogEntry.objects.for_instance(trainees["tess"]).get()
    assert entry.action == "courses.enrolment.assign"
    assert entry.user_id == ada.pk
    assert entry.data["to"] == {"supervisor": sam.pk, "review_partner": pat.pk}
    shown = client.get(response["Location"]).content.decode()
    assert "Supervisors and review partners saved for 3 trainees." in shown


def test_it_changes_one_trainee_and_leaves_the_rest(client, ada, sam, sue, cohort, trainees):
    enrolments_assign(
        cohort=cohort,
        assignments=[Assignment(trainees["uma"].pk, sam.pk, None)],
        by=ada,
    )
    client.force_login(ada)

    client.post(_url(cohort), _form_data(trainees, tess=(sue, None)))

    assert _people(trainees["tess"]) == (sue.pk, None)
    assert _people(trainees["uma"]) == (sam.pk, None)
    assert not ModelLogEntry.objects.for_instance(trainees["pat"]).exists()


def test_it_refuses_one_sided_pairs_and_bad_supervisors_and_saves_nothing(
    client, ada, sam, cohort, trainees, tess, pat, uma
):
    uma.groups.add(Group.objects.get(name=Role.SUPERVISOR.value))  # one person, two roles
    client.force_login(ada)

    response = client.post(
        _url(cohort),
        # Tess names Pat, but Pat names Uma; Uma names nobody. Uma supervises herself.
        _form_data(trainees, tess=(sam, pat), pat=(None, uma), uma=(uma, None)),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "There is a problem" in page
    assert (
        "Tess Trainee&#x27;s review partner is Pat Partner, but Pat Partner&#x27;s review partner "
        "is Uma Unrelated. Choose Tess Trainee as Pat Partner&#x27;s review partner too." in page
    )
    assert "Pat Partner&#x27;s review partner is Uma Unrelated, but Uma Unrelated has no" in page
    assert "Uma Unrelated cannot supervise themselves." in page
    assert f'href="#id_{_field(trainees["tess"], "review_partner")}"' in page
    # What was chosen is still selected, so nothing typed is lost.
    assert f'<option value="{uma.pk}" selected>Uma Unrelated</option>' in page
    assert "not one of the available choices" not in page
    for enrolment in trainees.values():
        assert _people(enrolment) == (None, None)
    assert not ModelLogEntry.objects.filter(action="courses.enrolment.assign").exists()


def test_it_refuses_a_supervisor_outside_the_group_and_a_partner_outside_the_cohort(
    ada, cohort, trainees, tess, pat
):
    outsider = EnrolmentFactory(user=make_persona("Olu Other", "olu@example.org", Role.TRAINEE))

    with pytest.raises(AssignmentError) as refused:
        enrolments_assign(
            cohort=cohort,
            assignments=[
                Assignment(trainees["tess"].pk, pat.pk, None),
                Assignment(trainees["uma"].pk, None, outsider.user_id),
            ],
            by=ada,
        )

    messages = [(p.enrolment_id, p.field, p.message) for p in refused.value.problems]
    assert messages == [
        (
            trainees["tess"].pk,
            "supervisor",
            "The supervisor chosen for Tess Trainee is not in the Supervisor group.",
        ),
        (
            trainees["uma"].pk,
            "review_partner",
            "The review partner chosen for Uma Unrelated is not a trainee in London boards 2026.",
        ),
    ]
    assert _people(trainees["tess"]) == (None, None)


def test_it_refuses_to_unpair_one_side_only(client, ada, cohort, trainees, tess, pat):
    enrolments_assign(
        cohort=cohort,
        assignments=[
            Assignment(trainees["tess"].pk, None, pat.pk),
            Assignment(trainees["pat"].pk, None, tess.pk),
        ],
        by=ada,
    )
    client.force_login(ada)

    response = client.post(_url(cohort), _form_data(trainees, tess=(None, None)))

    assert response.status_code == 400
    assert (
        "Tess Trainee is no longer paired with Pat Partner, but Pat Partner is still paired with "
        "Tess Trainee. Change Pat Partner&#x27;s review partner too." in response.content.decode()
    )
    assert _people(trainees["tess"]) == (None, pat.pk)

    both = client.post(_url(cohort), _form_data(trainees, tess=(None, None), pat=(None, None)))

    assert both.status_code == 302
    assert _people(trainees["tess"]) == _people(trainees["pat"]) == (None, None)


def test_it_keeps_a_supervisor_who_has_since_left_the_role(client, ada, sam, cohort, trainees):
    enrolments_assign(
        cohort=cohort, assignments=[Assignment(trainees["tess"].pk, sam.pk, None)], by=ada
    )
    sam.groups.clear()
    client.force_login(ada)

    page = client.get(reverse("courses:cohort_detail", args=[cohort.pk])).content.decode()
    response = client.post(_url(cohort), _form_data(trainees, uma=(None, None)))

    assert f'<option value="{sam.pk}" selected>Sam Supervisor</option>' in page
    assert response.status_code == 302
    assert _people(trainees["tess"]) == (sam.pk, None)


@pytest.mark.parametrize("persona", ["tess", "sam", "uma"])
def test_it_shows_the_form_to_staff_only_and_refuses_anyone_else(
    client, request, sam, cohort, trainees, tess, pat, persona
):
    client.force_login(request.getfixturevalue(persona))

    page = client.get(reverse("courses:cohort_detail", args=[cohort.pk]))
    response = client.post(_url(cohort), _form_data(trainees, tess=(sam, None)))

    assert "Supervisors and review partners" not in page.content.decode()
    assert response.status_code == 404
    assert _people(trainees["tess"]) == (None, None)


def _cohort_with(cohort, count, start):
    from learning_platform.accounts.models import User

    users = User.objects.bulk_create(
        User(email=f"mate-{start + i}@example.org", full_name=f"Mate {start + i}")
        for i in range(count)
    )
    Enrolment.objects.bulk_create(
        Enrolment(user=user, cohort=cohort, status=Enrolment.Status.ACTIVE) for user in users
    )


def test_it_runs_the_cohort_page_in_the_same_queries_for_5_trainees_as_for_100(
    client, django_assert_num_queries, ada, sam, cohort
):
    _cohort_with(cohort, 5, 0)
    url = reverse("courses:cohort_detail", args=[cohort.pk])
    client.force_login(ada)
    client.get(url)
    with django_assert_num_queries(COHORT_PAGE_QUERIES):
        assert client.get(url).content.decode().count('<th scope="row">Mate ') == 5

    _cohort_with(cohort, 95, 100)
    with django_assert_num_queries(COHORT_PAGE_QUERIES):
        response = client.get(url)

    # A page of trainees at a time; every one of them is offered as a review partner.
    page = response.content.decode()
    assert page.count('<th scope="row">Mate ') == 25
    assert "Showing 1–25 of 100 trainees." in page
    assert page.count(">Mate 194</option>") == 25


def test_it_says_in_its_own_words_when_a_choice_is_not_on_the_list(
    client, ada, cohort, trainees, uma
):
    client.force_login(ada)

    response = client.post(_url(cohort), _form_data(trainees, tess=(uma, None)))

    assert response.status_code == 400
    assert "Choose Tess Trainee&#x27;s supervisor from the list." in response.content.decode()
    assert _people(trainees["tess"]) == (None, None)


def test_it_refuses_a_new_pair_that_leaves_the_old_partner_naming_the_trainee(
    ada, cohort, trainees, tess, pat, uma
):
    enrolments_assign(
        cohort=cohort,
        assignments=[
            Assignment(trainees["tess"].pk, None, pat.pk),
            Assignment(trainees["pat"].pk, None, tess.pk),
        ],
        by=ada,
    )

    # Tess and Uma pair up, but Pat's row, on the same form, still names Tess.
    with pytest.raises(AssignmentError) as refused:
        enrolments_assign(
            cohort=cohort,
            assignments=[
                Assignment(trainees["tess"].pk, None, uma.pk),
                Assignment(trainees["uma"].pk, None, tess.pk),
                Assignment(trainees["pat"].pk, None, tess.pk),
            ],
            by=ada,
        )

    assert (
        "Tess Trainee is no longer paired with Pat Partner, but Pat Partner is still paired "
        "with Tess Trainee. Change Pat Partner's review partner too."
    ) in [p.message for p in refused.value.problems]
    assert _people(trainees["uma"]) == (None, None)

    enrolments_assign(
        cohort=cohort,
        assignments=[
            Assignment(trainees["tess"].pk, None, uma.pk),
            Assignment(trainees["uma"].pk, None, tess.pk),
            Assignment(trainees["pat"].pk, None, None),
        ],
        by=ada,
    )
    assert _people(trainees["tess"]) == (None, uma.pk)
    assert _people(trainees["uma"]) == (None, tess.pk)
    assert _people(trainees["pat"]) == (None, None)


def test_it_completes_a_pair_whose_other_half_is_on_another_page(
    ada, cohort, trainees, tess, pat, uma
):
    enrolments_assign(
        cohort=cohort,
        assignments=[
            Assignment(trainees["tess"].pk, None, pat.pk),
            Assignment(trainees["pat"].pk, None, tess.pk),
        ],
        by=ada,
    )

    # Only Tess's row is on the form: Uma (unpaired) and Pat are on other pages.
    changed = enrolments_assign(
        cohort=cohort, assignments=[Assignment(trainees["tess"].pk, None, uma.pk)], by=ada
    )

    assert changed == 3
    assert _people(trainees["tess"]) == (None, uma.pk)
    assert _people(trainees["uma"]) == (None, tess.pk)
    assert _people(trainees["pat"]) == (None, None)


def test_it_refuses_a_partner_off_the_page_who_has_someone_else(
    ada, cohort, trainees, tess, pat, uma
):
    enrolments_assign(
        cohort=cohort,
        assignments=[
            Assignment(trainees["pat"].pk, None, uma.pk),
            Assignment(trainees["uma"].pk, None, pat.pk),
        ],
        by=ada,
    )

    with pytest.raises(AssignmentError) as refused:
        enrolments_assign(
            cohort=cohort, assignments=[Assignment(trainees["tess"].pk, None, uma.pk)], by=ada
        )

    assert [p.message for p in refused.value.problems] == [
        "Tess Trainee's review partner is Uma Unrelated, but Uma Unrelated's review partner is "
        "Pat Partner. Choose Tess Trainee as Uma Unrelated's review partner too."
    ]
    assert _people(trainees["tess"]) == (None, None)
    assert _people(trainees["uma"]) == (None, pat.pk)


@pytest.mark.postgres
def test_it_saves_through_the_page_in_its_own_transaction_on_postgresql(
    client, locked, ada, sam, cohort, trainees, tess, pat
):
    # No transaction round the request: the service takes its own, which its row locks need.
    client.force_login(ada)

    response = client.post(
        _url(cohort), _form_data(trainees, tess=(sam, pat), pat=(sam, tess), uma=(None, None))
    )

    assert response.status_code == 302
    assert _people(trainees["tess"]) == (sam.pk, pat.pk)
    assert _people(trainees["pat"]) == (sam.pk, tess.pk)
