"""The general answer: the plan's sentences that cover most of the question, with their lists."""

from __future__ import annotations

from assistant.answers import Part
from assistant.citations import CitationSet
from assistant.evidence import MIN_OVERLAP, Evidence, clip, plan_line
from assistant.facts import PlanFacts
from assistant.templates import t
from assistant.understand import Query


def general(
    ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits, cue: str | None = None
) -> Part:
    part = Part(missing=t(lang, "what_general"))
    ranked = [x for x in ev.best_sentences(q, pf.plan.id, hits, k=3, cue=cue) if x[0] >= MIN_OVERLAP]
    if not ranked:
        return part
    top = ranked[0][0]
    ranked = [x for x in ranked if x[0] >= top - 0.2]
    for s in ev.with_siblings(ranked[:2], q):
        items, end = ev.list_after(s)
        if items:
            cite = c.cite(s.plan, s.line_start, end, s.section)
            part.lines.append(ev.in_context(pf, s, lang) + t(lang, "quote", line=clip(s.text), cite=cite))
            part.lines += [f"- {clip(plan_line(ev.plans[s.plan], x))}" for x in items]
        else:
            quote = t(lang, "quote", line=clip(s.text), cite=ev.cite_sentence(c, s))
            part.lines.append(ev.in_context(pf, s, lang) + quote)
    part.found = True
    part.extractive = True
    part.score = top
    return part
