"""The demo public site, rebuilt from the programme's own web page as Wagtail pages.

`seed_site` is one step of `manage.py seed_demo`. It only ever adds what is missing: a page or
document that already exists (found by its slug under its parent, or by its title) is left as it
is, so editors' changes survive a second run.
"""

import io
import textwrap
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas

from .demo_legal import LEGAL_SLUGS, accessibility_statement, cookies_page, privacy_notice
from .models import (
    EnquiryFormField,
    EnquiryFormPage,
    HomePage,
    LegalPage,
    LegalPageKind,
    NewsIndexPage,
    NewsPage,
    ProgrammePhase,
    ProgrammePhasePage,
    PublicationIndexPage,
    PublicationPage,
    PublicationType,
    StandardPage,
)

ENQUIRY_TYPES = (
    "Commissioning a case review",
    "Training as a lead reviewer",
    "Other",
)


@dataclass(frozen=True)
class DemoPublication:
    key: str
    title: str
    reference: str
    publication_type: str
    year: int
    phase: int
    summary: str

    @property
    def short_name(self) -> str:
        return self.reference or self.title

    @property
    def document_title(self) -> str:
        return f"{self.reference}: {self.title}" if self.reference else self.title


PUBLICATIONS = (
    DemoPublication(
        key="scie-report-49",
        title="Reflections from the SCIE Learning Together London pilots: an interim report",
        reference="SCIE Report 49",
        publication_type=PublicationType.REPORT,
        year=2011,
        phase=ProgrammePhase.REVIEWER_POOL,
        summary=(
            "The cohort of trainee case reviewers working with the London boards is part-way "
            "through its reviews. This interim report gives the headline findings, the key "
            "strengths of the Learning Together model and the implementation issues still "
            "outstanding. A full report follows in 2012."
        ),
    ),
    DemoPublication(
        key="information-for-trainee-reviewers",
        title="Information for trainee reviewers",
        reference="",
        publication_type=PublicationType.INFORMATION,
        year=2011,
        phase=ProgrammePhase.REVIEWER_POOL,
        summary=(
            "What the training programme asks of a trainee lead reviewer: a supervised case "
            "review using the SCIE Learning Together model, learning 'on the job', and the "
            "route to accredited status."
        ),
    ),
    DemoPublication(
        key="scie-report-6",
        title="Managing risks and minimising mistakes in services to children and families",
        reference="SCIE Report 6",
        publication_type=PublicationType.REPORT,
        year=2005,
        phase=ProgrammePhase.PRELIMINARY_EXPLORATIONS,
        summary=(
            "The programme's first exploration: how the child welfare sector could learn from "
            "safety management in other fields to understand why mistakes happen and to "
            "manage risk better."
        ),
    ),
    DemoPublication(
        key="scie-guide-24",
        title=(
            "Learning together to safeguard children: developing a multi-agency systems "
            "approach for case reviews"
        ),
        reference="SCIE Guide 24",
        publication_type=PublicationType.GUIDE,
        year=2008,
        phase=ProgrammePhase.ADAPTED_MODEL,
        summary=(
            "The handbook of the method: how to carry out a case review with the systems "
            "model, from preparation and data collection to analysis, findings and the report."
        ),
    ),
    DemoPublication(
        key="at-a-glance-34",
        title=(
            "Piloting the SCIE 'systems' model for case reviews: learning from the North West "
            "of England"
        ),
        reference="At a glance 34",
        publication_type=PublicationType.AT_A_GLANCE,
        year=2010,
        phase=ProgrammePhase.EVIDENCE_BASE,
        summary=(
            "A short summary of what was learnt when the systems model for case reviews was "
            "piloted in the North West of England."
        ),
    ),
)

PHASES = (
    {
        "phase_number": ProgrammePhase.PRELIMINARY_EXPLORATIONS,
        "slug": "phase-1-preliminary-explorations",
        "title": "Phase 1: Preliminary explorations",
        "intro": (
            "SCIE began exploring in 2004 how the child welfare sector could benefit from "
            "developments in safety management in other fields."
        ),
    },
    {
        "phase_number": ProgrammePhase.ADAPTED_MODEL,
        "slug": "phase-2-developing-the-adapted-model",
        "title": "Phase 2: Developing the adapted model",
        "intro": (
            "SCIE adapted the systems approach to case reviews of multi-agency safeguarding and "
            "child protection work, and set the method out in Guide 24."
        ),
    },
    {
        "phase_number": ProgrammePhase.EVIDENCE_BASE,
        "slug": "phase-3-developing-the-evidence-base",
        "title": "Phase 3: Developing the evidence base",
        "intro": (
            "The model was piloted in the North West of England to build evidence of how it "
            "works in practice."
        ),
    },
)


