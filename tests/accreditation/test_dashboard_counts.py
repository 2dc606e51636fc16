"""The programme dashboard's counts at their edges: what makes a trainee count, or not, at each
step."""

from django.utils import timezone

from accreditation.models import AccreditationScheme, ReviewStage
from accreditation.selectors.dashboard import programme_dashboard
from courses.models import Enrolment, ModuleProgress
from tests.courses.factories import CohortFactory, EnrolmentFactory, add_module, build_course

from .factories import SupervisedReviewFactory, make_trainee


def _counts(cohort):
    dashboard = programme_dashboard()
    row = next(row for row in dashboard.cohorts if row.cohort.pk == cohort.pk)
    return row.counts


def _complete(enrolment, *modules):
    for module in modules:
        ModuleProgress.objects.create(
            enrolment=enrolment, module=module, completed_at=timezone.now()
        )


def _approve(review, *numbers):
    ReviewStage.objects.filter(review=review, sort_order__in=numbers).update(
        status=ReviewStage.Status.APPROVED
    )


def test_it_counts_modules_complete_against_the_live_modules_only(tess, pat, uma):
    course = build_course(modules=2)
    first, second = course.modules()
    third = add_module(course, title="Module 3")
    cohort = CohortFactory(course=course)
    # Tess completed the two modules that stay published; Uma completed the first and the third,
    # so once the third is unpublished she has one of the two live modules still to do.
    _complete(EnrolmentFactory(user=tess, cohort=cohort), first, second)
    _complete(EnrolmentFactory(user=uma, cohort=cohort), first, third)
    # Pat has done all three, but one of them is still in progress.
    pat_enrolment = EnrolmentFactory(user=pat, cohort=cohort)
    _complete(pat_enrolment, first, second)
    ModuleProgress.objects.create(enrolment=pat_enrolment, module=third)
    assert _counts(cohort).modules_complete == 0

    third.unpublish()

    # Tess and Pat: Uma's completed third module no longer counts, and she has the second to do.
    assert _counts(cohort).modules_complete == 2


def test_it_counts_nobody_modules_complete_on_a_course_without_live_modules(tess):
    course = build_course(modules=1)
    (module,) = course.modules()
    cohort = CohortFactory(course=course)
    _complete(EnrolmentFactory(user=tess, cohort=cohort), module)
    assert _counts(cohort).modules_complete == 1

    module.unpublish()

    assert _counts(cohort).modules_complete == 0
    assert _counts(CohortFactory(course=build_course(modules=0))).modules_complete == 0


def test_it_counts_a_withdrawn_trainee_as_withdrawn_and_nowhere_else(tess, pat, sam):
    course = build_course(modules=2)
    cohort = CohortFactory(course=course)
    review = SupervisedReviewFactory(trainee=tess, partner=pat, supervisor=sam)
    _approve(review, 1, 2, 3, 4, 5)
    for person in (tess, pat):
        _complete(EnrolmentFactory(user=person, cohort=cohort), *course.modules())
    before = _counts(cohort)
    assert (before.enrolled, before.modules_complete) == (2, 2)
    assert (before.review_started, before.stages_signed_off) == (2, 2)

    Enrolment.objects.filter(user=pat).update(status=Enrolment.Status.WITHDRAWN)

    after = _counts(cohort)
    assert (after.enrolled, after.withdrawn) == (1, 1)
    assert (after.modules_complete, after.review_started, after.stages_signed_off) == (1, 1, 1)
    assert set(after.stages.values()) == {1}


def test_it_leaves_out_an_accredited_co_reviewer(tess, pat, sam):
    cohort = CohortFactory(course=build_course(modules=1))
    review = SupervisedReviewFactory(
        trainee=tess, partner=pat, partner_is_accredited=True, supervisor=sam
    )
    _approve(review, 1, 2, 3, 4, 5)
    EnrolmentFactory(user=tess, cohort=cohort)
    # An accredited reviewer who happens to be enrolled does not carry the review out as a
    # trainee: the review's stages are not theirs.
    EnrolmentFactory(user=pat, cohort=cohort)

    counts = _counts(cohort)

    assert counts.enrolled == 2
    assert (counts.review_started, counts.stages_signed_off) == (1, 1)
    assert set(counts.stages.values()) == {1}


