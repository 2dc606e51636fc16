"""The stage registers: key practice episodes with their contributory factors (stage 3 in the
default scheme) and underlying patterns linked to the episodes that support them (stage 4).

Each register belongs to the stage whose definition names it, and changes only while that stage
is editable (not submitted, not approved). Changing it starts a stage not yet started.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

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


def _check_episodes(review_id: int, episodes: Iterable[KeyPracticeEpisode]) -> list:
    episodes = list(episodes)
    if any(episode.review_id != review_id for episode in episodes):
        raise TransitionError("A pattern can only be linked to this review's episodes.")
    return episodes


def _next_episode_sort_order(stage: ReviewStage) -> dict:
    last = (
        KeyPracticeEpisode.objects.filter(review_id=stage.review_id)
        .order_by("-sort_order")
        .values_list("sort_order", flat=True)
        .first()
    )
    return {"sort_order": (last or 0) + 1}


def _refuse_if_supporting_a_pattern(episode: KeyPracticeEpisode) -> None:
    if episode.patterns.exists():
        # Removing it would silently change the findings that rest on it.
        raise TransitionError(
            "This episode supports an underlying pattern. Unlink it from the pattern first."
        )


@dataclass(frozen=True)
class _Kind:
    """What differs between the two registers: the model, the words in refusals and audit
    actions, and what each entry links to (an episode's factors, a pattern's episodes)."""

    name: str  # the audit actions are "<name>_add", "<name>_change", "<name>_remove"
    model: type[KeyPracticeEpisode] | type[UnderlyingPattern]
    register: str
    noun: str  # for refusals: "You cannot add an episode ..."
    text_fields: tuple[str, ...]  # stripped of surrounding white space
    check_links: Callable[[int, Any], Any]  # (review id, links) -> links to save
    save_links: Callable[[Any, Any], None]  # (entry, links)
    fields_on_create: Callable[[ReviewStage], dict] = lambda stage: {}
    check_remove: Callable[[Any], None] = lambda entry: None


EPISODES = _Kind(
    name="episode",
    model=KeyPracticeEpisode,
    register=Register.KEY_PRACTICE_EPISODES,
    noun="an episode",
    text_fields=("title", "what_happened", "when", "agencies"),
    check_links=lambda review_id, factors: factors or {},
    save_links=_save_factors,
    fields_on_create=_next_episode_sort_order,
    check_remove=_refuse_if_supporting_a_pattern,
)
PATTERNS = _Kind(
    name="pattern",
    model=UnderlyingPattern,
    register=Register.UNDERLYING_PATTERNS,
    noun="a pattern",
    text_fields=("title", "description"),
    check_links=_check_episodes,
    save_links=lambda pattern, episodes: pattern.episodes.set(episodes),
)


def _lock_entry_stage(
    kind: _Kind, user: User, verb: str, *, stage: ReviewStage | None = None, entry=None
) -> ReviewStage:
    if stage is None:
        stage = register_stage(review_id=entry.review_id, register=kind.register)
    return _lock_register(stage, kind.register, user, f"{verb} {kind.noun}")


def _entry_save(kind: _Kind, *, user: User, fields: dict, links, stage=None, entry=None):
    """Add an entry to the stage's register (given the stage) or change one (given the entry),
    once the register's stage is locked and editable, and record it in the stage's audit log."""
    creating = entry is None
    verb = "add" if creating else "change"
    stage = _lock_entry_stage(kind, user, verb, stage=stage, entry=entry)
    links = kind.check_links(stage.review_id, links)
    fields = {
        name: value.strip() if name in kind.text_fields else value for name, value in fields.items()
    }
    if creating:
        entry = kind.model.objects.create(
            review_id=stage.review_id, **fields, **kind.fields_on_create(stage)
        )
    else:
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.save()
    kind.save_links(entry, links)
    _log(stage, f"{kind.name}_{verb}", user, **{f"{kind.name}_id": entry.pk}, title=entry.title)
    return entry


def _entry_delete(kind: _Kind, *, entry, user: User) -> None:
    stage = _lock_entry_stage(kind, user, "remove", entry=entry)
    kind.check_remove(entry)
    _log(stage, f"{kind.name}_remove", user, **{f"{kind.name}_id": entry.pk}, title=entry.title)
    entry.delete()


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
    fields = _episode_fields(title, what_happened, when, agencies, assessment)
    return _entry_save(EPISODES, stage=stage, user=user, fields=fields, links=factors)


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
    fields = _episode_fields(title, what_happened, when, agencies, assessment)
    return _entry_save(EPISODES, entry=episode, user=user, fields=fields, links=factors)


def _episode_fields(title, what_happened, when, agencies, assessment) -> dict:
    return {
        "title": title,
        "what_happened": what_happened,
        "when": when,
        "agencies": agencies,
        "assessment": assessment,
    }


@transaction.atomic
def episode_delete(*, episode: KeyPracticeEpisode, user: User) -> None:
    _entry_delete(EPISODES, entry=episode, user=user)


# Underlying patterns ------------------------------------------------------------------------


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
    fields = _pattern_fields(title, description, pattern_type, priority)
    return _entry_save(PATTERNS, stage=stage, user=user, fields=fields, links=episodes)


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
    fields = _pattern_fields(title, description, pattern_type, priority)
    return _entry_save(PATTERNS, entry=pattern, user=user, fields=fields, links=episodes)


def _pattern_fields(title, description, pattern_type, priority) -> dict:
    return {
        "title": title,
        "description": description,
        "pattern_type": pattern_type,
        "priority": priority,
    }


@transaction.atomic
def pattern_delete(*, pattern: UnderlyingPattern, user: User) -> None:
    _entry_delete(PATTERNS, entry=pattern, user=user)