def seed_site(*, stdout=None) -> HomePage:
    """Build the public site tree and make its home page the default Site's root."""
    report = _Reporter(stdout)
    home = _ensure_home(report)
    documents = {pub.key: _ensure_document(pub, report) for pub in PUBLICATIONS}

    programme = _ensure_child(
        home,
        StandardPage,
        report,
        slug="programme",
        title="About the programme",
        show_in_menus=True,
        search_description="How the SCIE Learning Together model was developed, phase by phase.",
        intro=(
            "The SCIE Learning Together programme has developed in four phases, from early "
            "explorations of safety management in 2004 to today's work building a pool of "
            "trained reviewers."
        ),
        body=[
            _paragraph(
                "The Munro review described SCIE Learning Together as giving the sector a "
                "workable model for serious case reviews and other case reviews of multi-agency "
                "safeguarding and child protection work."
            )
        ],
    )
    training = _ensure_child(
        programme,
        StandardPage,
        report,
        slug="information-for-trainee-reviewers",
        title="Information for trainee reviewers",
        search_description="How SCIE trains and accredits lead reviewers.",
        intro=(
            "SCIE trains lead reviewers in the Learning Together model through a supervised "
            "case review, so trainees learn 'on the job'."
        ),
        body=[
            _paragraph(
                "In response to high demand, SCIE has developed a training programme for "
                "reviewers. It lets us support more Local Safeguarding Children Boards that want "
                "to try out the model at the same time."
            ),
            _paragraph(
                "The programme consists of a supervised case review process using the SCIE "
                "Learning Together model. Trainees who complete it can apply for accredited "
                "status."
            ),
            _heading("Read more"),
            _document_link(documents["information-for-trainee-reviewers"]),
        ],
    )
    publications = _ensure_child(
        home,
        PublicationIndexPage,
        report,
        slug="publications",
        title="Publications",
        show_in_menus=True,
        search_description="Reports, guides and summaries from the Learning Together programme.",
        intro="<p>Reports, guides and summaries from the SCIE Learning Together programme.</p>",
    )
    news = _ensure_child(
        home,
        NewsIndexPage,
        report,
        slug="whats-new",
        title="What’s new",
        show_in_menus=True,
        search_description="News from the SCIE Learning Together programme.",
        intro="<p>News from the SCIE Learning Together programme.</p>",
    )
    contact = _ensure_child(
        home,
        EnquiryFormPage,
        report,
        slug="contact",
        title="Contact us",
        show_in_menus=True,
        search_description="Ask about commissioning a case review or training as a lead reviewer.",
        intro=(
            "<p>Tell us if you are interested in commissioning a case review using SCIE "
            "Learning Together, or in being trained as a lead reviewer and accredited to use "
            "the model.</p>"
        ),
        thank_you_text=(
            "<p>We will reply to the email address you gave us. If your enquiry is urgent, "
            "say so in a second message and we will prioritise it.</p>"
        ),
        subject="New enquiry from the Learning Together website",
    )
    if not contact.form_fields.exists():
        _add_enquiry_fields(contact)
        report.created("form fields for", contact)

    contact_link = f'<a linktype="page" id="{contact.pk}">send us an enquiry</a>'
    training_link = f'<a linktype="page" id="{training.pk}">information for trainee reviewers</a>'

    publication_pages = {
        pub.key: _ensure_child(
            publications,
            PublicationPage,
            report,
            slug=pub.key,
            title=pub.title,
            reference=pub.reference,
            publication_type=pub.publication_type,
            year=pub.year,
            phase=pub.phase,
            summary=pub.summary,
            search_description=pub.summary,
            document=documents[pub.key],
        )
        for pub in PUBLICATIONS
    }

    for phase in PHASES:
        _ensure_child(programme, ProgrammePhasePage, report, is_current=False, **phase)
    _ensure_child(
        programme,
        ProgrammePhasePage,
        report,
        slug="current-work",
        title="Phase 4: Building a pool of trained reviewers",
        phase_number=ProgrammePhase.REVIEWER_POOL,
        is_current=True,
        intro=(
            "We are now in Phase 4 of the SCIE Learning Together programme, which focuses on "
            "creating a pool of trained reviewers."
        ),
        body=[
            _paragraph(
                "There are several strands to this work, with different funding sources. Most "
                "recently we have won an award from the Department for Education's Voluntary "
                "and Community Sector (VCS) Grant."
            ),
            _paragraph(
                "SCIE has developed a training programme for reviewers that allows us to "
                "support more boards keen to try out the model at the same time. See the "
                f"{training_link}."
            ),
            _heading("London boards interim report"),
            _paragraph(
                "The cohort of trainee case reviewers is part-way through its reviews. The "
                "interim report shows headline findings, key strengths of the Learning Together "
                "model and outstanding implementation issues. A full report will be published "
                "in 2012."
            ),
            _document_link(documents["scie-report-49"]),
            _heading("Information for trainee reviewers"),
            _document_link(documents["information-for-trainee-reviewers"]),
            _callout(
                "Commission a review or train as a reviewer",
                "If you are interested in commissioning a case review using SCIE Learning "
                "Together, or in being trained as a lead reviewer and accredited to use the "
                f"model, please {contact_link}.",
            ),
        ],
    )

    report_49 = publication_pages["scie-report-49"]
    news_items = (
        {
            "slug": "munro-review-workable-model",
            "title": "Munro review: Learning Together is a workable model for case reviews",
            "date": date(2011, 5, 10),
            "intro": (
                "The Munro review has described SCIE Learning Together as providing the sector "
                "with a workable model for serious case reviews and other case reviews of "
                "multi-agency safeguarding and child protection work."
            ),
            "body": [
                _paragraph(
                    "The review also highlighted how the systems methodology accomplishes "
                    "multi-agency training and learning outcomes."
                ),
                _paragraph(
                    "The SCIE Learning Together model has been in development since 2004, when "
                    "SCIE first began exploring how the child welfare sector could benefit from "
                    "developments in safety management in other fields."
                ),
            ],
        },
        {
            "slug": "vcs-grant-award",
            "title": "Grant award to build a pool of trained reviewers",
            "date": date(2011, 9, 1),
            "intro": (
                "The programme has won an award from the Department for Education's Voluntary "
                "and Community Sector (VCS) Grant to help create a pool of trained reviewers."
            ),
            "body": [
                _paragraph(
                    f"Read the {training_link}, or {contact_link} to ask about the next cohort."
                )
            ],
        },
        {
            "slug": "london-boards-interim-report",
            "title": "London boards interim report published",
            "date": date(2011, 11, 1),
            "intro": (
                "The interim report from the London pilots shows headline findings, key "
                "strengths of the Learning Together model and outstanding implementation "
                "issues."
            ),
            "body": [
                _paragraph(
                    "The cohort of trainee case reviewers working with the London boards is "
                    "part-way through its reviews. A full report will be published in 2012. "
                    f'Read about <a linktype="page" id="{report_49.pk}">{report_49.reference}</a>.'
                ),
                _document_link(documents["scie-report-49"]),
            ],
        },
    )
    for item in news_items:
        _ensure_child(news, NewsPage, report, **item)

    _ensure_legal_pages(home, report, contact=contact)

    # Menus and section lists follow tree order: put pages made early for their links last.
    for page, parent in ((training, programme), (contact, home)):
        if page.pk in report.new_pages:
            page.move(parent, pos="last-child")
    return home


