"""Scoring a knowledge check: which answers were right, the score, and whether it passes.

Pure functions of the check's questions and the chosen options; nothing here reads the database.
"""

from dataclasses import dataclass

from .models import KnowledgeCheckAttempt


@dataclass(frozen=True)
class QuestionFeedback:
    question: str
    chosen: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class CheckResult:
    correct_count: int
    question_count: int
    score_percent: int
    pass_mark: int
    passed: bool
    feedback: tuple[QuestionFeedback, ...]


def knowledge_check_result(*, check, answers: dict[int, int]) -> CheckResult:
    """Score a knowledge check. `answers` maps question index to the chosen option's index.

    Only the chosen options are explained, so the correct answer is not given away on a retry.
    """
    questions = list(check["questions"])
    feedback = []
    correct_count = 0
    for q_index, question in enumerate(questions):
        choices = list(question["choices"])
        chosen_index = answers.get(q_index)
        if chosen_index is None or not 0 <= chosen_index < len(choices):
            feedback.append(QuestionFeedback(question["question"], "", False, ""))
            continue
        choice = choices[chosen_index]
        is_correct = bool(choice["correct"])
        correct_count += is_correct
        feedback.append(
            QuestionFeedback(question["question"], choice["text"], is_correct, choice["feedback"])
        )
    score = (100 * correct_count) // len(questions) if questions else 0
    pass_mark = int(check["pass_mark"] if check["pass_mark"] is not None else 100)
    return CheckResult(
        correct_count=correct_count,
        question_count=len(questions),
        score_percent=score,
        pass_mark=pass_mark,
        passed=score >= pass_mark,
        feedback=tuple(feedback),
    )


def stored_answers(*, attempt: KnowledgeCheckAttempt) -> dict[int, int]:
    """An attempt's saved answers, as ``knowledge_check_result`` takes them."""
    return {int(q): int(o) for q, o in (attempt.answers or {}).items()}
