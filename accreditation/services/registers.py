"""The stage registers: key practice episodes with their contributory factors (stage 3 in the
default scheme) and underlying patterns linked to the episodes that support them (stage 4).

Each register belongs to the stage whose definition names it, and changes only while that stage
is editable (not submitted, not approved). Changing it starts a stage not yet started.
"""

from collections.abc import Iterable, Mapping

from django.db import transaction

from wagtail.log_actions import log

from learning_platform.accounts.models import User

from ..exceptions import TransitionError
from ..models import (
    ContributoryFactor,
    ContributoryFactorCategory,
    KeyPracticeEpisode,
    PatternType,
    ReviewStage,
    StageDefinition,
    UnderlyingPattern,
)
from .stages import lock_editable_stage

Register = StageDefinition.Register


def register_stage(*, review_id: int, register: str) -> ReviewStage:
    """The review's stage that holds the given register."""
    stage = (
        ReviewStage.objects.filter(review_id=review_id, definition__register=register)
        .order_by("sort_order")
        .first()
    )
    if stage is None:
        raise TransitionError("This review has no stage for that register.")
    return stage


def _lock_register(stage: ReviewStage, register: str, user: User, doing: str) -> ReviewStage:
    stage = lock_editable_stage(stage=stage, user=user, doing=doing)
    if stage.definition.register != register:
        raise TransitionError("This stage has no such register.")
    return stage


def _save_factors(
    episode: KeyPracticeEpisode, factors: Mapping[ContributoryFactorCategory, str]
) -> None:
    # One description per category: the form shows one box per category.
    ContributoryFactor.objects.filter(episode=episode).delete()
    ContributoryFactor.objects.bulk_create(
        ContributoryFactor(episode=episode, category=category, description=text.strip())
        for category, text in factors.items()
        if text and text.strip()
    )


def _log(stage: ReviewStage, action: str, user: User, **data) -> None:
    log(instance=stage, action=f"accreditation.register.{action}", user=user, data=data)


# Key practice episodes ----------------------------------------------------------------------


@transaction.atomic
def episode_create(
    *,
    stage: ReviewStage,
    user: User,
    title: str,
    what_happened: str,
    when: str = "",
    agencies: str = "",
    assessment: str,
    factors: Mapping[ContributoryFactorCategory, str] | None = None,
) -> KeyPracticeEpisode:
    stage = _lock_register(stage, Register.KEY_PRACTICE_EPISODES, user, "add an episode")
    last = (
        KeyPracticeEpisode.objects.filter(review_id=stage.review_id)
        .order_by("-sort_order")
        .values_list("sort_order", flat=True)
        .first()
    )
    episode = KeyPracticeEpisode.objects.create(
        review_id=stage.review_id,
        title=title.strip(),
        what_happened=what_happened.strip(),
        when=when.strip(),
        agencies=agencies.strip(),
        assessment=assessment,
        sort_order=(last or 0) + 1,
    )
    _save_factors(episode, factors or {})
    _log(stage, "episode_add", user, episode_id=episode.pk, title=episode.title)
    return episode


@transaction.atomic
def episode_update(
    *,
    episode: KeyPracticeEpisode,
    user: User,
    title: str,
    what_happened: str,
    when: str = "",
    agencies: str = "",
    assessment: str,
    factors: Mapping[ContributoryFactorCategory, str] | None = None,
) -> KeyPracticeEpisode:
    stage = register_stage(review_id=episode.review_id, register=Register.KEY_PRACTICE_EPISODES)
    stage = _lock_register(stage, Register.KEY_PRACTICE_EPISODES, user, "change an episode")
    episode.title = title.strip()
    episode.what_happened = what_happened.strip()
    episode.when = when.strip()
    episode.agencies = agencies.strip()
    episode.assessment = assessment
    episode.save()
    _save_factors(episode, factors or {})
    _log(stage, "episode_change", user, episode_id=episode.pk, title=episode.title)
    return episode


@transaction.atomic
def episode_delete(*, episode: KeyPracticeEpisode, user: User) -> None:
    stage = register_stage(review_id=episode.review_id, register=Register.KEY_PRACTICE_EPISODES)
    stage = _lock_register(stage, Register.KEY_PRACTICE_EPISODES, user, "remove an episode")
    if episode.patterns.exists():
        # Removing it would silently change the findings that rest on it.
        raise TransitionError(
            "This episode supports an underlying pattern. Unlink it from the pattern first."
        )
    _log(stage, "episode_remove", user, episode_id=episode.pk, title=episode.title)
    episode.delete()


# Underlying patterns ------------------------------------------------------------------------


def _check_episodes(review_id: int, episodes: Iterable[KeyPracticeEpisode]) -> list:
    episodes = list(episodes)
    if any(episode.review_id != review_id for episode in episodes):
        raise TransitionError("A pattern can only be linked to this review's episodes.")
    return episodes


@transaction.atomic
def pattern_create(
    *,
    stage: ReviewStage,
    user: User,
    title: str,
    description: str,
    pattern_type: PatternType,
    priority: int,
    episodes: Iterable[KeyPracticeEpisode] = (),
) -> UnderlyingPattern:
    stage = _lock_register(stage, Register.UNDERLYING_PATTERNS, user, "add a pattern")
    episodes = _check_episodes(stage.review_id, episodes)
    pattern = UnderlyingPattern.objects.create(
        review_id=stage.review_id,
        title=title.strip(),
        description=description.strip(),
        pattern_type=pattern_type,
        priority=priority,
    )
    pattern.episodes.set(episodes)
    _log(stage, "pattern_add", user, pattern_id=pattern.pk, title=pattern.title)
    return pattern


@transaction.atomic
def pattern_update(
    *,
    pattern: UnderlyingPattern,
    user: User,
    title: str,
    description: str,
    pattern_type: PatternType,
    priority: int,
    episodes: Iterable[KeyPracticeEpisode] = (),
) -> UnderlyingPattern:
    stage = register_stage(review_id=pattern.review_id, register=Register.UNDERLYING_PATTERNS)
    stage = _lock_register(stage, Register.UNDERLYING_PATTERNS, user, "change a pattern")
    episodes = _check_episodes(stage.review_id, episodes)
    pattern.title = title.strip()
    pattern.description = description.strip()
    pattern.pattern_type = pattern_type
    pattern.priority = priority
    pattern.save()
    pattern.episodes.set(episodes)
    _log(stage, "pattern_change", user, pattern_id=pattern.pk, title=pattern.title)
    return pattern


@transaction.atomic
def pattern_delete(*, pattern: UnderlyingPattern, user: User) -> None:
    stage = register_stage(review_id=pattern.review_id, register=Register.UNDERLYING_PATTERNS)
    stage = _lock_register(stage, Register.UNDERLYING_PATTERNS, user, "remove a pattern")
    _log(stage, "pattern_remove", user, pattern_id=pattern.pk, title=pattern.title)
    pattern.delete()
