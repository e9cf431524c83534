"""Scoring for the gold question set: pure functions, standard library only.

Conventions
-----------
* A gold item (one line of ``eval/questions/gold.jsonl``) has ``type``, ``must_include`` (requirements, each
  "alt 1 | alt 2 | ...") and ``evidence`` (verbatim substrings of the plan text a correct citation contains).
* An answer row is a dict like ``Answer.to_dict()``: ``text`` (or ``answer``) and ``abstained``.
* A citation is a dict (or an object with the same attributes) with ``plan``, ``text``, ``start``, ``end``.
* Comparisons of answer text use :func:`fold`: lowercase, Vietnamese diacritics removed (đ -> d),
  whitespace collapsed -- so "Sở Tài chính" matches "so tai chinh".
* A yes/no item's verdict requirement ("Có | Yes | Đúng") is met by the answer's verdict only (its first word,
  see :func:`verdict_met`), not by the word anywhere in the text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

#: Separator of the alternatives inside one requirement ("Sở Tài chính | Department of Finance").
ALT_SEP = "|"
#: Share of an evidence string's word tokens that must appear in a passage for a fuzzy match.
TOKEN_MATCH_THRESHOLD = 0.8

_WORD = re.compile(r"\w+")


# ------------------------------------------------------------------------------------------ text
def fold(text: str) -> str:
    """Lowercase, strip Vietnamese diacritics (NFD, drop combining marks, đ/Đ -> d), collapse whitespace."""
    text = text.replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def normalize_ws(text: str) -> str:
    """Collapse every run of whitespace (spaces, tabs, newlines) to one space and trim."""
    return " ".join(text.split())


def word_tokens(text: str) -> list[str]:
    """The folded word tokens of a text (letters/digits runs)."""
    return _WORD.findall(fold(text))


def alternatives(requirement: str) -> list[str]:
    """The non-empty alternatives of a requirement "a | b | c", stripped."""
    return [alt.strip() for alt in requirement.split(ALT_SEP) if alt.strip()]


# --------------------------------------------------------------------------------- correctness
def requirement_met(answer: str, requirement: str) -> bool:
    """True when the folded answer contains one folded alternative of the requirement.

    A requirement without any alternative asks for nothing and is met.
    """
    alts = alternatives(requirement)
    if not alts:
        return True
    folded = fold(answer)
    return any(fold(alt) in folded for alt in alts)


#: Verdict words of a yes/no answer (folded). A yes/no item's requirement made only of these ("Có | Yes | Đúng")
#: is met by the answer's verdict -- the first word of its first line (after a header line ending in ":") --
#: not by the word anywhere in the text: "co" is inside "co quan", "no" inside "not".
VERDICT_WORDS = frozenset(
    (
        "co",
        "khong",
        "yes",
        "no",
        "dung",
        "sai",
        "phai",
        "khong phai",
        "chua",
        "correct",
        "incorrect",
        "true",
        "false",
    )
)
#: Lines looked at for the verdict: a header line (ending in ":") may come before it.
_VERDICT_LINES = 2


def is_verdict_requirement(requirement: str) -> bool:
    """True when every alternative of the requirement is a verdict word ("Có | Yes | Đúng")."""
    alts = alternatives(requirement)
    return bool(alts) and all(fold(alt) in VERDICT_WORDS for alt in alts)


def _starts_with_word(line: str, word: str) -> bool:
    """``line`` begins with ``word`` as a whole word: with its diacritics ("Có", not "Cơ"), or folded when the
    line's opening is typed without diacritics ("co, ...")."""
    n = len(word)
    if len(line) > n and (line[n].isalnum() or line[n] == "_"):
        return False
    head = line[:n]
    return head == word or (head.isascii() and fold(head) == fold(word))


def verdict_met(answer: str, requirement: str) -> bool:
    """The answer's verdict is one of the requirement's alternatives: a line among the first ones (header
    lines ending in ":" are skipped) starts with the word."""
    alts = [" ".join(unicodedata.normalize("NFC", alt).lower().split()) for alt in alternatives(requirement)]
    lines = [line.strip() for line in answer.splitlines() if line.strip()]
    for line in lines[:_VERDICT_LINES]:
        opening = " ".join(unicodedata.normalize("NFC", line).lower().lstrip("*_>#- ").split())
        if any(_starts_with_word(opening, alt) for alt in alts):
            return True
        if not line.rstrip("* ").endswith(":"):
            return False
    return False


def requirement_met_for(item: Mapping[str, Any], answer: str, requirement: str) -> bool:
    """:func:`requirement_met`, except that a yes/no item's verdict requirement must be the answer's verdict."""
    if item.get("type") == "yesno" and is_verdict_requirement(requirement):
        return verdict_met(answer, requirement)
    return requirement_met(answer, requirement)


