"""The sweeper runs every app's own sweep, in INSTALLED_APPS order, and one app's failure
neither stops the others nor reaches beat."""

import logging

import pytest

from learning_platform import sweeps
from learning_platform.sweeps import registered_sweeps, stuck_work_requeue, sweep_stuck_work

APPS = ["content.sweeps", "courses.sweeps", "accreditation.sweeps", "notifications.sweeps"]


def test_it_finds_one_sweep_in_each_app_that_leaves_work_to_a_worker():
    assert [module for module, _sweep in registered_sweeps()] == APPS


@pytest.fixture
def stand_ins(monkeypatch):
    """Every app's sweep replaced by one that records it ran and enqueued one item."""
    registered_sweeps()  # discovered first, so the stand-ins replace the real ones
    ran = []

    def stand_in(kind):
        def sweep(*, now):
            ran.append(kind)
            return {kind: 1}

        return sweep

    for module, kind in zip(
        APPS, ["enquiries", "invitations", "certificates", "notifications"], strict=True
    ):
        monkeypatch.setitem(sweeps._sweeps, module, stand_in(kind))
    return ran


def test_it_logs_a_failing_sweep_and_runs_the_others(stand_ins, monkeypatch, caplog):
    def failing(*, now):
        raise RuntimeError("the invitations table is locked")

    monkeypatch.setitem(sweeps._sweeps, "courses.sweeps", failing)
    with caplog.at_level(logging.ERROR, logger="learning_platform.sweeps"):
        counts = sweep_stuck_work.delay().get()

    assert stand_ins == ["enquiries", "certificates", "notifications"]
    assert counts == {"enquiries": 1, "certificates": 1, "notifications": 1}
    [record] = caplog.records
    assert record.getMessage() == "The sweep in courses.sweeps failed; the other sweeps still run."
    assert "the invitations table is locked" in record.exc_text


def test_it_reads_each_count_by_name(stand_ins):
    counts = stuck_work_requeue()
    assert (counts.invitations, counts["certificates"]) == (1, 1)
    with pytest.raises(AttributeError):
        counts.bulk_items  # noqa: B018
