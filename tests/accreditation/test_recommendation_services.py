"""The supervisor's recommendation: who may make it, for whom, when, and what readiness reads
from it (the latest counts)."""

from django.core import mail

import pytest

from accreditation.events import AccreditationEvent
from accreditation.exceptions import TransitionError
from accreditation.models import ReviewStage, SupervisorRecommendation
from accreditation.selectors.readiness import Requirement, accreditation_readiness
from accreditation.services.recommendations import recommendation_record
from notifications.models import Notification

from .award_builders import approve, approve_all_stages, make_ready, recommend, submit
from .factories import stage

pytestmark = pytest.mark.django_db


def _record(review, trainee, supervisor, *, ready=True, statement="Ready: careful analysis."):
    return recommendation_record(
        review=review, trainee=trainee, supervisor=supervisor, ready=ready, statement=statement
    )


def _item(user):
    readiness = accreditation_readiness(user=user)
    return next(i for i in readiness.items if i.key == Requirement.RECOMMENDATION)


def test_it_records_a_recommendation_for_each_trainee_of_the_pair(
    review, tess, pat, sam, django_capture_on_commit_callbacks
):
    approve_all_stages(review)

    with django_capture_on_commit_callbacks(execute=True):
        for_tess = _record(review, tess, sam)
        for_pat = _record(review, pat, sam, ready=False, statement="Not yet: the report.")

    assert (for_tess.trainee, for_tess.ready) == (tess, True)
    assert (for_pat.trainee, for_pat.ready) == (pat, False)
    notified = Notification.objects.filter(event=AccreditationEvent.RECOMMENDATION_RECORDED)
    assert sorted(notified.values_list("recipient__email", flat=True)) == [
        "pat@example.org",
        "tess@example.org",
    ]
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == [
        "[Learning Together] Your supervisor recommends you are not yet ready for accreditation",
        "[Learning Together] Your supervisor recommends you for accreditation",
    ]


def test_it_lets_only_the_reviews_supervisor_recommend(review, tess, pat, sam, sid, ali, ada):
    approve_all_stages(review)
    for person in (sid, ali, ada, tess, pat):
        with pytest.raises(TransitionError, match="Only the review's supervisor"):
            _record(review, tess, person)
    assert not SupervisorRecommendation.objects.exists()


def test_it_recommends_only_a_trainee_of_the_review(review, other_review, uma, pat, sam):
    approve_all_stages(review)
    with pytest.raises(TransitionError, match="a trainee of this review"):
        _record(review, uma, sam)
    # An accredited co-reviewer is not being assessed, so is not recommended either.
    review.partner_is_accredited = True
    review.save(update_fields=["partner_is_accredited"])
    with pytest.raises(TransitionError, match="a trainee of this review"):
        _record(review, pat, sam)
    assert not SupervisorRecommendation.objects.exists()


def test_it_needs_a_statement(review, tess, sam):
    approve_all_stages(review)
    with pytest.raises(TransitionError, match="Write a statement"):
        _record(review, tess, sam, statement="   ")
    assert not SupervisorRecommendation.objects.exists()


def test_it_waits_for_the_last_stage_to_be_submitted(review, tess, sam):
    with pytest.raises(TransitionError) as error:
        _record(review, tess, sam)
    assert str(error.value) == (
        "You can make a recommendation once the last stage of the review has been submitted or "
        "approved (it is not started)."
    )

    last = review.stages.order_by("-sort_order").first()
    ReviewStage.objects.filter(pk=last.pk).update(status=ReviewStage.Status.SUBMITTED)
    assert _record(review, tess, sam).ready
    assert stage(review, 1).status == ReviewStage.Status.NOT_STARTED


def test_it_keeps_every_recommendation_and_the_latest_counts(review, tess, sam):
    approve_all_stages(review)
    first = _record(review, tess, sam, ready=False, statement="Not yet.")
    _record(review, tess, sam, ready=True, statement="Now ready.")

    assert SupervisorRecommendation.objects.filter(trainee=tess).count() == 2
    assert _item(tess).met
    first.statement = "Rewritten"
    with pytest.raises(ValueError, match="append-only"):
        first.save()


def test_it_makes_readiness_wait_for_the_recommendation(review, tess, sam):
    make_ready(tess, review)
    SupervisorRecommendation.objects.all().delete()

    item = _item(tess)
    assert not item.met
    assert item.detail.startswith("Your supervisor has not made a recommendation yet.")
    # The trainee can write the statement while the recommendation is still to come.
    assert accreditation_readiness(user=tess).ready_for_statement

    recommend(tess, review, ready=False, statement="Finish the report's findings.")
    item = _item(tess)
    assert not item.met
    assert item.detail == (
        "Your supervisor recommends you are not yet ready: “Finish the report's findings.”"
    )

    recommend(tess, review, ready=True)
    assert _item(tess).met


def test_it_counts_only_this_trainees_recommendation(review, tess, pat, sam):
    make_ready(tess, review)
    SupervisorRecommendation.objects.all().delete()
    recommend(pat, review, ready=True)

    assert not _item(tess).met


def test_it_refuses_approval_when_the_latest_recommendation_is_not_yet(review, tess, sam, ali):
    make_ready(tess, review)
    application = submit(tess)
    # The supervisor changes their mind after the trainee applied.
    _record(review, tess, sam, ready=False, statement="Not yet: the findings need evidence.")
    with pytest.raises(TransitionError, match="latest recommendation does not say"):
        approve(application, ali)
    application.refresh_from_db()
    assert application.status == "submitted"
    assert not application.decisions.exists()