def _ensure_legal_pages(home: HomePage, report: "_Reporter", *, contact: EnquiryFormPage) -> None:
    """The accessibility statement, privacy notice and cookies page, linked to one another."""
    today = timezone.localdate()

    def ensure(kind: LegalPageKind, content: dict) -> LegalPage:
        existing = LegalPage.objects.filter(kind=kind).first()
        if existing is not None:
            return existing
        return _ensure_child(
            home,
            LegalPage,
            report,
            slug=LEGAL_SLUGS[kind],
            kind=kind,
            last_updated=today,
            search_description=content["intro"],
            **content,
        )

    ensure(
        LegalPageKind.ACCESSIBILITY,
        accessibility_statement(contact_page_id=contact.pk, today=today),
    )
    cookies = ensure(LegalPageKind.COOKIES, cookies_page(privacy_page_id=None))
    privacy = ensure(
        LegalPageKind.PRIVACY,
        privacy_notice(contact_page_id=contact.pk, cookies_page_id=cookies.pk),
    )
    if cookies.pk in report.new_pages:
        # Made before the privacy notice existed: now it can link to it.
        cookies.body = cookies_page(privacy_page_id=privacy.pk)["body"]
        cookies.save()


# Building blocks ----------------------------------------------------------------------------


class _Reporter:
    def __init__(self, stdout):
        self.stdout = stdout
        self.new_pages: set[int] = set()

    def created(self, what: str, obj) -> None:
        if self.stdout is not None:
            self.stdout.write(f"  created {what} {obj}")


