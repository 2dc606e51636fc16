"""Two assessors deciding at once: the row lock and the state re-check inside it leave exactly
one decision. Runs on PostgreSQL (SQLite has no row locks)."""

import threading

from django.db import connection

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import AccreditationApplication, Certificate, Decision
from accreditation.services import applications as services

from .award_builders import make_assessor, make_ready, submit
from .factories import SupervisedReviewFactory, make_trainee

pytestmark = pytest.mark.postgres


def _race(*calls):
    """Run the calls in threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test inspects what was raised
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_it_records_exactly_one_decision_when_two_assessors_decide_at_once(
    postgres_db, transactional_db, django_db_serialized_rollback, tess, review, ali
):
    make_ready(tess, review)
    application = submit(tess)
    other = make_assessor("Abe Assessor", "abe@example.org")

    results = _race(
        lambda: services.application_approve(
            application=application, assessor=ali, reasons="Approve."
        ),
        lambda: services.application_decline(
            application=application, assessor=other, reasons="Decline."
        ),
    )

    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], TransitionError)
    assert "Only a submitted application can be decided" in str(errors[0])
    assert Decision.objects.filter(application=application).count() == 1
    application.refresh_from_db()
    decision = Decision.objects.get(application=application)
    assert application.status == decision.outcome
    expected_certificates = 1 if decision.outcome == Decision.Outcome.APPROVED else 0
    assert Certificate.objects.count() == expected_certificates


def test_it_numbers_concurrent_approvals_without_gaps_or_repeats(
    postgres_db, transactional_db, django_db_serialized_rollback, ali, sam
):
    applications = []
    for number in range(4):
        trainee = make_trainee(f"Racer {number}", f"racer{number}@example.org")
        make_ready(trainee, SupervisedReviewFactory(trainee=trainee, supervisor=sam))
        applications.append(submit(trainee))

    results = _race(
        *[
            (lambda a=a: services.application_approve(application=a, assessor=ali, reasons="Ok"))
            for a in applications
        ]
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    year = numbers[0][3:7]
    assert numbers == [f"LT-{year}-{n:05d}" for n in range(1, 5)]
    assert AccreditationApplication.objects.filter(status="approved").count() == 4
