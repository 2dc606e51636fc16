"""The demo course: real modules, prerequisites, a cohort, and safe to seed twice."""

import io

from wagtail.models import Site

from accreditation.models import FindingCategory
from courses.demo import (
    CONTRIBUTORY_FACTORS,
    MODULES,
    SUPERSEDED,
    TYPOLOGY_QUESTION,
    _id,
    seed_courses,
)
from courses.models import Cohort, CourseIndexPage, CoursePage, Enrolment, ModulePage
from courses.selectors.progress import ModuleStatus, trainee_progress_for_enrolment


def _users(ada, sam, ali, tess, pat, uma):
    return {"ada": ada, "sam": sam, "ali": ali, "tess": tess, "pat": pat, "uma": uma}


def test_it_seeds_the_reviewer_course_with_seven_real_modules(ada, sam, ali, tess, pat, uma):
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
    assert [m.slug for m in modules] == [spec["slug"] for spec in MODULES]
    assert len(modules) == 7
    for module in modules:
        types = [item["type"] for item in ModulePage.objects.get(pk=module.pk).body.raw_data]
        assert "reflective_question" in types and "knowledge_check" in types
        checks = [
            b
            for b in ModulePage.objects.get(pk=module.pk).body
            if b.block_type == "knowledge_check"
        ]
        for check in checks:
            assert len(check.value["questions"]) >= 3
            for question in check.value["questions"]:
                assert sum(bool(c["correct"]) for c in question["choices"]) == 1
                assert all(c["feedback"] for c in question["choices"])
    later = ModulePage.objects.get(slug="writing-the-report")
    assert [m.slug for m in later.prerequisites.all()] == ["practising-the-analysis"]
    kpe_html = str(ModulePage.objects.get(slug="key-practice-episodes").body)
    assert all(factor in kpe_html for factor in CONTRIBUTORY_FACTORS)
    assert len(CONTRIBUTORY_FACTORS) == 9

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
    assert ModulePage.objects.count() == 7
    assert Enrolment.objects.filter(user=tess).count() == 1


def test_it_makes_the_seeded_course_work_for_tess(client, ada, sam, ali, tess, pat, uma):
    seed_courses(stdout=io.StringIO(), users=_users(ada, sam, ali, tess, pat, uma))
    client.force_login(tess)

    html = client.get("/learning/").content.decode()

    assert "1 of 7 modules completed" in html
    assert "Start “The review process and its stages”" in html


def test_it_reads_the_typology_from_the_finding_categories(ada, sam, ali, tess, pat, uma):
    seed_courses(stdout=io.StringIO(), users=_users(ada, sam, ali, tess, pat, uma))
    findings = ModulePage.objects.get(slug="underlying-patterns-and-findings")

    types = [block.block_type for block in findings.body]
    check = next(b for b in findings.body if b.block_type == "knowledge_check")

    assert "typology" in types and "callout" not in types
    question = next(q for q in check.value["questions"] if q["question"] == TYPOLOGY_QUESTION)
    correct = [c["text"] for c in question["choices"] if c["correct"]]
    assert correct == ["Tools"]
    assert FindingCategory.objects.filter(name__in=correct).exists()
    assert "Human–tool operation" not in str(findings.body)


def test_it_walks_a_fictional_case_from_episodes_to_a_finding(ada, sam, ali, tess, pat, uma):
    seed_courses(stdout=io.StringIO(), users=_users(ada, sam, ali, tess, pat, uma))
    practice = ModulePage.objects.get(slug="practising-the-analysis")

    types = [block.block_type for block in practice.body]
    text = str(practice.body)

    assert [m.slug for m in practice.prerequisites.all()] == ["underlying-patterns-and-findings"]
    assert types.count("reflective_question") == 3 and types.count("knowledge_check") == 3
    assert "typology" in types
    for words in (
        "Child M",
        "hindsight held back",
        "Why it made sense at the time",
        "Frontline",
        "Local strategic",
        "National",
        "How we know it is an underlying issue",
        "reliability of the system",
        "Issues for the board",
    ):
        assert words in text, words


def _as_first_seeded(module: ModulePage) -> None:
    """Put back the blocks the first demo seeded in place of the ones this version replaced."""
    raw = list(module.body.raw_data)
    for (slug, place, block_type), value in SUPERSEDED.items():
        if slug == module.slug:
            raw[place] = {
                "type": block_type,
                "value": value,
                "id": _id(slug, str(place), block_type),
            }
    module.body = raw
    module.save_revision().publish()


def test_it_brings_a_course_seeded_by_the_first_demo_up_to_date(
    client, ada, sam, ali, tess, pat, uma
):
    users = _users(ada, sam, ali, tess, pat, uma)
    course = seed_courses(stdout=io.StringIO(), users=users)
    findings = ModulePage.objects.get(slug="underlying-patterns-and-findings")
    _as_first_seeded(findings)
    report = ModulePage.objects.get(slug="writing-the-report")
    report.prerequisites.set([findings])
    report.save_revision().publish()
    ModulePage.objects.get(slug="practising-the-analysis").delete()
    assert "Human–tool operation" in str(ModulePage.objects.get(pk=findings.pk).body)

    out = io.StringIO()
    seed_courses(stdout=out, users=users)

    findings = ModulePage.objects.get(pk=findings.pk)
    assert [b.block_type for b in findings.body][1] == "typology"
    assert "Human–tool operation" not in str(findings.body)
    assert [m.slug for m in course.modules()] == [spec["slug"] for spec in MODULES]
    report = ModulePage.objects.get(slug="writing-the-report")
    assert [m.slug for m in report.prerequisites.all()] == ["practising-the-analysis"]
    client.force_login(sam)
    html = client.get(findings.url).content.decode()
    assert 'class="typology__name">Tools</strong>' in html

    again = io.StringIO()
    seed_courses(stdout=again, users=users)
    assert "up to date" not in again.getvalue() and "Created" not in again.getvalue()


def test_it_keeps_an_editors_change_to_a_replaced_block(ada, sam, ali, tess, pat, uma):
    users = _users(ada, sam, ali, tess, pat, uma)
    seed_courses(stdout=io.StringIO(), users=users)
    findings = ModulePage.objects.get(slug="underlying-patterns-and-findings")
    _as_first_seeded(findings)
    findings = ModulePage.objects.get(pk=findings.pk)
    raw = list(findings.body.raw_data)
    raw[1] = {**raw[1], "value": {**raw[1]["value"], "heading": "Our own typology"}}
    findings.body = raw
    findings.save_revision().publish()

    seed_courses(stdout=io.StringIO(), users=users)

    findings = ModulePage.objects.get(pk=findings.pk)
    assert findings.body[1].block_type == "callout"
    assert findings.body[1].value["heading"] == "Our own typology"
    # The knowledge check was left as first seeded, so it is brought up to date.
    assert "Human–tool operation" not in str(findings.body[4].value)
