"""Who may change what in accreditation, judged by what each POST did to the database.

Every accreditation URL that accepts a POST (the app's own, and the accreditation screens of the
Wagtail admin) has a row in ``OUTCOMES``: the object it acts on, an ``arrange`` that puts that
object in the state where only the check on the person can refuse (a stage not yet started for
"start", a submitted stage for "approve", a draft application for "submit", ...), valid form data,
the personas allowed, and what an allowed POST must have changed. Every persona POSTs every row
against one world, each request inside a savepoint that is rolled back (``tests.outcomes``):

- refused: nothing in any of our tables changed, whatever the status code or the message;
- allowed: something changed, and the row's own check holds.

The rows are in outcome_rows.py (reviews, applications, certificates) and outcome_rows_admin.py
(the admin's screens) beside this file.

Every other accreditation URL is in ``READ_ONLY``, and a POST to it, by anyone, changes nothing.

Breaks this table catches (each was made in the application code, the table failed as shown,
and the code was put back):

- ``_require_reviewer`` in ``accreditation/services/stages.py`` doing nothing: Sam, Ali and Ada
  start and submit Tess's stage (a redirect either way, so a status code could not tell).
- ``_require_supervisor`` there doing nothing: Tess, Pat, Ali and Ada approve, send back and
  reopen it.
- ``user_is_assessor`` in ``learning_platform/accounts/roles.py`` answering yes for anyone
  signed in (the role check that both the assessment views and the decision and certificate
  services make):
  Pat, Uma and Ada decide on Tess's application and suspend her certificate. Tess and Sam are
  still refused, by the own-application and supervises-the-trainee checks.

- The session page (GET only) confirming the visitor's attendance when POSTed: the read-only
  test finds Tess's POST changed ``supervisionattendance`` and ``notification``.

Evidence and the registers have a check of their own (``stage_change_refusal``), so they are
not caught by the first break: that is the second check holding, not a gap.
"""

from html.parser import HTMLParser
from types import SimpleNamespace

from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

import pytest

from accreditation import public_urls
from accreditation import urls as accreditation_urls
from accreditation.models import CpdActivityType, FactorLevel, Region
from accreditation.services.applications import application_save_draft
from accreditation.services.bulk import bulk_issue_start_for_cohort
from accreditation.services.evidence import evidence_add_file, evidence_add_note
from accreditation.services.registers import episode_create
from accreditation.viewsets import AccreditationViewSetGroup
from learning_platform.accounts.roles import Role
from tests.factories import UserFactory
from tests.outcomes import attempt

from .award_builders import approve, make_ready, submit
from .conduct_helpers import add_conduct_records
from .factories import (
    PDF_BYTES,
    add_register_entries,
    categories,
    finding_categories,
    record_group_session,
    stage,
    upload,
)
from .lifecycle_builders import add_appeal_and_cpd
from .outcome_rows import REVIEW_ROWS, AdminForm
from .outcome_rows_admin import ADMIN_ROWS
from .outcome_rows_renewal import RENEWAL_READ_ONLY, RENEWAL_ROWS, add_renewal_world

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "tess", "pat", "uma", "sam", "ali", "ada"]


# The world ---------------------------------------------------------------------------------


