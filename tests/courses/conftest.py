import pytest

from courses.models import Enrolment

from .factories import (
    CohortFactory,
    EnrolmentFactory,
    add_module,
    build_course,
    knowledge_check_block,
    reflection_block,
    text_block,
)


@pytest.fixture
def course(db):
    """A course with two modules; the second requires the first and has a check and a reflection."""
    course = build_course(title="Lead reviewer programme")
    first = add_module(
        course,
        title="Systems thinking",
        body=[text_block("Systems thinking basics."), reflection_block("What surprised you?")],
    )
    add_module(
        course,
        title="Key practice episodes",
        body=[
            text_block("Body of the KPE module."),
            reflection_block("Describe a key practice episode."),
            knowledge_check_block(pass_mark=100),
        ],
        prerequisites=[first],
    )
    return course


@pytest.fixture
def modules(course):
    return list(course.modules())


@pytest.fixture
def cohort(course, sam):
    cohort = CohortFactory(course=course, name="London boards 2026")
    cohort.supervisors.add(sam)
    return cohort


@pytest.fixture
def tess_enrolment(cohort, tess, pat, sam):
    return EnrolmentFactory(
        user=tess, cohort=cohort, supervisor=sam, review_partner=pat, status=Enrolment.Status.ACTIVE
    )


@pytest.fixture
def pat_enrolment(cohort, tess, pat):
    return EnrolmentFactory(user=pat, cohort=cohort, review_partner=tess)
