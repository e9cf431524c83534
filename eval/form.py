"""The form of an answer, for the report: does it open with a lead sentence that answers (in the
question's language) or with a quote, and how many passages does its text show.

Standard library only, so any answers file in the public format can be described the same way.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

#: "Có — " / "Yes — " before the lead: the verdict of a yes/no question
VERDICT = re.compile(r"^(?:Có|Không|Yes|No) — ")
_QUOTE = re.compile(r"“[^“”]*”")
_PAREN = re.compile(r"\([^()]*\)")
_MARKER = re.compile(r"\[\d+\]")
#: English words an English lead sentence is made of (the plan's words are Vietnamese)
_EN_WORDS = frozenset(
    """the of plan plans leads lead must has have is are states state sets set cites assigns gives
    yes no by for and items parts part under with names figures says coordinate coordinating
    coordinates takes funding timing reporting deadline signed issued documents cited
    agencies bodies implementing activity""".split()
)
_WORD = re.compile(r"[A-Za-z]+")
#: the kinds of first line: a lead sentence, a quote (bare, a list item, or after a label such as
#: "Sở Ngoại vụ: “…”"), a bare province heading ("Cà Mau:"), or an empty answer
KINDS = ("lead", "quote", "labelled_quote", "says", "header", "empty")
#: a heading over one plan's part of an answer about several: "Cà Mau:", "The plan of Kien Giang
#: (now part of An Giang):"
_HEADER = re.compile(r"^(?:\S+(?: \S+){0,3}|.*\((?:now part of|nay thuộc) [^()]*\)):$")
#: "The Cà Mau plan says (quoted in Vietnamese):" — English words that do not answer
_SAYS = re.compile(r"\(quoted in Vietnamese\):$")


def first_line(text: str) -> str:
    line = (text or "").strip().split("\n", 1)[0].strip()
    return VERDICT.sub("", line)


def line_kind(line: str) -> str:
    """What an answer's first line is (one of KINDS)."""
    line = VERDICT.sub("", line.strip())
    if not line:
        return "empty"
    if line.startswith("“") or line.startswith("- “"):
        return "quote"
    if _SAYS.search(line):
        return "says"
    if _HEADER.match(line):
        return "header"
    label, sep, rest = line.partition(":")
    if sep and "“" not in label and "[" not in label and rest.strip().startswith("“"):
        return "labelled_quote"
    return "lead"


def own_words(line: str) -> str:
    """The line without what it quotes, its parentheses and its markers: the answerer's words."""
    return _MARKER.sub(" ", _PAREN.sub(" ", _QUOTE.sub(" ", line)))


def is_english(line: str) -> bool:
    """Whether the answerer's own words in the line are English."""
    return any(w.lower() in _EN_WORDS for w in _WORD.findall(own_words(line)))


def shown_passages(text: str) -> int:
    """How many distinct passages the answer's text cites ([n] markers)."""
    return len(set(_MARKER.findall(text or "")))


def describe(rows: Iterable[Mapping]) -> dict:
    """Counts over answer rows ({answer|text, lang, abstained, citations, support}): first-line
    kinds, English answers without an English lead, support levels, passages per answer."""
    kinds: Counter = Counter()
    answered_kinds: Counter = Counter()
    support: Counter = Counter()
    shown: Counter = Counter()
    listed: Counter = Counter()
    en_answered = en_no_lead = 0
    n = 0
    for row in rows:
        n += 1
        text = row.get("answer") if isinstance(row.get("answer"), str) else row.get("text", "")
        line = first_line(text)
        kind = line_kind(line)
        kinds[kind] += 1
        support[str(row.get("support") or "")] += 1
        shown[shown_passages(text)] += 1
        listed[len(row.get("citations") or [])] += 1
        if row.get("abstained"):
            continue
        answered_kinds[kind] += 1
        if row.get("lang") == "en":
            en_answered += 1
            if kind != "lead" or not is_english(line):
                en_no_lead += 1
    return {
        "n": n,
        "first_line": dict(kinds),
        "first_line_answered": dict(answered_kinds),
        "en_answered": en_answered,
        "en_without_english_lead": en_no_lead,
        "support": dict(support),
        "passages_shown": dict(sorted(shown.items())),
        "citations": dict(sorted(listed.items())),
    }