@pytest.fixture
def world(tess, pat, uma, sam, ali, ada, review, other_review):
    """Tess and Pat's review, supervised by Sam: a file on stage 1, a note on stage 2, two key
    practice episodes on stage 3 (one cited by the underlying pattern on stage 4), a group session
    with Tess and Pat not yet confirmed, the review's people, a conversation and a meeting, and
    every stage approved; Tess accredited on it, her
    certificate issued (its PDF is not rendered: no row needs it), and a re-render job for her
    cohort. Uma (supervised by Sid) has her own review and a draft application. Vic is a trainee
    with no review yet, for the admin's "add a review"."""
    evidence = evidence_add_file(
        stage=stage(review, 1), user=tess, title="Scope", upload=upload("scope.pdf", PDF_BYTES)
    )
    note = evidence_add_note(
        stage=stage(review, 2), user=tess, title="Conversation log", note="Seven held."
    )
    episode, pattern = add_register_entries(review, tess)
    spare_episode = episode_create(
        stage=stage(review, 3),
        user=tess,
        title="Discharge planning",
        what_happened="No one told the school.",
        assessment="problematic",
    )
    conduct_ids = add_conduct_records(review, tess)
    session = record_group_session(sam, [tess, pat])
    enrolment = make_ready(tess, review)
    certificate = approve(submit(tess), ali)
    draft = application_save_draft(trainee=uma, reflective_statement="Draft")
    bulk = bulk_issue_start_for_cohort(cohort=enrolment.cohort, by=ada, kind="rerender")
    vic = UserFactory(full_name="Vic Newcomer", email="vic@example.org", roles=[Role.TRAINEE])
    return SimpleNamespace(
        users={"tess": tess, "pat": pat, "uma": uma, "sam": sam, "ali": ali, "ada": ada},
        vic=vic,
        organisation=review.commissioning_organisation_id,
        ids={
            "review": review.pk,
            "stage": stage(review, 1).pk,
            "note_stage": stage(review, 2).pk,
            "kpe_stage": stage(review, 3).pk,
            "pattern_stage": stage(review, 4).pk,
            "evidence": evidence.pk,
            "note": note.pk,
            "episode": episode.pk,
            "spare_episode": spare_episode.pk,
            "pattern": pattern.pk,
            "session": session.pk,
            "application": certificate.application_id,
            "draft": draft.pk,
            "certificate": certificate.pk,
            "code": certificate.verification_code,
            "certificate_number": certificate.number,
            "scheme": review.scheme_id,
            "category": categories()[0].pk,
            "finding_category": finding_categories()[0].pk,
            "factor_level": FactorLevel.objects.first().pk,
            "review_type": review.review_type_id,
            "cpd_activity_type": CpdActivityType.objects.order_by("pk").first().pk,
            "region": Region.objects.order_by("pk").first().pk,
            "cohort": enrolment.cohort_id,
            "bulk": bulk.pk,
            **conduct_ids,
            **add_appeal_and_cpd(tess=tess),
            # Renewal, expiry and supersession
            **add_renewal_world(certificate),
        },
    )


# The rows live in outcome_rows.py and outcome_rows_admin.py.
OUTCOMES = [*REVIEW_ROWS, *ADMIN_ROWS, *RENEWAL_ROWS]


# Every other accreditation URL, with the object it takes: pages, files and lookups that change
# nothing (the verification form's POST is a lookup, counted in the cache, not the database).
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
READ_ONLY = {
    "accreditation:my_review": None,
    "accreditation:review_detail": "review",
    "accreditation:review_report_docx": "review",
    "accreditation:review_report_pdf": "review",
    "accreditation:stage_detail": "stage",
    "accreditation:review_people": "review",
    "accreditation:review_conversations": "review",
    "accreditation:review_meetings": "review",
    "accreditation:evidence_download": "evidence",
    "accreditation:supervisor_queue": None,
    "accreditation:my_supervision": None,
    "accreditation:session_detail": "session",
    "accreditation:assessment_queue": None,
    "accreditation:assessment_portfolio": "application",
    "accreditation:assessment_certificates": None,
    "accreditation:my_certificates": None,
    "accreditation:certificate_pdf": "certificate",
    "accreditation:dashboard": None,
    "accreditation:dashboard_csv": None,
    "certificate_verify": None,
    "certificate_verify_code": "code",
    # The credential's documents answer GET only; the credential check reads, and counts only
    # an attempt against the rate limit (in the cache, not the database).
    "certificate_credential_json": "code",
    "certificate_credential_jwt": "code",
    "certificate_credential_status": "code",
    "credential_check": None,
    "public_register": None,
    # Appeals and the CPD log
    "accreditation:appeal_queue": None,
    "accreditation:cpd_log": None,
    "accreditation:cpd_evidence": "cpd_entry",
    **{
        f"{viewset}:{view}": key if view not in ("index", "index_results") else None
        for viewset, key in _ADMIN_OBJECTS.items()
        if viewset != "bulk_issues"
        for view in ("index", "index_results", "history", "history_results", "usage")
    },
    "supervised_reviews:inspect": "review",
    "bulk_issues:index": None,
    "bulk_issues:detail": "bulk",
    "bulk_issues:status": "bulk",
    "bulk_issues:download": "bulk",
    # Renewal, expiry and supersession
    **RENEWAL_READ_ONLY,
}


