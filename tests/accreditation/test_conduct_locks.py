"""The review row lock that guards the records of how a review is run, under real concurrency
on PostgreSQL (see tests/accreditation/test_locks.py for how ``overlap`` meets each race)."""

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import CaseGroupParticipant, Conversation, KeyPracticeEpisode
from accreditation.services import conduct
from accreditation.services.registers import episode_create
from tests.concurrency import errors, overlap

from .conduct_helpers import conversation, participant
from .factories import stage

pytestmark = pytest.mark.postgres


def test_it_keeps_a_participant_a_conversation_being_saved_names(locked, review, tess, pat):
    """Guards ``_lock_review`` in services/conduct.py: the removal waits for the conversation
    to commit, then sees it and refuses. Without the lock, the participant is deleted while the
    conversation is being saved, and the conversation fails on the foreign key (an error page)."""
    nurse = participant(review, tess)

    results = overlap(
        lambda: conversation(review, pat, [nurse]),
        lambda: conduct.participant_delete(participant=nurse, user=tess),
    )

    assert isinstance(results[0], Conversation), results
    [error] = errors(results)
    assert "is in the conversation on" in str(error)
    assert list(Conversation.objects.get().participants.all()) == [nurse]


def test_it_does_not_plan_a_conversation_with_someone_being_removed(locked, review, tess, pat):
    """Guards the same lock the other way round, with the chosen participants read again once
    it is held: the conversation is refused with a plain message. Without the lock, it failed on
    the foreign key instead."""
    nurse = participant(review, tess)

    results = overlap(
        lambda: conduct.participant_delete(participant=nurse, user=tess),
        lambda: conversation(review, pat, [nurse]),
    )

    assert results[0] is None, results
    [error] = errors(results)
    assert isinstance(error, TransitionError)
    assert "has just been removed from the review's case group" in str(error)
    assert not CaseGroupParticipant.objects.exists() and not Conversation.objects.exists()


def test_it_keeps_a_conversation_an_episode_being_saved_rests_on(locked, review, tess, pat):
    """The episode's stage lock holds the review's row too, so removing the conversation waits
    for the episode and then refuses, naming it. Without ``_lock_review``'s lock, the
    conversation was deleted and the episode failed on the foreign key."""
    talk = conversation(review, tess, [participant(review, tess)])

    results = overlap(
        lambda: episode_create(
            stage=stage(review, 3),
            user=pat,
            title="Strategy meeting",
            what_happened="x",
            assessment="good",
            conversations=[talk],
        ),
        lambda: conduct.conversation_delete(conversation=talk, user=tess),
    )

    assert isinstance(results[0], KeyPracticeEpisode), results
    [error] = errors(results)
    assert str(error) == "KPE1 rests on it; unlink it first."
    assert list(KeyPracticeEpisode.objects.get().conversations.all()) == [talk]
