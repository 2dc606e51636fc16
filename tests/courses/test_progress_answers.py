"""Reflections, knowledge checks, completion and prerequisites, through the module page."""

import datetime
import re
from urllib.parse import unquote

from django.urls import reverse

import pytest

from courses.exceptions import InvalidAnswerError, PrerequisitesNotMetError
from courses.models import KnowledgeCheckAttempt, ModuleProgress, ReflectionAnswer
from courses.selectors.progress import ModuleStatus, trainee_progress_for_enrolment
from courses.services.progress import (
    knowledge_check_submit,
    module_progress_start,
    reflection_answer_save,
)

from .factories import add_module, text_block


def _block_id(module, block_type):
    return next(item["id"] for item in module.body.raw_data if item["type"] == block_type)


def reflection_url(module):
    return reverse(
        "courses:reflection_save", args=[module.pk, _block_id(module, "reflective_question")]
    )


def check_url(module):
    return reverse(
        "courses:knowledge_check_answer", args=[module.pk, _block_id(module, "knowledge_check")]
    )


def reflection_data(module, answer):
    return {f"reflection-{_block_id(module, 'reflective_question')}-answer": answer}


def check_data(module, **answers):
    prefix = f"check-{_block_id(module, 'knowledge_check')}"
    return {f"{prefix}-{name}": str(value) for name, value in answers.items()}


@pytest.fixture
def first(modules):
    return modules[0]


@pytest.fixture
def second(modules):
    return modules[1]


@pytest.fixture
def tess_client(client, tess, tess_enrolment):
    client.force_login(tess)
    return client


def _complete_first_module(client, first):
    return client.post(reflection_url(first), reflection_data(first, "The family was not heard."))


# Reflections --------------------------------------------------------------------------------


def test_it_saves_a_reflection_privately_and_completes_a_module_with_only_that(
    tess_client, tess_enrolment, first, second
):
    response = _complete_first_module(tess_client, first)

    assert response.status_code == 302
    assert response["Location"].startswith(first.url)
    answer = ReflectionAnswer.objects.get()
    assert answer.answer == "The family was not heard."
    assert answer.progress.enrolment == tess_enrolment
    assert answer.progress.completed_at is not None

    page = tess_client.get(first.url).content.decode()
    assert f"Your answer has been saved. You have completed “{first.title}”." in page
    assert "The family was not heard." in page  # shown back in the form
    assert "Update your answer" in page
    assert f'href="{second.url}">Next module: {second.title}</a>' in page
    # Saved again, the answer does not announce the completion a second time.
    _complete_first_module(tess_client, first)
    again = tess_client.get(first.url).content.decode()
    assert "Your answer has been saved." in again and "You have completed “" not in again


def test_it_updates_a_reflection_rather_than_adding_another(tess_client, first):
    _complete_first_module(tess_client, first)
    tess_client.post(reflection_url(first), reflection_data(first, "On reflection, more."))

    assert ReflectionAnswer.objects.get().answer == "On reflection, more."
    first_completed = ModuleProgress.objects.get(module=first).completed_at
    _complete_first_module(tess_client, first)
    assert ModuleProgress.objects.get(module=first).completed_at == first_completed


def test_it_refuses_an_empty_reflection_with_an_error_summary(tess_client, first):
    response = tess_client.post(reflection_url(first), reflection_data(first, "   "))

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter your answer before saving it" in html
    assert "<title>Error: " in html
    assert not ReflectionAnswer.objects.exists()
    assert ModuleProgress.objects.get(module=first).completed_at is None


def test_it_does_not_let_a_supervisor_answer_for_a_trainee(client, sam, tess_enrolment, first):
    client.force_login(sam)

    response = client.post(reflection_url(first), reflection_data(first, "Supervisor text"))

    assert response.status_code == 302
    assert not ReflectionAnswer.objects.exists()
    follow = client.get(response["Location"]).content.decode()
    assert "Only trainees enrolled on this course can save answers." in follow


def test_it_hides_the_answer_urls_from_someone_not_on_the_course(
    client, uma, tess_enrolment, first
):
    client.force_login(uma)

    assert client.post(reflection_url(first), reflection_data(first, "x")).status_code == 404
    assert not ReflectionAnswer.objects.exists()


def test_it_404s_for_a_block_that_is_not_in_the_module(tess_client, first):
    url = reverse("courses:reflection_save", args=[first.pk, "no-such-block"])

    assert tess_client.post(url, {"reflection-no-such-block-answer": "x"}).status_code == 404


# Arriving at an answer URL by GET (after an idle sign-out) ------------------------------------


