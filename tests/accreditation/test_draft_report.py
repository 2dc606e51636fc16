"""The review's draft report in Word and as a PDF: what it says and in what order, that typed
markup stays text and nothing it names is fetched, its fixed cost in queries, and who may
download it."""

import io

from django.urls import reverse

import pytest
from docx import Document
from pypdf import PdfReader

from accreditation import access
from accreditation.models import ContributoryFactorCategory, FindingCategory
from accreditation.services import pdf as pdf_services
from accreditation.services import report
from accreditation.services.registers import episode_create, finding_create

from .award_builders import make_ready, submit
from .factories import finding_categories, stage
from .test_access_outcomes import admin_form_data

pytestmark = pytest.mark.django_db

INTRODUCTION = "Learning Together reviews look at the system, not at individuals."
SECOND_PARAGRAPH = "This second paragraph follows a blank line."
IMG = '<img src="file:///etc/passwd">'
SCRIPT = "<script>alert(1)</script>"


def _write_analysis(review, user, *, episodes: int = 1, findings: int = 1, prefix: str = ""):
    """Episodes with a factor each on stage 3, findings each citing the first episode with two
    issues for the board on stage 4."""
    category = ContributoryFactorCategory.objects.order_by("sort_order").first()
    written = []
    for number in range(1, episodes + 1):
        written.append(
            episode_create(
                stage=stage(review, 3),
                user=user,
                title=f"{prefix}Strategy meeting {number}",
                what_happened="A meeting without health present.\n\nThe GP was not told.",
                assessment="problematic",
                when="March 2026",
                agencies="Police; children's social care",
                local_rationality="The list of invitees came from the police system.",
                factors={category: f"The invitation list left out GPs ({number})."},
            )
        )
    for number in range(1, findings + 1):
        finding_create(
            stage=stage(review, 4),
            user=user,
            title=f"{prefix}Meetings exclude health {number}",
            in_this_case="Invitations go by a list that omits GPs.",
            category=finding_categories()[0],
            priority=number,
            episodes=[written[0]],
            issues_for_board=[
                f"How does the partnership make sure GPs are invited? ({number})",
                "What would tell the board that it has changed?",
            ],
        )
    return written


def _set_introduction(review, introduction: str = f"{INTRODUCTION}\n\n{SECOND_PARAGRAPH}"):
    scheme = review.scheme
    scheme.report_introduction = introduction
    scheme.save(update_fields=["report_introduction"])


def _docx_paragraphs(content: bytes):
    return Document(io.BytesIO(content)).paragraphs


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _first_index(paragraphs, text: str) -> int:
    return next(i for i, paragraph in enumerate(paragraphs) if text in paragraph.text)


# What the report says, and in what order ------------------------------------------------------


def test_it_writes_the_word_report_in_the_methods_order(review, tess):
    _set_introduction(review)
    _write_analysis(review, tess)
    typology = finding_categories()

    paragraphs = _docx_paragraphs(report.draft_report_docx(review=review))

    order = [
        _first_index(paragraphs, "Child K"),
        _first_index(paragraphs, INTRODUCTION),
        _first_index(paragraphs, SECOND_PARAGRAPH),
        _first_index(paragraphs, "KPE1: Strategy meeting 1"),
        _first_index(paragraphs, "Finding 1: Meetings exclude health 1"),
        _first_index(paragraphs, "How does the partnership make sure GPs are invited? (1)"),
        _first_index(paragraphs, "Appendix: the typology of findings"),
        _first_index(paragraphs, typology[-1].name),
    ]
    assert order == sorted(order)
    # Blank lines in the scheme's text make paragraphs of their own.
    assert _first_index(paragraphs, SECOND_PARAGRAPH) == _first_index(paragraphs, INTRODUCTION) + 1


def test_it_uses_words_heading_styles_for_the_sections_episodes_and_findings(review, tess):
    _write_analysis(review, tess)

    paragraphs = _docx_paragraphs(report.draft_report_docx(review=review))
    styles = {paragraph.text: paragraph.style.name for paragraph in paragraphs}

    assert styles["Draft report"] == "Title"
    for section in report.SECTIONS:
        assert styles[section] == "Heading 1"
    assert styles["KPE1: Strategy meeting 1"] == "Heading 2"
    assert styles["Finding 1: Meetings exclude health 1"] == "Heading 2"
    assert styles["Issues for the board"] == "Heading 3"
    assert styles["How does the partnership make sure GPs are invited? (1)"] == "List Number"


