"""The review's analysis as the method writes it: episodes appraised and numbered in an order the
trainee can change, factor categories with their prompting questions, findings in SCIE's format
with their issues for the board, and what the Findings stage needs before it is submitted."""

from django.urls import reverse

import pytest

from accreditation.exceptions import TransitionError
from accreditation.models import Finding, IssueForBoard, KeyPracticeEpisode
from accreditation.services.registers import (
    episode_create,
    episode_delete,
    episode_move,
    episodes_reorder,
    finding_create,
    finding_delete,
    finding_update,
)
from accreditation.services.stages import stage_start, stage_submit

from .award_builders import make_ready, submit
from .factories import categories, finding_categories, stage

pytestmark = pytest.mark.django_db


def _episode(review, user, title="Strategy meeting", **fields):
    return episode_create(
        stage=stage(review, 3),
        user=user,
        title=title,
        what_happened="A strategy discussion was held without health.",
        assessment=KeyPracticeEpisode.Assessment.PROBLEMATIC,
        **fields,
    )


def _finding(review, user, episodes, issues=("How does the board know GPs are invited?",), **kw):
    fields = {
        "title": "Health left out of strategy discussions",
        "category": finding_categories()[0],
        "in_this_case": "The GP was not invited.",
        "priority": 1,
        **kw,
    }
    return finding_create(
        stage=stage(review, 4),
        user=user,
        episodes=episodes,
        issues_for_board=list(issues),
        **fields,
    )


def _labels(review) -> list[tuple[str, str]]:
    return [
        (episode.label, episode.title)
        for episode in KeyPracticeEpisode.objects.filter(review=review)
    ]


def _finding_form(episodes=(), **overrides) -> dict:
    data = {
        "title": "Health left out of strategy discussions",
        "category": finding_categories()[2].pk,
        "direction": Finding.Direction.POOR_PRACTICE_MORE_LIKELY,
        "in_this_case": "The GP was not invited to either strategy discussion.",
        "how_we_know": "The case group said it happens most weeks; the audit agreed.",
        "system_reliability": "Health information is routinely missing from decisions.",
        "statement": "Strategy discussions are arranged in a way that leaves health out.",
        "priority": 1,
        "episodes": [episode.pk for episode in episodes],
        "issue_1": "How will the partnership make sure GPs are invited?",
        "issue_2": "",
        "issue_3": "What would tell the board that this has changed?",
    }
    data.update(overrides)
    return data


# Episodes -----------------------------------------------------------------------------------


def test_it_saves_the_appraisal_local_rationality_sources_and_the_case_groups_view(
    client, review, tess
):
    client.force_login(tess)
    response = client.post(
        reverse("accreditation:episode_add", args=[stage(review, 3).pk]),
        {
            "title": "Home visit after the school's referral",
            "what_happened": "The social worker visited and found the home calm.",
            "assessment": "mixed",
            "assessment_explanation": "Prompt, but the child was not seen alone.",
            "local_rationality": "The mother was cooperative and the worker had 24 cases.",
            "data_sources": "Conversation with the social worker; case records.",
            "case_group_view": "contested",
            "case_group_note": "The school saw the visit differently.",
        },
    )

    assert response.status_code == 302
    episode = KeyPracticeEpisode.objects.get()
    assert (
        episode.label,
        episode.assessment_explanation,
        episode.local_rationality,
        episode.data_sources,
        episode.case_group_view,
        episode.case_group_note,
    ) == (
        "KPE1",
        "Prompt, but the child was not seen alone.",
        "The mother was cooperative and the worker had 24 cases.",
        "Conversation with the social worker; case records.",
        "contested",
        "The school saw the visit differently.",
    )
    page = client.get(reverse("accreditation:stage_detail", args=[stage(review, 3).pk]))
    content = page.content.decode()
    assert "Why it made sense at the time" in content
    assert "The mother was cooperative and the worker had 24 cases." in content
    assert "Contested." in content


def test_it_takes_the_case_groups_view_as_not_yet_discussed_when_none_is_chosen(review, tess):
    assert _episode(review, tess).case_group_view == "not_discussed"