def test_it_sends_a_trainee_who_was_signed_out_mid_answer_back_to_the_question(
    client, tess, tess_enrolment, first, settings, time_machine
):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
    client.force_login(tess)
    client.get(first.url)
    time_machine.shift(datetime.timedelta(minutes=31))

    # The idle middleware signs her out and sends her to sign in, coming back to the POST URL.
    posted = client.post(reflection_url(first), reflection_data(first, "Lost with the session"))
    login_url, next_url = posted["Location"].split("?next=")
    assert unquote(next_url) == reflection_url(first)
    client.force_login(tess)
    response = client.get(unquote(next_url))

    block_id = _block_id(first, "reflective_question")
    assert response.status_code == 302
    assert response["Location"] == f"{first.url}#block-{block_id}"
    page = client.get(response["Location"]).content.decode()
    assert "Your answer was not saved" in page
    assert f'id="block-{block_id}"' in page
    assert not ReflectionAnswer.objects.exists()


def test_it_sends_a_get_on_the_check_url_back_to_the_check(tess_client, first, second):
    _complete_first_module(tess_client, first)

    response = tess_client.get(check_url(second))

    assert response.status_code == 302
    assert response["Location"] == f"{second.url}#block-{_block_id(second, 'knowledge_check')}"
    assert not KnowledgeCheckAttempt.objects.exists()


@pytest.mark.parametrize("url", [reflection_url, check_url], ids=["reflection", "check"])
def test_it_checks_access_on_a_get_as_on_a_post(client, uma, tess_enrolment, modules, url):
    module = modules[1]

    assert client.get(url(module))["Location"].startswith(reverse("account_login"))
    client.force_login(uma)
    assert client.get(url(module)).status_code == 404
    missing = reverse("courses:reflection_save", args=[module.pk, "no-such-block"])
    assert client.get(missing).status_code == 404


def test_it_sends_a_supervisor_who_gets_an_answer_url_to_the_module_without_a_warning(
    client, sam, tess_enrolment, first
):
    client.force_login(sam)

    response = client.get(reflection_url(first))

    assert response.status_code == 302
    assert response["Location"].startswith(first.url)
    assert "Your answer was not saved" not in client.get(response["Location"]).content.decode()


# Prerequisites ------------------------------------------------------------------------------


def test_it_says_which_modules_to_finish_before_a_module_can_start(
    tess_client, tess_enrolment, first, second
):
    html = tess_client.get(second.url).content.decode()

    assert "You cannot start this module yet" in html
    assert f'href="{first.url}"' in html
    assert "Body of the KPE module." not in html
    assert "What Key practice episodes covers." in html  # the overview is still public
    assert not ModuleProgress.objects.filter(module=second).exists()


def test_it_refuses_answers_to_a_module_that_cannot_start_yet(tess_client, first, second):
    response = tess_client.post(check_url(second), check_data(second, q0=0, q1=1))

    assert response.status_code == 302
    assert not KnowledgeCheckAttempt.objects.exists()
    follow = tess_client.get(response["Location"]).content.decode()
    assert "You cannot start this module yet. Complete “Systems thinking” first." in follow


def test_it_refuses_in_the_service_too(tess_enrolment, second):
    with pytest.raises(PrerequisitesNotMetError):
        module_progress_start(enrolment=tess_enrolment, module=second)
    with pytest.raises(PrerequisitesNotMetError):
        reflection_answer_save(
            enrolment=tess_enrolment,
            module=second,
            block_id=_block_id(second, "reflective_question"),
            answer="Too soon",
        )
    assert not ModuleProgress.objects.filter(module=second).exists()


def test_it_opens_the_module_once_the_prerequisite_is_complete(tess_client, first, second):
    _complete_first_module(tess_client, first)

    html = tess_client.get(second.url).content.decode()
    assert "Body of the KPE module." in html
    assert ModuleProgress.objects.filter(module=second).exists()


# Knowledge checks ---------------------------------------------------------------------------


def test_it_scores_a_failed_check_then_a_pass_and_then_completes_the_module(
    tess_client, tess_enrolment, first, second
):
    _complete_first_module(tess_client, first)

    # Question 1's correct answer is option 0, question 2's option 1. Get one wrong first.
    response = tess_client.post(check_url(second), check_data(second, q0=0, q1=0))
    assert response.status_code == 302
    failed = KnowledgeCheckAttempt.objects.get()
    assert (failed.score_percent, failed.passed) == (50, False)
    assert failed.answers == {"0": 0, "1": 0}
    page = tess_client.get(second.url).content.decode()
    assert "You scored 50%. Read the feedback and try again." in page
    assert "Your latest result: 50% – not passed yet" in page
    assert "Yes: nine." in page and "No." in page  # feedback for the chosen options only
    assert "Right." not in page  # the correct option's feedback is not given away
    assert "Try again" in page

    tess_client.post(check_url(second), check_data(second, q0=0, q1=1))
    assert KnowledgeCheckAttempt.objects.count() == 2  # every attempt is kept
    progress = ModuleProgress.objects.get(module=second)
    assert progress.completed_at is None  # its reflection is still unanswered
    page = tess_client.get(second.url).content.decode()
    assert "Your latest result: 100% – passed" in page
    assert "(attempt 2)" in page

    my_learning = tess_client.get(reverse("courses:my_learning")).content.decode()
    assert 'max="2" value="1"' in my_learning

    tess_client.post(reflection_url(second), reflection_data(second, "A KPE I saw."))
    progress.refresh_from_db()
    assert progress.completed_at is not None
    last = tess_client.get(second.url).content.decode()
    assert "You have completed this module" in last
    assert "This is the last module of" in last
    my_learning = tess_client.get(reverse("courses:my_learning")).content.decode()
    assert 'max="2" value="2"' in my_learning
    assert "2 of 2 modules completed" in my_learning
    statuses = [
        row.status for row in trainee_progress_for_enrolment(enrolment=tess_enrolment).modules
    ]
    assert statuses == [ModuleStatus.COMPLETED, ModuleStatus.COMPLETED]


