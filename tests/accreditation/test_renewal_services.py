"""Renewal through its services: the window's edges, what a renewal needs, the assessor's
decision against the renewal criteria, and the new certificate superseding the old."""

import datetime

from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import (
    Certificate,
    CertificateEvent,
    CriterionJudgement,
    RenewalApplication,
    RenewalReview,
)
from accreditation.selectors.certificates import (
    PublicStatus,
    certificate_public_status,
    verify_by_code,
)
from accreditation.selectors.register import register_entries
from accreditation.services import certificates as certificate_services
from accreditation.services import renewal as services
from accreditation.services.renewal import ReviewClaim
from courses.models import Enrolment

from .award_builders import make_assessor
from .renewal_builders import (
    accredited,
    apply,
    log_cpd,
    log_plenty_cpd,
    outside_review,
    place,
    published_review,
    ready_to_renew,
    renewal_answers,
)

Status = RenewalApplication.Status


def _days(n):
    return datetime.timedelta(days=n)


# The window -----------------------------------------------------------------------------------


@pytest.fixture
def certificate(tess, review, ali):
    return ready_to_renew(tess, review, ali)


def test_it_refuses_a_day_before_the_window_opens(tess, review, ali):
    # The scheme's window opens 90 days before expiry: today is the day before.
    certificate = ready_to_renew(tess, review, ali, days_to_expiry=91)
    opens = timezone.localdate() + _days(1)
    with pytest.raises(TransitionError, match=f"Renewal opens on {opens:%-d %B %Y}"):
        apply(certificate, tess)
    assert not RenewalApplication.objects.exists()


def test_it_accepts_on_the_first_day_of_the_window(tess, review, ali):
    certificate = ready_to_renew(tess, review, ali, days_to_expiry=90)
    assert apply(certificate, tess).status == Status.SUBMITTED


def test_it_accepts_on_the_last_day_of_the_grace_period(tess, review, ali):
    # The grace period is 30 days after expiry: today is its last day.
    certificate = ready_to_renew(tess, review, ali, days_to_expiry=-30)
    assert apply(certificate, tess).status == Status.SUBMITTED


def test_it_refuses_the_day_after_the_grace_period(tess, review, ali):
    certificate = ready_to_renew(tess, review, ali, days_to_expiry=-31)
    last = timezone.localdate() - _days(1)
    with pytest.raises(TransitionError, match=f"ended on {last:%-d %B %Y}: apply to re-accredit"):
        apply(certificate, tess)
    assert not RenewalApplication.objects.exists()


# What a renewal needs ------------------------------------------------------------------------


def test_it_says_how_many_cpd_hours_are_short(tess, review, ali):
    certificate = place(accredited(tess, review, ali), days_to_expiry=30)
    log_cpd(tess, hours=12)
    with pytest.raises(TransitionError, match="12 hours logged of the 30 needed: 18 hours short"):
        apply(certificate, tess)
    assert not RenewalApplication.objects.exists()


def test_it_does_not_count_cpd_from_before_the_certificate(tess, review, ali):
    certificate = place(accredited(tess, review, ali), days_to_expiry=30)
    log_cpd(tess, hours=20, on=certificate.issued_at - _days(1))
    log_cpd(tess, hours=20, on=certificate.issued_at)
    with pytest.raises(TransitionError, match="20 hours logged of the 30 needed"):
        apply(certificate, tess)


def test_it_says_how_many_reviews_are_short(certificate, tess):
    with pytest.raises(TransitionError, match="0 of the 1 review needed: 1 more to name"):
        apply(certificate, tess, reviews=[])


def test_it_counts_a_platform_review_the_holder_co_led(certificate, tess, pat, sam):
    led = published_review(pat, sam, partner=tess)
    renewal = apply(certificate, tess, reviews=[ReviewClaim(review=led)])
    saved = RenewalReview.objects.get(renewal=renewal)
    assert (saved.review_id, saved.role) == (led.pk, RenewalReview.Role.CO_LED)


