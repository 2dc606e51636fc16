"""The draft report of a supervised review, in Word and as a PDF, built from what the review team
has saved: the sections in the order Learning Together reports use.

1 Introduction and 2 Methodology come from the scheme; 3 The appraisal of practice lays out each
key practice episode; 4 Findings each finding in the method's format with its issues for the
board; the appendix gives the typology of findings.

Every piece of text goes in as text: python-docx writes it literally and the PDF's template
autoescapes it, so markup typed in a field prints as typed and nothing it names is fetched.
"""

import io
import re
from collections.abc import Iterator

from django.template.defaultfilters import date as format_date
from django.template.loader import render_to_string
from django.utils.text import slugify

from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Pt

from ..models import SupervisedReview
from ..selectors.report import ReportContents, review_report_contents
from .pdf import html_to_pdf

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"
PDF_TEMPLATE = "accreditation/pdf/draft_report.html"
# Every field is bounded, but a review may have many episodes and findings: well above the
# longest report a review writes, and well below what would tie a worker up for long.
MAX_REPORT_HTML_BYTES = 3 * 1024 * 1024
MAX_REPORT_RENDER_SECONDS = 120

NOT_WRITTEN = "Not written yet."
COVER_NOTE = (
    "Draft for the review team and the board. Pseudonymous: the case is known only by its "
    "reference, and no child or family member is named."
)
SECTIONS = (
    "1 Introduction",
    "2 Methodology",
    "3 The appraisal of practice",
    "4 Findings",
    "Appendix: the typology of findings",
)

# Characters XML 1.0 cannot hold: a Word file with one is refused by Word, and lxml will not
# write it. Tabs and line breaks stay.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("", text or "")


def paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single line breaks stay inside one."""
    blocks = re.split(r"\n\s*\n", clean(text).replace("\r\n", "\n").replace("\r", "\n"))
    return [block.strip() for block in blocks if block.strip()]


def report_filename(review: SupervisedReview, extension: str) -> str:
    slug = slugify(review.case_reference) or f"review-{review.pk}"
    return f"draft-report-{slug}.{extension}"


def _lead_reviewers(contents: ReportContents) -> str:
    return " and ".join(contents.lead_reviewers)


def cover_facts(contents: ReportContents) -> list[tuple[str, str]]:
    review = contents.review
    supervisor = review.supervisor
    return [
        ("Case reference", review.case_reference),
        ("Commissioned by", review.commissioning_organisation.name),
        ("Type of review", review.review_type.name),
        ("Lead reviewers", _lead_reviewers(contents)),
        ("Supervisor", supervisor.full_name or supervisor.email),
        ("Started", format_date(review.start_date)),
        ("Publication expected by", format_date(review.target_publication_date)),
        ("Draft generated", format_date(contents.generated_on)),
    ]


def _factor_groups(episode) -> Iterator[tuple[object, list]]:
    """The episode's contributory factors, grouped by category in the categories' order."""
    groups: dict[int, tuple[object, list]] = {}
    for factor in episode.contributory_factors.all():
        groups.setdefault(factor.category_id, (factor.category, []))[1].append(factor)
    return iter(groups.values())


def _category_with_level(category) -> str:
    return f"{category.name} ({category.level.name})" if category.level else category.name


# Word ---------------------------------------------------------------------------------------


class _Writer:
    """python-docx with our text rules: every string cleaned, empty fields said to be empty."""

    def __init__(self):
        self.document = Document()
        style = self.document.styles["Normal"]
        style.font.name = "Arial"
        style.font.size = Pt(11)

    def heading(self, text: str, level: int) -> None:
        # Word's own Heading styles, so the navigation pane and a table of contents find them.
        self.document.add_heading(clean(text), level=level)

    def text(self, text: str, *, empty: str = NOT_WRITTEN) -> None:
        found = paragraphs(text)
        if not found:
            self.document.add_paragraph(empty).runs[0].italic = True
            return
        for block in found:
            self.document.add_paragraph(block)

    def labelled(self, label: str, value: str) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(clean(value) or NOT_WRITTEN)

    def numbered(self, items: list[str]) -> None:
        """A list numbered from 1: each list gets a numbering instance of its own, or Word would
        carry on counting from the previous finding's issues."""
        numbering = self.document.part.numbering_part.element
        style = self.document.styles["List Number"]
        abstract_id = numbering.num_having_numId(style.element.pPr.numPr.numId.val).abstractNumId
        num = numbering.add_num(abstract_id.val)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        for item in items:
            paragraph = self.document.add_paragraph(clean(item), style="List Number")
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = num.numId

    def page_break(self) -> None:
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def bytes(self) -> bytes:
        output = io.BytesIO()
        self.document.save(output)
        return output.getvalue()


