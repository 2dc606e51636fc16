"""Appeals: a trainee appeals a decline and a holder a revocation, within the scheme's window; an
assessor who neither made the decision nor supervises the appellant upholds or overturns it."""

import datetime

from django.core import mail
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import (
    AccreditationApplication,
    Appeal,
    AppealDecision,
    Certificate,
    CertificateEvent,
    Decision,
)
from accreditation.selectors.applications import assessment_queue
from accreditation.services import appeals as services
from accreditation.services import certificates as certificate_services
from courses.models import Enrolment

from .award_builders import approve, decline, make_assessor, make_ready, refer, submit

Status = AccreditationApplication.Status
GROUNDS = "The assessor missed the second conversation with the family, recorded in stage 4."
QUEUE = reverse("accreditation:appeal_queue")
QUEUE_QUERIES = 12
DETAIL_QUERIES = 11


@pytest.fixture
def bea(db):
    """A second assessor, unconnected to Tess."""
    return make_assessor("Bea Assessor", "bea@example.org")


@pytest.fixture
def declined(tess, review, ali):
    make_ready(tess, review)
    application = submit(tess)
    return decline(application, ali, reasons="The analysis does not reach the system.")


@pytest.fixture
def revoked(tess, review, ali):
    make_ready(tess, review)
    certificate = approve(submit(tess), ali)
    certificate_services.certificate_revoke(
        certificate=certificate, by=ali, reason="Misconduct found by the employer."
    )
    certificate.refresh_from_db()
    return certificate


def _age(model, pk, days):
    field = "created_at"
    model.objects.filter(pk=pk).update(
        **{field: model.objects.get(pk=pk).created_at - datetime.timedelta(days=days)}
    )


# Against a decline ----------------------------------------------------------------------------


def test_it_returns_a_declined_application_to_the_queue_when_overturned(
    tess, ali, bea, declined, django_capture_on_commit_callbacks
):
    appeal = services.appeal_lodge_against_decline(
        decision=declined, appellant=tess, grounds=GROUNDS
    )
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.appeal_decide(
            appeal=appeal, assessor=bea, outcome="overturned", reasons="The family work is there."
        )

    application = declined.application
    application.refresh_from_db()
    appeal.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert appeal.status == Appeal.Status.OVERTURNED
    assert outcome.assessor == bea
    assert application in assessment_queue(assessor=bea)
    # The decline stays, append-only; the appeal's outcome sits beside it.
    assert list(application.decisions.values_list("outcome", flat=True)) == ["declined"]
    assert ModelLogEntry.objects.filter(
        action="accreditation.application.appeal_overturned", object_id=str(application.pk)
    ).exists()

    # The assessor whose decline was overturned does not decide on it again.
    with pytest.raises(TransitionError, match="overturned on appeal"):
        decline(application, ali)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED

    # And it can then be approved, by an assessor who may decide on it.
    certificate = approve(application, bea)
    assert certificate.status == Certificate.Status.ISSUED


def test_it_changes_nothing_when_the_appeal_is_upheld(tess, ali, bea, declined):
    appeal = services.appeal_lodge_against_decline(
        decision=declined, appellant=tess, grounds=GROUNDS
    )
    services.appeal_decide(appeal=appeal, assessor=bea, outcome="upheld", reasons="It stands.")

    declined.application.refresh_from_db()
    appeal.refresh_from_db()
    assert declined.application.status == Status.DECLINED
    assert appeal.status == Appeal.Status.UPHELD
    with pytest.raises(TransitionError, match="already been decided"):
        services.appeal_decide(
            appeal=appeal, assessor=bea, outcome="overturned", reasons="Changed my mind."
        )
    assert AppealDecision.objects.filter(appeal=appeal).count() == 1


def test_it_refuses_an_appeal_after_the_window(tess, declined):
    _age(Decision, declined.pk, 29)
    with pytest.raises(TransitionError, match="closed on"):
        services.appeal_lodge_against_decline(decision=declined, appellant=tess, grounds=GROUNDS)
    assert not Appeal.objects.exists()


def test_it_allows_an_appeal_on_the_last_day_of_the_window(tess, declined):
    _age(Decision, declined.pk, 28)
    assert services.appeal_lodge_against_decline(decision=declined, appellant=tess, grounds=GROUNDS)


def test_it_refuses_an_appeal_by_someone_else(pat, uma, ali, declined):
    for person in (pat, uma, ali):
        with pytest.raises(TransitionError, match="Only the trainee"):
            services.appeal_lodge_against_decline(
                decision=declined, appellant=person, grounds=GROUNDS
            )
    assert not Appeal.objects.exists()


def test_it_refuses_empty_grounds_and_a_second_appeal(tess, declined):
    with pytest.raises(TransitionError, match="Give your grounds"):
        services.appeal_lodge_against_decline(decision=declined, appellant=tess, grounds="  ")
    services.appeal_lodge_against_decline(decision=declined, appellant=tess, grounds=GROUNDS)
    with pytest.raises(TransitionError, match="already appealed"):
        services.appeal_lodge_against_decline(decision=declined, appellant=tess, grounds=GROUNDS)