def test_it_refuses_a_platform_review_the_holder_did_not_lead(certificate, tess, uma, sam):
    theirs = published_review(uma, sam)
    with pytest.raises(TransitionError, match="Name only platform reviews you led or co-led"):
        apply(certificate, tess, reviews=[ReviewClaim(review=theirs)])


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"published_report_url": ""}, "Give a link to the published report"),
        ({"published_report_url": "javascript:alert(1)"}, "is not a web address"),
        ({"published_report_url": "not a link"}, "is not a web address"),
        ({"title": ""}, "Give the title"),
        ({"completed_on": None}, "Give the date"),
        ({"role": "watched"}, "Say whether you led or co-led"),
    ],
)
def test_it_needs_every_detail_of_an_outside_review(certificate, tess, overrides, message):
    with pytest.raises(TransitionError, match=message):
        apply(certificate, tess, reviews=[outside_review(**overrides)])
    assert not RenewalApplication.objects.exists()


def test_it_needs_the_declaration_and_a_statement(certificate, tess):
    with pytest.raises(TransitionError, match="Tick the declaration"):
        apply(certificate, tess, declaration=False)
    with pytest.raises(TransitionError, match="Write your practice statement"):
        apply(certificate, tess, statement="   ")


def test_it_lets_only_the_holder_apply_once(certificate, tess, pat):
    with pytest.raises(TransitionError, match="Only the holder"):
        apply(certificate, pat)
    apply(certificate, tess)
    with pytest.raises(TransitionError, match="already applied"):
        apply(certificate, tess)
    assert RenewalApplication.objects.count() == 1


def test_it_refuses_a_suspended_certificate(certificate, tess):
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.SUSPENDED)
    certificate.refresh_from_db()
    with pytest.raises(TransitionError, match="suspended certificate cannot be renewed"):
        apply(certificate, tess)


def test_it_snapshots_the_cpd_and_the_reviews(certificate, tess):
    renewal = apply(certificate, tess)
    log_cpd(tess, hours=5)
    renewal.refresh_from_db()
    assert (renewal.cpd_hours, renewal.cpd_entries) == (30, 3)
    assert renewal.application_id == certificate.application_id
    review = renewal.reviews.get()
    assert review.published_report_url == "https://example.org/reports/family-n"
    assert ModelLogEntry.objects.filter(action="accreditation.renewal.submit").count() == 1


# Decisions -----------------------------------------------------------------------------------


def test_it_approves_with_every_criterion_met_and_supersedes_the_old_certificate(
    certificate, tess, ali
):
    certificate.listed_on_register = True
    certificate.save(update_fields=["listed_on_register"])
    renewal = apply(certificate, tess)
    new = services.renewal_approve(
        renewal=renewal,
        assessor=ali,
        reasons="Sound practice.",
        answers=renewal_answers(certificate.scheme),
    )
    certificate.refresh_from_db()
    today = timezone.localdate()

    assert new.number != certificate.number
    assert new.verification_code != certificate.verification_code
    assert new.supersedes_id == certificate.pk and new.renewal_id == renewal.pk
    assert new.application_id is None and new.origin_application == certificate.application
    assert new.awarded_at == certificate.awarded_at != new.issued_at == today
    # Renewed before expiry: the new validity runs on from the old end date.
    validity = certificate.scheme.validity_years
    assert new.valid_until == certificate.valid_until.replace(
        year=certificate.valid_until.year + validity
    )
    assert new.listed_on_register
    assert certificate.status == Certificate.Status.ISSUED
    assert certificate_public_status(certificate=certificate) == PublicStatus.SUPERSEDED
    assert certificate_public_status(certificate=new) == PublicStatus.VALID
    renewal.refresh_from_db()
    assert renewal.status == Status.APPROVED
    judgements = CriterionJudgement.objects.filter(renewal_decision__renewal=renewal)
    assert judgements.count() == 3 and all(j.met for j in judgements)
    assert CertificateEvent.objects.filter(certificate=new, to_status="issued").exists()
    # Only the current certificate is on the register.
    assert list(register_entries()) == [new]


