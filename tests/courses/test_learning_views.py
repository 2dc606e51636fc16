"""My learning and the enrolment progress record: what each shows, and to whom."""

import datetime

from django.urls import reverse

import pytest

from courses.models import Enrolment
from courses.selectors.progress import (
    ModuleStatus,
    reflections_for_enrolment,
    trainee_progress_for_enrolment,
)

from .factories import (
    CohortFactory,
    EnrolmentFactory,
    TrainingDayFactory,
    build_course,
)
from .progress_records import MY_LEARNING, progress_url, reflect

# My learning --------------------------------------------------------------------------------


def test_it_sends_an_anonymous_visitor_to_sign_in(client):
    response = client.get(MY_LEARNING)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_shows_an_empty_state_to_someone_not_enrolled(client, uma, tess_enrolment):
    client.force_login(uma)

    html = client.get(MY_LEARNING).content.decode()

    assert "You are not enrolled on a course yet." in html
    assert "Lead reviewer programme" not in html
    assert 'href="/learning/">My learning' not in html  # no nav link without an enrolment


def test_it_tells_a_deferred_trainee_her_enrolment_is_deferred(
    client, tess, tess_enrolment, modules
):
    tess_enrolment.status = Enrolment.Status.DEFERRED
    tess_enrolment.save()
    client.force_login(tess)

    html = client.get(MY_LEARNING).content.decode()

    assert "Your enrolment on Lead reviewer programme (London boards 2026) is deferred." in html
    assert "You are not enrolled on a course yet." not in html
    assert "Ask about a place on a course" not in html
    assert modules[0].title not in html  # no modules while deferred


def test_it_shows_a_deferred_enrolment_beside_an_active_one(client, tess, tess_enrolment):
    other = CohortFactory(course=build_course(title="Foundation course"), name="Leeds 2025")
    EnrolmentFactory(user=tess, cohort=other, status=Enrolment.Status.DEFERRED)
    client.force_login(tess)

    html = client.get(MY_LEARNING).content.decode()

    assert "Your enrolment on Foundation course (Leeds 2025) is deferred." in html
    assert "Cohort: London boards 2026" in html


def test_it_lists_each_module_with_its_status_and_the_next_thing_to_do(
    client, tess, tess_enrolment, modules, cohort
):
    TrainingDayFactory(
        cohort=cohort, date=datetime.date.today() - datetime.timedelta(days=3), title="Day 1"
    )
    TrainingDayFactory(
        cohort=cohort,
        date=datetime.date.today() + datetime.timedelta(days=10),
        title="Day 3: formulating findings",
    )
    TrainingDayFactory(
        cohort=cohort, date=datetime.date.today() + datetime.timedelta(days=40), title="Day 4"
    )
    client.force_login(tess)

    html = client.get(MY_LEARNING).content.decode()

    assert 'href="/learning/">My learning</a>' in html  # the account navigation link
    assert "London boards 2026" in html
    assert "0 of 2 modules completed" in html
    assert '<progress class="course-progress__bar"' in html and 'max="2" value="0"' in html
    assert "Start “Systems thinking”" in html and f'href="{modules[0].url}"' in html
    assert "Not started" in html and "Cannot start yet" in html
    assert "Complete first: Systems thinking" in html
    assert f'href="{modules[1].url}"' not in html  # a locked module is not linked
    assert "Next training day: " in html and "Day 3: formulating findings." in html


def test_it_lists_the_cohorts_training_days_with_the_calendar_link(
    client, tess, tess_enrolment, cohort
):
    today = datetime.date.today()
    TrainingDayFactory(
        cohort=cohort, title="Day 1: systems thinking", date=today - datetime.timedelta(days=3)
    )
    TrainingDayFactory(
        cohort=cohort,
        title="Day 3: formulating findings",
        date=today + datetime.timedelta(days=10),
        venue="SCIE, Watson House, London",
        starts_at=datetime.time(9, 30),
        ends_at=datetime.time(16, 0),
    )
    TrainingDayFactory(
        cohort=cohort,
        title="Day 4: the report",
        date=today + datetime.timedelta(days=40),
        venue="",
        online_link="https://meet.example.org/day-4",
    )
    client.force_login(tess)

    html = client.get(MY_LEARNING).content.decode()

    feed = reverse("courses:cohort_calendar", args=[cohort.pk, cohort.calendar_token])
    assert f'href="webcal://testserver{feed}"' in html
    assert f'value="http://testserver{feed}"' in html
    later = today + datetime.timedelta(days=10)
    assert f"{later:%A} {later.day} {later:%B %Y}, 09:30 to 16:00" in html
    for text in (
        "Day 1: systems thinking",
        "Day 3: formulating findings",
        "SCIE, Watson House, London",
        "Day 4: the report",
        'href="https://meet.example.org/day-4"',
    ):
        assert text in html
    # The days are in date order, the one still to come first marked as next.
    table = html[html.index(f'id="training-days-{tess_enrolment.pk}"') :]
    assert table.index("Day 1: systems") < table.index("Day 3: formulating") < table.index("Day 4")
    assert table.count(">Next</strong>") == 1
    # The feed serves the same days.
    assert client.get(feed).content.decode().count("BEGIN:VEVENT") == 3


