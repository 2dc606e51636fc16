"""Builders for accreditation tests.

There is no scheme factory: the default scheme (Guide 24's five stages) comes from migration 0002
and is fetched, so tests run against the data real reviews use.
"""

import io
import zipfile
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

import factory

from accreditation.models import (
    AccreditationScheme,
    ContributoryFactorCategory,
    FindingCategory,
    ReviewStage,
    SupervisedReview,
)
from accreditation.services.reviews import review_create
from learning_platform.accounts.roles import Role

from ..factories import OrganisationFactory, UserFactory, give_totp

DEFAULT_SCHEME_NAME = "Learning Together lead reviewer accreditation"


def default_scheme() -> AccreditationScheme:
    return AccreditationScheme.objects.get(name=DEFAULT_SCHEME_NAME)


def categories() -> list[ContributoryFactorCategory]:
    return list(ContributoryFactorCategory.objects.all())


def finding_categories() -> list[FindingCategory]:
    return list(FindingCategory.objects.all())


def make_supervisor(full_name: str = "Sid Supervisor", email: str = "sid@example.org"):
    user = UserFactory(full_name=full_name, email=email, roles=[Role.SUPERVISOR])
    give_totp(user)
    return user


def make_trainee(full_name: str, email: str):
    return UserFactory(full_name=full_name, email=email, roles=[Role.TRAINEE])


class SupervisedReviewFactory(factory.django.DjangoModelFactory):
    """A review made by ``review_create``, so its stages come from the scheme as in real use."""

    class Meta:
        model = SupervisedReview

    scheme = factory.LazyFunction(default_scheme)
    trainee = factory.SubFactory(UserFactory, roles=[Role.TRAINEE])
    partner = None
    partner_is_accredited = False
    supervisor = factory.LazyFunction(make_supervisor)
    commissioning_organisation = factory.SubFactory(OrganisationFactory)
    case_reference = factory.Sequence(lambda n: f"Child {chr(65 + n % 26)}{n}")
    review_type = "full"
    start_date = date(2026, 1, 12)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return review_create(**kwargs)


def stage(review: SupervisedReview, number: int) -> ReviewStage:
    """The review's stage by its number, 1-based as the pages show it."""
    return ReviewStage.objects.select_related("review", "definition").get(
        review=review, sort_order=number
    )


def approve_stages(review: SupervisedReview, trainee, supervisor, numbers) -> None:
    """Submit each numbered stage with a note and have the supervisor approve it (stages are
    approved in order, so a later stage's approval needs the earlier ones)."""
    from accreditation.services.stages import stage_approve, stage_submit

    for number in numbers:
        fill_stage(review, trainee, number)
        stage_submit(stage=stage(review, number), user=trainee)
        stage_approve(stage=stage(review, number), user=supervisor)


def fill_stage(review: SupervisedReview, user, number: int) -> ReviewStage:
    """Give a stage what it needs before it is submitted: a note, and an entry in its register
    (a key practice episode, or a finding citing one, with an issue for the board) when it has
    one."""
    from accreditation.models import KeyPracticeEpisode, StageDefinition
    from accreditation.services.evidence import evidence_add_note
    from accreditation.services.registers import episode_create, finding_create

    s = stage(review, number)
    evidence_add_note(stage=s, user=user, title="Work", note="Done.")
    Register = StageDefinition.Register
    if s.definition.register == Register.KEY_PRACTICE_EPISODES:
        episode_create(
            stage=s, user=user, title="Strategy meeting", what_happened="…", assessment="mixed"
        )
    elif s.definition.register == Register.FINDINGS:
        if not KeyPracticeEpisode.objects.filter(review=review).exists():
            # A finding rests on an episode: write one at the analysis stage first.
            episode_create(
                stage=stage(review, 3),
                user=user,
                title="Strategy meeting",
                what_happened="…",
                assessment="mixed",
            )
        finding_create(
            stage=s,
            user=user,
            title="Meetings exclude health",
            in_this_case="Invitations go by a list that omits GPs.",
            category=finding_categories()[0],
            priority=1,
            episodes=list(KeyPracticeEpisode.objects.filter(review=review)[:1]),
            issues_for_board=["How does the partnership make sure GPs are invited?"],
        )
    return stage(review, number)


def add_register_entries(review: SupervisedReview, user) -> tuple:
    """A key practice episode on stage 3 and a finding on stage 4 that cites it."""
    from accreditation.services.registers import episode_create, finding_create

    episode = episode_create(
        stage=stage(review, 3),
        user=user,
        title="Strategy meeting",
        what_happened="A meeting without health present.",
        assessment="problematic",
    )
    pattern = finding_create(
        stage=stage(review, 4),
        user=user,
        title="Meetings exclude health",
        in_this_case="Invitations go by a list that omits GPs.",
        category=finding_categories()[0],
        priority=1,
        episodes=[episode],
        issues_for_board=["How does the partnership make sure GPs are invited?"],
    )
    return episode, pattern


def record_group_session(supervisor, attendees, *, on: date = date(2026, 2, 1)):
    """A 90-minute group supervision session, recorded by the supervisor."""
    from accreditation.services.supervision import supervision_session_record

    return supervision_session_record(
        supervisor=supervisor, kind="group", date=on, duration_minutes=90, attendees=attendees
    )


# Files -------------------------------------------------------------------------------------

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n166\n%%EOF\n"
)
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG_BYTES = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<rect width='1' height='1'/></svg>"
)
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def zip_bytes(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
        }
    )


def xlsx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "xl/workbook.xml": b"<workbook/>",
        }
    )


def odt_bytes() -> bytes:
    return zip_bytes(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b"<office:document-content/>",
        }
    )


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