def test_it_runs_the_validity_from_today_when_renewed_in_the_grace_period(tess, review, ali):
    certificate = ready_to_renew(tess, review, ali, days_to_expiry=-5)
    renewal = apply(certificate, tess)
    new = services.renewal_approve(
        renewal=renewal, assessor=ali, reasons="Fine.", answers=renewal_answers(certificate.scheme)
    )
    today = timezone.localdate()
    assert new.valid_until == today.replace(year=today.year + certificate.scheme.validity_years)


def test_it_keeps_a_superseded_certificates_status(tess, review, ali):
    certificate = ready_to_renew(tess, review, ali, days_to_expiry=-5)
    new = services.renewal_approve(
        renewal=apply(certificate, tess),
        assessor=ali,
        reasons="Fine.",
        answers=renewal_answers(certificate.scheme),
    )
    with pytest.raises(TransitionError, match="superseded when its holder renewed"):
        certificate_services.certificate_revoke(
            certificate=certificate, by=ali, reason="Misconduct."
        )
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ISSUED
    # The current certificate's status is the one that changes.
    certificate_services.certificate_revoke(certificate=new, by=ali, reason="Misconduct.")
    new.refresh_from_db()
    assert new.status == Certificate.Status.REVOKED


def test_both_verification_pages_tell_the_story(certificate, tess, ali):
    renewal = apply(certificate, tess)
    new = services.renewal_approve(
        renewal=renewal, assessor=ali, reasons="Fine.", answers=renewal_answers(certificate.scheme)
    )
    old_result = verify_by_code(code=certificate.verification_code)
    new_result = verify_by_code(code=new.verification_code)
    assert old_result.status == PublicStatus.SUPERSEDED
    assert old_result.superseded_by_code == new.verification_code
    assert old_result.superseded_on == new.issued_at
    assert new_result.status == PublicStatus.VALID
    assert new_result.accredited_since == certificate.awarded_at


def test_it_refuses_approval_with_a_criterion_not_met(certificate, tess, ali):
    renewal = apply(certificate, tess)
    answers = renewal_answers(certificate.scheme)
    first = next(iter(answers))
    answers[first] = (False, "Say more about supervision.")
    with pytest.raises(TransitionError, match="Approval needs every criterion met"):
        services.renewal_approve(renewal=renewal, assessor=ali, reasons="x", answers=answers)
    renewal.refresh_from_db()
    assert renewal.status == Status.SUBMITTED
    assert not Certificate.objects.filter(supersedes=certificate).exists()


def test_it_refers_back_and_the_holder_resubmits(certificate, tess, ali):
    renewal = apply(certificate, tess)
    answers = renewal_answers(certificate.scheme)
    first = next(iter(answers))
    answers[first] = (False, "Add the second review's report.")
    decision = services.renewal_refer(
        renewal=renewal, assessor=ali, reasons="Nearly there.", answers=answers
    )
    assert "Add the second review's report." in decision.required_actions
    renewal.refresh_from_db()
    assert renewal.status == Status.REFERRED
    # Referred: no new renewal, but a resubmission of this one.
    with pytest.raises(TransitionError, match="already applied"):
        apply(certificate, tess)
    services.renewal_resubmit(
        renewal=renewal,
        holder=tess,
        practice_statement="Updated statement.",
        declaration=True,
        reviews=[outside_review(), outside_review(title="Child S")],
    )
    renewal.refresh_from_db()
    assert renewal.status == Status.SUBMITTED
    assert renewal.practice_statement == "Updated statement."
    assert renewal.reviews.count() == 2


def test_it_declines(certificate, tess, ali):
    renewal = apply(certificate, tess)
    services.renewal_decline(
        renewal=renewal,
        assessor=ali,
        reasons="No evidence of practice.",
        answers=renewal_answers(certificate.scheme, met=False),
    )
    renewal.refresh_from_db()
    assert renewal.status == Status.DECLINED
    assert certificate_public_status(certificate=certificate) == PublicStatus.VALID
    # A decline stands: the holder cannot simply apply again for the same certificate.
    with pytest.raises(TransitionError, match="was declined"):
        apply(certificate, tess)
    assert RenewalApplication.objects.filter(certificate=certificate).count() == 1