def test_it_refuses_an_appeal_against_a_referral(tess, review, ali):
    make_ready(tess, review)
    decision = refer(submit(tess), ali, reasons="More.", required_actions="Do more.")
    with pytest.raises(TransitionError, match="Only the decision to decline"):
        services.appeal_lodge_against_decline(decision=decision, appellant=tess, grounds=GROUNDS)


def test_it_refuses_the_deciding_assessor_and_a_supervising_one(tess, sam, ali, declined):
    appeal = services.appeal_lodge_against_decline(
        decision=declined, appellant=tess, grounds=GROUNDS
    )
    with pytest.raises(TransitionError, match="You made the decision appealed"):
        services.appeal_decide(appeal=appeal, assessor=ali, outcome="overturned", reasons="Yes.")

    # An assessor who supervises Tess on one of her enrolments.
    sue = make_assessor("Sue Supervisor-Assessor", "sue@example.org", also_supervisor=True)
    Enrolment.objects.filter(user=tess).update(supervisor=sue)
    with pytest.raises(TransitionError, match="You supervise the appellant"):
        services.appeal_decide(appeal=appeal, assessor=sue, outcome="overturned", reasons="Yes.")

    with pytest.raises(TransitionError, match="Only an assessor"):
        services.appeal_decide(appeal=appeal, assessor=sam, outcome="overturned", reasons="Yes.")

    appeal.refresh_from_db()
    declined.application.refresh_from_db()
    assert appeal.status == Appeal.Status.LODGED
    assert declined.application.status == Status.DECLINED
    assert not AppealDecision.objects.exists()


def test_it_keeps_the_outcome_append_only(tess, bea, declined):
    appeal = services.appeal_lodge_against_decline(
        decision=declined, appellant=tess, grounds=GROUNDS
    )
    outcome = services.appeal_decide(appeal=appeal, assessor=bea, outcome="upheld", reasons="No.")
    outcome.reasons = "Rewritten."
    with pytest.raises(ValueError, match="append-only"):
        outcome.save()


def test_it_notifies_eligible_assessors_and_then_the_appellant(
    tess, sam, ali, bea, declined, django_capture_on_commit_callbacks
):
    sue = make_assessor("Sue Supervisor-Assessor", "sue@example.org", also_supervisor=True)
    Enrolment.objects.filter(user=tess).update(supervisor=sue)
    mail.outbox.clear()
    grounds = "<script>alert('x')</script> & <b>the family</b>"
    with django_capture_on_commit_callbacks(execute=True):
        appeal = services.appeal_lodge_against_decline(
            decision=declined, appellant=tess, grounds=grounds
        )
    # Only Bea: Ali made the decision and Sue supervises Tess.
    assert [m.to for m in mail.outbox] == [[bea.email]]
    (email,) = mail.outbox
    assert grounds in email.body  # the plain-text body prints it as typed
    html = email.alternatives[0][0] if email.alternatives else ""
    assert "<script>" not in html
    assert "&lt;script&gt;" in html

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_decide(
            appeal=appeal, assessor=bea, outcome="overturned", reasons="<i>Missed</i> evidence."
        )
    assert [m.to for m in mail.outbox] == [[tess.email]]
    assert "overturned" in mail.outbox[0].body
    assert "<i>Missed</i> evidence." in mail.outbox[0].body


# Against a revocation -------------------------------------------------------------------------


def test_it_reinstates_a_revoked_certificate_when_overturned(client, tess, bea, revoked):
    appeal = services.appeal_lodge_against_revocation(
        certificate=revoked, appellant=tess, grounds=GROUNDS
    )
    services.appeal_decide(appeal=appeal, assessor=bea, outcome="overturned", reasons="No case.")

    revoked.refresh_from_db()
    assert revoked.status == Certificate.Status.ISSUED
    last = CertificateEvent.objects.filter(certificate=revoked).order_by("-pk").first()
    assert (last.from_status, last.to_status, last.by) == ("revoked", "issued", bea)
    assert last.reason.startswith("Revocation overturned on appeal.")
    page = client.get(reverse("certificate_verify_code", args=[revoked.verification_code]))
    assert "Valid" in page.content.decode()


def test_it_keeps_a_revocation_final_for_assessors(ali, bea, revoked):
    with pytest.raises(TransitionError):
        certificate_services.certificate_reinstate(certificate=revoked, by=bea, reason="Oops.")


def test_it_refuses_a_revocation_appeal_by_another_or_late(tess, uma, revoked):
    with pytest.raises(TransitionError, match="Only the holder"):
        services.appeal_lodge_against_revocation(
            certificate=revoked, appellant=uma, grounds=GROUNDS
        )
    event = CertificateEvent.objects.filter(certificate=revoked, to_status="revoked").get()
    _age(CertificateEvent, event.pk, 29)
    with pytest.raises(TransitionError, match="closed on"):
        services.appeal_lodge_against_revocation(
            certificate=revoked, appellant=tess, grounds=GROUNDS
        )


