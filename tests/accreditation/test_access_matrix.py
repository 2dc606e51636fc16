"""One table of every accreditation URL (the app's own, public verification and the register, and
the accreditation screens in the Wagtail admin) and, for every persona, exactly who gets in.

Outcomes:
- IN: the page, the file or the form (a transition may still be refused for the object's state,
  for example an approved stage; that is not a question of access).
- REFUSED: the object is visible to this persona, but the action is not theirs to take; the view
  says so and changes nothing.
- HIDDEN: 404, exactly as if the object did not exist.
- LOGIN: an anonymous visitor is sent to sign in.

A URL pattern with no row here fails the last test, so a new URL cannot skip the table.
"""

import html

from django.urls import URLPattern, URLResolver, reverse

import pytest

from accreditation import public_urls
from accreditation import urls as accreditation_urls
from accreditation.models import AccreditationScheme, Certificate, ReviewStage
from accreditation.viewsets import AccreditationViewSetGroup

from .factories import (
    PDF_BYTES,
    upload,
)

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "tess", "pat", "uma", "sam", "ali", "ada"]
SIGNED_IN = PERSONAS[1:]
IN, REFUSED, HIDDEN, LOGIN = "in", "refused", "hidden", "login"

# Messages a view shows when the person may see the object but the action is not theirs.
ROLE_REFUSALS = (
    "Only the trainee and their review partner can",
    "Only the review's supervisor can",
    "You are not recorded as attending this session.",
)


def only(*personas, refused=()):
    """Signed-in personas get in, are refused or are hidden; anonymous visitors sign in."""
    outcome = {p: (IN if p in personas else REFUSED if p in refused else HIDDEN) for p in SIGNED_IN}
    return {"anonymous": LOGIN, **outcome}


PUBLIC = dict.fromkeys(PERSONAS, IN)
ANY_SIGNED_IN = only(*SIGNED_IN)
# Tess's review: the pair, their supervisor, programme staff and (once the application is
# submitted) an assessor read it; Uma is unrelated.
REVIEW_READERS = ("tess", "pat", "sam", "ali", "ada")
PAIR_ACTS = only("tess", "pat", refused=("sam", "ali", "ada"))
SUPERVISOR_ACTS = only("sam", refused=("tess", "pat", "ali", "ada"))
PAIR_ONLY = only("tess", "pat")
RECORD_KEEPERS = only("tess", "pat", "sam")
# The Wagtail admin: programme staff only; anyone else signed in is refused, an anonymous
# visitor is sent to sign in. Programme staff may not delete schemes, categories, pattern types
# or reviews (their records are kept).
ADMIN = {p: (IN if p == "ada" else LOGIN if p == "anonymous" else REFUSED) for p in PERSONAS}
ADMIN_DELETE = {**ADMIN, "ada": REFUSED}

PDF_UPLOAD = "pdf-upload"

