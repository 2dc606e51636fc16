"""Withdrawing an application: a draft or a submitted one, with a reason, confirmed on its own
page; the assessors' queue drops it and the trainee can start again."""

from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import AccreditationApplication
from accreditation.services import applications as services

from .award_builders import STATEMENT, add_plenty, all_met, approve, make_ready, submit

URL = reverse("accreditation:application")
WITHDRAW_URL = reverse("accreditation:application_withdraw")
WITHDRAW_QUERIES = 11
QUEUE_URL = reverse("accreditation:assessment_queue")
Status = AccreditationApplication.Status


def test_it_withdraws_a_submitted_application_and_the_queue_drops_it(client, tess, review, ali):
    make_ready(tess, review)
    application = submit(tess)
    client.force_login(ali)
    assert reverse("accreditation:assessment_portfolio", args=[application.pk]) in (
        client.get(QUEUE_URL).content.decode()
    )
    client.force_login(tess)
    assert "Withdraw your application</a>" in client.get(URL).content.decode()

    confirm = client.get(WITHDRAW_URL)
    response = client.post(WITHDRAW_URL, {"reason": "I am moving to a new role abroad."})

    assert confirm.status_code == 200
    assert "it leaves the assessors' queue" in confirm.content.decode()
    assert response.url == URL
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert application.withdrawal_reason == "I am moving to a new role abroad."
    assert application.withdrawn_at is not None
    entry = ModelLogEntry.objects.for_instance(application).get(
        action="accreditation.application.withdraw"
    )
    assert entry.user_id == tess.pk
    assert entry.data == {
        "from": "submitted",
        "to": "withdrawn",
        "reason": "I am moving to a new role abroad.",
    }
    page = client.get(URL).content.decode()
    assert "You withdrew your application on" in page
    assert "I am moving to a new role abroad." in page
    client.force_login(ali)
    queue = client.get(QUEUE_URL).content.decode()
    assert "No applications are waiting for a decision." in queue
    # An assessor who had it open can no longer decide on it.
    with pytest.raises(TransitionError, match="withdrawn"):
        services.application_approve(
            application=application, answers=all_met(application), assessor=ali, reasons="Fine."
        )


def test_it_needs_a_reason_and_changes_nothing_without_one(client, tess, review):
    make_ready(tess, review)
    application = submit(tess)
    client.force_login(tess)

    response = client.post(WITHDRAW_URL, {"reason": "  "})

    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "Say why you are withdrawing your application." in html
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_it_withdraws_a_draft_and_lets_the_trainee_start_again(client, tess, review, ali):
    make_ready(tess, review)
    draft = services.application_save_draft(trainee=tess, reflective_statement=STATEMENT)
    client.force_login(tess)

    client.post(WITHDRAW_URL, {"reason": "I want to wait for the next cohort."})

    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN
    page = client.get(URL).content.decode()
    # The statement is offered again, and saving it starts a new draft; the withdrawn one stays.
    assert STATEMENT in page
    assert 'name="reflective_statement"' in page
    client.post(URL, {"reflective_statement": STATEMENT, "action": "continue"})
    client.post(reverse("accreditation:application_check"))
    statuses = list(
        AccreditationApplication.objects.filter(trainee=tess)
        .order_by("pk")
        .values_list("status", flat=True)
    )
    assert statuses == [Status.WITHDRAWN, Status.SUBMITTED]
    # A draft withdrawn before it was ever submitted is never shown to an assessor.
    client.force_login(ali)
    portfolio = reverse("accreditation:assessment_portfolio", args=[draft.pk])
    assert client.get(portfolio).status_code == 404


def test_it_refuses_to_withdraw_a_decided_application(tess, review, ali):
    make_ready(tess, review)
    application = submit(tess)
    approve(application, ali)

    with pytest.raises(TransitionError, match="Only a draft, submitted or referred application"):
        services.application_withdraw(application=application, trainee=tess, reason="Changed.")

    application.refresh_from_db()
    assert application.status == Status.APPROVED


def test_it_lets_only_the_trainee_withdraw(tess, pat, review):
    make_ready(tess, review)
    application = submit(tess)

    with pytest.raises(TransitionError, match="Only the trainee"):
        services.application_withdraw(application=application, trainee=pat, reason="Not mine.")

    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_it_has_nothing_to_withdraw_without_an_application(client, tess, review):
    client.force_login(tess)

    response = client.get(WITHDRAW_URL, follow=True)

    assert response.redirect_chain[-1][0] == URL
    assert "You have no application to withdraw." in response.content.decode()


def test_its_confirm_page_runs_a_fixed_number_of_queries(
    client, tess, review, django_assert_num_queries
):
    make_ready(tess, review)
    submit(tess)
    client.force_login(tess)
    client.get(WITHDRAW_URL)  # the first request after a cache clear also looks up the Wagtail site

    with django_assert_num_queries(WITHDRAW_QUERIES):
        response = client.get(WITHDRAW_URL)
    assert response.status_code == 200

    add_plenty(tess, review)
    with django_assert_num_queries(WITHDRAW_QUERIES):
        response = client.get(WITHDRAW_URL)
    assert response.status_code == 200
