"""Renewal and the public register in a person's data: the messages they sent to holders
through the register, and the criterion judgements they wrote on renewal decisions."""

import pytest

from accreditation.models import ContactMessage, CriterionJudgement
from accreditation.privacy import erase_user, user_data
from accreditation.services import renewal as renewal_services
from learning_platform.accounts.personal_data.erasure import user_erase

from .renewal_builders import apply, ready_to_renew, renewal_answers

pytestmark = pytest.mark.django_db


def _message(holder, *, sender_email: str, message: str) -> ContactMessage:
    return ContactMessage.objects.create(
        holder=holder,
        sender_name="Someone",
        sender_organisation="Northshire",
        sender_email=sender_email,
        message=message,
    )


def test_it_exports_and_deletes_the_register_messages_the_person_sent(tess, pat, uma, ada):
    _message(pat, sender_email="TESS@Example.org", message="Could we talk about Child K?")
    stranger = _message(pat, sender_email="bea@example.org", message="From Bea.")
    to_tess = _message(tess, sender_email="uma@example.org", message="Hello Tess.")

    [sent] = user_data(tess)["messages_sent_through_the_register"]
    assert (sent["to"], sent["email"], sent["message"]) == (
        "Pat Partner",
        "TESS@Example.org",
        "Could we talk about Child K?",
    )
    assert user_data(pat)["messages_sent_through_the_register"] == []

    # The whole erasure: the accreditation app's part runs while Tess's address is still hers.
    user_erase(user=tess, by=ada)

    assert set(ContactMessage.objects.values_list("pk", flat=True)) == {stranger.pk}
    assert not ContactMessage.objects.filter(pk=to_tess.pk).exists()


def test_it_matches_only_addresses_the_person_verified(tess, pat):
    tess.emailaddress_set.update(verified=False)
    _message(pat, sender_email="tess@example.org", message="Typed by anyone.")

    assert user_data(tess)["messages_sent_through_the_register"] == []
    erase_user(tess)
    assert ContactMessage.objects.count() == 1


@pytest.fixture
def referred(tess, review, ali):
    renewal = apply(ready_to_renew(tess, review, ali), tess)
    answers = renewal_answers(renewal.scheme, met=False, comment="Ali Assessor asks for more.")
    renewal_services.renewal_refer(
        renewal=renewal, assessor=ali, reasons="Ali Assessor refers it.", answers=answers
    )
    return renewal


def test_it_exports_the_judgements_an_assessor_made_on_renewals(referred, ali):
    [made] = user_data(ali)["renewal_decisions_made"]
    assert made["criteria"]
    assert {item["comment"] for item in made["criteria"]} == {"Ali Assessor asks for more."}


def test_it_redacts_the_judgements_an_erased_assessor_made_on_renewals(referred, ali):
    erase_user(ali)

    comments = set(
        CriterionJudgement.objects.filter(renewal_decision__renewal=referred).values_list(
            "comment", flat=True
        )
    )
    assert comments == {f"Erased user #{ali.pk} asks for more."}
