"""The general answer: the plan's sentences that cover most of the question, with their lists."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from assistant.answers import Part
from assistant.citations import MARKER, CitationSet
from assistant.evidence import MIN_OVERLAP, Evidence, clip, plan_line
from assistant.facts import PlanFacts
from assistant.outline import outline_of
from assistant.templates import t
from assistant.understand import Query
from corpus import Plan
from index.structure import own_text

#: An introducing line ("… gồm:") shows at most this many of the items it lists.
LISTED_ITEMS = 8
#: A quote of the plan's words and the marker of its passage: “…” [3]
_QUOTE_CITED = re.compile(r"“[^“”]*”\s*\[(\d+)\]")


def general(
    ev: Evidence,
    pf: PlanFacts,
    q: Query,
    c: CitationSet,
    lang: str,
    hits,
    cue: str | None = None,
    pool=None,
) -> Part:
    """The best lines for the question; `pool`: only among these sentences (an activity's)."""
    part = Part(missing=t(lang, "what_general"))
    best = ev.best_sentences(q, pf.plan.id, hits, k=3, cue=cue, pool=pool)
    ranked = [x for x in best if x[0] >= MIN_OVERLAP]
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


def with_listed(
    lines: Sequence[str], c: CitationSet, plans: Mapping[str, Plan], lang: str, pinned: Sequence[int] = ()
) -> tuple[list[str], tuple[int, ...]]:
    """The lines with each quoted line that introduces a list ("… gồm:", "… như sau:") followed
    by the items it lists (at most LISTED_ITEMS, then how many more), its passage extended over
    them; `pinned` (line indexes) moved with the lines. A quote already followed by its list
    (uncited "- " lines) is left as it is."""
    by_marker = {x.marker: x for x in c.citations}
    out: list[str] = []
    moved: dict[int, int] = {}
    renamed: dict[str, str] = {}
    for i, line in enumerate(lines):
        moved[i] = len(out)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        listed = nxt.lstrip().startswith("- ") and not MARKER.search(nxt)
        found = None
        for m in _QUOTE_CITED.finditer(line):
            cit = by_marker.get(int(m.group(1)))
            if cit is not None and not listed and cit.text.rstrip().endswith(":"):
                found = (m, cit)
        if found is None:
            out.append(line)
            continue
        m, cit = found
        ol = outline_of(plans[cit.plan])
        items = ol.listed_under(cit.start, cit.end)
        if not items:
            out.append(line)
            continue
        text = plans[cit.plan].text
        shown = items[:LISTED_ITEMS]
        marker = c.cite(cit.plan, cit.start, max(cit.end, shown[-1].end), cit.section)
        renamed[m.group(0)[m.group(0).rindex("[") :]] = marker
        out.append(line[: m.start()] + m.group(0).replace(f"[{cit.marker}]", marker) + line[m.end() :])
        indent = "  " if line.lstrip().startswith("- ") else ""
        for node in shown:
            start, end = own_text(text, node)
            out.append(f"{indent}- {clip(text[start:end])}")
        if len(items) > LISTED_ITEMS:
            out.append(indent + t(lang, "more_items", n=len(items) - LISTED_ITEMS))
    if renamed:  # other lines citing the introducing line alone cite it with its list
        pattern = re.compile("|".join(re.escape(k) for k in renamed))
        out = [pattern.sub(lambda x: renamed[x.group(0)], line) for line in out]
    return out, tuple(moved[i] for i in pinned if i in moved)
