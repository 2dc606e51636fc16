"""The key practice episode register (with contributory factors): saving, validating, and
locking with its stage. The findings register has its own module."""

from django.urls import reverse

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import ContributoryFactor, KeyPracticeEpisode, ReviewStage
from accreditation.services.evidence import evidence_add_note
from accreditation.services.registers import episode_create, episode_delete
from accreditation.services.stages import stage_approve, stage_submit

from .factories import approve_stages, categories, stage

pytestmark = pytest.mark.django_db


def _episode(review, user, title="Strategy meeting"):
    return episode_create(
        stage=stage(review, 3),
        user=user,
        title=title,
        what_happened="A strategy discussion was held without health.",
        assessment=KeyPracticeEpisode.Assessment.PROBLEMATIC,
    )


def test_it_saves_an_episode_with_factors_by_category(client, review, tess):
    family, _, conditions = categories()[:3]
    client.force_login(tess)
    response = client.post(
        reverse("accreditation:episode_add", args=[stage(review, 3).pk]),
        {
            "title": "Strategy meeting",
            "what_happened": "Held without health.",
            "when": "March 2025",
            "agencies": "Police, children's social care",
            "assessment": "mixed",
            f"factor_{family.pk}": "Family declined contact.",
            f"factor_{conditions.pk}": "Meeting called at an hour's notice.",
        },
    )
    assert response.status_code == 302
    episode = KeyPracticeEpisode.objects.get()
    assert (episode.review, episode.assessment, episode.when) == (review, "mixed", "March 2025")
    assert sorted(
        ContributoryFactor.objects.values_list("category__name", "description")
    ) == sorted(
        [
            ("Family", "Family declined contact."),
            ("Conditions of work", "Meeting called at an hour's notice."),
        ]
    )
    assert stage(review, 3).status == ReviewStage.Status.IN_PROGRESS
    page = client.get(reverse("accreditation:stage_detail", args=[stage(review, 3).pk]))
    assert "Meeting called at an hour&#x27;s notice." in page.content.decode()


def test_it_shows_the_case_reference_warning_on_the_form(client, review, tess):
    client.force_login(tess)
    response = client.get(reverse("accreditation:episode_add", args=[stage(review, 3).pk]))
    content = response.content.decode()
    assert "pseudonymous reference. Never enter a child" in content
    assert "Contributory factors" in content
    # What happened, the explanation, local rationality, sources, the note: then one per category.
    assert content.count("<textarea") == 5 + len(categories())


def test_it_validates_an_episode(client, review, tess):
    client.force_login(tess)
    response = client.post(
        reverse("accreditation:episode_add", args=[stage(review, 3).pk]),
        {"title": "No description", "assessment": "brilliant"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert '">Describe what happened.</a>' in content
    assert 'value="No description"' in content
    assert KeyPracticeEpisode.objects.count() == 0


def test_it_edits_an_episode_and_replaces_its_factors(client, review, tess):
    episode = _episode(review, tess)
    personal = categories()[3]
    client.force_login(tess)
    response = client.post(
        reverse("accreditation:episode_edit", args=[episode.pk]),
        {
            "title": "Strategy meeting (revised)",
            "what_happened": "Held without health or education.",
            "assessment": "problematic",
            f"factor_{personal.pk}": "New in post.",
        },
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.title == "Strategy meeting (revised)"
    assert list(episode.contributory_factors.values_list("description", flat=True)) == [
        "New in post."
    ]


def test_it_locks_the_register_with_its_stage(review, tess, sam):
    approve_stages(review, tess, sam, [1, 2])
    episode = _episode(review, tess)
    evidence_add_note(stage=stage(review, 3), user=tess, title="Narrative", note="...")
    stage_submit(stage=stage(review, 3), user=tess)
    with pytest.raises(TransitionError, match="waiting for sign-off"):
        _episode(review, tess, "Late")
    stage_approve(stage=stage(review, 3), user=sam)
    with pytest.raises(TransitionError, match="approved"):
        episode_delete(episode=episode, user=tess)
    assert list(KeyPracticeEpisode.objects.values_list("title", flat=True)) == ["Strategy meeting"]


def test_it_refuses_a_register_on_the_wrong_stage(client, review, tess):
    client.force_login(tess)
    assert (
        client.get(reverse("accreditation:episode_add", args=[stage(review, 1).pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("accreditation:finding_add", args=[stage(review, 3).pk])).status_code
        == 404
    )


def test_it_says_a_double_clicked_remove_had_already_removed_the_entry(client, review, tess):
    episode = _episode(review, tess, title="Handover")
    url = reverse("accreditation:episode_delete", args=[episode.pk])
    client.force_login(tess)

    client.post(url, {"stage": stage(review, 3).pk})
    second = client.post(url, {"stage": stage(review, 3).pk}, follow=True)

    assert second.status_code == 200
    assert "That key practice episode had already been removed." in second.content.decode()
    assert not KeyPracticeEpisode.objects.filter(pk=episode.pk).exists()


def test_it_keeps_what_the_trainee_typed_when_the_stage_was_submitted_meanwhile(
    client, review, tess, pat
):
    family = categories()[0]
    s = stage(review, 3)
    client.force_login(tess)
    form_page = client.get(reverse("accreditation:episode_add", args=[s.pk]))
    assert form_page.status_code == 200
    # While Tess writes, Pat submits the stage for sign-off.
    _episode(review, pat)
    stage_submit(stage=stage(review, 3), user=pat)

    response = client.post(
        reverse("accreditation:episode_add", args=[s.pk]),
        {
            "title": "Discharge planning meeting",
            "what_happened": "Health were not invited to the meeting.",
            "assessment": "problematic",
            f"factor_{family.pk}": "Mother was not told of the meeting.",
        },
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "waiting for sign-off" in content
    assert 'value="Discharge planning meeting"' in content
    assert "Health were not invited to the meeting." in content
    assert "Mother was not told of the meeting." in content
    assert list(KeyPracticeEpisode.objects.values_list("title", flat=True)) == ["Strategy meeting"]
