"""The project's access matrix: every URL pattern we define, tried as every persona.

One table, ``MATRIX``, keyed by URL name. Each row says which objects the URL takes, which
fixture world builds them, how the request is made and what each persona gets:

- ``"200"``, ``"403"``, ``"404"``, ``"405"``: that status code;
- ``"login"``: a redirect to sign in (allauth's login, or an admin login that leads to it);
- ``"302"``: any other redirect (an action done, a refusal explained on the next page, a
  request to confirm the password again, a file link).

To add a URL, add one row. ``test_it_has_a_row_for_every_first_party_url_pattern`` fails, naming
the pattern, when a URL of ours has no row; ``test_it_has_no_row_for_a_pattern_that_is_gone``
fails when a row names a pattern that no longer exists.

Which patterns are ours (the rule, applied to ``get_resolver()`` walked recursively):

1. the view (its class, for class-based views) is defined in one of our apps: an installed app
   whose code lives in this repository rather than in site-packages (``learning_platform``,
   ``courses``, ``accreditation``, ``content``, ``notifications``, ...); or
2. the pattern is written directly in one of our URLconf modules (so a library view we mount at
   an address of our own, such as the admin login redirects or the password change, counts); or
3. the pattern belongs to a Wagtail admin viewset whose class is defined in one of our apps
   (the generic Wagtail views behind our admin screens).

Everything else is a library's own screen and is skipped: the Wagtail admin's internals, the
Django admin, allauth, Wagtail documents and page serving, static files. The Wagtail pages our
apps define (course and module pages) are covered by the course access table.

A status code cannot tell a refusal that redirects from an action carried out (both are "302").
What each state-changing URL did is judged by the outcome tables, which POST valid data as every
persona and compare every row of our tables before and after:
tests/platform/test_access_outcomes.py and tests/accreditation/test_access_outcomes.py. What a
page shows each persona is checked by the per-app tables in tests/courses and tests/accreditation,
which build the same worlds used here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, reverse

import pytest

from accreditation.events import AccreditationEvent
from learning_platform.security import first_party_packages, view_module
from notifications.services import notify

# The two worlds the per-app tables build: a cohort with Tess and Pat enrolled (courses), and
# Tess and Pat's supervised review through to an issued certificate (accreditation).
from tests.accreditation.conftest import other_review, sid  # noqa: F401
from tests.accreditation.factories import PDF_BYTES, upload
from tests.accreditation.test_access_matrix import world  # noqa: F401
from tests.courses.conftest import cohort, course, modules, pat_enrolment, tess_enrolment  # noqa: F401
from tests.courses.test_access_matrix import INVITATION_TOKEN, _block_id, ctx  # noqa: F401

pytestmark = pytest.mark.django_db

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
    "courses:invitation_create": Row(expect({"ada"}), args=("cohort",)),
    "courses:invitation_import": Row(expect({"ada"}), args=("cohort",)),
    "courses:invitation_import_template": Row(expect({"ada"}), args=("cohort",)),
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
    "accreditation:pattern_add": Row(PAIR_ONLY, world=ACCREDITATION, args=("pattern_stage",)),
    "accreditation:pattern_edit": Row(PAIR_ONLY, world=ACCREDITATION, args=("pattern",)),
    "accreditation:pattern_delete": Row(
        expect({"tess", "pat"}, status=REDIRECT),
        world=ACCREDITATION,
        args=("pattern",),
        method="POST",
    ),
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
    # Programme dashboard
    "accreditation:dashboard": Row(expect({"ada"}), world=ACCREDITATION),
    "accreditation:dashboard_csv": Row(expect({"ada"}), world=ACCREDITATION),
    # Public verification and the register
    "certificate_verify": Row(EVERYONE, world=ACCREDITATION),
    "certificate_verify_code": Row(EVERYONE, world=ACCREDITATION, args=("code",)),
    "public_register": Row(EVERYONE, world=ACCREDITATION),
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
    **admin_rows("pattern_types", ACCREDITATION, "pattern_type", _standard_admin()),
    "bulk_issues:index": Row(ADMIN, world=ACCREDITATION),
    "bulk_issues:start": Row(ADMIN, world=ACCREDITATION, args=("cohort",)),
    "bulk_issues:detail": Row(ADMIN, world=ACCREDITATION, args=("bulk",)),
    "bulk_issues:status": Row(ADMIN, world=ACCREDITATION, args=("bulk",)),
    "bulk_issues:download": Row(ADMIN, world=ACCREDITATION, args=("bulk",)),
    "bulk_issues:retry": Row(ADMIN, world=ACCREDITATION, args=("bulk",)),
    # Last of the courses rows: it replaces the invitation's link, which rows above still use.
    "courses:invitation_resend": Row(
        expect({"ada"}, status=REDIRECT), args=("cohort", "invitation"), method="POST"
    ),
}


# Which patterns are ours --------------------------------------------------------------------


def _module_name(urlconf) -> str:
    # A list of patterns (the Django admin's, a viewset's) is not a module anyone wrote them in.
    if isinstance(urlconf, ModuleType):
        return urlconf.__name__
    return urlconf if isinstance(urlconf, str) else ""


def _admin_viewset_modules() -> dict[str, str]:
    from wagtail.admin.viewsets import viewsets

    get_resolver().url_patterns  # noqa: B018 (registers the admin viewsets)
    return {
        viewset.url_namespace: type(viewset).__module__
        for viewset in viewsets.viewsets
        if getattr(viewset, "name", None)
    }


def walk_patterns():
    """Yield (name, route, view module, URLconf module, top namespace) for every pattern."""

    def walk(patterns, prefix, namespace, urlconf, top):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                module = _module_name(pattern.urlconf_name)
                yield from walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    inner,
                    module,
                    top or pattern.namespace,
                )
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}{pattern.name}" if pattern.name else None
                route = prefix + str(pattern.pattern)
                yield name, route, view_module(pattern.callback), urlconf, top

    resolver = get_resolver()
    yield from walk(resolver.url_patterns, "", "", _module_name(resolver.urlconf_name), None)


def first_party_patterns() -> dict[str, str]:
    """{URL name (or route, if unnamed): route} for every pattern the rule above calls ours."""
    ours = first_party_packages()
    viewsets = _admin_viewset_modules()
    found = {}
    for name, route, module, urlconf, namespace in walk_patterns():
        if (
            module.startswith(ours)
            or urlconf.startswith(ours)
            or viewsets.get(namespace, "").startswith(ours)
        ):
            found[name or route] = route
    return found


def test_it_has_a_row_for_every_first_party_url_pattern():
    patterns = first_party_patterns()

    missing = {name: patterns[name] for name in patterns if name not in MATRIX}

    assert not missing, f"URL patterns with no row in MATRIX: {missing}"


def test_it_has_no_row_for_a_pattern_that_is_gone():
    existing = {name for name, *_ in walk_patterns() if name}

    stale = sorted(set(MATRIX) - existing)

    assert not stale, f"MATRIX rows for URL patterns that no longer exist: {stale}"


def test_it_counts_our_screens_and_not_the_libraries():
    patterns = first_party_patterns()

    # Our own views, our URLconf and our admin viewsets are all found...
    for name in ("health", "courses:cohort_grid", "account_change_password", "cohorts:edit"):
        assert name in patterns, name
    # ...and library screens are not.
    for name in ("account_login", "wagtailadmin_home", "wagtaildocs_serve", "admin:index"):
        assert name not in patterns, name
    assert not any(
        route.startswith("django-admin/") and "login" not in route for route in patterns.values()
    )


# The objects each world provides -------------------------------------------------------------


@pytest.fixture
def courses_world(ctx, tess):  # noqa: F811
    from courses.models import Invitation

    first, second = ctx["first"], ctx["second"]
    notification = notify(
        recipient=tess, event=AccreditationEvent.STAGE_APPROVED, link="/accreditation/"
    )
    return {
        "cohort": ctx["cohort"].pk,
        "calendar_token": ctx["calendar_token"],
        "day": ctx["day"].pk,
        "tess_enrolment": ctx["tess_enrolment"].pk,
        "first_module": first.pk,
        "reflection_block": _block_id(first, "reflective_question"),
        "second_module": second.pk,
        "check_block": _block_id(second, "knowledge_check"),
        "invitation_token": INVITATION_TOKEN,
        "invitation": Invitation.objects.get(email="new.trainee@example.org").pk,
        "organisation": tess.organisation_id,
        "user": tess.pk,
        "notification": notification.pk,
    }


@pytest.fixture
def accreditation_world(world):  # noqa: F811
    return world


def _outcome(response) -> str:
    if response.status_code in (301, 302, 303):
        target = urlsplit(response["Location"]).path
        if target in {reverse("account_login"), "/admin/login/", "/django-admin/login/"}:
            return LOGIN
        return REDIRECT
    return str(response.status_code)


@pytest.mark.parametrize("world_name", [COURSES, ACCREDITATION])
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_answers_each_persona_as_the_matrix_says(client, request, persona, world_name):
    objects = request.getfixturevalue(f"{world_name}_world")
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    wrong = []
    for name, row in MATRIX.items():
        if row.world != world_name:
            continue
        url = reverse(name, args=[objects[key] for key in row.args])
        send = client.post if row.method == "POST" else client.get
        got = _outcome(send(url, row.data(objects)))
        if got != row.expect[persona]:
            wrong.append(f"{row.method} {name} ({url}): expected {row.expect[persona]}, got {got}")

    assert not wrong, f"{persona}:\n" + "\n".join(wrong)