def test_it_puts_the_reviews_facts_on_the_cover(review, tess, pat, sam):
    paragraphs = _docx_paragraphs(report.draft_report_docx(review=review))
    cover = "\n".join(p.text for p in paragraphs[: _first_index(paragraphs, "1 Introduction")])

    assert f"Commissioned by: {review.commissioning_organisation.name}" in cover
    assert f"Type of review: {review.review_type.name}" in cover
    assert "Lead reviewers: Tess Trainee and Pat Partner" in cover
    assert "Supervisor: Sam Supervisor" in cover
    assert f"Started: {review.start_date:%-d %B %Y}" in cover
    assert f"Publication expected by: {review.target_publication_date:%-d %B %Y}" in cover
    assert "Draft generated: " in cover
    assert "Draft for the review team and the board. Pseudonymous:" in cover


def test_it_says_what_is_not_written_yet(review, tess):
    _set_introduction(review, "")
    _write_analysis(review, tess)

    paragraphs = _docx_paragraphs(report.draft_report_docx(review=review))
    after_introduction = paragraphs[_first_index(paragraphs, "1 Introduction") + 1]
    appraisal = paragraphs[_first_index(paragraphs, "Appraisal: problematic") + 1]

    assert after_introduction.text == "Not written yet."
    assert appraisal.text == "Not written yet."


def test_it_numbers_each_findings_issues_from_one(review, tess):
    _write_analysis(review, tess, findings=2)

    document = Document(io.BytesIO(report.draft_report_docx(review=review)))
    issues = [p for p in document.paragraphs if p.style.name == "List Number"]
    num_ids = [p._p.pPr.numPr.numId.val for p in issues]

    assert len(issues) == 4
    # Two lists, each its own numbering instance, so Word restarts at 1 for the second.
    assert num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3]


def test_it_prints_the_pdf_with_the_findings_and_their_issues(review, tess):
    _set_introduction(review)
    _write_analysis(review, tess)

    content = report.draft_report_pdf(review=review)
    text = _pdf_text(content)

    assert content.startswith(b"%PDF")
    positions = [
        text.index("Draft report"),
        text.index(INTRODUCTION),
        text.index("KPE1: Strategy meeting 1"),
        text.index("Finding 1: Meetings exclude health 1"),
        text.index("How does the partnership make sure GPs are invited? (1)"),
        text.index("Appendix: the typology of findings"),
    ]
    assert positions == sorted(positions)


# Typed markup stays text --------------------------------------------------------------------


def _hostile_review(review, tess):
    _set_introduction(review, f"{IMG} {SCRIPT}")
    episode_create(
        stage=stage(review, 3),
        user=tess,
        title=f"Visit {IMG}",
        what_happened=f"{SCRIPT} and a vertical tab\x0bhere.",
        assessment="mixed",
    )
    (episode,) = review.key_practice_episodes.all()
    finding_create(
        stage=stage(review, 4),
        user=tess,
        title="Records travel badly",
        in_this_case=IMG,
        category=FindingCategory.objects.first(),
        episodes=[episode],
        issues_for_board=[f"Ask {SCRIPT}"],
    )


def test_it_keeps_typed_markup_as_text_in_word(review, tess):
    _hostile_review(review, tess)

    text = "\n".join(p.text for p in _docx_paragraphs(report.draft_report_docx(review=review)))

    assert f"{IMG} {SCRIPT}" in text
    assert f"KPE1: Visit {IMG}" in text
    assert f"Ask {SCRIPT}" in text
    # The vertical tab, which XML cannot hold, is dropped and the rest kept.
    assert "a vertical tabhere." in text
    assert "root:" not in text


def test_it_keeps_typed_markup_as_text_in_the_pdf_and_fetches_nothing(review, tess, monkeypatch):
    _hostile_review(review, tess)
    asked_for = []
    real_callback = pdf_services._link_callback

    def watching_callback(uri, rel=None):
        asked_for.append(uri)
        return real_callback(uri, rel)

    monkeypatch.setattr(pdf_services, "_link_callback", watching_callback)
    content = report.draft_report_pdf(review=review)
    text = _pdf_text(content)

    assert IMG in text
    assert SCRIPT in text
    assert "a vertical tabhere." in text
    assert "root:" not in text
    assert b"/Subtype /Image" not in content
    # Only the stylesheet and its fonts were looked up; the typed image never was.
    assert asked_for
    assert all(uri.startswith(("report.css", "fonts/")) for uri in asked_for), asked_for