# Sending ------------------------------------------------------------------------------------


class _FormReader(HTMLParser):
    """The fields of the page's POST forms, as a browser would submit the main one."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.forms.append({})
        if not self.forms:
            return
        data = self.forms[-1]
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    data.setdefault(name, []).append(attrs.get("value", "on"))
            else:
                data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            data.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
            data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            data[self._select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, text):
        if self._textarea and self.forms:
            self.forms[-1][self._textarea][-1] += text


def admin_form_data(staff_client, url: str) -> dict:
    response = staff_client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    reader = _FormReader()
    reader.feed(response.content.decode())
    # The screen's own form is the largest one on the page (the header has small ones).
    fields = max(reader.forms, key=len)
    fields.pop("csrfmiddlewaretoken", None)
    return {
        name: values if len(values) > 1 else values[0] for name, values in fields.items() if values
    }


def _url(name: str, key: str | None, w) -> str:
    return reverse(name, args=[w.ids[key]]) if key else reverse(name)


@pytest.fixture
def signed_in(client, request):
    def sign_in(persona: str):
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        return client

    return sign_in


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_exactly_the_right_people_change_each_thing(world, persona, signed_in, ada):
    client = signed_in(persona)
    user = world.users.get(persona)
    staff = Client()
    staff.force_login(ada)
    wrong = []
    for row in OUTCOMES:
        url = _url(row.name, row.key, world)
        if isinstance(row.data, AdminForm):
            data = {**admin_form_data(staff, url), **row.data.changes(world)}
            send = lambda url=url, data=data: client.post(url, data)  # noqa: E731
        else:
            send = lambda url=url, row=row: client.post(url, row.data(world))  # noqa: E731
        allowed = persona in row.allowed
        result = attempt(
            send,
            arrange=(lambda row=row: row.arrange(world)) if row.arrange else None,
            check=(lambda row=row: row.check(world, user)) if allowed and row.check else None,
        )
        status = result.response.status_code
        if not allowed and result.changed:
            wrong.append(f"{row.name}: refused expected, got {status} and changed {result.changed}")
        elif allowed and not result.changed:
            wrong.append(f"{row.name}: allowed expected, got {status} and nothing changed")
        elif allowed and row.check and not result.checked:
            wrong.append(f"{row.name}: allowed, changed {result.changed}, but its check failed")
    assert not wrong, f"as {persona}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_changes_nothing_when_a_read_only_url_is_posted(world, persona, signed_in):
    client = signed_in(persona)
    wrote = []
    for name, key in READ_ONLY.items():
        data = (
            {"number": "LT-2026-0001", "surname": "Trainee"} if name == "certificate_verify" else {}
        )
        result = attempt(
            lambda name=name, key=key, data=data: client.post(_url(name, key, world), data)
        )
        if result.changed:
            wrote.append(f"{name}: {result.response.status_code}, changed {result.changed}")
    assert not wrote, f"as {persona}:\n" + "\n".join(wrote)


def _pattern_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _pattern_names(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_it_has_every_accreditation_url_in_one_table_or_the_other():
    names = {
        *_pattern_names(accreditation_urls.urlpatterns, f"{accreditation_urls.app_name}:"),
        *_pattern_names(public_urls.verify_urlpatterns),
        *_pattern_names(public_urls.register_urlpatterns),
        *(
            f"{viewset.name}:{pattern.name}"
            for viewset in AccreditationViewSetGroup().registerables
            for pattern in viewset.get_urlpatterns()
        ),
    }
    in_outcomes = {row.name for row in OUTCOMES}
    assert in_outcomes & READ_ONLY.keys() == set()
    assert names - in_outcomes - READ_ONLY.keys() == set()
    assert (in_outcomes | READ_ONLY.keys()) - names == set()
