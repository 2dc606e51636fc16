"""The outcome harness the access tables stand on: it sees what a request changed, in any of our
tables, and leaves the database as it found it."""

from django.urls import reverse

import pytest

from accreditation.models import ReviewStage
from tests.accreditation.factories import stage
from tests.outcomes import attempt, project_models, table_digest

pytestmark = pytest.mark.django_db


def test_it_covers_every_app_of_ours_and_their_many_to_many_tables():
    labels = {model._meta.label_lower for model in project_models()}

    assert {"accounts.user", "accreditation.reviewstage", "courses.cohort"} <= labels
    assert any(label.startswith("notifications.") for label in labels)
    assert any(label.startswith("content.") for label in labels)
    # Auto-created through tables (the user's groups) are rows too.
    assert "accounts.user_groups" in labels
    # The session store is the request's own bookkeeping; library tables are not ours.
    assert "accounts.usersession" not in labels
    assert not any(label.startswith(("wagtailcore.", "auth.", "sessions.")) for label in labels)


def test_it_reports_the_tables_an_allowed_post_changes_and_then_undoes_them(client, tess, review):
    first = stage(review, 1)
    client.force_login(tess)
    before = table_digest()

    result = attempt(
        lambda: client.post(reverse("accreditation:stage_start", args=[first.pk])),
        check=lambda: ReviewStage.objects.get(pk=first.pk).status,
    )

    assert result.response.status_code == 302
    assert "accreditation.reviewstage" in result.changed
    assert result.checked == ReviewStage.Status.IN_PROGRESS
    assert table_digest() == before
    first.refresh_from_db()
    assert first.status == ReviewStage.Status.NOT_STARTED


def test_it_reports_nothing_for_a_refused_post_that_redirects(client, uma, review):
    first = stage(review, 1)
    client.force_login(uma)

    result = attempt(lambda: client.post(reverse("accreditation:stage_start", args=[first.pk])))

    assert result.response.status_code == 404
    assert result.changed == []


def test_it_keeps_state_made_by_arrange_inside_the_savepoint(client, tess, sam, review):
    first = stage(review, 1)
    client.force_login(sam)

    def arrange():
        ReviewStage.objects.filter(pk=first.pk).update(status=ReviewStage.Status.SUBMITTED)

    result = attempt(
        lambda: client.post(reverse("accreditation:stage_approve", args=[first.pk])),
        arrange=arrange,
        check=lambda: ReviewStage.objects.get(pk=first.pk).status,
    )

    assert result.checked == ReviewStage.Status.APPROVED
    first.refresh_from_db()
    assert first.status == ReviewStage.Status.NOT_STARTED


def test_it_leaves_out_signing_in_and_nothing_else(client, tess):
    before = table_digest()

    client.force_login(tess)

    assert table_digest() == before
    tess.full_name = "Tessa Trainee"
    tess.save(update_fields=["full_name"])
    assert table_digest() != before
