"""An editor cannot publish a knowledge check nobody can pass: every question needs a correct
choice, and the pass mark must be within reach of the best possible score."""

from django.core.exceptions import ValidationError

import pytest

from courses.models import ModulePage

from .factories import knowledge_check_block


def _body_block():
    return ModulePage._meta.get_field("body").stream_block


def _clean(raw_block):
    block = _body_block()
    return block.clean(block.to_python([raw_block]))


def _errors(raw_block) -> dict:
    """The knowledge check's own errors, as Wagtail hands them to the editor (JSON)."""
    with pytest.raises(ValidationError) as caught:
        _clean(raw_block)
    (check_error,) = caught.value.block_errors.values()
    return check_error.as_json_data()["blockErrors"]


def test_it_accepts_a_check_whose_every_question_has_a_correct_choice():
    cleaned = _clean(knowledge_check_block(pass_mark=100))

    assert cleaned[0].value["pass_mark"] == 100
    assert len(cleaned[0].value["questions"]) == 2


def test_it_refuses_a_question_without_a_correct_choice_and_says_which():
    raw = knowledge_check_block(
        [
            ("Right one?", [("Yes", True, ""), ("No", False, "")]),
            ("Any right?", [("No", False, ""), ("Also no", False, "")]),
        ],
        pass_mark=50,
    )

    errors = _errors(raw)

    question_errors = errors["questions"]["blockErrors"]
    assert list(question_errors) == [1]  # the second question only
    assert question_errors[1]["blockErrors"]["choices"]["messages"] == [
        "Mark at least one choice as correct: as it is, nobody can answer this question correctly."
    ]
    assert "pass_mark" not in errors  # 50% is still within reach


def test_it_refuses_a_pass_mark_beyond_the_best_possible_score():
    raw = knowledge_check_block(
        [
            ("Right one?", [("Yes", True, ""), ("No", False, "")]),
            ("Any right?", [("No", False, ""), ("Also no", False, "")]),
            ("Another?", [("Yes", True, ""), ("No", False, "")]),
        ],
        pass_mark=80,
    )

    errors = _errors(raw)

    assert errors["pass_mark"]["messages"] == [
        "Nobody can reach a pass mark of 80%: with these questions the best possible score is "
        "66%. Mark a correct choice in every question."
    ]
    assert list(errors["questions"]["blockErrors"]) == [1]


def test_it_refuses_the_check_through_the_module_editor_form(course, modules):
    module = ModulePage.objects.get(pk=modules[1].pk)
    form_class = ModulePage.get_edit_handler().get_form_class()
    data = {
        "title": module.title,
        "slug": module.slug,
        "overview": module.overview,
        "prerequisites": [str(p.pk) for p in module.prerequisites.all()],
    }
    prefix = "body"
    data.update(
        {
            f"{prefix}-count": "1",
            f"{prefix}-0-type": "knowledge_check",
            f"{prefix}-0-id": "check",
            f"{prefix}-0-deleted": "",
            f"{prefix}-0-order": "0",
            f"{prefix}-0-value-title": "Check",
            f"{prefix}-0-value-pass_mark": "100",
            f"{prefix}-0-value-questions-count": "1",
            f"{prefix}-0-value-questions-0-id": "q0",
            f"{prefix}-0-value-questions-0-deleted": "",
            f"{prefix}-0-value-questions-0-order": "0",
            f"{prefix}-0-value-questions-0-value-question": "Any right?",
            f"{prefix}-0-value-questions-0-value-choices-count": "2",
            f"{prefix}-0-value-questions-0-value-choices-0-id": "c0",
            f"{prefix}-0-value-questions-0-value-choices-0-deleted": "",
            f"{prefix}-0-value-questions-0-value-choices-0-order": "0",
            f"{prefix}-0-value-questions-0-value-choices-0-value-text": "No",
            f"{prefix}-0-value-questions-0-value-choices-0-value-feedback": "",
            f"{prefix}-0-value-questions-0-value-choices-1-id": "c1",
            f"{prefix}-0-value-questions-0-value-choices-1-deleted": "",
            f"{prefix}-0-value-questions-0-value-choices-1-order": "1",
            f"{prefix}-0-value-questions-0-value-choices-1-value-text": "Also no",
            f"{prefix}-0-value-questions-0-value-choices-1-value-feedback": "",
        }
    )

    bound = form_class(data, instance=module, parent_page=course, for_user=None)

    assert not bound.is_valid()
    assert list(bound.errors) == ["body"]
    (error,) = bound.errors.as_data()["body"]
    assert "Mark at least one choice as correct" in str(error.as_json_data())
    assert "Nobody can reach a pass mark of 100%" in str(error.as_json_data())
    data[f"{prefix}-0-value-questions-0-value-choices-0-value-correct"] = "on"
    fixed = form_class(data, instance=module, parent_page=course, for_user=None)
    assert fixed.is_valid(), fixed.errors
