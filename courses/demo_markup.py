"""Small builders for the demo course's content: rich-text HTML and knowledge-check questions."""


def html(*paragraphs: str) -> str:
    return "".join(p if p.startswith("<") else f"<p>{p}</p>" for p in paragraphs)


def bullets(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def numbered(*items: str) -> str:
    return "<ol>" + "".join(f"<li>{item}</li>" for item in items) + "</ol>"


def check_question(text: str, *choices: tuple[str, bool, str]) -> dict:
    """A knowledge-check question: each choice is (text, correct, feedback)."""
    return {
        "question": text,
        "choices": [{"text": t, "correct": c, "feedback": f} for t, c, f in choices],
    }
