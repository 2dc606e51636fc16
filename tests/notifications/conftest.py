from datetime import timedelta

from django.utils import timezone

import pytest

from accreditation.events import AccreditationEvent
from accreditation.services.evidence import evidence_add_note
from accreditation.services.stages import stage_approve, stage_request_changes, stage_submit
from notifications.models import Notification
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


@pytest.fixture
def tess_notified(review, tess, sam):
    """Tess has two notifications: the older one (approval) read, the newer (changes) unread."""
    stage_approve(stage=submit_stage(review, tess, 1), user=sam)
    stage_request_changes(stage=submit_stage(review, tess, 2), user=sam, comment="More.")
    approved = Notification.objects.get(recipient=tess, event=AccreditationEvent.STAGE_APPROVED)
    changes = Notification.objects.get(
        recipient=tess, event=AccreditationEvent.STAGE_CHANGES_REQUESTED
    )
    Notification.objects.filter(pk=approved.pk).update(
        created_at=timezone.now() - timedelta(days=2), read_at=timezone.now()
    )
    return approved, changes
