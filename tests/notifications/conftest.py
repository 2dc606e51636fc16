import pytest

from accreditation.services.evidence import evidence_add_note
from accreditation.services.stages import stage_submit
from tests.accreditation.factories import stage


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what the code under test deferred to after commit (the email tasks), as a real
    commit would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def submit_stage(review, user, number: int = 1):
    s = stage(review, number)
    evidence_add_note(stage=s, user=user, title="Scope", note="Agreed scope.")
    stage_submit(stage=stage(review, number), user=user, comment="Please look.")
    return stage(review, number)
