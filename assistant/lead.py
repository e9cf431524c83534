"""The lead sentence of an answer that would otherwise open with a quote: what the cited
passages state — the agencies they name, their figures, their dates — in the question's
language, cited, before the plan's own words (patterns and English words in data/leads.yaml)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from assistant.agencies import find_agencies
from assistant.brevity import QUOTE, clip_to
from assistant.citations import MARKER
from assistant.templates import t

#: the intents whose answer is an agency, a date, a figure: that fact is named first
_FIRST = {
    "lead": "agencies",
    "coordinate": "agencies",
    "agency_duty": "agencies",
    "timing": "dates",
    "target": "figures",
    "funding": "funds",
}
_KINDS = ("agencies", "figures", "dates", "funds")
#: a heading named in a lead is cut to this length
HEADING_CHARS = 80


@dataclass(frozen=True)
class _Vocabulary:
    dates: tuple[re.Pattern, ...]
    figures: tuple[re.Pattern, ...]
    funds: tuple[re.Pattern, ...]
    limit: dict[str, int]
    en: tuple[tuple[re.Pattern, str], ...]


@lru_cache(maxsize=1)
def vocabulary() -> _Vocabulary:
    raw = yaml.safe_load(resources.files("assistant").joinpath("data/leads.yaml").read_text(encoding="utf-8"))
    en = sorted(raw["en"].items(), key=lambda kv: -len(kv[0]))
    return _Vocabulary(
        dates=tuple(re.compile(p, re.IGNORECASE) for p in raw["dates"]),
        figures=tuple(re.compile(p, re.IGNORECASE) for p in raw["figures"]),
        funds=tuple(re.compile(p, re.IGNORECASE) for p in raw["funds"]),
        limit=dict(raw["limit"]),
        en=tuple((re.compile(rf"(?<!\w){re.escape(k)}(?!\w)", re.IGNORECASE), v) for k, v in en),
    )


def opens_with_quote(line: str) -> bool:
    """The line is the plan's words, bare ("“…” [1]", "- “…” [1]") or after a label
    ("Sở Ngoại vụ: “…” [1]"), or the first of several plans' parts: not a sentence that answers."""
    line = line.strip()
    if line.startswith(("“", "- “")):
        return True
    label, sep, rest = line.partition(":")
    return bool(sep) and "“" not in label and "[" not in label and rest.strip().startswith("“")


def _matches(patterns: Sequence[re.Pattern], texts: Sequence[str]) -> list[str]:
    """What the patterns match in the texts, the earlier patterns (the more specific) first,
    each span once."""
    found: list[tuple[int, int, int, int, str]] = []
    for k, p in enumerate(patterns):
        for i, text in enumerate(texts):
            for m in p.finditer(text):
                found.append((k, i, m.start(), -(m.end() - m.start()), " ".join(m.group(0).split())))
    found.sort()
    out: list[str] = []
    taken: list[tuple[int, int, int]] = []
    for _, i, start, neg, value in found:
        end = start - neg
        if any(j == i and start < e and s < end for j, s, e in taken):
            continue  # inside a longer match
        taken.append((i, start, end))
        if value.lower() not in (v.lower() for v in out):
            out.append(value)
    return out


def english(value: str) -> str:
    for pattern, words in vocabulary().en:
        value = pattern.sub(words, value)
    return " ".join(value.split())


def facts(texts: Sequence[str], lang: str) -> dict[str, list[str]]:
    """The agencies, figures and dates the texts state, in order, each kind within its limit."""
    vocab = vocabulary()
    agencies: dict[str, str] = {}
    groups: dict[str, str] = {}
    for text in texts:
        for m in find_agencies(text):
            name = m.agency.bilingual() if lang == "en" else m.agency.vi
            (groups if m.agency.group else agencies).setdefault(m.agency.id, name)
    out = {
        "agencies": list((agencies or groups).values()),
        "figures": _matches(vocab.figures, texts),
        "dates": _matches(vocab.dates, texts),
        "funds": _matches(vocab.funds, texts),
    }
    if lang == "en":
        out = {k: v if k == "agencies" else [english(x) for x in v] for k, v in out.items()}
    return {k: list(dict.fromkeys(v))[: vocab.limit.get(k, 3)] for k, v in out.items()}


def lead_sentence(
    lines: Sequence[str], citations: Sequence, province: str, intent: str, lang: str
) -> str | None:
    """The sentence to put before `lines` when their first line opens with a quote, else None.
    `citations`: the answer's citations so far (markers resolve to their passages)."""
    if not lines or not opens_with_quote(lines[0]):
        return None
    by_marker = {c.marker: c for c in citations}
    markers = [int(m) for m in MARKER.findall(lines[0]) if int(m) in by_marker]
    if not markers:
        return None
    cite = " ".join(f"[{m}]" for m in dict.fromkeys(markers))
    label = lines[0].partition("“")[0]
    texts = [label, *QUOTE.findall(lines[0])]  # what the line shows, not the whole passage
    found = facts(texts, lang)
    first = _FIRST.get(intent)
    order = ([first] if first else []) + [k for k in _KINDS if k != first]
    named = [t(lang, f"fact_{k}", items=", ".join(found[k])) for k in order if found[k]]
    if named:
        return t(lang, "lead_facts", province=province, facts="; ".join(named), cite=cite)
    heading = clip_to(by_marker[markers[0]].section.split(" › ")[-1], HEADING_CHARS)
    return t(lang, "lead_where", province=province, heading=heading, cite=cite)
