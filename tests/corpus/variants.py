"""Layout variants of a real plan, generated from its text: the same content written the way
other provincial plans write it (numbering, headings, label synonyms, hard wraps, prose)."""

from __future__ import annotations

import re
import textwrap

from assistant.facts import PlanFacts, extract_facts, part_role
from corpus import Plan
from corpus.normal import fold_words
from index.structure import LINE_MARKER, parse_plan


def _at_line_start(pattern: str, repl, doc: str):
    """A layout change: what `pattern` matches at a line's start becomes `repl`."""

    def change(text: str) -> str:
        return re.sub(pattern, repl, text, flags=re.MULTILINE)

    change.__doc__ = doc
    return change


def _sentence_case(m: re.Match) -> str:
    head = m.group(3)
    return f"{m.group(1)}{m.group(2)}{head[:1]}{head[1:].lower()}"


_ITEM, _LETTER, _BULLET, _ROMAN = (
    r"^(\s*)(\d{1,2})\.\s",
    r"^(\s*)([a-gđ])[.)]\s",
    r"^(\s*)-\s*",
    r"^(\s*)([IVX]{1,5})\.\s",
)
items_paren = _at_line_start(_ITEM, r"\1\2) ", "'1. ' → '1) '.")
letters_dash = _at_line_start(_LETTER, r"\1\2- ", "'a) ' / 'a. ' → 'a- '.")
letters_slash = _at_line_start(_LETTER, r"\1\2/ ", "'a) ' / 'a. ' → 'a/ '.")
bullets_plus = _at_line_start(_BULLET, r"\1+ ", "'- ' → '+ '.")
bullets_dot = _at_line_start(_BULLET, r"\1• ", "'- ' → '• '.")
roman_dash = _at_line_start(_ROMAN, r"\1\2 - ", "'II. ' → 'II - '.")
roman_part = _at_line_start(_ROMAN, r"\1PHẦN \2. ", "'II. ' → 'PHẦN II. '.")
title_case = _at_line_start(
    r"^(\s*)([IVX]{1,5}\.\s+)([^\n]+)$",
    _sentence_case,
    "Upper-case part headings ('IV. TỔ CHỨC THỰC HIỆN') in sentence case.",
)


_SYNONYMS = (
    ("Cơ quan chủ trì thực hiện", "Cơ quan chủ trì tổ chức thực hiện"),
    ("Đơn vị chủ trì tham mưu, thực hiện", "Cơ quan, đơn vị chủ trì"),
    ("Cơ quan phối hợp thực hiện", "Cơ quan phối hợp chính"),
    ("Đơn vị phối hợp thực hiện", "Đơn vị phối hợp"),
    ("Thời gian thực hiện", "Thời hạn thực hiện"),
)


def synonyms(text: str) -> str:
    for old, new in _SYNONYMS:
        text = text.replace(old, new)
    return text


def hard_wrapped(text: str, width: int = 80) -> str:
    """Every line cut at `width` characters, as text extracted from a PDF comes."""
    out = []
    for line in text.splitlines():
        out.extend(textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [""])
    return "\n".join(out) + "\n"


def new_province(text: str, old: str, new: str) -> str:
    return text.replace(old, new).replace(old.upper(), new.upper())


def prose(plan: Plan) -> str:
    """Labels rewritten as sentences ('Sở X chủ trì, phối hợp với Y thực hiện.'), agency
    entries as 'Sở X có trách nhiệm …' sentences."""
    text = plan.text
    facts = extract_facts(plan)
    cuts: list[tuple[int, int, str]] = []
    for a in facts.activities:
        if not a.lead_span or not a.leads:
            continue
        sentence = f"{', '.join(a.leads)} chủ trì"
        if a.coordinators:
            sentence += f", phối hợp với {', '.join(a.coordinators)} thực hiện"
        sentence += "."
        cuts.append((a.lead_span.start, a.lead_span.end, sentence))
        if a.coordinator_span and a.coordinator_span.start != a.lead_span.start:
            cuts.append((a.coordinator_span.start, a.coordinator_span.end, ""))
    for d in facts.duties:
        if not d.agencies or d.span.text.startswith("Đề nghị"):
            continue
        duties = [re.sub(r"^[-+*•]\s*", "", x.text).rstrip(".;") for x in d.duties]
        if len(d.duties) == 1 and d.duties[0] == d.span:
            continue
        body = "; ".join(x[:1].lower() + x[1:] for x in duties)
        cuts.append((d.span.start, d.span.end, f"{d.heading} có trách nhiệm {body}."))
    for start, end, new in sorted(cuts, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def signature(facts: PlanFacts, old: str = "", new: str = "") -> dict:
    """The facts a variant must keep: leads, coordinators, implementers, duties, deadlines,
    legal references (whitespace-normalised; a renamed province renamed back)."""

    def n(s: str) -> str:
        s = " ".join(s.split())
        return s.replace(new, old).replace(new.upper(), old.upper()) if new else s

    return {
        "leads": sorted((n(a.title), tuple(map(n, a.leads))) for a in facts.activities),
        "coordinators": sorted((n(a.title), tuple(map(n, a.coordinators))) for a in facts.activities),
        "implementers": sorted((n(a.title), tuple(map(n, a.implementers))) for a in facts.activities),
        "duties": sorted(
            (
                fold_words(n(d.heading)),
                tuple(fold_words(n(LINE_MARKER.sub("", x.text, count=1))) for x in d.duties),
            )
            for d in facts.duties
        ),
        "deadlines": sorted(n(s.value) for s in facts.of_kind("deadline")),
        "legal": sorted(n(s.value) for s in facts.statements if s.kind in ("legal_ref", "basis")),
    }


def implementation_heads(text: str) -> list[str]:
    root = parse_plan(text)
    return [n.label for n in root.children if part_role(n.label) == "implementation"]