def test_it_counts_a_trainee_on_two_cohorts_in_each(tess, sam):
    course = build_course(modules=2)
    earlier = CohortFactory(course=course, name="Earlier")
    later = CohortFactory(course=build_course(modules=1), name="Later")
    _complete(
        EnrolmentFactory(user=tess, cohort=earlier, status=Enrolment.Status.DEFERRED),
        *course.modules(),
    )
    EnrolmentFactory(user=tess, cohort=later)
    _approve(SupervisedReviewFactory(trainee=tess, supervisor=sam), 1, 2)

    first, second = _counts(earlier), _counts(later)

    # The modules are done on the earlier cohort's enrolment only; the review is hers on both.
    assert (first.enrolled, first.modules_complete) == (1, 1)
    assert (second.enrolled, second.modules_complete) == (1, 0)
    for counts in (first, second):
        assert (counts.review_started, counts.stages_signed_off) == (1, 0)
        assert sorted(counts.stages.values()) == [1, 1]


def test_it_counts_every_stage_signed_off_across_the_reviews_a_trainee_carries_out(tess, pat, sam):
    cohort = CohortFactory(course=build_course(modules=1))
    EnrolmentFactory(user=pat, cohort=cohort)
    # Pat leads one review and partners Tess on another: between them, every stage is approved.
    _approve(SupervisedReviewFactory(trainee=pat, supervisor=sam), 1, 2, 3)
    shared = SupervisedReviewFactory(trainee=tess, partner=pat, supervisor=sam)
    _approve(shared, 4)
    assert _counts(cohort).stages_signed_off == 0

    _approve(shared, 5)

    counts = _counts(cohort)
    assert (counts.review_started, counts.stages_signed_off) == (1, 1)


def test_it_counts_a_review_started_once_any_stage_moves_on(tess, pat, uma, sam):
    cohort = CohortFactory(course=build_course(modules=1))
    for person in (tess, pat, uma):
        EnrolmentFactory(user=person, cohort=cohort)
    review = SupervisedReviewFactory(trainee=tess, partner=pat, supervisor=sam)
    SupervisedReviewFactory(trainee=uma, supervisor=sam)  # not started
    assert _counts(cohort).review_started == 0

    ReviewStage.objects.filter(review=review, sort_order=1).update(
        status=ReviewStage.Status.IN_PROGRESS
    )

    assert _counts(cohort).review_started == 2


def test_it_counts_the_same_trainees_whatever_the_cohort_size(sam):
    course = build_course(modules=2)
    cohort = CohortFactory(course=course)
    people = [make_trainee(f"Trainee {n}", f"t{n}@example.org") for n in range(7)]
    for index, person in enumerate(people):
        enrolment = EnrolmentFactory(user=person, cohort=cohort)
        if index % 2 == 0:
            _complete(enrolment, *course.modules())
        if index % 3 == 0:
            _approve(SupervisedReviewFactory(trainee=person, supervisor=sam), 1, 2, 3, 4, 5)

    counts = _counts(cohort)

    assert counts.enrolled == 7
    assert counts.modules_complete == len(people[::2])
    assert counts.review_started == counts.stages_signed_off == len(people[::3])


def test_it_counts_nobody_signed_off_when_no_scheme_is_active(tess, sam):
    cohort = CohortFactory(course=build_course(modules=1))
    EnrolmentFactory(user=tess, cohort=cohort)
    _approve(SupervisedReviewFactory(trainee=tess, supervisor=sam), 1, 2, 3, 4, 5)
    assert _counts(cohort).stages_signed_off == 1

    AccreditationScheme.objects.update(is_active=False)

    counts = _counts(cohort)
    assert (counts.review_started, counts.stages_signed_off, counts.stages) == (1, 0, {})
