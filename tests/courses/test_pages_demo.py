"""The demo course: real modules, prerequisites, a cohort, and safe to seed twice."""

import io

from wagtail.models import Site

from courses.demo import CONTRIBUTORY_FACTORS, UNDERLYING_PATTERNS, seed_courses
from courses.models import Cohort, CourseIndexPage, CoursePage, Enrolment, ModulePage
from courses.selectors.progress import ModuleStatus, trainee_progress_for_enrolment


def _users(ada, sam, ali, tess, pat, uma):
    return {"ada": ada, "sam": sam, "ali": ali, "tess": tess, "pat": pat, "uma": uma}


def test_it_seeds_the_reviewer_course_with_six_real_modules(ada, sam, ali, tess, pat, uma):
    users = _users(ada, sam, ali, tess, pat, uma)

    course = seed_courses(stdout=io.StringIO(), users=users)

    index = CourseIndexPage.objects.get()
    assert index.show_in_menus and index.title == "Training"
    assert index.get_parent().pk == Site.objects.get(is_default_site=True).root_page_id
    assert course.title == "Learning Together lead reviewer programme"
    assert course.format == (
        "4 days face-to-face in two blocks (2 + 2 days), then a supervised case review"
    )
    modules = list(course.modules())
    assert len(modules) == 6
    for module in modules:
        types = [item["type"] for item in ModulePage.objects.get(pk=module.pk).body.raw_data]
        assert "reflective_question" in types and "knowledge_check" in types
        check = next(
            b
            for b in ModulePage.objects.get(pk=module.pk).body
            if b.block_type == "knowledge_check"
        )
        assert len(check.value["questions"]) >= 3
        for question in check.value["questions"]:
            assert sum(bool(c["correct"]) for c in question["choices"]) == 1
            assert all(c["feedback"] for c in question["choices"])
    later = ModulePage.objects.get(slug="writing-the-report")
    assert [m.slug for m in later.prerequisites.all()] == ["underlying-patterns-and-findings"]
    kpe_html = str(ModulePage.objects.get(slug="key-practice-episodes").body)
    assert all(factor in kpe_html for factor in CONTRIBUTORY_FACTORS)
    assert len(CONTRIBUTORY_FACTORS) == 9 and len(UNDERLYING_PATTERNS) == 6

    cohort = Cohort.objects.get(name="London boards 2026")
    assert cohort.course_id == course.pk
    tess_enrolment = Enrolment.objects.get(user=tess, cohort=cohort)
    assert tess_enrolment.status == Enrolment.Status.ACTIVE
    assert tess_enrolment.supervisor == sam and tess_enrolment.review_partner == pat
    statuses = [
        row.status for row in trainee_progress_for_enrolment(enrolment=tess_enrolment).modules
    ]
    assert statuses[:3] == [
        ModuleStatus.COMPLETED,
        ModuleStatus.NOT_STARTED,
        ModuleStatus.CANNOT_START,
    ]


def test_it_can_be_seeded_twice(ada, sam, ali, tess, pat, uma):
    users = _users(ada, sam, ali, tess, pat, uma)
    seed_courses(stdout=io.StringIO(), users=users)

    seed_courses(stdout=io.StringIO(), users=users)

    assert CoursePage.objects.count() == 1
    assert ModulePage.objects.count() == 6
    assert Enrolment.objects.filter(user=tess).count() == 1


def test_it_makes_the_seeded_course_work_for_tess(client, ada, sam, ali, tess, pat, uma):
    seed_courses(stdout=io.StringIO(), users=_users(ada, sam, ali, tess, pat, uma))
    client.force_login(tess)

    html = client.get("/learning/").content.decode()

    assert "1 of 6 modules completed" in html
    assert "Start “The review process and its stages”" in html