# (url name, object key or None, method, POST data, expected outcome per persona)
TABLE = [
    # The supervised review
    ("accreditation:my_review", None, "GET", None, ANY_SIGNED_IN),
    ("accreditation:review_detail", "review", "GET", None, only(*REVIEW_READERS)),
    # The draft report: not programme staff; the assessor once an application rests on the
    # review (Tess's is approved), not while the only one is a draft (Uma's).
    ("accreditation:review_report_docx", "review", "GET", None, only("tess", "pat", "sam", "ali")),
    ("accreditation:review_report_pdf", "review", "GET", None, only("tess", "pat", "sam", "ali")),
    ("accreditation:review_report_docx", "draft_review", "GET", None, only("uma")),
    ("accreditation:review_report_pdf", "draft_review", "GET", None, only("uma")),
    # The review's details: the pair and their supervisor change them. Tess is accredited on this
    # review, so the page explains that they cannot change now, and a POST is refused on the form.
    ("accreditation:review_details_edit", "review", "GET", None, only("tess", "pat", "sam")),
    ("accreditation:review_details_edit", "review", "POST", {}, only("tess", "pat", "sam")),
    ("accreditation:review_details_edit", "draft_review", "GET", None, only("uma")),
    ("accreditation:stage_detail", "stage", "GET", None, only(*REVIEW_READERS)),
    ("accreditation:stage_start", "stage", "POST", {}, PAIR_ACTS),
    ("accreditation:stage_submit", "stage", "POST", {}, PAIR_ACTS),
    ("accreditation:stage_approve", "stage", "POST", {}, SUPERVISOR_ACTS),
    (
        "accreditation:stage_request_changes",
        "stage",
        "POST",
        {"request_changes-comment": "Add the scope."},
        SUPERVISOR_ACTS,
    ),
    (
        "accreditation:stage_reopen",
        "reopen_stage",
        "POST",
        {"reopen-comment": "The terms of reference changed."},
        SUPERVISOR_ACTS,
    ),
    (
        "accreditation:evidence_add_note",
        "stage",
        "POST",
        {"note-title": "Scope", "note-note": "Agreed."},
        PAIR_ACTS,
    ),
    (
        "accreditation:evidence_add_file",
        "stage",
        "POST",
        {"upload-title": "Scope", "upload-file": PDF_UPLOAD},
        PAIR_ACTS,
    ),
    ("accreditation:evidence_download", "evidence", "GET", None, only(*REVIEW_READERS)),
    # GET asks to confirm (here refused: the stage is approved); POST removes.
    ("accreditation:evidence_remove", "evidence", "GET", None, PAIR_ACTS),
    ("accreditation:evidence_remove", "evidence", "POST", {}, PAIR_ACTS),
    ("accreditation:evidence_edit_note", "note", "GET", None, PAIR_ACTS),
    (
        "accreditation:evidence_edit_note",
        "note",
        "POST",
        {"note-title": "Log", "note-note": "Changed."},
        PAIR_ACTS,
    ),
    ("accreditation:episode_add", "kpe_stage", "GET", None, PAIR_ONLY),
    ("accreditation:episode_edit", "episode", "GET", None, PAIR_ONLY),
    ("accreditation:episode_delete", "episode", "POST", {}, PAIR_ONLY),
    ("accreditation:episode_move", "episode", "POST", {"direction": "down"}, PAIR_ONLY),
    ("accreditation:finding_add", "pattern_stage", "GET", None, PAIR_ONLY),
    ("accreditation:finding_edit", "pattern", "GET", None, PAIR_ONLY),
    ("accreditation:finding_delete", "pattern", "POST", {}, PAIR_ONLY),
    # The review as it is run: read by the pair, the supervisor and the assessor (an application
    # rests on the review), not programme staff; kept by the pair and the supervisor. Tess is
    # accredited on the review, so each POST is let in but the change refused (the portfolio
    # lock): the outcome table tries them with the lock lifted.
    *[
        (f"accreditation:review_{page}", "review", "GET", None, only("tess", "pat", "sam", "ali"))
        for page in ("people", "conversations", "meetings")
    ],
    *[
        row
        for thing in ("team_member", "participant", "family", "conversation", "meeting")
        for row in (
            (f"accreditation:{thing}_add", "review", "GET", None, RECORD_KEEPERS),
            (f"accreditation:{thing}_add", "review", "POST", {}, RECORD_KEEPERS),
            (f"accreditation:{thing}_edit", thing, "GET", None, RECORD_KEEPERS),
            (f"accreditation:{thing}_edit", thing, "POST", {}, RECORD_KEEPERS),
            (f"accreditation:{thing}_delete", thing, "GET", None, RECORD_KEEPERS),
            (f"accreditation:{thing}_delete", thing, "POST", {}, RECORD_KEEPERS),
        )
    ],
    ("accreditation:review_people", "draft_review", "GET", None, only("uma")),
    ("accreditation:conversation_add", "draft_review", "GET", None, only("uma")),
    # Supervision
    ("accreditation:supervisor_queue", None, "GET", None, only("sam")),
    ("accreditation:supervision_log", None, "GET", None, only("sam")),
    ("accreditation:my_supervision", None, "GET", None, ANY_SIGNED_IN),
    ("accreditation:session_detail", "session", "GET", None, only("tess", "pat", "sam", "ada")),
    (
        "accreditation:session_confirm",
        "session",
        "POST",
        {},
        only("tess", "pat", refused=("sam", "ada")),
    ),
    # Application, assessment and certificates
    ("accreditation:application", None, "GET", None, only("tess", "pat", "uma")),
    ("accreditation:application", None, "POST", {}, only("tess", "pat", "uma")),
    ("accreditation:application_check", None, "GET", None, only("tess", "pat", "uma")),
    ("accreditation:application_check", None, "POST", {}, only("tess", "pat", "uma")),
    ("accreditation:application_withdraw", None, "GET", None, only("tess", "pat", "uma")),
    ("accreditation:application_withdraw", None, "POST", {}, only("tess", "pat", "uma")),
    ("accreditation:assessment_queue", None, "GET", None, only("ali")),
    ("accreditation:assessment_portfolio", "application", "GET", None, only("ali")),
    ("accreditation:assessment_portfolio", "draft", "GET", None, only()),
    ("accreditation:assessment_decide", "application", "POST", {}, only("ali")),
    ("accreditation:assessment_decide", "draft", "POST", {}, only()),
    ("accreditation:assessment_certificates", None, "GET", None, only("ali")),
    ("accreditation:certificate_manage", "certificate", "GET", None, only("ali")),
    ("accreditation:certificate_manage", "certificate", "POST", {}, only("ali")),
    ("accreditation:my_certificates", None, "GET", None, ANY_SIGNED_IN),
    ("accreditation:certificate_pdf", "certificate", "GET", None, only("tess", "ali")),
    ("accreditation:certificate_register", "certificate", "POST", {}, only("tess")),
    # Renewal, expiry and supersession: the holder's form and renewal page (Tess's certificate
    # is new, so the form explains when renewal opens; a POST is refused on the form), the
    # assessor's renewal portfolio and decision, and the CPD evidence a renewal rests on.
    ("accreditation:renewal", "certificate", "GET", None, only("tess")),
    ("accreditation:renewal", "certificate", "POST", {}, only("tess")),
    ("accreditation:renewal_status", "renewal", "GET", None, only("tess")),
    ("accreditation:renewal_withdraw", "renewal", "POST", {}, only("tess")),
    ("accreditation:renewal_portfolio", "renewal", "GET", None, only("ali")),
    ("accreditation:renewal_decide", "renewal", "POST", {}, only("ali")),
    ("accreditation:renewal_cpd_evidence", "renewal_cpd_entry", "GET", None, only("ali")),
    # Programme dashboard
    ("accreditation:dashboard", None, "GET", None, only("ada")),
    ("accreditation:dashboard_csv", None, "GET", None, only("ada")),
    # Public verification and the register
    ("certificate_verify", None, "GET", None, PUBLIC),
    ("certificate_verify", None, "POST", {"code": "x"}, PUBLIC),
    ("certificate_verify_code", "code", "GET", None, PUBLIC),
    ("public_register", None, "GET", None, PUBLIC),
    # The digital credential: the check (a GET is sent to the verify page) and the public,
    # machine-readable documents, open to anyone who has the code.
    ("credential_check", None, "GET", None, PUBLIC),
    ("credential_check", None, "POST", {"credential": "not a credential"}, PUBLIC),
    ("certificate_credential_json", "code", "GET", None, PUBLIC),
    ("certificate_credential_jwt", "code", "GET", None, PUBLIC),
    ("certificate_credential_status", "code", "GET", None, PUBLIC),
    ("credential_issuer", None, "GET", None, PUBLIC),
    ("credential_achievement", "scheme", "GET", None, PUBLIC),
    ("credential_status_list", "status_list", "GET", None, PUBLIC),
    ("credential_jwks", None, "GET", None, PUBLIC),
    # Criteria, the supervisor's recommendation and training attendance: the review's
    # supervisor alone; everyone else finds nothing there.
    ("accreditation:recommendation", "review", "GET", None, only("sam")),
    ("accreditation:recommendation", "review", "POST", {}, only("sam")),
    # The public register: the holder's own register profile (Tess holds a certificate), and
    # the public page that contacts a listed holder (Tess is not listed: it says so, to all).
    ("accreditation:register_profile", None, "GET", None, only("tess")),
    ("accreditation:register_profile", None, "POST", {}, only("tess")),
    ("public_register_contact", "certificate_number", "GET", None, PUBLIC),
    ("public_register_contact", "certificate_number", "POST", {}, PUBLIC),
]