def _paragraph(html: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{html}</p>"}


def _heading(text: str) -> dict:
    return {"type": "heading", "value": text}


def _callout(heading: str, html: str) -> dict:
    return {"type": "callout", "value": {"heading": heading, "text": f"<p>{html}</p>"}}


def _document_link(document) -> dict:
    return {"type": "document", "value": {"document": document.pk, "label": document.title}}


def _ensure_child(parent: Page, model: type[Page], report: _Reporter, *, slug: str, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    now = timezone.now()
    page = model(slug=slug, first_published_at=now, last_published_at=now, **fields)
    parent.add_child(instance=page)
    report.new_pages.add(page.pk)
    report.created(model._meta.verbose_name, page.title)
    return page


def _ensure_home(report: _Reporter) -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title="Learning together to safeguard children",
            first_published_at=timezone.now(),
            last_published_at=timezone.now(),
            seo_title="Learning together to safeguard children",
            slug="learning-together",
            search_description=(
                "SCIE Learning Together: a multi-agency systems approach for case reviews in "
                "safeguarding, and the training and accreditation of lead reviewers."
            ),
            intro=(
                "SCIE Learning Together is a multi-agency systems approach for case reviews of "
                "safeguarding and child protection work. Find out about the programme, read its "
                "publications, and train as a lead reviewer."
            ),
            body=[
                _paragraph(
                    "The model has been in development since 2004, when SCIE first began "
                    "exploring how the child welfare sector could benefit from developments in "
                    "safety management in other fields."
                )
            ],
        )
        Page.get_first_root_node().add_child(instance=home)
        report.created("home page", home.title)

    site = Site.objects.filter(is_default_site=True).first()
    if site is None or site.root_page_id != home.pk:
        previous_root = site.root_page if site is not None else None
        address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        site = site or Site(is_default_site=True)
        site.hostname = address.hostname or "localhost"
        site.port = address.port or (443 if address.scheme == "https" else 80)
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.root_page = home
        site.save()
        # Wagtail's "Welcome to your new Wagtail site!" page has served its purpose.
        if (
            previous_root is not None
            and previous_root.specific_class is Page
            and not previous_root.get_children().exists()
        ):
            previous_root.delete()
    return home


def _ensure_document(publication: DemoPublication, report: _Reporter):
    Document = get_document_model()
    document = Document.objects.filter(title=publication.document_title).first()
    if document is not None:
        return document
    document = Document(title=publication.document_title)
    document.file.save(f"{publication.key}.pdf", ContentFile(demo_pdf(publication)), save=False)
    document._set_document_file_metadata()
    document.save()
    report.created("document", document.title)
    return document


def demo_pdf(publication: DemoPublication) -> bytes:
    """A one-page PDF that says plainly which publication it stands in for."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    heading = f"Demo stand-in for {publication.short_name}"
    pdf.setTitle(heading)
    pdf.setAuthor("Learning Together demo site")
    pdf.setSubject(publication.title)
    text = pdf.beginText(2 * cm, A4[1] - 3 * cm)
    text.setFont("Helvetica-Bold", 16)
    text.textLine(heading)
    text.setFont("Helvetica", 12)
    text.textLine("")
    for line in textwrap.wrap(publication.title, 80):
        text.textLine(line)
    text.textLine("")
    notice = (
        f"This file stands in for {publication.short_name} ({publication.year}) on the "
        "Learning Together demo site. It is not the publication itself: the original is "
        "published by the Social Care Institute for Excellence (SCIE)."
    )
    for paragraph in (notice, publication.summary):
        for line in textwrap.wrap(paragraph, 85):
            text.textLine(line)
        text.textLine("")
    pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _add_enquiry_fields(page: EnquiryFormPage) -> None:
    fields = [
        {"label": "Your name", "field_type": "singleline", "required": True},
        {
            "label": "Email address",
            "field_type": "email",
            "required": True,
            "help_text": "We only use this to reply to you.",
        },
        {
            "label": "Organisation",
            "field_type": "singleline",
            "required": False,
            "help_text": "For example your safeguarding partnership, board or employer.",
        },
        {
            "label": "What is your enquiry about?",
            "field_type": "radio",
            "required": True,
            "choices": "\n".join(ENQUIRY_TYPES),
        },
        {
            "label": "Your enquiry",
            "field_type": "multiline",
            "required": True,
            "help_text": "Please do not include anything that could identify a child or family.",
        },
    ]
    for order, field in enumerate(fields):
        EnquiryFormField.objects.create(page=page, sort_order=order, **field)
