"""The public words of a proposed object: title, description, the questions asked of the
public, and its category. Everything here is shown on the internet once published, so it is
checked for shape and size; what it says is for the two reviewers to judge."""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = (
    "clothing",
    "packaging",
    "furniture",
    "toys",
    "logos",
    "places",
    "vehicles",
    "other",
)
MAX_TITLE = 200
MAX_DESCRIPTION = 4_000
MAX_QUESTIONS = 10
MAX_QUESTION = 300


class ObjectTextError(ValueError):
    """The text cannot be published as it is; the message says why, for the analyst."""


@dataclass(frozen=True)
class ObjectText:
    title: str
    description: str
    questions: tuple[str, ...]
    category: str


def object_text(title: str, description: str, questions: str, category: str) -> ObjectText:
    """The checked text from the proposal form: ``questions`` holds one question per line;
    blank lines are dropped."""
    title = " ".join(title.split())
    if not title:
        raise ObjectTextError("give the object a public title")
    if len(title) > MAX_TITLE:
        raise ObjectTextError(f"a title holds at most {MAX_TITLE} characters")
    description = description.strip().replace("\r\n", "\n")
    if len(description) > MAX_DESCRIPTION:
        raise ObjectTextError(f"a description holds at most {MAX_DESCRIPTION:,} characters")
    asked = tuple(" ".join(line.split()) for line in questions.splitlines() if line.strip())
    if len(asked) > MAX_QUESTIONS:
        raise ObjectTextError(f"ask at most {MAX_QUESTIONS} questions")
    if any(len(q) > MAX_QUESTION for q in asked):
        raise ObjectTextError(f"a question holds at most {MAX_QUESTION} characters")
    category = category.strip().lower()
    if category not in CATEGORIES:
        raise ObjectTextError(f"the category is one of {', '.join(CATEGORIES)}")
    return ObjectText(title, description, asked, category)