# Appeals and the CPD log. Nobody in the world has a declined application, so the decline's
# appeal page is hidden from all; Tess's appeal (against a revocation recorded by no assessor)
# is decided by Ali. The CPD log is any trainee's or holder's own; the remove POST comes last.
TRAINEES = only("tess", "pat", "uma")
TABLE += [
    ("accreditation:appeal_decline", None, "GET", None, only()),
    ("accreditation:appeal_decline", None, "POST", {}, only()),
    ("accreditation:appeal_revocation", "certificate", "GET", None, only("tess")),
    ("accreditation:appeal_revocation", "certificate", "POST", {}, only("tess")),
    ("accreditation:appeal_queue", None, "GET", None, only("ali")),
    ("accreditation:appeal_detail", "appeal", "GET", None, only("ali")),
    ("accreditation:appeal_detail", "appeal", "POST", {}, only("ali")),
    ("accreditation:cpd_log", None, "GET", None, TRAINEES),
    ("accreditation:cpd_add", None, "GET", None, TRAINEES),
    ("accreditation:cpd_add", None, "POST", {}, TRAINEES),
    ("accreditation:cpd_edit", "cpd_entry", "GET", None, only("tess")),
    ("accreditation:cpd_edit", "cpd_entry", "POST", {}, only("tess")),
    ("accreditation:cpd_evidence", "cpd_entry", "GET", None, only("tess")),
    ("accreditation:cpd_remove", "cpd_entry", "GET", None, only("tess")),
    ("accreditation:cpd_remove", "cpd_entry", "POST", {}, only("tess")),
]


