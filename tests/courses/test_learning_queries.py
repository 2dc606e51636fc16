"""The queries My learning, the module page and the progress record run, at any size."""

import pytest

from courses.models import Enrolment, KnowledgeCheckAttempt, ModuleProgress, ReflectionAnswer

from .factories import (
    CohortFactory,
    EnrolmentFactory,
    TrainingDayFactory,
    add_module,
    build_course,
    knowledge_check_block,
    reflection_block,
    text_block,
)
from .progress_records import MY_LEARNING, progress_url, reflect

# Query counts -------------------------------------------------------------------------------

# Each count is the same for 5 and for 50 modules or attempts. They include the session, the
# user, the site navigation and the account links (a few queries each) as well as the page's own.
# Each is taken on a second request: the first after signing in also fills per-process caches
# (the site root paths, content types), so its count depends on what ran before it.
MY_LEARNING_QUERIES = 14
MODULE_PAGE_QUERIES = 28
PROGRESS_RECORD_QUERIES = 18
# The cohort tests open a module Tess has not finished, so every visit checks her answers again
# to see whether it is now complete; the courses built below finish their last module on the
# first visit. The counts differ with the module's state, not with the number of rows.
UNFINISHED_MODULE_PAGE_QUERIES = 29


def _course_with_work(trainee, supervisor, *, modules: int, attempts: int):
    """A course of `modules` modules, all worked on, each with `attempts` check attempts."""
    course = build_course(title=f"Course of {modules}")
    cohort = CohortFactory(course=course)
    cohort.supervisors.add(supervisor)
    TrainingDayFactory(cohort=cohort)
    enrolment = EnrolmentFactory(user=trainee, cohort=cohort, supervisor=supervisor)
    previous = None
    built = []
    for number in range(modules):
        module = add_module(
            course,
            title=f"Module {number}",
            body=[text_block(), reflection_block(), knowledge_check_block()],
            prerequisites=[previous] if previous else [],
        )
        progress = reflect(enrolment, module, f"Answer {number}", complete=number < modules - 1)
        check_id = module.body.raw_data[2]["id"]
        KnowledgeCheckAttempt.objects.bulk_create(
            KnowledgeCheckAttempt(
                progress=progress,
                block_id=check_id,
                answers={"0": 0, "1": i % 2},
                score_percent=50 + 50 * (i % 2),
                passed=bool(i % 2),
            )
            for i in range(attempts)
        )
        previous = module
        built.append(module)
    return enrolment, built


def _get_warm(client, url, queries, assert_num_queries):
    client.get(url)  # warm the site and URL caches, so only the page's own queries count
    with assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("size", [5, 50])
def test_it_runs_my_learning_in_a_fixed_number_of_queries(
    client, django_assert_num_queries, tess, sam, size
):
    _course_with_work(tess, sam, modules=size, attempts=3)
    client.force_login(tess)

    response = _get_warm(client, MY_LEARNING, MY_LEARNING_QUERIES, django_assert_num_queries)

    assert f"{size - 1} of {size} modules completed" in response.content.decode()


@pytest.mark.parametrize("size", [5, 50])
def test_it_runs_the_module_page_in_a_fixed_number_of_queries(
    client, django_assert_num_queries, tess, sam, size
):
    enrolment, built = _course_with_work(tess, sam, modules=size, attempts=size)
    client.force_login(tess)
    last = built[-1]

    response = _get_warm(client, last.url, MODULE_PAGE_QUERIES, django_assert_num_queries)

    assert f"(attempt {size})" in response.content.decode()


@pytest.mark.parametrize("size", [5, 50])
def test_it_runs_the_progress_record_in_a_fixed_number_of_queries(
    client, django_assert_num_queries, tess, sam, size
):
    enrolment, _ = _course_with_work(tess, sam, modules=size, attempts=2)
    client.force_login(sam)

    response = _get_warm(
        client, progress_url(enrolment), PROGRESS_RECORD_QUERIES, django_assert_num_queries
    )

    assert f"Answer {size - 1}" in response.content.decode()


def test_it_runs_my_learning_in_the_same_queries_for_one_training_day_as_for_forty(
    client, django_assert_num_queries, tess, uma, sam
):
    small, _ = _course_with_work(tess, sam, modules=3, attempts=1)
    large, _ = _course_with_work(uma, sam, modules=3, attempts=1)
    # Uma is also on a second course, and each of her cohorts has twenty days.
    second, _ = _course_with_work(uma, sam, modules=3, attempts=1)
    for enrolment in (large, second):
        for _ in range(19):
            TrainingDayFactory(cohort=enrolment.cohort)
    client.force_login(tess)
    _get_warm(client, MY_LEARNING, MY_LEARNING_QUERIES, django_assert_num_queries)

    client.force_login(uma)
    with django_assert_num_queries(MY_LEARNING_QUERIES):
        response = client.get(MY_LEARNING)

    html = response.content.decode()
    assert html.count("Add the training days to your calendar") == 2
    assert html.count('<th scope="row">Day ') == 40


def test_it_keeps_query_counts_flat_as_the_course_grows(
    client, django_assert_num_queries, tess, uma, sam
):
    small, small_modules = _course_with_work(tess, sam, modules=3, attempts=2)
    large, large_modules = _course_with_work(uma, sam, modules=30, attempts=30)

    for person, built in ((tess, small_modules), (uma, large_modules)):
        client.force_login(person)
        _get_warm(client, MY_LEARNING, MY_LEARNING_QUERIES, django_assert_num_queries)
        _get_warm(client, built[-1].url, MODULE_PAGE_QUERIES, django_assert_num_queries)


def _add_trainees(cohort, modules, count, start):
    """`count` more trainees on Tess's cohort, each with work saved on every module."""
    from learning_platform.accounts.models import User

    users = User.objects.bulk_create(
        User(email=f"cohort-mate-{start + i}@example.org", full_name=f"Mate {start + i}")
        for i in range(count)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(user=user, cohort=cohort, status=Enrolment.Status.ACTIVE) for user in users
    )
    progress = ModuleProgress.objects.bulk_create(
        ModuleProgress(enrolment=enrolment, module=module)
        for enrolment in enrolments
        for module in modules
    )
    ReflectionAnswer.objects.bulk_create(
        ReflectionAnswer(
            progress=row,
            block_id=next(
                item["id"]
                for item in row.module.body.raw_data
                if item["type"] == "reflective_question"
            ),
            answer="Someone else's answer.",
        )
        for row in progress
    )


@pytest.mark.parametrize("page", ["my_learning", "module_page"])
def test_it_runs_the_same_queries_with_5_trainees_in_the_cohort_as_with_200(
    client, django_assert_num_queries, tess, tess_enrolment, cohort, modules, page
):
    reflect(tess_enrolment, modules[0], "Tess's answer")
    url = MY_LEARNING if page == "my_learning" else modules[1].url
    queries = MY_LEARNING_QUERIES if page == "my_learning" else UNFINISHED_MODULE_PAGE_QUERIES
    _add_trainees(cohort, modules, 4, 0)
    client.force_login(tess)
    _get_warm(client, url, queries, django_assert_num_queries)

    _add_trainees(cohort, modules, 195, 100)
    assert Enrolment.objects.filter(cohort=cohort).count() == 200
    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else&#x27;s answer." not in html
    if page == "my_learning":
        assert "1 of 2 modules completed" in html
    else:
        assert "Body of the KPE module." in html