def test_it_refuses_the_assessor_who_revoked(tess, ali, revoked):
    appeal = services.appeal_lodge_against_revocation(
        certificate=revoked, appellant=tess, grounds=GROUNDS
    )
    with pytest.raises(TransitionError, match="You made the decision appealed"):
        services.appeal_decide(appeal=appeal, assessor=ali, outcome="overturned", reasons="Yes.")


# Pages ----------------------------------------------------------------------------------------


def test_it_offers_the_appeal_on_the_application_page_with_the_closing_date(client, tess, declined):
    client.force_login(tess)
    page = client.get(reverse("accreditation:application")).content.decode()
    assert "Appeal this decision" in page
    closes = timezone.localdate(declined.created_at) + datetime.timedelta(days=28)
    assert f"You can appeal until {date_filter(closes)}." in page

    response = client.post(reverse("accreditation:appeal_decline"), {"grounds": "   "})
    assert response.status_code == 400
    assert "Give your grounds for appealing." in response.content.decode()

    response = client.post(reverse("accreditation:appeal_decline"), {"grounds": GROUNDS})
    assert response.status_code == 302
    page = client.get(reverse("accreditation:application")).content.decode()
    assert "Appeal lodged" in page
    assert "Appeal this decision" not in page


def test_it_keeps_the_grounds_typed_when_the_window_has_closed(client, tess, declined):
    _age(Decision, declined.pk, 40)
    client.force_login(tess)
    assert "closed on" in client.get(reverse("accreditation:appeal_decline")).content.decode()
    response = client.post(reverse("accreditation:appeal_decline"), {"grounds": GROUNDS})
    assert response.status_code == 400
    assert GROUNDS in response.content.decode()


def test_it_offers_the_appeal_on_the_certificates_page(client, tess, revoked):
    client.force_login(tess)
    mine = reverse("accreditation:my_certificates")
    assert "Appeal this decision" in client.get(mine).content.decode()
    url = reverse("accreditation:appeal_revocation", args=[revoked.pk])
    assert client.post(url, {"grounds": GROUNDS}).status_code == 302
    assert "Appeal lodged" in client.get(mine).content.decode()


def test_it_lists_appeals_saying_who_may_not_decide(client, tess, ali, bea, declined):
    services.appeal_lodge_against_decline(decision=declined, appellant=tess, grounds=GROUNDS)
    client.force_login(ali)
    page = client.get(QUEUE).content.decode()
    assert "Tess Trainee" in page
    assert "you cannot decide this one" in page.lower()
    client.force_login(bea)
    page = client.get(QUEUE).content.decode()
    assert "Tess Trainee" in page
    assert "cannot decide this one" not in page


def test_it_decides_on_the_appeal_page_and_refuses_the_decider_there(
    client, tess, ali, bea, declined
):
    appeal = services.appeal_lodge_against_decline(
        decision=declined, appellant=tess, grounds="<b>bold</b> grounds"
    )
    url = reverse("accreditation:appeal_detail", args=[appeal.pk])
    client.force_login(ali)
    page = client.get(url).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt; grounds" in page
    assert "Record the decision" not in page
    response = client.post(url, {"outcome": "overturned", "reasons": "Mine to undo."})
    assert response.status_code == 400
    assert "Mine to undo." in response.content.decode()
    assert "You made the decision appealed" in response.content.decode()

    client.force_login(bea)
    assert "Record the decision" in client.get(url).content.decode()
    response = client.post(url, {"outcome": "overturned", "reasons": "Missed evidence."})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.OVERTURNED


def test_it_runs_a_fixed_number_of_queries(
    client, tess, uma, other_review, bea, declined, ali, django_assert_num_queries
):
    services.appeal_lodge_against_decline(decision=declined, appellant=tess, grounds=GROUNDS)
    client.force_login(bea)
    client.get(QUEUE)
    with django_assert_num_queries(QUEUE_QUERIES):
        assert client.get(QUEUE).status_code == 200
    appeal = Appeal.objects.get()
    detail = reverse("accreditation:appeal_detail", args=[appeal.pk])
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(detail).status_code == 200

    # A second appeal (a revocation) costs the queue nothing more.
    make_ready(uma, other_review)
    certificate = approve(submit(uma), ali)
    certificate_services.certificate_revoke(certificate=certificate, by=ali, reason="Gone.")
    services.appeal_lodge_against_revocation(certificate=certificate, appellant=uma, grounds="x")
    client.get(QUEUE)  # the menu is drawn again after the award published pages
    with django_assert_num_queries(QUEUE_QUERIES):
        assert client.get(QUEUE).status_code == 200