def is_abstention_item(item: Mapping[str, Any]) -> bool:
    """Gold items whose right answer is an abstention: type "abstain", or no requirement and no evidence."""
    if item.get("type") == "abstain":
        return True
    return not item.get("must_include") and not item.get("evidence")


def answer_text(answer_row: Mapping[str, Any]) -> str:
    """The answer's text: ``text`` (as in ``Answer.to_dict()``) or else ``answer``."""
    text = answer_row.get("text")
    if not isinstance(text, str):
        text = answer_row.get("answer", "")
    return text if isinstance(text, str) else ""


def item_correct(item: Mapping[str, Any], answer_row: Mapping[str, Any]) -> bool:
    """Abstention items: the answer abstained. Others: it did not abstain and meets every requirement."""
    abstained = bool(answer_row.get("abstained", False))
    if is_abstention_item(item):
        return abstained
    if abstained:
        return False
    text = answer_text(answer_row)
    return all(requirement_met_for(item, text, req) for req in item.get("must_include", []))


# ------------------------------------------------------------------------------------ evidence
def evidence_matches(evidence: str, passage: str, threshold: float = TOKEN_MATCH_THRESHOLD) -> bool:
    """The passage contains the evidence (after whitespace normalisation), or at least ``threshold`` of
    the evidence's folded word tokens occur in the passage."""
    if normalize_ws(evidence) in normalize_ws(passage):
        return True
    tokens = word_tokens(evidence)
    if not tokens:
        return False
    present = set(word_tokens(passage))
    hits = sum(1 for tok in tokens if tok in present)
    return hits / len(tokens) >= threshold - 1e-12


def citation_hit(evidence: Sequence[str], citation_texts: Sequence[str]) -> bool:
    """Every evidence string is matched (see :func:`evidence_matches`) by some cited text.

    Vacuously true when there is no evidence.
    """
    return all(any(evidence_matches(ev, text) for text in citation_texts) for ev in evidence)


def _field(obj: Any, key: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(key)
    return getattr(obj, key, None)


def is_verbatim(citation: Mapping[str, Any], corpus: Mapping[str, str]) -> bool:
    """``citation["text"] == corpus[citation["plan"]][start:end]``, with a known plan, a valid span and a
    non-empty text."""
    plan, text = _field(citation, "plan"), _field(citation, "text")
    start, end = _field(citation, "start"), _field(citation, "end")
    if not isinstance(plan, str) or plan not in corpus or not isinstance(text, str) or not text:
        return False
    if isinstance(start, bool) or isinstance(end, bool):
        return False
    if not isinstance(start, int) or not isinstance(end, int):
        return False
    source = corpus[plan]
    if not 0 <= start <= end <= len(source):
        return False
    return source[start:end] == text


def verbatim_rate(citations: Sequence[Mapping[str, Any]], corpus: Mapping[str, str]) -> float:
    """Share of citations that are verbatim; 1.0 when there are no citations (nothing was misquoted)."""
    if not citations:
        return 1.0
    return sum(1 for c in citations if is_verbatim(c, corpus)) / len(citations)


# ----------------------------------------------------------------------------------- retrieval
def evidence_rank(evidence: str | Sequence[str], retrieved_texts: Sequence[str]) -> int | None:
    """1-based rank of the first retrieved passage that matches the evidence (see :func:`evidence_matches`).

    With several evidence strings, the rank by which *all* of them have been matched (the largest of their
    first ranks); ``None`` when some evidence is never matched or there is no evidence at all.
    """
    strings = [evidence] if isinstance(evidence, str) else list(evidence)
    if not strings:
        return None
    worst = 0
    for ev in strings:
        rank = next((i for i, text in enumerate(retrieved_texts, 1) if evidence_matches(ev, text)), None)
        if rank is None:
            return None
        worst = max(worst, rank)
    return worst


def recall_at_k(ranks: Sequence[int | None], k: int) -> float:
    """Share of items whose evidence rank is at most ``k`` (``None`` = not found); 0.0 for no items."""
    if k < 1:
        raise ValueError(f"k must be at least 1. Currently, it is {k}")
    if not ranks:
        return 0.0
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks)


def mrr(ranks: Sequence[int | None]) -> float:
    """Mean reciprocal rank (``None`` counts 0); 0.0 for no items."""
    if not ranks:
        return 0.0
    return sum(1.0 / r for r in ranks if r is not None and r > 0) / len(ranks)


# ------------------------------------------------------------------------------------ statistics
def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100) with linear interpolation between closest ranks (numpy's default)."""
    if not values:
        raise ValueError("percentile of an empty sequence")
    if not 0 <= p <= 100:
        raise ValueError(f"p must be between 0 and 100. Currently, it is {p}")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return float(ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo))