def _docx_cover(w: _Writer, contents: ReportContents) -> None:
    review = contents.review
    w.document.add_heading("Draft report", level=0)
    w.document.add_paragraph(clean(review.case_reference), style="Subtitle")
    for label, value in cover_facts(contents):
        w.labelled(label, value)
    w.document.add_paragraph(COVER_NOTE).runs[0].italic = True
    core = w.document.core_properties
    core.title = clean(f"Draft report: {review.case_reference}")
    core.author = clean(_lead_reviewers(contents))
    core.comments = COVER_NOTE
    w.page_break()


def _docx_episode(w: _Writer, episode) -> None:
    w.heading(f"{episode.label}: {episode.title}", 2)
    w.labelled("When", episode.when)
    w.labelled("Agencies", episode.agencies)
    w.heading("What happened", 3)
    w.text(episode.what_happened)
    w.heading(f"Appraisal: {episode.get_assessment_display().lower()}", 3)
    w.text(episode.assessment_explanation)
    w.heading("Why it made sense at the time", 3)
    w.text(episode.local_rationality)
    w.heading("Contributory factors", 3)
    groups = list(_factor_groups(episode))
    if not groups:
        w.text("", empty="None recorded yet.")
    for category, factors in groups:
        w.heading(_category_with_level(category), 4)
        for factor in factors:
            w.text(factor.description)
    w.heading("Data sources", 3)
    w.text(episode.data_sources)
    w.heading("The case group's view", 3)
    w.document.add_paragraph(f"{episode.get_case_group_view_display()}.")
    if episode.case_group_note:
        w.text(episode.case_group_note)


def _docx_finding(w: _Writer, finding) -> None:
    w.heading(f"Finding {finding.number}: {finding.title}", 2)
    w.labelled("Category", finding.category.name)
    w.labelled("Direction", finding.get_direction_display())
    w.heading("How it showed itself in this case", 3)
    w.text(finding.in_this_case)
    episodes = finding.episodes.all()
    w.labelled(
        "Key practice episodes",
        "; ".join(f"{episode.label} {episode.title}" for episode in episodes) or "None linked yet",
    )
    w.heading("How we know it is an underlying issue, not peculiar to this case", 3)
    w.text(finding.how_we_know)
    w.heading("What it means for the reliability of the multi-agency system", 3)
    w.text(finding.system_reliability)
    w.heading("The finding", 3)
    w.text(finding.statement)
    w.heading("Issues for the board", 3)
    issues = [issue.text for issue in finding.issues_for_board.all()]
    if issues:
        w.numbered(issues)
    else:
        w.text("", empty="None written yet.")


def docx_from_contents(contents: ReportContents) -> bytes:
    w = _Writer()
    scheme = contents.review.scheme
    _docx_cover(w, contents)
    introduction, methodology, appraisal, findings, appendix = SECTIONS
    w.heading(introduction, 1)
    w.text(scheme.report_introduction)
    w.heading(methodology, 1)
    w.text(scheme.report_methodology)
    w.heading(appraisal, 1)
    if not contents.episodes:
        w.text("", empty="No key practice episodes recorded yet.")
    for episode in contents.episodes:
        _docx_episode(w, episode)
    w.heading(findings, 1)
    if not contents.findings:
        w.text("", empty="No findings recorded yet.")
    for finding in contents.findings:
        _docx_finding(w, finding)
    w.heading(appendix, 1)
    for category in contents.typology:
        w.heading(category.name, 2)
        w.text(category.description, empty="No description.")
    return w.bytes()


def draft_report_docx(*, review: SupervisedReview) -> bytes:
    return docx_from_contents(review_report_contents(review=review))


# PDF ----------------------------------------------------------------------------------------


def draft_report_html(contents: ReportContents) -> str:
    episodes = [
        {"episode": episode, "factor_groups": list(_factor_groups(episode))}
        for episode in contents.episodes
    ]
    html = render_to_string(
        PDF_TEMPLATE,
        {
            "contents": contents,
            "review": contents.review,
            "scheme": contents.review.scheme,
            "cover_facts": cover_facts(contents),
            "cover_note": COVER_NOTE,
            "sections": SECTIONS,
            "episodes": episodes,
            "findings": contents.findings,
            "typology": contents.typology,
            "not_written": NOT_WRITTEN,
        },
    )
    # The template holds no control characters, so these can only have come from a field.
    return clean(html)


def draft_report_pdf(*, review: SupervisedReview) -> bytes:
    html = draft_report_html(review_report_contents(review=review))
    return html_to_pdf(
        html,
        what="draft report",
        max_html_bytes=MAX_REPORT_HTML_BYTES,
        max_render_seconds=MAX_REPORT_RENDER_SECONDS,
    )
