"""The stage registers: key practice episodes with their contributory factors (stage 3 in the
default scheme) and findings, each linked to the episodes behind it and carrying its issues for
the board (stage 4).

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
    Conversation,
    Finding,
    FindingCategory,
    IssueForBoard,
    KeyPracticeEpisode,
    ReviewStage,
    StageDefinition,
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


def _check_episode_links(review_id: int, links: tuple) -> tuple:
    factors, conversations = links
    wanted = {conversation.pk for conversation in conversations or ()}
    # Read again under the stage's lock, which holds the review's row too (as every change to a
    # conversation does): one removed while the form was open is gone now.
    current = list(Conversation.objects.filter(pk__in=wanted).order_by("date", "pk"))
    if any(conversation.review_id != review_id for conversation in current):
        raise TransitionError("An episode can only rest on this review's conversations.")
    if len(current) != len(wanted):
        raise TransitionError(
            "A conversation you chose has just been removed. Check the conversations and save "
            "again."
        )
    return factors or {}, current


def _save_episode_links(episode: KeyPracticeEpisode, links: tuple) -> None:
    factors, conversations = links
    _save_factors(episode, factors)
    episode.conversations.set(conversations)


def _log(stage: ReviewStage, action: str, user: User, **data) -> None:
    log(instance=stage, action=f"accreditation.register.{action}", user=user, data=data)


def _check_finding_links(review_id: int, links: tuple) -> tuple[list, list[str]]:
    episodes, issues = links
    wanted = {episode.pk for episode in episodes}
    # Read again under the stage's lock, which holds the review's row too: an episode removed
    # while the form was open is gone now, and one being removed is waited for.
    current = list(KeyPracticeEpisode.objects.filter(pk__in=wanted).order_by("pk"))
    if any(episode.review_id != review_id for episode in current):
        raise TransitionError("A finding can only be linked to this review's episodes.")
    if len(current) != len(wanted):
        raise TransitionError(
            "A key practice episode you chose has just been removed. Check the episodes and "
            "save again."
        )
    return current, [text.strip() for text in issues if text and text.strip()]


def _save_finding_links(finding: Finding, links: tuple[list, list[str]]) -> None:
    episodes, issues = links
    finding.episodes.set(episodes)
    IssueForBoard.objects.filter(finding=finding).delete()
    IssueForBoard.objects.bulk_create(
        IssueForBoard(finding=finding, text=text, sort_order=order)
        for order, text in enumerate(issues, start=1)
    )


def _next_episode_sort_order(stage: ReviewStage) -> dict:
    # Numbers run 1, 2, 3 with no gaps, so the next is one more than the count.
    return {"sort_order": KeyPracticeEpisode.objects.filter(review_id=stage.review_id).count() + 1}


def _renumber_episodes(review_id: int, order: list[int] | None = None) -> None:
    """Number the review's episodes 1, 2, 3 in ``order`` (their ids), or in their current order."""
    episodes = list(KeyPracticeEpisode.objects.filter(review_id=review_id))
    if order is not None:
        position = {pk: index for index, pk in enumerate(order)}
        episodes.sort(key=lambda episode: position[episode.pk])
    changed = []
    for number, episode in enumerate(episodes, start=1):
        if episode.sort_order != number:
            episode.sort_order = number
            changed.append(episode)
    KeyPracticeEpisode.objects.bulk_update(changed, ["sort_order"])


def _refuse_if_behind_a_finding(episode: KeyPracticeEpisode) -> None:
    titles = list(episode.findings.values_list("title", flat=True))
    if titles:
        # Removing it would silently change the findings that rest on it.
        raise TransitionError(
            f"{episode.label} is linked to the finding “{titles[0]}”"
            + (f" and {len(titles) - 1} more" if len(titles) > 1 else "")
            + ". Unlink it from the finding first."
        )


@dataclass(frozen=True)
class _Kind:
    """What differs between the two registers: the model, the words in refusals and audit
    actions, and what each entry links to (an episode's factors; a finding's episodes and its
    issues for the board)."""

    name: str  # the audit actions are "<name>_add", "<name>_change", "<name>_remove"
    model: type[KeyPracticeEpisode] | type[Finding]
    register: str
    noun: str  # for refusals: "You cannot add an episode ..."
    text_fields: tuple[str, ...]  # stripped of surrounding white space
    check_links: Callable[[int, Any], Any]  # (review id, links) -> links to save
    save_links: Callable[[Any, Any], None]  # (entry, links)
    fields_on_create: Callable[[ReviewStage], dict] = lambda stage: {}
    check_remove: Callable[[Any], None] = lambda entry: None
    after_remove: Callable[[int], None] = lambda review_id: None


