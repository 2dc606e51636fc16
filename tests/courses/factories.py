"""Builders for courses: pages (course index, course, modules and their blocks), cohorts and
enrolments."""

import datetime
import uuid

from django.utils import timezone

from wagtail.models import Site

import factory

from courses.models import (
    Cohort,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    Invitation,
    ModulePage,
    TrainingDay,
)
from courses.services.invitations.links import hash_token
from tests.factories import UserFactory

# Pages --------------------------------------------------------------------------------------


def course_index() -> CourseIndexPage:
    existing = CourseIndexPage.objects.first()
    if existing:
        return existing
    root = Site.objects.get(is_default_site=True).root_page
    index = CourseIndexPage(title="Training", slug="training", show_in_menus=True)
    root.add_child(instance=index)
    return index


def build_course(
    *, title: str = "Lead reviewer programme", modules: int = 0, **fields
) -> CoursePage:
    """A published course with `modules` simple modules (one text block each)."""
    index = course_index()
    course = CoursePage(title=title, slug=fields.pop("slug", None) or _slug(title), **fields)
    index.add_child(instance=course)
    for number in range(1, modules + 1):
        add_module(course, title=f"Module {number}", body=[text_block(f"Module {number} text.")])
    return course


def add_module(
    course: CoursePage,
    *,
    title: str,
    body: list[dict] | None = None,
    prerequisites=(),
    overview: str = "",
    live: bool = True,
) -> ModulePage:
    module = ModulePage(
        title=title,
        slug=_slug(title),
        overview=overview or f"What {title} covers.",
        body=body or [],
        live=live,
    )
    course.add_child(instance=module)
    if prerequisites:
        module.prerequisites.set(prerequisites)
        module.save()
    return module


def _slug(title: str) -> str:
    return f"{title.lower().replace(' ', '-')[:40]}-{uuid.uuid4().hex[:6]}"


def text_block(html: str = "Some text.") -> dict:
    return {"type": "text", "value": f"<p>{html}</p>", "id": str(uuid.uuid4())}


def callout_block(heading: str = "A key concept", text: str = "Explained.") -> dict:
    return {
        "type": "callout",
        "value": {"heading": heading, "text": f"<p>{text}</p>"},
        "id": str(uuid.uuid4()),
    }


def reflection_block(question: str = "What did you notice?", guidance: str = "") -> dict:
    return {
        "type": "reflective_question",
        "value": {"question": question, "guidance": guidance},
        "id": str(uuid.uuid4()),
    }


def knowledge_check_block(
    questions: list[tuple[str, list[tuple[str, bool, str]]]] | None = None,
    *,
    pass_mark: int = 100,
    title: str = "Check your understanding",
) -> dict:
    """`questions` is [(question, [(choice text, correct, feedback), ...]), ...]."""
    if questions is None:
        questions = [
            (
                "How many contributory-factor categories are there?",
                [("Nine", True, "Yes: nine."), ("Four", False, "No: that is too few.")],
            ),
            (
                "Who owns the final report?",
                [("The reviewer", False, "No."), ("The commissioning board", True, "Right.")],
            ),
        ]
    return {
        "type": "knowledge_check",
        "value": {
            "title": title,
            "pass_mark": pass_mark,
            "questions": [
                {
                    "question": question,
                    "choices": [
                        {"text": text, "correct": correct, "feedback": feedback}
                        for text, correct, feedback in choices
                    ],
                }
                for question, choices in questions
            ],
        },
        "id": str(uuid.uuid4()),
    }


# Cohorts and enrolments ---------------------------------------------------------------------


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"London boards {2026 + n}")
    course = factory.LazyFunction(lambda: build_course())
    start_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    end_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=150))
    status = Cohort.Status.IN_PROGRESS


class TrainingDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingDay

    cohort = factory.SubFactory(CohortFactory)
    date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=7))
    title = factory.Sequence(lambda n: f"Day {n + 1}: systems thinking")
    venue = "SCIE, 54 Baker Street, London"
    starts_at = datetime.time(9, 30)
    ends_at = datetime.time(16, 30)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    user = factory.SubFactory(UserFactory)
    cohort = factory.SubFactory(CohortFactory)
    status = Enrolment.Status.ACTIVE


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation whose raw token is known: pass ``token=...`` and use it in the URL."""

    class Meta:
        model = Invitation
        exclude = ("token",)

    class Params:
        expires_in_days = 14

    token = factory.Sequence(lambda n: f"test-invitation-token-{n:04d}-{uuid.uuid4().hex}")
    cohort = factory.SubFactory(CohortFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Invited Person {n}")
    job_title = "Safeguarding manager"
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.token))
    expires_at = factory.LazyAttribute(
        lambda o: timezone.now() + datetime.timedelta(days=o.expires_in_days)
    )
