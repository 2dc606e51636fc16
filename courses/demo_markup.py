"""Small builders for the demo course's content: rich-text HTML and knowledge-check questions."""

_BLOCKS = ("<p>", "<p ", "<ul>", "<ol>", "<h2", "<h3", "<h4", "<blockquote")


def html(*paragraphs: str) -> str:
    """Each argument a paragraph, unless it is already a block (a list, a heading); a paragraph
    may start with inline markup such as <strong>."""
    return "".join(p if p.startswith(_BLOCKS) else f"<p>{p}</p>" for p in paragraphs)


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