def test_it_refuses_to_approve_a_renewal_of_a_certificate_revoked_meanwhile(
    certificate, tess, ali, sam
):
    renewal = apply(certificate, tess)
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.REVOKED)
    with pytest.raises(TransitionError, match="revoked, so the renewal cannot be approved"):
        services.renewal_approve(
            renewal=renewal,
            assessor=ali,
            reasons="Fine.",
            answers=renewal_answers(certificate.scheme, met=True),
        )
    renewal.refresh_from_db()
    assert renewal.status == Status.SUBMITTED
    assert not Certificate.objects.filter(supersedes=certificate).exists()


def test_it_withdraws_and_the_holder_may_apply_again(certificate, tess):
    renewal = apply(certificate, tess)
    services.renewal_withdraw(renewal=renewal, holder=tess)
    renewal.refresh_from_db()
    assert renewal.status == Status.WITHDRAWN
    assert apply(certificate, tess).pk != renewal.pk


def test_it_keeps_the_assessor_rules(certificate, tess, ali, sam):
    renewal = apply(certificate, tess)
    answers = renewal_answers(certificate.scheme)
    with pytest.raises(TransitionError, match="Only an assessor"):
        services.renewal_approve(renewal=renewal, assessor=sam, reasons="x", answers=answers)
    supervisor_assessor = make_assessor("Sue Both", "sue@example.org", also_supervisor=True)
    Enrolment.objects.filter(user=tess).update(supervisor=supervisor_assessor)
    with pytest.raises(TransitionError, match="You supervise this holder"):
        services.renewal_approve(
            renewal=renewal, assessor=supervisor_assessor, reasons="x", answers=answers
        )
    with pytest.raises(TransitionError, match="Give the reasons"):
        services.renewal_approve(renewal=renewal, assessor=ali, reasons=" ", answers=answers)
    renewal.refresh_from_db()
    assert renewal.status == Status.SUBMITTED and not renewal.decisions.exists()


def test_it_refuses_an_assessor_deciding_their_own_renewal(tess, review, ali, sam):
    # Ali is the holder this time: accredited by another assessor.
    other = make_assessor("Olu Other", "olu@example.org")
    certificate = place(accredited(tess, review, other), days_to_expiry=10)
    log_plenty_cpd(tess)
    renewal = apply(certificate, tess)
    tess.groups.add(*other.groups.all())
    with pytest.raises(TransitionError, match="your own renewal"):
        services.renewal_approve(
            renewal=renewal, assessor=tess, reasons="x", answers=renewal_answers(certificate.scheme)
        )


def test_an_expired_certificate_leaves_the_register_after_the_grace_period(tess, review, ali):
    certificate = ready_to_renew(tess, review, ali, days_to_expiry=-31)
    Certificate.objects.filter(pk=certificate.pk).update(listed_on_register=True)
    assert certificate_public_status(certificate=certificate) == PublicStatus.EXPIRED
    assert not register_entries().exists()
    with pytest.raises(TransitionError, match="apply to re-accredit"):
        apply(certificate, tess)


# Export and erasure --------------------------------------------------------------------------


def test_it_exports_renewals_and_redacts_the_statement_on_erasure(certificate, tess, ali):
    from accreditation import privacy

    renewal = apply(certificate, tess, statement="Tess Trainee led Family N.")
    answers = renewal_answers(certificate.scheme)
    answers[next(iter(answers))] = (False, "Tess Trainee should add the report.")
    services.renewal_refer(
        renewal=renewal, assessor=ali, reasons="Tess Trainee: nearly.", answers=answers
    )

    exported = privacy.user_data(tess)["renewals"]
    assert exported[0]["practice_statement"] == "Tess Trainee led Family N."
    assert exported[0]["reviews"][0]["title"] == "Family N: a multi-agency review"
    assert exported[0]["decisions"][0]["judgements"][0]["met"] is False
    assert privacy.user_data(ali)["renewal_decisions_made"][0]["renewal_id"] == renewal.pk

    privacy.erase_user(tess)
    renewal.refresh_from_db()
    assert renewal.practice_statement == ""
    decision = renewal.decisions.get()
    assert "Tess" not in decision.reasons
    assert all("Tess" not in j.comment for j in decision.judgements.all())
