"""A person's notifications in their data export, and erasing them, leaving nothing of theirs in
anyone else's notifications."""

import json

from django.urls import reverse

import pytest

from accreditation.events import AccreditationEvent
from accreditation.services.stages import stage_approve
from notifications import privacy
from notifications.models import Notification, NotificationPreference
from notifications.services import notification_preferences_set

from .conftest import submit_stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(review, tess, pat, sam):
    stage_approve(stage=submit_stage(review, tess, 1), user=sam)
    notification_preferences_set(user=tess, email={AccreditationEvent.STAGE_APPROVED: False})
    notification_preferences_set(user=sam, email={AccreditationEvent.STAGE_SUBMITTED: False})


def test_it_exports_the_users_own_notifications_and_preferences(history, tess):
    data = privacy.user_data(tess)

    assert json.loads(json.dumps(data)) == data
    assert [n["event"] for n in data["notifications"]] == [AccreditationEvent.STAGE_APPROVED]
    assert data["notifications"][0]["link"].startswith("/accreditation/stages/")
    assert data["email_preferences"] == {AccreditationEvent.STAGE_APPROVED: False}
    assert privacy.user_files(tess) == []


def test_it_erases_the_users_notifications_and_their_name_from_others(client, history, tess, sam):
    privacy.erase_user(tess)

    assert not Notification.objects.filter(recipient=tess).exists()
    assert not NotificationPreference.objects.filter(user=tess).exists()
    # Sam keeps his notification that a stage was submitted, but no longer who submitted it.
    kept = Notification.objects.get(recipient=sam, event=AccreditationEvent.STAGE_SUBMITTED)
    assert kept.actor is None
    for row in Notification.objects.values():
        assert "tess" not in json.dumps(row, default=str).lower()
    client.force_login(sam)
    content = client.get(reverse("notifications:list")).content.decode()
    assert "A trainee submitted “Preparation” for your sign-off" in content
    assert "Tess" not in content.split('id="main-content"')[1]
    # The other people's own choices are untouched.
    assert NotificationPreference.objects.filter(user=sam).count() == 1
