"""Compose the deterministic answer: per intent and province, from the structured facts and
the best sentences, each sentence with the markers of the passages it rests on."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from assistant.answers import Part
from assistant.answers.documents import issuer, legal_basis
from assistant.answers.general import general
from assistant.answers.what import funding, target, timing
from assistant.answers.who import agency_duty, lead
from assistant.citations import CitationSet
from assistant.evidence import Evidence
from assistant.facts import PlanFacts
from assistant.retrieval import Hit
from assistant.sentences import SentenceIndex
from assistant.templates import t
from assistant.text import fold
from assistant.understand import Query, province_named, unit_phrase
from corpus import Plan

__all__ = ["Composed", "Composer", "Part", "t"]

#: The answer per intent; any other intent gets the general answer.
HANDLERS = {
    "lead": lead,
    "coordinate": partial(lead, coordinate=True),
    "agency_duty": agency_duty,
    "timing": timing,
    "funding": funding,
    "target": target,
    "legal_basis": legal_basis,
    "issuer": issuer,
}


@dataclass
class Composed:
    text: str
    abstained: bool
    citations: list


class Composer:
    def __init__(self, plans: dict[str, Plan], facts: dict[str, PlanFacts], sentences: SentenceIndex, chunks):
        self.plans = plans
        self.facts = facts
        self.sentences = sentences
        self.chunks = chunks
        self.evidence = Evidence(plans, facts, sentences, chunks)

    def compose(self, q: Query, scope: Sequence[str], hits: Sequence[Hit], lang: str) -> Composed:
        c = CitationSet(self.plans, self.chunks)

        def held() -> str:  # only when needed: the list grows with the corpus
            return ", ".join(p.province for p in self.plans.values())

        if q.unknown_provinces and not q.provinces:
            text = t(lang, "unknown_province", names=", ".join(q.unknown_provinces), held=held())
            return Composed(text, True, [])
        if _asks_which_plans(q):
            names = ", ".join(p.province for p in self.plans.values())
            return Composed(t(lang, "plans_held", n=len(self.plans), names=names), False, [])
        intent = q.effective_intent
        parts: list[tuple[Plan, Part]] = []
        handler = HANDLERS.get(intent, general)
        for pid in scope:
            pf = self.facts[pid]
            part = handler(self.evidence, pf, q, c, lang, hits)
            parts.append((pf.plan, part))
        found = [(p, part) for p, part in parts if part.found]
        lines: list[str] = []
        several = len(scope) > 1
        for plan, part in parts:
            if not part.found:
                if several and len(found) > 0 and not q.compare:
                    continue  # a question over all plans: list the plans that say something
                if part.lines:  # e.g. an activity that names no lead
                    lines += (
                        [t(lang, "province_header", province=plan.province)] if several else []
                    ) + part.lines
                lines.append(
                    t(
                        lang,
                        "not_stated",
                        province=plan.province,
                        what=part.missing or t(lang, "what_general"),
                    )
                )
                continue
            if plan.id in q.successors:
                lines.append(_merged_header(lang, plan, q.successors[plan.id]))
            elif several:
                lines.append(t(lang, "province_header", province=plan.province))
            lines += part.lines
        if q.unknown_provinces:
            lines.append(t(lang, "unknown_province", names=", ".join(q.unknown_provinces), held=held()))
        abstained = not found
        if abstained and not lines:
            provinces = ", ".join(self.plans[p].province for p in scope)
            lines.append(t(lang, "not_stated_any", provinces=provinces, what=t(lang, "what_general")))
        return Composed("\n".join(lines), abstained, c.citations)


def _merged_header(lang: str, plan: Plan, now: str) -> str:
    """'Kế hoạch của tỉnh Kiên Giang (nay thuộc tỉnh An Giang):' for a plan found by the new unit."""
    old, new = province_named(plan.province), province_named(now)
    return t(
        lang,
        "merged_province",
        old=unit_phrase(old) if old else plan.province,
        new=unit_phrase(new) if new else now,
        old_en=plan.province_en or plan.province,
        new_en=new.en if new else now,
    )


def _asks_which_plans(q: Query) -> bool:
    f = fold(q.text)
    return (
        bool(
            re.search(
                r"(tinh nao|nhung tinh|may tinh|bao nhieu tinh).*(du lieu|ke hoach nao|co ke hoach|ban co|tro ly co)",
                f,
            )
            or re.search(
                r"which (provinces|plans) (do you|are|does)|what plans do you|which provinces are covered", f
            )
        )
        and q.intent is None
    )