def test_it_keeps_a_completed_module_complete_after_a_failed_retry(tess_client, first, second):
    _complete_first_module(tess_client, first)
    tess_client.post(check_url(second), check_data(second, q0=0, q1=1))
    tess_client.post(reflection_url(second), reflection_data(second, "Done."))
    completed_at = ModuleProgress.objects.get(module=second).completed_at

    tess_client.post(check_url(second), check_data(second, q0=1, q1=0))

    assert KnowledgeCheckAttempt.objects.filter(passed=False).count() == 1
    assert ModuleProgress.objects.get(module=second).completed_at == completed_at


def test_it_says_a_check_passed_earlier_still_counts_after_a_lower_retake(
    tess_client, first, second
):
    _complete_first_module(tess_client, first)
    tess_client.post(check_url(second), check_data(second, q0=0, q1=1))
    tess_client.post(reflection_url(second), reflection_data(second, "Done."))

    response = tess_client.post(check_url(second), check_data(second, q0=0, q1=0), follow=True)

    page = response.content.decode()
    assert re.search(r"Status:\s*<strong[^>]*>Completed</strong>", page)
    assert "not passed yet" not in page
    assert "Your latest result: 50% – you passed this check on an earlier attempt" in page
    assert "This check still counts as passed." in page
    assert "You scored 50% this time. You passed this check on an earlier attempt" in page
    assert "Try again" not in page and "Answer again" in page


def test_it_refuses_a_check_with_an_unanswered_question_and_keeps_the_other_answer(
    tess_client, first, second
):
    _complete_first_module(tess_client, first)

    response = tess_client.post(check_url(second), check_data(second, q1=1))

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Select an answer to question 1" in html
    check_prefix = f"check-{_block_id(second, 'knowledge_check')}"
    assert f'href="#id_{check_prefix}-q0_0"' in html  # the summary links to the radio group
    assert (
        f'value="1" required id="id_{check_prefix}-q1_1" checked' in html
    )  # the other answer kept
    assert not KnowledgeCheckAttempt.objects.exists()


def test_it_refuses_an_option_that_does_not_exist(tess_client, first, second):
    _complete_first_module(tess_client, first)

    response = tess_client.post(check_url(second), check_data(second, q0=7, q1=1))

    assert response.status_code == 200
    assert "Select one of the answers given for question 1" in response.content.decode()
    assert not KnowledgeCheckAttempt.objects.exists()


def test_it_refuses_incomplete_answers_in_the_service(tess_enrolment, first, second):
    reflection_answer_save(
        enrolment=tess_enrolment,
        module=first,
        block_id=_block_id(first, "reflective_question"),
        answer="Answered",
    )
    with pytest.raises(InvalidAnswerError):
        knowledge_check_submit(
            enrolment=tess_enrolment,
            module=second,
            block_id=_block_id(second, "knowledge_check"),
            answers={0: 0},
        )
    with pytest.raises(InvalidAnswerError):
        reflection_answer_save(
            enrolment=tess_enrolment,
            module=first,
            block_id=_block_id(first, "reflective_question"),
            answer="  ",
        )
    assert not KnowledgeCheckAttempt.objects.exists()


def test_it_completes_a_module_with_nothing_to_answer_once_opened(
    tess_client, tess_enrolment, course
):
    reading = add_module(course, title="Further reading", body=[text_block("Read Guide 24.")])

    tess_client.get(reading.url)

    assert ModuleProgress.objects.get(module=reading).completed_at is not None


def test_it_ignores_an_unpublished_prerequisite(tess_enrolment, course, first):
    draft = add_module(course, title="Draft module", live=False)
    later = add_module(course, title="Later", prerequisites=[draft])

    progress = module_progress_start(enrolment=tess_enrolment, module=later)

    assert progress.pk is not None