def test_it_shows_each_categorys_level_and_prompting_questions_on_the_form(client, review, tess):
    family = categories()[0]
    family.prompting_questions = "Did the family <b>engage</b>?\nWho spoke for the child?"
    family.save()
    client.force_login(tess)

    content = client.get(
        reverse("accreditation:episode_add", args=[stage(review, 3).pk])
    ).content.decode()

    assert "Frontline factors" in content
    assert "Local strategic factors" in content
    assert (
        "<li>Did the family &lt;b&gt;engage&lt;/b&gt;?</li><li>Who spoke for the child?</li>"
        in (content)
    )
    # The questions are the box's hint, so a screen reader reads them with it.
    assert f'aria-describedby="id_factor_{family.pk}_helptext"' in content


def test_it_numbers_episodes_in_order_and_renumbers_when_one_is_removed(review, tess):
    first, second, third = (_episode(review, tess, title) for title in ("A", "B", "C"))

    episode_delete(episode=second, user=tess)

    assert _labels(review) == [("KPE1", "A"), ("KPE2", "C")]
    assert _episode(review, tess, "D").label == "KPE3"


def test_it_moves_an_episode_and_the_numbers_follow(client, review, tess):
    for title in ("A", "B", "C"):
        _episode(review, tess, title)
    c = KeyPracticeEpisode.objects.get(title="C")
    client.force_login(tess)

    response = client.post(
        reverse("accreditation:episode_move", args=[c.pk]), {"direction": "up"}, follow=True
    )

    assert _labels(review) == [("KPE1", "A"), ("KPE2", "C"), ("KPE3", "B")]
    assert "“C” is now KPE2." in response.content.decode()


def test_it_says_the_first_episode_cannot_move_up(client, review, tess):
    a = _episode(review, tess, "A")
    _episode(review, tess, "B")
    client.force_login(tess)

    response = client.post(
        reverse("accreditation:episode_move", args=[a.pk]), {"direction": "up"}, follow=True
    )

    assert "KPE1 is already first; it cannot move further." in response.content.decode()
    assert _labels(review) == [("KPE1", "A"), ("KPE2", "B")]


def test_it_refuses_a_reorder_that_names_another_reviews_episodes(review, other_review, tess, uma):
    a, b = _episode(review, tess, "A"), _episode(review, tess, "B")
    theirs = _episode(other_review, uma, "Theirs")

    with pytest.raises(TransitionError, match="episodes of another review"):
        episodes_reorder(stage=stage(review, 3), user=tess, order=[b.pk, theirs.pk])
    with pytest.raises(TransitionError, match="Nothing was moved"):
        episodes_reorder(stage=stage(review, 3), user=tess, order=[b.pk, a.pk, theirs.pk])

    assert _labels(review) == [("KPE1", "A"), ("KPE2", "B")]
    assert _labels(other_review) == [("KPE1", "Theirs")]


def test_it_lets_only_the_reviewers_move_an_episode(client, review, tess, sam, uma):
    _, b = _episode(review, tess, "A"), _episode(review, tess, "B")
    for outsider in (sam, uma):
        client.force_login(outsider)
        response = client.post(
            reverse("accreditation:episode_move", args=[b.pk]), {"direction": "up"}
        )
        assert response.status_code == 404
    assert _labels(review) == [("KPE1", "A"), ("KPE2", "B")]


def test_it_refuses_a_move_without_a_direction(client, review, tess):
    _episode(review, tess, "A")
    b = _episode(review, tess, "B")
    client.force_login(tess)

    response = client.post(
        reverse("accreditation:episode_move", args=[b.pk]), {"direction": "sideways"}, follow=True
    )

    assert "Choose to move the episode up or down." in response.content.decode()
    assert _labels(review) == [("KPE1", "A"), ("KPE2", "B")]


