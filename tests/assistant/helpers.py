"""Checks the assistant's tests share: verbatim citations, what a passage cites, the lead line."""

from __future__ import annotations

from assistant.text import fold
from corpus import load_plans

PLANS = load_plans()
TEXTS = {p.id: p.text for p in PLANS}


def verbatim(answer) -> None:
    """Every citation is an exact span of its plan, numbered 1…N in order, and every passage the
    text shows has its marker in the text (the others are those it leaves out, "show all")."""
    for c in answer.citations:
        assert TEXTS[c.plan][c.start : c.end] == c.text, c
    assert [c.marker for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    for c in answer.shown:
        assert f"[{c.marker}]" in answer.text, (c, answer.text)


def cites(answer, snippet: str) -> bool:
    """Some cited passage holds the snippet (diacritics, case and spacing ignored)."""
    return any(fold(" ".join(snippet.split())) in fold(" ".join(c.text.split())) for c in answer.citations)


def first_line(answer) -> str:
    return answer.text.split("\n", 1)[0]
