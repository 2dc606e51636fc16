"""The site's legal pages as the demo seeds them: the accessibility statement, the privacy
notice and the cookies page.

Their facts come from the settings in force when they are seeded (how long a session lasts,
when evidence files are deleted, where enquiries go), so the pages say what the platform does.
Editors change them in the Wagtail admin afterwards; a second seed leaves them as they are.
"""

from datetime import date

from django.conf import settings
from django.utils.html import escape

from .models import LegalPageKind

ICO = "https://ico.org.uk/make-a-complaint/"
EASS = "https://www.equalityadvisoryservice.com/"
ECNI = "https://www.equalityni.org/Home"
ABILITYNET = "https://mcmw.abilitynet.org.uk/"
WCAG = "https://www.w3.org/TR/WCAG22/"


def _p(html: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{html}</p>"}


def _list(*items: str) -> dict:
    return {
        "type": "paragraph",
        "value": "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>",
    }


def _h(text: str) -> dict:
    return {"type": "heading", "value": text}


def _h3(text: str) -> dict:
    return {"type": "paragraph", "value": f"<h3>{escape(text)}</h3>"}


def _link(url: str, text: str) -> str:
    return f'<a href="{escape(url)}">{escape(text)}</a>'


def _duration(seconds: int) -> str:
    """A cookie's lifetime in words: "2 hours", "1 year" (Django's 52 weeks)."""
    for unit, size in (("year", 52 * 7 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} seconds"


def _contact(contact_page_id: int | None) -> str:
    email = settings.ENQUIRY_RECIPIENTS[0] if settings.ENQUIRY_RECIPIENTS else ""
    parts = []
    if contact_page_id:
        parts.append(f'<a linktype="page" id="{contact_page_id}">the contact form</a>')
    if email:
        parts.append(f'email <a href="mailto:{escape(email)}">{escape(email)}</a>')
    return " or ".join(parts) or "contact the programme team"


def accessibility_statement(*, contact_page_id: int | None, today: date) -> dict:
    site = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    contact = _contact(contact_page_id)
    return {
        "title": "Accessibility statement",
        "intro": (
            f"This statement applies to the Learning Together website at {site}: the public "
            "pages, the training modules, and the pages trainees, supervisors, assessors and "
            "programme staff use to record supervised reviews and accreditation."
        ),
        "body": [
            _p(
                "This website is run by the Social Care Institute for Excellence (SCIE). We want "
                "as many people as possible to be able to use it. For example, that means you "
                "should be able to:"
            ),
            _list(
                "change colours, contrast levels and fonts using your browser or device settings",
                "zoom in up to 400% without the text spilling off the screen",
                "navigate the whole website using just a keyboard",
                "navigate most of the website using speech recognition software",
                "listen to most of the website using a screen reader",
                "use every page with JavaScript switched off",
            ),
            _p("We have also made the text as simple as possible to understand."),
            _p(
                f"{_link(ABILITYNET, 'AbilityNet')} has advice on making your device easier to "
                "use if you have a disability."
            ),
            _h("How accessible this website is"),
            _p("We know some parts of this website are not fully accessible:"),
            _list(
                "certificate PDFs are not tagged, so a screen reader may read them out of order "
                "(the certificate's verification page gives the same details as a web page)",
                "some of the programme's older publications are PDFs that are not fully "
                "accessible to screen reader software",
                "videos embedded in training modules are played by YouTube or Vimeo, and some "
                "may not have captions or transcripts",
                "the content management screens that programme staff use to edit the site "
                "(the Wagtail and Django administration) are third-party software and were not "
                "checked to the same standard as the rest of the site",
            ),
            _h("Feedback and contact information"),
            _p(
                "If you need information on this website in a different format, such as an "
                f"accessible PDF, large print, easy read, audio recording or braille, {contact}. "
                "We will consider your request and get back to you within 5 working days."
            ),
            _h("Reporting accessibility problems with this website"),
            _p(
                "We are always looking to improve the accessibility of this website. If you find "
                "any problems not listed on this page, or think we are not meeting accessibility "
                f"requirements, {contact}. Tell us the web address of the page, what you were "
                "trying to do and the problem you had."
            ),
            _h("Enforcement procedure"),
            _p(
                "The Equality and Human Rights Commission (EHRC) is responsible for enforcing "
                "the Public Sector Bodies (Websites and Mobile Applications) (No. 2) "
                "Accessibility Regulations 2018 (the \u2018accessibility regulations\u2019). If "
                "you are not happy with how we respond to your complaint, contact the "
                f"{_link(EASS, 'Equality Advisory and Support Service (EASS)')}."
            ),
            _p(
                "If you are in Northern Ireland and are not happy with how we respond to your "
                "complaint, you can contact the "
                f"{_link(ECNI, 'Equality Commission for Northern Ireland')}, which is "
                "responsible for enforcing the accessibility regulations there."
            ),
            _h("Technical information about this website\u2019s accessibility"),
            _p(
                "SCIE is committed to making its website accessible, in accordance with the "
                "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility "
                "Regulations 2018."
            ),
            _h3("Compliance status"),
            _p(
                "This website is partially compliant with the "
                f"{_link(WCAG, 'Web Content Accessibility Guidelines version 2.2')} AA standard, "
                "due to the non-compliances listed below."
            ),
            _h("Non-accessible content"),
            _p("The content listed below is non-accessible for the following reasons."),
            _h3("Non-compliance with the accessibility regulations"),
            _list(
                "Certificate PDFs carry no tags, so their structure is not available to "
                "assistive technology. This fails WCAG 2.2 success criterion 1.3.1 (Info and "
                "relationships). The verification page for each certificate gives the same "
                "information accessibly. We plan to produce tagged certificates.",
                "The content management screens staff use (Wagtail and Django administration) "
                "have not been fully tested; the Wagtail project publishes its own accessibility "
                "conformance information. Tell us if you meet a problem there.",
            ),
            _h3("Content that is not within the scope of the accessibility regulations"),
            _list(
                "PDFs and other documents published before 23 September 2018 that are not "
                "essential to providing our services, such as the programme's earlier reports "
                "and guides, are exempt. Ask us for an accessible format of any of them.",
                "Third-party content that we neither fund nor control, such as video players "
                "from YouTube and Vimeo embedded in training modules, is exempt.",
            ),
            _h("What we are doing to improve accessibility"),
            _p(
                "Every release of the website is checked automatically against WCAG 2.2 AA on "
                "every page the main journeys visit, and we fix any problem found before the "
                "release goes out. We will publish tagged certificate PDFs and review this "
                "statement when we do."
            ),
            _h("Preparation of this accessibility statement"),
            _p(
                f"This statement was prepared on {today:%-d %B %Y}. It was last reviewed on "
                f"{today:%-d %B %Y}."
            ),
            _p(
                f"This website was last tested on {today:%-d %B %Y}. The test was carried out "
                "by the programme's own development team. We tested the pages of each main "
                "journey: a public visitor (home page, publications, news, search, the contact "
                "form and certificate verification), a trainee, a supervisor, an assessor and a "
                "programme administrator. Each journey was run with a mouse, with the keyboard "
                "only and, for the public and trainee journeys, with JavaScript switched off, "
                "and every page was checked with the axe-core accessibility engine against "
                "WCAG 2.2 AA."
            ),
        ],
    }


def privacy_notice(*, contact_page_id: int | None, cookies_page_id: int | None) -> dict:
    contact = _contact(contact_page_id)
    retention_days = settings.EVIDENCE_RETENTION_DAYS
    session = _duration(settings.SESSION_COOKIE_AGE)
    cookies = (
        f'<a linktype="page" id="{cookies_page_id}">cookies page</a>'
        if cookies_page_id
        else "cookies page"
    )
    return {
        "title": "Privacy notice",
        "intro": (
            "How the Learning Together platform uses your personal data: what we keep, why, "
            "for how long, who sees it, and your rights."
        ),
        "body": [
            _h("Who we are"),
            _p(
                "The Social Care Institute for Excellence (SCIE) runs the Learning Together "
                "programme and this website, and is the controller of the personal data it "
                f"holds. To ask about your data or to use any of your rights, {contact}."
            ),
            _h("What we keep, why and for how long"),
            _h3("If you send an enquiry"),
            _p(
                "We keep what you type into the contact form (your name, email address, "
                "organisation and enquiry) to answer you, and e-mail it to the programme team. "
                "We send you one acknowledgement to the address you give, and nothing else "
                "unless we are replying. Lawful basis: our legitimate interest in answering "
                "enquiries about the programme. We do not delete enquiries automatically: the "
                "programme team deletes them once they are dealt with, and you can ask us to "
                "delete yours at any time."
            ),
            _h3("If you have an account"),
            _list(
                "<b>Your account</b>: your email address, name, organisation, job title and "
                "role; your password is stored only in a form that cannot be turned back into "
                "it. Supervisors, assessors and administrators also have a two-factor "
                "authentication device and recovery codes. Kept while you have an account.",
                "<b>Training</b>: your enrolments, attendance at training days, module "
                "progress, your answers to reflective questions and knowledge checks, and the "
                "invitation you accepted. Your supervisor and programme staff can see them.",
                "<b>Your supervised review</b>: its stages, the evidence you and your review "
                "partner upload, the registers of key practice episodes and underlying "
                "patterns, supervisors' sign-offs and supervision sessions. The case is "
                "recorded only by a pseudonymous reference: the platform has no place for a "
                "child's or family member's name, and evidence must not identify them. Your "
                "review partner, your supervisor, the assessor and programme staff can see it. "
                f"Evidence files are deleted {retention_days} days after your application for "
                "accreditation is approved or declined; the records of the review, its "
                "sign-offs and the audit trail stay.",
                "<b>Accreditation</b>: your application and reflective statement, the "
                "assessor's decision, and your certificate (its number, your name, the dates "
                "and its status, with any suspension or revocation and the reason).",
                "<b>Notifications</b>: the messages the platform shows you and the emails it "
                "sends you, and your email preferences.",
                "<b>Sign-in and security records</b>: when you sign in or out, failed "
                "sign-ins, changes to your password, email addresses and two-factor settings, "
                "with your user number and your internet address, to keep accounts secure. "
                "They never hold your password or codes.",
            ),
            _p(
                "Lawful basis: to provide the training and accreditation you take part in "
                "(a contract with you or your employer), and our legitimate interest in keeping "
                "accounts secure and records of accreditation decisions that others rely on. "
                "Sign-off decisions, assessors' decisions and certificate changes are kept as an "
                "audit trail that cannot be changed after the event."
            ),
            _h3("Certificates and the public register"),
            _p(
                "Anyone who has your certificate's verification link or code can see the name "
                "on it, its number, its dates and whether it is valid. Anyone who has its "
                "number and your surname can check it the same way. The public register lists "
                "you only if you choose to be on it, and you can leave it at any time."
            ),
            _p(
                f"A session cookie keeps you signed in for up to {session} while you use the "
                f"site. Read the {cookies} for every cookie we set."
            ),
            _h("Who we share it with"),
            _p(
                "We do not sell your data or use it for marketing. Inside the platform, people "
                "see your records only as described above. Our hosting and email delivery "
                "providers process data for us under contract, and only on our instructions. "
                "We share data with others only when the law requires us to."
            ),
            _h("Your rights and how to use them"),
            _list(
                "<b>Get a copy of your data</b>: sign in, go to Your profile and choose "
                "\u201cDownload your data\u201d. You get a ZIP file with your records and the "
                "files of your reviews and certificates. You can also ask us for it.",
                "<b>Correct your data</b>: change your name, organisation and job title on "
                "Your profile. Once a certificate has been issued to you, ask us to change the "
                "name on it.",
                f"<b>Have your data erased</b>: {contact}. We delete your account details, "
                "reflections, the evidence you uploaded, your reflective statement and your "
                "enquiries. Audit records (sign-offs, decisions, certificate changes) stay, with "
                "your name removed. A certificate keeps its number and status, so anyone "
                "checking it is told the name was withdrawn at your request.",
                "<b>Object to or restrict</b> how we use your data: tell us and we will stop "
                "unless we have a compelling reason to continue.",
            ),
            _p(
                "If you are unhappy with how we have used your data, you can complain to the "
                "Information Commissioner\u2019s Office (ICO): "
                f"{_link(ICO, 'make a complaint to the ICO')} or call 0303 123 1113. "
                "Please tell us first, so we can try to put it right."
            ),
        ],
    }


def cookies_page(*, privacy_page_id: int | None) -> dict:
    privacy = (
        f'<a linktype="page" id="{privacy_page_id}">privacy notice</a>'
        if privacy_page_id
        else "privacy notice"
    )
    session = _duration(settings.SESSION_COOKIE_AGE)
    idle = settings.SESSION_IDLE_TIMEOUT_MINUTES
    csrf = _duration(settings.CSRF_COOKIE_AGE)
    return {
        "title": "Cookies",
        "intro": (
            "Cookies are small files saved on your phone, tablet or computer when you visit a "
            "website. This site uses only the cookies it needs to work and to keep you safe."
        ),
        "body": [
            _h("Strictly necessary cookies only"),
            _p(
                "We do not use cookies to measure how you use the site or for advertising, "
                "and no other organisation sets cookies through our pages. Because every "
                "cookie we set is strictly necessary to provide the service you ask for, the "
                "Privacy and Electronic Communications Regulations do not require your consent "
                "for them: that is why this site has no cookie banner. If you block them in "
                "your browser, you will not be able to sign in or send forms."
            ),
            _h("The cookies we set"),
            _h3(settings.SESSION_COOKIE_NAME),
            _p(
                "Keeps you signed in as you move from page to page. It is set when you sign in, "
                f"and expires after {session}, renewed while you use the site; you are signed "
                f"out after {idle} minutes without activity, and when you sign out."
            ),
            _h3(settings.CSRF_COOKIE_NAME),
            _p(
                "Protects the forms on this site (such as the contact form and the sign-in "
                "page) from being sent by another website without your knowledge. It is set "
                f"when you open a page with a form, and expires after {csrf}."
            ),
            _h3("messages"),
            _p(
                "Carries a short confirmation, such as \u201cYour answer has been saved\u201d, "
                "to the next page you see. It is set only when there is such a message, is "
                "deleted once the message is shown, and expires when you close your browser."
            ),
            _h3("wagtail_sidebar_collapsed"),
            _p(
                "Only for programme staff editing the site: it remembers whether you collapsed "
                "the side menu of the editing screens. It expires when you close your browser."
            ),
            _h("Videos in training modules"),
            _p(
                "A training module may show a video from YouTube (in its privacy-enhanced mode) "
                "or Vimeo. When you play one, that service may set its own cookies, under its "
                "own cookie policy."
            ),
            _p(f"Read our {privacy} to find out how we use personal data."),
        ],
    }


LEGAL_SLUGS = {
    LegalPageKind.ACCESSIBILITY: "accessibility-statement",
    LegalPageKind.PRIVACY: "privacy",
    LegalPageKind.COOKIES: "cookies",
}