def test_it_shows_no_calendar_link_to_someone_without_a_cohort(client, uma, cohort):
    TrainingDayFactory(cohort=cohort)
    client.force_login(uma)

    html = client.get(MY_LEARNING).content.decode()

    assert cohort.calendar_token not in html
    assert "Add the training days to your calendar" not in html


def test_it_says_when_no_training_days_are_set(client, tess, tess_enrolment, cohort):
    client.force_login(tess)

    html = client.get(MY_LEARNING).content.decode()

    assert "No training days are scheduled for your cohort yet." in html
    assert cohort.calendar_token not in html


def test_it_moves_the_next_thing_to_do_on_when_a_module_is_completed(
    client, tess, tess_enrolment, modules
):
    reflect(tess_enrolment, modules[0], "Answer")
    client.force_login(tess)

    html = client.get(MY_LEARNING).content.decode()

    assert "1 of 2 modules completed" in html and 'value="1"' in html
    assert "Start “Key practice episodes”" in html
    assert "Completed" in html


def test_it_leaves_out_withdrawn_enrolments(client, tess, tess_enrolment):
    tess_enrolment.status = Enrolment.Status.WITHDRAWN
    tess_enrolment.save()
    client.force_login(tess)

    assert "You are not enrolled on a course yet." in client.get(MY_LEARNING).content.decode()


def test_it_gives_supervisors_a_trainees_statuses_and_reflections(tess_enrolment, modules):
    reflect(tess_enrolment, modules[0], "The family was not heard.")

    progress = trainee_progress_for_enrolment(enrolment=tess_enrolment)
    reflections = reflections_for_enrolment(enrolment=tess_enrolment)

    assert [row.status for row in progress.modules] == [
        ModuleStatus.COMPLETED,
        ModuleStatus.NOT_STARTED,
    ]
    assert progress.completed_count == 1 and progress.percent == 50
    assert [group.module.title for group in reflections] == [
        "Systems thinking",
        "Key practice episodes",
    ]
    assert reflections[0].entries[0].question == "What surprised you?"
    assert reflections[0].entries[0].answer.answer == "The family was not heard."
    assert reflections[1].entries[0].answer is None


# The enrolment progress record --------------------------------------------------------------


@pytest.fixture
def tess_reflected(tess_enrolment, modules):
    reflect(tess_enrolment, modules[0], "Tess's private reflection.")
    return tess_enrolment


@pytest.mark.parametrize("persona", ["tess", "sam", "ada"])
def test_it_shows_the_progress_record_to_the_trainee_their_supervisor_and_staff(
    client, request, tess_reflected, persona
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(progress_url(tess_reflected))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Tess&#x27;s private reflection." in html
    assert "What surprised you?" in html
    assert "1 of 2 modules completed" in html


def test_it_shows_the_record_to_a_trainees_named_supervisor(client, tess_reflected, cohort):
    from .factories import UserFactory

    named = UserFactory(email="named@example.org")
    tess_reflected.supervisor = named
    tess_reflected.save()
    cohort.supervisors.clear()
    client.force_login(named)

    assert client.get(progress_url(tess_reflected)).status_code == 200


@pytest.mark.parametrize("persona", ["uma", "pat", "ali"])
def test_it_hides_the_progress_record_from_everyone_else(client, request, tess_reflected, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(progress_url(tess_reflected)).status_code == 404


def test_it_hides_the_record_from_a_supervisor_of_another_cohort(client, tess_reflected, sam):
    other_cohort = CohortFactory(course=tess_reflected.cohort.course, name="Leeds 2026")
    other_cohort.supervisors.add(sam)
    tess_reflected.cohort.supervisors.clear()
    tess_reflected.supervisor = None
    tess_reflected.save()
    client.force_login(sam)

    assert client.get(progress_url(tess_reflected)).status_code == 404


def test_it_sends_an_anonymous_visitor_from_the_record_to_sign_in(client, tess_reflected):
    response = client.get(progress_url(tess_reflected))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