# The accreditation screens in the Wagtail admin, each with the object its URL takes.
_ADMIN_OBJECTS = {
    "supervised_reviews": "review",
    "accreditation_schemes": "scheme",
    "contributory_factor_categories": "category",
    "finding_categories": "finding_category",
    "factor_levels": "factor_level",
    "review_types": "review_type",
    "cpd_activity_types": "cpd_activity_type",
    "regions": "region",
    "bulk_issues": "bulk",
}
# Admin URLs whose object differs from the rest of their screen's.
_ADMIN_URL_OBJECTS = {"bulk_issues:start": "cohort"}


def _admin_url_names() -> list[tuple[str, bool]]:
    names = []
    for viewset in AccreditationViewSetGroup().registerables:
        for pattern in viewset.get_urlpatterns():
            names.append((f"{viewset.name}:{pattern.name}", bool(pattern.pattern.converters)))
    return names


TABLE += [
    (
        name,
        _ADMIN_URL_OBJECTS.get(name, _ADMIN_OBJECTS[name.split(":")[0]]) if takes_pk else None,
        "GET",
        None,
        ADMIN_DELETE if name.endswith(":delete") else ADMIN,
    )
    for name, takes_pk in _admin_url_names()
]


def _outcome(response, is_admin: bool) -> str:
    chain = getattr(response, "redirect_chain", [])
    first_hop = chain[0][0] if chain else response.get("Location", "")
    if "/login/" in first_hop:
        return LOGIN
    if response.status_code == 404:
        return HIDDEN
    if is_admin:
        # Wagtail turns away staff without the permission with a redirect or a 403.
        return IN if response.status_code == 200 else REFUSED
    assert response.status_code in (200, 400), response.status_code
    if response.get("Content-Type", "").startswith("text/html"):
        page = html.unescape(response.content.decode())
        # A refusal is shown on the page the view redirects to, or on the form it shows again.
        if any(message in page for message in ROLE_REFUSALS):
            return REFUSED
    return IN


def _request(client, name, key, method, data, objects):
    url = reverse(name, args=[objects[key]]) if key else reverse(name)
    if name.split(":")[0] in _ADMIN_OBJECTS:
        return client.get(url)
    if method == "GET":
        return client.get(url, follow=True)
    data = dict(data)
    if data.get("upload-file") == PDF_UPLOAD:
        data["upload-file"] = upload("more.pdf", PDF_BYTES)
    # Follow the redirect, so the message the view left is read on the page it leads to.
    return client.post(url, data, follow=True)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_in_exactly_the_right_people(client, accreditation_world, persona, request):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    stages_before = list(ReviewStage.objects.order_by("pk").values_list("status", flat=True))
    certificates_before = list(Certificate.objects.values_list("status", flat=True))
    wrong = []
    for name, key, method, data, expected in TABLE:
        response = _request(client, name, key, method, data, accreditation_world)
        got = _outcome(response, is_admin=name.split(":")[0] in _ADMIN_OBJECTS)
        if got != expected[persona]:
            wrong.append((method, name, key, f"expected {expected[persona]}, got {got}"))
    assert not wrong, wrong
    # Nobody changed a stage or a certificate. The supervisor is let in to reopen stage 5, but
    # Tess is accredited on this review, so the reopen itself is refused.
    assert list(ReviewStage.objects.order_by("pk").values_list("status", flat=True)) == (
        stages_before
    )
    assert list(Certificate.objects.values_list("status", flat=True)) == certificates_before


def _pattern_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _pattern_names(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_it_has_a_row_for_every_accreditation_url(db):
    names = {
        *_pattern_names(accreditation_urls.urlpatterns, f"{accreditation_urls.app_name}:"),
        *_pattern_names(public_urls.verify_urlpatterns),
        *_pattern_names(public_urls.register_urlpatterns),
        *_pattern_names(public_urls.credential_urlpatterns),
        # Served from the project's URLconf, at the address verifiers look for it.
        "credential_jwks",
        *(name for name, _ in _admin_url_names()),
    }
    covered = {row[0] for row in TABLE}
    assert names - covered == set()
    assert len(names) > 60
    assert AccreditationScheme.objects.exists()  # the admin rows have a scheme to open