def test_it_refuses_text_over_the_limit_and_keeps_what_was_typed(client, review, tess):
    client.force_login(tess)
    too_long = "x" * 6001
    response = client.post(
        reverse("accreditation:episode_add", args=[stage(review, 3).pk]),
        {
            "title": "Handover",
            "what_happened": "Short.",
            "assessment": "good",
            "local_rationality": too_long,
        },
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Why it made sense at the time must be 6000 characters or fewer." in content
    assert 'value="Handover"' in content
    assert KeyPracticeEpisode.objects.count() == 0


# Findings -----------------------------------------------------------------------------------


def test_it_saves_a_finding_in_the_methods_format_with_its_issues_in_order(client, review, tess):
    first, second = _episode(review, tess, "One"), _episode(review, tess, "Two")
    client.force_login(tess)

    response = client.post(
        reverse("accreditation:finding_add", args=[stage(review, 4).pk]),
        _finding_form(episodes=[first, second], direction="supports_safe"),
    )

    assert response.status_code == 302
    finding = Finding.objects.get()
    assert (finding.category, finding.direction, finding.how_we_know, finding.statement) == (
        finding_categories()[2],
        "supports_safe",
        "The case group said it happens most weeks; the audit agreed.",
        "Strategy discussions are arranged in a way that leaves health out.",
    )
    assert set(finding.episodes.all()) == {first, second}
    # The empty box between them is skipped; the order is kept.
    assert list(finding.issues_for_board.values_list("text", "sort_order")) == [
        ("How will the partnership make sure GPs are invited?", 1),
        ("What would tell the board that this has changed?", 2),
    ]


def test_it_offers_a_box_for_each_issue_and_two_spare_when_changing_a_finding(client, review, tess):
    episode = _episode(review, tess)
    issues = [f"Question {n}?" for n in range(1, 5)]
    finding = _finding(review, tess, [episode], issues=issues)
    client.force_login(tess)

    content = client.get(reverse("accreditation:finding_edit", args=[finding.pk])).content.decode()

    for number in range(1, 7):
        assert f'name="issue_{number}"' in content
    assert 'name="issue_7"' not in content
    assert "Question 4?</textarea>" in content


def test_it_replaces_the_issues_when_a_finding_is_changed(review, tess):
    episode = _episode(review, tess)
    finding = _finding(review, tess, [episode], issues=["Old?", "Also old?"])

    finding_update(
        finding=finding,
        user=tess,
        title=finding.title,
        category=finding.category,
        in_this_case=finding.in_this_case,
        episodes=[episode],
        issues_for_board=["New?"],
    )

    assert list(IssueForBoard.objects.values_list("text", flat=True)) == ["New?"]


def test_it_refuses_to_link_another_reviews_episode(client, review, other_review, tess, uma):
    theirs = _episode(other_review, uma, "Uma's episode")
    client.force_login(tess)

    response = client.post(
        reverse("accreditation:finding_add", args=[stage(review, 4).pk]),
        _finding_form(episodes=[theirs]),
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Choose episodes of this review only: one of those chosen is not." in content
    assert "How will the partnership make sure GPs are invited?</textarea>" in content
    with pytest.raises(TransitionError, match="this review's episodes"):
        _finding(review, tess, [theirs])
    assert Finding.objects.count() == 0


def test_it_validates_a_finding(client, review, tess):
    client.force_login(tess)
    response = client.post(
        reverse("accreditation:finding_add", args=[stage(review, 4).pk]),
        {"title": "No category", "in_this_case": "", "priority": 0, "issue_1": "Q?"},
    )

    content = response.content.decode()
    assert "There is a problem" in content
    assert '">Choose the finding&#x27;s category.</a>' in content
    assert '">Describe how the pattern showed itself in this case.</a>' in content
    assert '">Priority must be 1 or more.</a>' in content
    assert "Q?</textarea>" in content
    assert Finding.objects.count() == 0


def test_it_keeps_an_episode_a_finding_rests_on(review, tess):
    episode = _episode(review, tess)
    _finding(review, tess, [episode])

    with pytest.raises(TransitionError, match="KPE1 is linked to the finding"):
        episode_delete(episode=episode, user=tess)

    assert KeyPracticeEpisode.objects.filter(pk=episode.pk).exists()


def test_it_numbers_findings_in_priority_order_on_the_stage_page(client, review, tess):
    episode = _episode(review, tess)
    _finding(review, tess, [episode], title="Second in importance", priority=2)
    _finding(review, tess, [episode], title="Most important", priority=1)
    client.force_login(tess)

    content = client.get(
        reverse("accreditation:stage_detail", args=[stage(review, 4).pk])
    ).content.decode()

    first = content.index('<span class="analysis-entry__number">Finding 1</span> Most important')
    assert first < content.index("Finding 2</span> Second in importance")


def test_it_prints_markup_typed_into_any_field_as_text(client, review, tess):
    attack = '<img src="file:///etc/passwd"><script>alert(1)</script>'
    episode = _episode(review, tess, attack, local_rationality=attack)
    _finding(review, tess, [episode], issues=[attack], title=attack, how_we_know=attack)
    client.force_login(tess)

    for number in (3, 4):
        content = client.get(
            reverse("accreditation:stage_detail", args=[stage(review, number).pk])
        ).content.decode()
        assert "<script>alert(1)</script>" not in content
        assert '<img src="file:///etc/passwd">' not in content
        assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in content


# Submitting the Findings stage -------------------------------------------------------------


def test_it_says_which_findings_are_incomplete_when_the_stage_is_submitted(client, review, tess):
    episode = _episode(review, tess)
    _finding(review, tess, [], issues=[], title="Bare", priority=1)
    _finding(review, tess, [episode], issues=[], title="No questions", priority=2)
    _finding(review, tess, [episode], title="Complete", priority=3)
    s = stage(review, 4)
    client.force_login(tess)

    response = client.post(
        reverse("accreditation:stage_submit", args=[s.pk]), {"submit-comment": ""}, follow=True
    )

    content = response.content.decode()
    assert (
        "Before submitting this stage, add a linked key practice episode and an issue for the "
        "board for finding 1, “Bare”, and an issue for the board for finding 2, “No questions”."
    ) in content
    assert "Complete”" not in content.split("Before submitting")[1].split("</")[0]
    assert stage(review, 4).status == "in_progress"
    # The register says the same beside each finding.
    assert content.count("Before the stage can be submitted, this finding needs") == 2


def test_it_needs_at_least_one_finding(review, tess):
    stage_start(stage=stage(review, 4), user=tess)

    with pytest.raises(TransitionError, match="at least 1 finding in its register"):
        stage_submit(stage=stage(review, 4), user=tess)


def test_it_submits_the_findings_stage_once_every_finding_is_complete(review, tess):
    episode = _episode(review, tess)
    incomplete = _finding(review, tess, [episode], issues=[])
    with pytest.raises(TransitionError):
        stage_submit(stage=stage(review, 4), user=tess)
    finding_delete(finding=incomplete, user=tess)
    _finding(review, tess, [episode])

    stage_submit(stage=stage(review, 4), user=tess)

    assert stage(review, 4).status == "submitted"


# The portfolio lock ------------------------------------------------------------------------


def test_it_keeps_the_analysis_read_only_once_an_application_rests_on_it(client, review, tess):
    episode = _episode(review, tess)
    _episode(review, tess, "Second")
    finding = _finding(review, tess, [episode])
    make_ready(tess, review)
    submit(tess)

    with pytest.raises(TransitionError):
        episode_move(episode=episode, user=tess, by=1)
    with pytest.raises(TransitionError):
        finding_delete(finding=finding, user=tess)
    client.force_login(tess)
    content = client.get(
        reverse("accreditation:stage_detail", args=[stage(review, 4).pk])
    ).content.decode()
    assert reverse("accreditation:finding_edit", args=[finding.pk]) not in content
    assert reverse("accreditation:finding_add", args=[stage(review, 4).pk]) not in content
    assert Finding.objects.filter(pk=finding.pk).exists()


def test_it_says_an_episode_removed_meanwhile_cannot_be_moved(review, tess, pat):
    _episode(review, tess, "A")
    b = _episode(review, tess, "B")
    episode_delete(episode=KeyPracticeEpisode.objects.get(pk=b.pk), user=pat)

    with pytest.raises(TransitionError, match="That episode had already been removed."):
        episode_move(episode=b, user=tess, by=-1)

    assert _labels(review) == [("KPE1", "A")]