# A fixed number of queries ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("render", "queries"),
    [(report.draft_report_docx, 6), (report.draft_report_pdf, 6)],
    ids=["docx", "pdf"],
)
def test_it_reads_the_same_number_of_queries_however_large_the_review(
    review, tess, django_assert_num_queries, render, queries
):
    _write_analysis(review, tess)
    loaded = access.get_review_for_report(tess, review.pk)
    with django_assert_num_queries(queries):
        small = render(review=loaded)

    _write_analysis(review, tess, episodes=4, findings=4, prefix="More ")
    loaded = access.get_review_for_report(tess, review.pk)
    with django_assert_num_queries(queries):
        large = render(review=loaded)
    assert len(large) > len(small)


def test_it_answers_a_download_in_a_fixed_number_of_queries(
    client, review, tess, django_assert_num_queries
):
    _write_analysis(review, tess)
    client.force_login(tess)
    url = reverse("accreditation:review_report_docx", args=[review.pk])
    # The session, the user, their roles, the review; then the six reads of the report.
    with django_assert_num_queries(10) as small:
        client.get(url)

    _write_analysis(review, tess, episodes=4, findings=4, prefix="More ")
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


# Who may download it ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["tess", "pat", "sam"])
def test_it_gives_the_review_team_both_formats(client, review, persona, request):
    client.force_login(request.getfixturevalue(persona))

    docx = client.get(reverse("accreditation:review_report_docx", args=[review.pk]))
    pdf = client.get(reverse("accreditation:review_report_pdf", args=[review.pk]))

    assert docx.status_code == 200
    assert docx["Content-Type"] == report.DOCX_CONTENT_TYPE
    assert docx["Content-Disposition"] == 'attachment; filename="draft-report-child-k.docx"'
    assert docx["Cache-Control"] == "private, no-store"
    assert Document(io.BytesIO(docx.content)).paragraphs[0].text == "Draft report"
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="draft-report-child-k.pdf"'
    assert pdf["Cache-Control"] == "private, no-store"
    assert "Child K" in _pdf_text(pdf.content)


@pytest.mark.parametrize("persona", ["uma", "sid", "ali", "ada"])
def test_it_hides_the_report_from_everyone_else(client, review, persona, request):
    client.force_login(request.getfixturevalue(persona))

    for name in ("accreditation:review_report_docx", "accreditation:review_report_pdf"):
        assert client.get(reverse(name, args=[review.pk])).status_code == 404


def test_it_sends_an_anonymous_visitor_to_sign_in(client, review):
    response = client.get(reverse("accreditation:review_report_docx", args=[review.pk]))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_it_opens_the_report_to_an_assessor_once_an_application_rests_on_it(
    client, review, tess, ali
):
    _write_analysis(review, tess)
    make_ready(tess, review)
    client.force_login(ali)
    url = reverse("accreditation:review_report_docx", args=[review.pk])
    assert client.get(url).status_code == 404

    application = submit(tess)
    response = client.get(url)

    assert response.status_code == 200
    text = "\n".join(p.text for p in _docx_paragraphs(response.content))
    assert "Meetings exclude health 1" in text
    portfolio = client.get(reverse("accreditation:assessment_portfolio", args=[application.pk]))
    pdf_url = reverse("accreditation:review_report_pdf", args=[review.pk])
    assert pdf_url in portfolio.content.decode()


def test_it_links_the_downloads_from_the_review_page_for_the_team_only(client, review, tess, ada):
    docx_url = reverse("accreditation:review_report_docx", args=[review.pk])
    page = reverse("accreditation:review_detail", args=[review.pk])
    client.force_login(tess)
    html = client.get(page).content.decode()
    assert docx_url in html
    assert "Download the draft report (Word)" in html

    client.force_login(ada)
    assert docx_url not in client.get(page).content.decode()


def test_it_takes_the_introduction_from_the_schemes_admin_screen(client, review, ada, tess):
    client.force_login(ada)
    url = reverse("accreditation_schemes:edit", args=[review.scheme_id])
    form = admin_form_data(client, url)
    assert "report_introduction" in form
    assert "report_methodology" in form

    response = client.post(url, {**form, "report_introduction": "Written for this programme."})

    assert response.status_code == 302
    loaded = access.get_review_for_report(tess, review.pk)
    paragraphs = _docx_paragraphs(report.draft_report_docx(review=loaded))
    assert paragraphs[_first_index(paragraphs, "1 Introduction") + 1].text == (
        "Written for this programme."
    )