EPISODES = _Kind(
    name="episode",
    model=KeyPracticeEpisode,
    register=Register.KEY_PRACTICE_EPISODES,
    noun="an episode",
    text_fields=KeyPracticeEpisode.TEXT_FIELDS,
    check_links=_check_episode_links,
    save_links=_save_episode_links,
    fields_on_create=_next_episode_sort_order,
    check_remove=_refuse_if_behind_a_finding,
    after_remove=_renumber_episodes,
)
FINDINGS = _Kind(
    name="finding",
    model=Finding,
    register=Register.FINDINGS,
    noun="a finding",
    text_fields=Finding.TEXT_FIELDS,
    check_links=_check_finding_links,
    save_links=_save_finding_links,
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
    # Read again under the stage's lock (which holds the review's row, as every change to the
    # registers does), so the check below sees a link committed while the page was open.
    entry = kind.model.objects.filter(pk=entry.pk).first()
    if entry is None:
        raise TransitionError(f"That {kind.noun.split()[-1]} had already been removed.")
    kind.check_remove(entry)
    _log(stage, f"{kind.name}_remove", user, **{f"{kind.name}_id": entry.pk}, title=entry.title)
    review_id = entry.review_id
    entry.delete()
    kind.after_remove(review_id)


# Key practice episodes ----------------------------------------------------------------------

EPISODE_FIELDS = (
    "title",
    "what_happened",
    "when",
    "agencies",
    "assessment",
    "assessment_explanation",
    "local_rationality",
    "data_sources",
    "case_group_view",
    "case_group_note",
)


@transaction.atomic
def episode_create(
    *,
    stage: ReviewStage,
    user: User,
    title: str,
    what_happened: str,
    assessment: str,
    when: str = "",
    agencies: str = "",
    assessment_explanation: str = "",
    local_rationality: str = "",
    data_sources: str = "",
    case_group_view: str = KeyPracticeEpisode.CaseGroupView.NOT_DISCUSSED,
    case_group_note: str = "",
    factors: Mapping[ContributoryFactorCategory, str] | None = None,
    conversations: Iterable[Conversation] = (),
) -> KeyPracticeEpisode:
    """Add an episode to the review, numbered after the last, resting on ``conversations`` (the
    review's own)."""
    fields = {name: value for name, value in locals().items() if name in EPISODE_FIELDS}
    links = (factors, conversations)
    return _entry_save(EPISODES, stage=stage, user=user, fields=fields, links=links)


@transaction.atomic
def episode_update(
    *,
    episode: KeyPracticeEpisode,
    user: User,
    title: str,
    what_happened: str,
    assessment: str,
    when: str = "",
    agencies: str = "",
    assessment_explanation: str = "",
    local_rationality: str = "",
    data_sources: str = "",
    case_group_view: str = KeyPracticeEpisode.CaseGroupView.NOT_DISCUSSED,
    case_group_note: str = "",
    factors: Mapping[ContributoryFactorCategory, str] | None = None,
    conversations: Iterable[Conversation] = (),
) -> KeyPracticeEpisode:
    fields = {name: value for name, value in locals().items() if name in EPISODE_FIELDS}
    links = (factors, conversations)
    return _entry_save(EPISODES, entry=episode, user=user, fields=fields, links=links)


@transaction.atomic
def episode_delete(*, episode: KeyPracticeEpisode, user: User) -> None:
    """Remove an episode no finding rests on; the episodes after it move up a number."""
    _entry_delete(EPISODES, entry=episode, user=user)


def _episode_order(review_id: int) -> list[int]:
    return list(KeyPracticeEpisode.objects.filter(review_id=review_id).values_list("pk", flat=True))


def _reorder(stage: ReviewStage, user: User, order: list[int]) -> None:
    _renumber_episodes(stage.review_id, order)
    _log(stage, "episode_reorder", user, order=order)


@transaction.atomic
def episodes_reorder(*, stage: ReviewStage, user: User, order: list[int]) -> None:
    """Renumber the review's episodes in ``order``, which names each of them once by id."""
    stage = _lock_entry_stage(EPISODES, user, "reorder", stage=stage)
    if len(order) != len(set(order)) or set(order) != set(_episode_order(stage.review_id)):
        raise TransitionError(
            "The episodes have changed since this page was loaded, or the new order names "
            "episodes of another review. Nothing was moved: reload the page and try again."
        )
    _reorder(stage, user, order)


@transaction.atomic
def episode_move(*, episode: KeyPracticeEpisode, user: User, by: int) -> None:
    """Move an episode up (``by`` -1) or down (+1) one place."""
    stage = _lock_entry_stage(EPISODES, user, "reorder", entry=episode)
    order = _episode_order(stage.review_id)
    if episode.pk not in order:
        raise TransitionError("That episode had already been removed.")
    index = order.index(episode.pk)
    target = index + by
    if not 0 <= target < len(order):
        end = "first" if by < 0 else "last"
        raise TransitionError(f"KPE{index + 1} is already {end}; it cannot move further.")
    order[index], order[target] = order[target], order[index]
    _reorder(stage, user, order)


# Findings -----------------------------------------------------------------------------------

FINDING_FIELDS = (
    "title",
    "category",
    "direction",
    "in_this_case",
    "how_we_know",
    "system_reliability",
    "statement",
    "priority",
)


@transaction.atomic
def finding_create(
    *,
    stage: ReviewStage,
    user: User,
    title: str,
    category: FindingCategory,
    in_this_case: str,
    direction: str = Finding.Direction.POOR_PRACTICE_MORE_LIKELY,
    how_we_know: str = "",
    system_reliability: str = "",
    statement: str = "",
    priority: int = 1,
    episodes: Iterable[KeyPracticeEpisode] = (),
    issues_for_board: Iterable[str] = (),
) -> Finding:
    fields = {name: value for name, value in locals().items() if name in FINDING_FIELDS}
    links = (episodes, issues_for_board)
    return _entry_save(FINDINGS, stage=stage, user=user, fields=fields, links=links)


@transaction.atomic
def finding_update(
    *,
    finding: Finding,
    user: User,
    title: str,
    category: FindingCategory,
    in_this_case: str,
    direction: str = Finding.Direction.POOR_PRACTICE_MORE_LIKELY,
    how_we_know: str = "",
    system_reliability: str = "",
    statement: str = "",
    priority: int = 1,
    episodes: Iterable[KeyPracticeEpisode] = (),
    issues_for_board: Iterable[str] = (),
) -> Finding:
    fields = {name: value for name, value in locals().items() if name in FINDING_FIELDS}
    links = (episodes, issues_for_board)
    return _entry_save(FINDINGS, entry=finding, user=user, fields=fields, links=links)


@transaction.atomic
def finding_delete(*, finding: Finding, user: User) -> None:
    _entry_delete(FINDINGS, entry=finding, user=user)
