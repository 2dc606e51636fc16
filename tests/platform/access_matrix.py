"""The project's access matrix: every URL pattern we define, and what each persona gets.

One table, ``MATRIX``, keyed by URL name. Each row says which objects the URL takes, which
fixture world builds them, how the request is made and what each persona gets:

- ``"200"``, ``"403"``, ``"404"``, ``"405"``: that status code;
- ``"login"``: a redirect to sign in (allauth's login, or an admin login that leads to it);
- ``"302"``: any other redirect (an action done, a refusal explained on the next page, a
  request to confirm the password again, a file link).

To add a URL, add one row. tests/platform/test_access_matrix.py tries every row as every persona,
fails naming the pattern when a URL of ours has no row, and fails when a row names a pattern that
no longer exists. tests/platform/test_huge_ids.py asks each URL that takes an id the way its row
says it is used.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.accreditation.factories import PDF_BYTES, upload

PERSONAS = ("anonymous", "tess", "pat", "uma", "sam", "ali", "ada")
SIGNED_IN = PERSONAS[1:]
OK, REDIRECT, LOGIN = "200", "302", "login"
FORBIDDEN, NOT_FOUND, NOT_ALLOWED = "403", "404", "405"
COURSES, ACCREDITATION = "courses", "accreditation"


@dataclass(frozen=True)
class Row:
    expect: dict[str, str]
    world: str = COURSES
    args: tuple[str, ...] = ()
    method: str = "GET"
    data: Callable[[dict], dict] = field(default=lambda objects: {})


def expect(ok=(), *, status=OK, others=NOT_FOUND, anonymous=LOGIN, **personas) -> dict[str, str]:
    """`status` for the personas in `ok`, `others` for every other signed-in persona."""
    table = {persona: (status if persona in ok else others) for persona in SIGNED_IN}
    table["anonymous"] = anonymous
    table.update(personas)
    return table


EVERYONE = expect(SIGNED_IN, anonymous=OK)
SIGNED_IN_OK = expect(SIGNED_IN)
SIGNED_IN_REDIRECT = expect(SIGNED_IN, status=REDIRECT)
# The Wagtail admin: programme staff only; anyone else signed in is refused (403), and an
# anonymous visitor is sent to sign in.
ADMIN = expect({"ada"}, others=FORBIDDEN)
# Admin screens where programme staff are told the action is not theirs (records are kept).
ADMIN_REFUSED = expect({"ada"}, status=REDIRECT, others=FORBIDDEN)
# The supervised review: the pair, their supervisor, programme staff and (once submitted) the
# assessor may read it; Uma is unrelated.
REVIEW_READERS = ("tess", "pat", "sam", "ali", "ada")
REPORT_READERS = ("tess", "pat", "sam", "ali")
RECORD_KEEPERS = ("tess", "pat", "sam")
# Actions on the review: the pair act; readers who may not are refused with a message.
PAIR_ACTS = expect(REVIEW_READERS, status=REDIRECT)
SUPERVISOR_ACTS = expect(REVIEW_READERS, status=REDIRECT)
PAIR_ONLY = expect({"tess", "pat"})


def admin_rows(
    namespace: str, world_name: str, obj: str, actions: dict[str, dict]
) -> dict[str, Row]:
    """Rows for one admin viewset: list screens take no object, the others take `obj`."""
    no_object = {"index", "index_results", "add"}
    return {
        f"{namespace}:{action}": Row(
            table, world=world_name, args=() if action in no_object else (obj,)
        )
        for action, table in actions.items()
    }


def _standard_admin(*, inspect: bool = False, delete: dict = ADMIN_REFUSED) -> dict[str, dict]:
    actions = {
        "index": ADMIN,
        "index_results": ADMIN,
        "add": ADMIN,
        "edit": ADMIN,
        "delete": delete,
        "history": ADMIN,
        "history_results": ADMIN,
        "usage": ADMIN,
    }
    if inspect:
        actions["inspect"] = ADMIN
    return actions


MATRIX: dict[str, Row] = {
    # Project pages -----------------------------------------------------------------------
    "health": Row(EVERYONE),
    "search": Row(EVERYONE),
    # The footer's legal pages: the page itself when published (a redirect), or a short page
    # saying it is not published (neither world publishes one).
    "legal_accessibility": Row(EVERYONE),
    "legal_privacy": Row(EVERYONE),
    "legal_cookies": Row(EVERYONE),
    "favicon": Row(expect(SIGNED_IN, status=REDIRECT, anonymous=REDIRECT)),
    # Signed in without Wagtail admin access: refused, not sent round to sign in again.
    "wagtailadmin_login_redirect": Row(expect(("ada",), status=LOGIN, others=FORBIDDEN)),
    # Signed in without Django admin access: refused, not sent round to sign in again.
    "django_admin_login_redirect": Row(expect(SIGNED_IN, status=FORBIDDEN)),
    # Accounts ----------------------------------------------------------------------------
    "accounts_profile": Row(SIGNED_IN_OK),
    # Asks for the password again first (the session has not confirmed it recently).
    "account_change_password": Row(SIGNED_IN_REDIRECT),
    # A POST only; asks for the password again before building the ZIP.
    "accounts_data_export": Row(SIGNED_IN_REDIRECT, method="POST"),
    # "Stay signed in" on the idle warning: no content; nobody to keep signed in when anonymous.
    "session_keep_alive": Row(expect(SIGNED_IN, status="204", anonymous="401"), method="POST"),
    # Notifications: Tess's own notification is hers alone.
    "notifications:list": Row(SIGNED_IN_OK),
    "notifications:preferences": Row(SIGNED_IN_OK),
    "notifications:mark_all_read": Row(SIGNED_IN_REDIRECT, method="POST"),
    "notifications:mark_read": Row(
        expect({"tess"}, status=REDIRECT), args=("notification",), method="POST"
    ),
    "notifications:open": Row(
        expect({"tess"}, status=REDIRECT), args=("notification",), method="POST"
    ),
    # Courses -----------------------------------------------------------------------------
    "courses:my_learning": Row(SIGNED_IN_OK),
    "courses:reflection_save": Row(
        expect({"tess", "pat", "sam", "ada"}, status=REDIRECT),
        args=("first_module", "reflection_block"),
        method="POST",
        data=lambda o: {f"reflection-{o['reflection_block']}-answer": "An answer"},
    ),
    "courses:knowledge_check_answer": Row(
        expect({"tess", "pat", "sam", "ada"}, status=REDIRECT),
        args=("second_module", "check_block"),
        method="POST",
        data=lambda o: {f"check-{o['check_block']}-q0": "0", f"check-{o['check_block']}-q1": "1"},
    ),
    "courses:enrolment_progress": Row(expect({"tess", "sam", "ada"}), args=("tess_enrolment",)),
    "courses:cohort_list": Row(SIGNED_IN_OK),
    "courses:cohort_detail": Row(expect({"tess", "pat", "sam", "ada"}), args=("cohort",)),
    # Calendar apps cannot sign in: the secret token in the address is the key.
    "courses:cohort_calendar": Row(EVERYONE, args=("cohort", "calendar_token")),
    "courses:cohort_reset_calendar": Row(
        expect({"ada"}, status=REDIRECT), args=("cohort",), method="POST"
    ),
    "courses:cohort_grid": Row(expect({"sam", "ada"}), args=("cohort",)),
    "courses:cohort_grid_csv": Row(expect({"sam", "ada"}), args=("cohort",)),
    "courses:cohort_grid_xlsx": Row(expect({"sam", "ada"}), args=("cohort",)),
    "courses:attendance_register": Row(expect({"ada"}), args=("cohort", "day")),
    # Supervisors and review partners from the cohort page; an empty form changes nothing.
    "courses:cohort_assignments": Row(
        expect({"ada"}, status=REDIRECT), args=("cohort",), method="POST"
    ),
    # The emailed token is the key; signed in as someone else, the page says so.
    "courses:invitation_accept": Row(EVERYONE, args=("invitation_token",)),
    "courses:enrolment_status": Row(expect({"ada"}), args=("tess_enrolment",)),
    "courses:supervisor_home": Row(expect({"sam"})),
    # The supervised review --------------------------------------------------------------
    # Trainees are taken to their own review; others see the page that explains it.
    "accreditation:my_review": Row(
        expect(SIGNED_IN, tess=REDIRECT, pat=REDIRECT, uma=REDIRECT), world=ACCREDITATION
    ),
    "accreditation:review_detail": Row(
        expect(REVIEW_READERS), world=ACCREDITATION, args=("review",)
    ),
    # The draft report: the pair and their supervisor, and the assessor once an application
    # rests on the review (Tess's is approved); not programme staff. Uma's review has only a
    # draft application, so it stays hidden from the assessor.
    "accreditation:review_report_docx": Row(
        expect(REPORT_READERS), world=ACCREDITATION, args=("review",)
    ),
    "accreditation:review_report_pdf": Row(
        expect(REPORT_READERS), world=ACCREDITATION, args=("review",)
    ),
    # The review's details (its clock, milestones and cases): the pair and their supervisor.
    "accreditation:review_details_edit": Row(
        expect(("tess", "pat", "sam")), world=ACCREDITATION, args=("review",)
    ),
    "accreditation:stage_detail": Row(expect(REVIEW_READERS), world=ACCREDITATION, args=("stage",)),
    "accreditation:stage_start": Row(
        PAIR_ACTS, world=ACCREDITATION, args=("stage",), method="POST"
    ),
    "accreditation:stage_submit": Row(
        PAIR_ACTS, world=ACCREDITATION, args=("stage",), method="POST"
    ),
    "accreditation:stage_approve": Row(
        SUPERVISOR_ACTS, world=ACCREDITATION, args=("stage",), method="POST"
    ),
    "accreditation:stage_request_changes": Row(
        SUPERVISOR_ACTS,
        world=ACCREDITATION,
        args=("stage",),
        method="POST",
        data=lambda o: {"request_changes-comment": "Add the scope."},
    ),
    "accreditation:stage_reopen": Row(
        SUPERVISOR_ACTS,
        world=ACCREDITATION,
        args=("reopen_stage",),
        method="POST",
        data=lambda o: {"reopen-comment": "The terms of reference changed."},
    ),
    # Refused (the stage is approved) on the form shown again, so nothing typed is lost.
    "accreditation:evidence_add_note": Row(
        expect(REVIEW_READERS),
        world=ACCREDITATION,
        args=("stage",),
        method="POST",
        data=lambda o: {"note-title": "Scope", "note-note": "Agreed."},
    ),
    "accreditation:evidence_add_file": Row(
        PAIR_ACTS,
        world=ACCREDITATION,
        args=("stage",),
        method="POST",
        data=lambda o: {"upload-title": "Scope", "upload-file": upload("more.pdf", PDF_BYTES)},
    ),
    "accreditation:evidence_download": Row(
        expect(REVIEW_READERS), world=ACCREDITATION, args=("evidence",)
    ),
    # GET asks to confirm (POST removes: tests/accreditation/test_access_matrix.py has both).
    "accreditation:evidence_remove": Row(
        PAIR_ACTS, world=ACCREDITATION, args=("evidence",), method="POST"
    ),
    # The stage is approved, so the pair are told it cannot change; others may not change it.
    "accreditation:evidence_edit_note": Row(PAIR_ACTS, world=ACCREDITATION, args=("note",)),
    "accreditation:episode_add": Row(PAIR_ONLY, world=ACCREDITATION, args=("kpe_stage",)),
    "accreditation:episode_edit": Row(PAIR_ONLY, world=ACCREDITATION, args=("episode",)),
    "accreditation:episode_delete": Row(
        expect({"tess", "pat"}, status=REDIRECT),
        world=ACCREDITATION,
        args=("episode",),
        method="POST",
    ),
    "accreditation:episode_move": Row(
        expect({"tess", "pat"}, status=REDIRECT),
        world=ACCREDITATION,
        args=("episode",),
        method="POST",
        data=lambda o: {"direction": "down"},
    ),
    "accreditation:finding_add": Row(PAIR_ONLY, world=ACCREDITATION, args=("pattern_stage",)),
    "accreditation:finding_edit": Row(PAIR_ONLY, world=ACCREDITATION, args=("pattern",)),
    "accreditation:finding_delete": Row(
        expect({"tess", "pat"}, status=REDIRECT),
        world=ACCREDITATION,
        args=("pattern",),
        method="POST",
    ),
    # The review as it is run: read like the draft report; kept by the pair and the supervisor
    # (the add, change and remove pages; tests/accreditation/test_access_matrix.py POSTs too).
    **{
        f"accreditation:review_{page}": Row(
            expect(REPORT_READERS), world=ACCREDITATION, args=("review",)
        )
        for page in ("people", "conversations", "meetings")
    },
    **{
        f"accreditation:{thing}_{action}": Row(
            expect(RECORD_KEEPERS),
            world=ACCREDITATION,
            args=("review",) if action == "add" else (thing,),
        )
        for thing in ("team_member", "participant", "family", "conversation", "meeting")
        for action in ("add", "edit", "delete")
    },
    # Supervision
    "accreditation:supervisor_queue": Row(expect({"sam"}), world=ACCREDITATION),
    "accreditation:supervision_log": Row(expect({"sam"}), world=ACCREDITATION),
    "accreditation:my_supervision": Row(SIGNED_IN_OK, world=ACCREDITATION),
    "accreditation:session_detail": Row(
        expect({"tess", "pat", "sam", "ada"}), world=ACCREDITATION, args=("session",)
    ),
    "accreditation:session_confirm": Row(
        expect({"tess", "pat", "sam", "ada"}, status=REDIRECT),
        world=ACCREDITATION,
        args=("session",),
        method="POST",
    ),
    # Application, assessment and certificates
    "accreditation:application": Row(expect({"tess", "pat", "uma"}), world=ACCREDITATION),
    # Check-your-answers and withdrawing: Uma has a draft to check or withdraw; Tess (approved)
    # and Pat (no application) are sent back to the application page.
    "accreditation:application_check": Row(
        expect({"uma"}, tess=REDIRECT, pat=REDIRECT), world=ACCREDITATION
    ),
    "accreditation:application_withdraw": Row(
        expect({"uma"}, tess=REDIRECT, pat=REDIRECT), world=ACCREDITATION
    ),
    "accreditation:assessment_queue": Row(expect({"ali"}), world=ACCREDITATION),
    "accreditation:assessment_portfolio": Row(
        expect({"ali"}), world=ACCREDITATION, args=("application",)
    ),
    # Without a decision in the form the assessor gets 400; everyone else never sees the form.
    "accreditation:assessment_decide": Row(
        expect({"ali"}, status="400"), world=ACCREDITATION, args=("application",), method="POST"
    ),
    "accreditation:assessment_certificates": Row(expect({"ali"}), world=ACCREDITATION),
    "accreditation:certificate_manage": Row(
        expect({"ali"}), world=ACCREDITATION, args=("certificate",)
    ),
    "accreditation:my_certificates": Row(SIGNED_IN_OK, world=ACCREDITATION),
    "accreditation:certificate_pdf": Row(
        expect({"tess", "ali"}), world=ACCREDITATION, args=("certificate",)
    ),
    "accreditation:certificate_register": Row(
        expect({"tess"}, status=REDIRECT),
        world=ACCREDITATION,
        args=("certificate",),
        method="POST",
    ),
    # Criteria, the supervisor's recommendation and training attendance: the review's
    # supervisor alone.
    "accreditation:recommendation": Row(expect({"sam"}), world=ACCREDITATION, args=("review",)),
    # Renewal: Tess's submitted renewal; Ali decides it (an empty decision form is a 400) and
    # reads the CPD evidence it rests on.
    "accreditation:renewal": Row(expect({"tess"}), world=ACCREDITATION, args=("certificate",)),
    "accreditation:renewal_status": Row(expect({"tess"}), world=ACCREDITATION, args=("renewal",)),
    "accreditation:renewal_withdraw": Row(
        expect({"tess"}, status=REDIRECT), world=ACCREDITATION, args=("renewal",), method="POST"
    ),
    "accreditation:renewal_portfolio": Row(expect({"ali"}), world=ACCREDITATION, args=("renewal",)),
    "accreditation:renewal_decide": Row(
        expect({"ali"}, status="400"), world=ACCREDITATION, args=("renewal",), method="POST"
    ),
    "accreditation:renewal_cpd_evidence": Row(
        expect({"ali"}), world=ACCREDITATION, args=("renewal_cpd_entry",)
    ),
    # Appeals: nobody has a decline to appeal; Tess's certificate is not revoked, so its appeal
    # page sends her back to her certificates, saying so; Ali reads the queue and Tess's appeal.
    "accreditation:appeal_decline": Row(expect(()), world=ACCREDITATION),
    "accreditation:appeal_revocation": Row(
        expect({"tess"}, status=REDIRECT), world=ACCREDITATION, args=("certificate",)
    ),
    "accreditation:appeal_queue": Row(expect({"ali"}), world=ACCREDITATION),
    "accreditation:appeal_detail": Row(expect({"ali"}), world=ACCREDITATION, args=("appeal",)),
    # The CPD log: trainees and holders keep one; an entry is its owner's alone.
    "accreditation:cpd_log": Row(expect({"tess", "pat", "uma"}), world=ACCREDITATION),
    "accreditation:cpd_add": Row(expect({"tess", "pat", "uma"}), world=ACCREDITATION),
    "accreditation:cpd_edit": Row(expect({"tess"}), world=ACCREDITATION, args=("cpd_entry",)),
    "accreditation:cpd_remove": Row(expect({"tess"}), world=ACCREDITATION, args=("cpd_entry",)),
    "accreditation:cpd_evidence": Row(expect({"tess"}), world=ACCREDITATION, args=("cpd_entry",)),
    # Programme dashboard
    "accreditation:dashboard": Row(expect({"ada"}), world=ACCREDITATION),
    "accreditation:dashboard_csv": Row(expect({"ada"}), world=ACCREDITATION),
    # Public verification and the register
    "certificate_verify": Row(EVERYONE, world=ACCREDITATION),
    "certificate_verify_code": Row(EVERYONE, world=ACCREDITATION, args=("code",)),
    "public_register": Row(EVERYONE, world=ACCREDITATION),
    # The digital credential: the check (a GET is sent to the verify page; something that is
    # not a credential gets a verdict) and the public documents, open to anyone with the code.
    "credential_check": Row(
        EVERYONE,
        world=ACCREDITATION,
        method="POST",
        data=lambda o: {"credential": "not a credential"},
    ),
    "certificate_credential_json": Row(EVERYONE, world=ACCREDITATION, args=("code",)),
    "certificate_credential_jwt": Row(EVERYONE, world=ACCREDITATION, args=("code",)),
    "certificate_credential_status": Row(EVERYONE, world=ACCREDITATION, args=("code",)),
    "credential_issuer": Row(EVERYONE, world=ACCREDITATION),
    "credential_achievement": Row(EVERYONE, world=ACCREDITATION, args=("scheme",)),
    "credential_status_list": Row(EVERYONE, world=ACCREDITATION, args=("status_list",)),
    "credential_jwks": Row(EVERYONE, world=ACCREDITATION),
    # The public register: the holder's profile, and the page that contacts a listed holder
    # (Tess is not listed, so it says she accepts no messages).
    "accreditation:register_profile": Row(expect({"tess"}), world=ACCREDITATION),
    "public_register_contact": Row(EVERYONE, world=ACCREDITATION, args=("certificate_number",)),
    # The Wagtail admin: our screens -----------------------------------------------------
    **admin_rows("cohorts", COURSES, "cohort", _standard_admin()),
    **admin_rows("enrolments", COURSES, "tess_enrolment", _standard_admin(inspect=True)),
    # Invitations are sent and withdrawn, never edited.
    **admin_rows(
        "invitations",
        COURSES,
        "invitation",
        {
            **_standard_admin(inspect=True),
            "edit": ADMIN_REFUSED,
            "delete": ADMIN,
            "usage": ADMIN_REFUSED,
        },
    ),
    # Inviting a CSV file of people, and the empty file to fill in; the cohort is in the form.
    "invitations:import": Row(ADMIN),
    "invitations:import_template": Row(ADMIN),
    **admin_rows("organisations", COURSES, "organisation", _standard_admin()),
    **admin_rows(
        "wagtailusers_users",
        COURSES,
        "user",
        # Programme staff look people up and erase them on request; accounts are made and
        # changed by superusers.
        {
            "index": ADMIN,
            "index_results": ADMIN,
            "add": ADMIN_REFUSED,
            "edit": ADMIN_REFUSED,
            "delete": ADMIN_REFUSED,
            "history": ADMIN_REFUSED,
            "history_results": ADMIN_REFUSED,
            "usage": ADMIN_REFUSED,
            "copy": ADMIN_REFUSED,
            # Sent to confirm the password first: a sign-in is not recent enough to erase.
            "erase": expect({"ada"}, status=REDIRECT, others=FORBIDDEN),
        },
    ),
    **admin_rows("supervised_reviews", ACCREDITATION, "review", _standard_admin(inspect=True)),
    **admin_rows("accreditation_schemes", ACCREDITATION, "scheme", _standard_admin()),
    **admin_rows("contributory_factor_categories", ACCREDITATION, "category", _standard_admin()),
    **admin_rows("finding_categories", ACCREDITATION, "finding_category", _standard_admin()),
    **admin_rows("factor_levels", ACCREDITATION, "factor_level", _standard_admin()),
    **admin_rows("review_types", ACCREDITATION, "review_type", _standard_admin()),
    **admin_rows("cpd_activity_types", ACCREDITATION, "cpd_activity_type", _standard_admin()),
    **admin_rows("regions", ACCREDITATION, "region", _standard_admin()),
    "bulk_issues:index": Row(ADMIN, world=ACCREDITATION),
    "bulk_issues:start": Row(ADMIN, world=ACCREDITATION, args=("cohort",)),
    "bulk_issues:detail": Row(ADMIN, world=ACCREDITATION, args=("bulk",)),
    "bulk_issues:status": Row(ADMIN, world=ACCREDITATION, args=("bulk",)),
    "bulk_issues:download": Row(ADMIN, world=ACCREDITATION, args=("bulk",)),
    "bulk_issues:retry": Row(ADMIN, world=ACCREDITATION, args=("bulk",)),
    # Last of the courses rows: it replaces the invitation's link, which rows above still use.
    "invitations:resend": Row(
        expect({"ada"}, status=REDIRECT, others=FORBIDDEN), args=("invitation",), method="POST"
    ),
}
