"""The whole path to accreditation, through the services and pages real users drive: modules,
five stages signed off (one sent back and resubmitted), supervision, the application referred
back and resubmitted, approval, the certificate PDF, the review's draft report in Word and as a
PDF, verification, expiry, renewal with a new certificate superseding the old, both
verification pages, and revocation."""

import io
from datetime import timedelta
from urllib.parse import urlsplit

from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils import timezone

import zxingcpp
from docx import Document
from pypdf import PdfReader

from accreditation.models import (
    AccreditationApplication,
    AssessmentCriterion,
    Certificate,
    CpdActivityType,
    CpdEntry,
    RenewalApplication,
    ReviewStage,
    SignOff,
    SupervisionSession,
)
from accreditation.services import evidence as evidence_services
from accreditation.services import stages as stage_services
from accreditation.services import supervision as supervision_services
from courses.services import progress as progress_services
from tests.courses.factories import (
    CohortFactory,
    EnrolmentFactory,
    add_module,
    build_course,
    reflection_block,
    text_block,
)

from .award_builders import STATEMENT, criteria_form
from .factories import SupervisedReviewFactory, add_register_entries


def test_it_walks_the_whole_path_to_a_renewed_then_revoked_certificate(
    client,
    tess,
    pat,
    sam,
    ali,
    django_capture_on_commit_callbacks,
    monkeypatch,
    tmp_path,
    settings,
):
    monkeypatch.setattr(
        Certificate._meta.get_field("pdf"), "storage", FileSystemStorage(location=tmp_path)
    )
    # Training: two modules, one to read and one with a reflection.
    course = build_course(title="Lead reviewer programme")
    reading = add_module(course, title="Systems thinking", body=[text_block("Basics.")])
    question = reflection_block("What surprised you?")
    reflective = add_module(course, title="Key practice episodes", body=[question])
    cohort = CohortFactory(course=course)
    enrolment = EnrolmentFactory(user=tess, cohort=cohort, supervisor=sam, review_partner=pat)
    progress_services.module_progress_start(enrolment=enrolment, module=reading)
    progress_services.reflection_answer_save(
        enrolment=enrolment,
        module=reflective,
        block_id=question["id"],
        answer="How local rationality shaped each decision.",
    )

    # The supervised review: five stages, each evidenced, submitted and signed off.
    review = SupervisedReviewFactory(trainee=tess, partner=pat, supervisor=sam)
    stages = list(ReviewStage.objects.filter(review=review).order_by("sort_order"))
    assert [s.definition.title for s in stages] == [
        "Preparation",
        "Data collection",
        "Organising and analysing data",
        "Findings",
        "Report",
    ]
    # Stages 3 and 4 are evidenced by their registers as well.
    add_register_entries(review, tess)
    for number, stage in enumerate(stages, start=1):
        evidence_services.evidence_add_note(
            stage=stage, user=tess, title=f"Stage {number} notes", note="What we did."
        )
        stage_services.stage_submit(stage=stage, user=tess)
        if number == 3:
            stage_services.stage_request_changes(
                stage=stage, user=sam, comment="Link each episode to its factors."
            )
            evidence_services.evidence_add_note(
                stage=stage, user=pat, title="Revised analysis", note="Factors linked."
            )
            stage_services.stage_submit(stage=stage, user=tess)
        stage_services.stage_approve(stage=stage, user=sam, comment="Good.")
    assert set(ReviewStage.objects.filter(review=review).values_list("status", flat=True)) == {
        "approved"
    }
    assert SignOff.objects.filter(stage=stages[2], decision="changes_requested").count() == 1

    # Supervision: four group sessions and one individual session while writing the report.
    today = timezone.localdate()
    for days_ago in (60, 45, 30, 15):
        session = supervision_services.supervision_session_record(
            supervisor=sam,
            kind=SupervisionSession.Kind.GROUP,
            date=today - timedelta(days=days_ago),
            duration_minutes=120,
            attendees=[tess, pat],
        )
        supervision_services.supervision_attendance_confirm(session=session, trainee=tess)
    session = supervision_services.supervision_session_record(
        supervisor=sam,
        kind=SupervisionSession.Kind.INDIVIDUAL,
        date=today - timedelta(days=5),
        duration_minutes=60,
        attendees=[tess],
        during_report_writing=True,
    )
    supervision_services.supervision_attendance_confirm(session=session, trainee=tess)

    # Sam recommends Tess, on his recommendation page.
    client.force_login(sam)
    response = client.post(
        reverse("accreditation:recommendation", args=[review.pk]),
        {
            "trainee": tess.pk,
            f"trainee-{tess.pk}-ready": "ready",
            f"trainee-{tess.pk}-statement": "Tess led the analysis with care.",
        },
    )
    assert response.status_code == 302

    # Tess applies: the course, training days, stages, supervision and the recommendation.
    client.force_login(tess)
    page = client.get(reverse("accreditation:application")).content.decode()
    assert page.count(">Completed</strong>") == 5
    response = client.post(
        reverse("accreditation:application"),
        {"reflective_statement": STATEMENT, "action": "continue"},
    )
    assert response.url == reverse("accreditation:application_check")
    assert client.get(response.url).status_code == 200
    response = client.post(reverse("accreditation:application_check"))
    assert response.status_code == 302
    application = AccreditationApplication.objects.get(trainee=tess)
    assert application.status == "submitted"

    # Ali refers it back.
    client.force_login(ali)
    decide = reverse("accreditation:assessment_decide", args=[application.pk])
    portfolio = client.get(reverse("accreditation:assessment_portfolio", args=[application.pk]))
    assert "How local rationality shaped each decision." in portfolio.content.decode()
    assert "Link each episode to its factors." in portfolio.content.decode()
    client.post(
        decide,
        {
            "outcome": "referred",
            "reasons": "The statement says little about the findings.",
            "required_actions": "Say how the underlying patterns were prioritised.",
            **criteria_form(application, not_met=1, comment="See the required actions."),
        },
    )
    application.refresh_from_db()
    assert application.status == "referred"

    # Tess resubmits.
    client.force_login(tess)
    assert (
        "Say how the underlying patterns were prioritised."
        in client.get(reverse("accreditation:application")).content.decode()
    )
    client.post(
        reverse("accreditation:application"),
        {
            "reflective_statement": STATEMENT + " We prioritised patterns by their reach across "
            "agencies.",
            "action": "continue",
        },
    )
    client.post(reverse("accreditation:application_check"))
    application.refresh_from_db()
    assert application.status == "submitted"

    # Ali approves; the certificate's PDF is rendered once the decision commits.
    client.force_login(ali)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            decide,
            {"outcome": "approved", "reasons": "A sound review.", **criteria_form(application)},
        )
    assert response.status_code == 302
    certificate = Certificate.objects.get(application=application)
    assert certificate.pdf_sha256
    with certificate.pdf.open("rb") as handle:
        page = PdfReader(io.BytesIO(handle.read())).pages[0]
    text = page.extract_text()
    assert "Tess Trainee" in text
    assert certificate.number in text
    assert f"{certificate.issued_at:%-d %B %Y}" in text
    assert f"{certificate.valid_until:%-d %B %Y}" in text

    # The QR code decodes to the public verification URL, and that page says valid.
    verify = reverse("certificate_verify_code", args=[certificate.verification_code])
    (qr_image,) = page.images
    (scanned,) = [barcode.text for barcode in zxingcpp.read_barcodes(qr_image.image)]
    assert scanned == settings.SITE_URL.rstrip("/") + verify
    assert urlsplit(scanned).path == verify
    client.logout()
    assert "This certificate is valid" in client.get(verify).content.decode()

    # The draft report, built from the registers the pair wrote, downloads in both formats: for
    # Tess, and for Ali now that her application rests on the review.
    for user in (tess, ali):
        client.force_login(user)
        docx = client.get(reverse("accreditation:review_report_docx", args=[review.pk]))
        assert docx.status_code == 200
        text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
        assert "Finding 1: Meetings exclude health" in text
        assert "How does the partnership make sure GPs are invited?" in text
        pdf = client.get(reverse("accreditation:review_report_pdf", args=[review.pk]))
        assert pdf.status_code == 200
        reader = PdfReader(io.BytesIO(pdf.content))
        text = "\n".join(page.extract_text() for page in reader.pages)
        assert "Finding 1: Meetings exclude health" in text
        assert "How does the partnership make sure GPs are invited?" in text

    # Three years on, the certificate has expired: verification says so, and Tess, in the
    # renewal grace period, is told how long she has to renew.
    expired_on = timezone.localdate() - timedelta(days=5)
    first_issued = expired_on.replace(year=expired_on.year - certificate.scheme.validity_years)
    Certificate.objects.filter(pk=certificate.pk).update(
        awarded_at=first_issued, issued_at=first_issued, valid_until=expired_on
    )
    assert "This certificate has expired" in client.get(verify).content.decode()
    client.force_login(tess)
    html = client.get(reverse("accreditation:my_certificates")).content.decode()
    assert "in its renewal grace period until" in html
    renew = reverse("accreditation:renewal", args=[certificate.pk])
    assert f'href="{renew}"' in html

    # She has logged her CPD and led a review outside the platform; she renews.
    for number in range(3):
        CpdEntry.objects.create(
            person=tess,
            date=timezone.localdate() - timedelta(days=30 + number),
            activity_type=CpdActivityType.objects.order_by("pk").first(),
            title=f"Practice workshop {number + 1}",
            hours=10,
        )
    response = client.post(
        renew,
        {
            "practice_statement": "I led the review of Family N and co-facilitated two more.",
            "outside_title": "Family N",
            "outside_role": "led",
            "outside_completed_on": (timezone.localdate() - timedelta(days=200)).isoformat(),
            "outside_url": "https://example.org/reports/family-n",
            "declaration": "on",
        },
    )
    assert response.status_code == 302
    renewal = RenewalApplication.objects.get(certificate=certificate)
    assert (renewal.status, renewal.cpd_hours) == ("submitted", 30)

    # Ali approves it, judging every renewal criterion met; a new certificate supersedes the old.
    client.force_login(ali)
    assert (
        "Family N"
        in client.get(
            reverse("accreditation:renewal_portfolio", args=[renewal.pk])
        ).content.decode()
    )
    criteria = AssessmentCriterion.objects.filter(
        scheme=certificate.scheme, purpose=AssessmentCriterion.Purpose.RENEWAL
    )
    judged = {f"criterion_{c.pk}": "met" for c in criteria}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accreditation:renewal_decide", args=[renewal.pk]),
            {"outcome": "approved", "reasons": "Active, reflective practice.", **judged},
        )
    assert response.status_code == 302
    renewed = Certificate.objects.get(supersedes=certificate)
    certificate.refresh_from_db()
    assert renewed.pdf_sha256 and renewed.number != certificate.number
    assert renewed.awarded_at == certificate.awarded_at
    assert renewed.valid_until == timezone.localdate().replace(
        year=timezone.localdate().year + certificate.scheme.validity_years
    )
    assert certificate.status == "issued"

    # The old certificate's page says it was superseded and links to the new one's, which is
    # valid and says since when Tess has been accredited.
    client.logout()
    new_verify = reverse("certificate_verify_code", args=[renewed.verification_code])
    html = client.get(verify).content.decode()
    assert "This certificate has been superseded" in html and new_verify in html
    html = client.get(new_verify).content.decode()
    assert "This certificate is valid" in html and "Accredited since" in html

    # Ali revokes the current certificate; verification says so at once.
    client.force_login(ali)
    client.post(
        reverse("accreditation:certificate_manage", args=[renewed.pk]),
        {"action": "revoke", "reason": "Conduct finding"},
    )
    client.logout()
    html = client.get(new_verify).content.decode()
    assert "This certificate has been revoked" in html
    assert list(renewed.events.values_list("to_status", flat=True)) == ["issued", "revoked"]
    assert list(certificate.events.values_list("to_status", flat=True)) == ["issued"]
