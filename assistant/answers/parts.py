"""Answers read from the plan's outline: a part and its items, a count of items, a summary."""

from __future__ import annotations

import dataclasses

from assistant.answerability import content_units
from assistant.answers import Part
from assistant.answers.general import general
from assistant.answers.what import funding, target
from assistant.answers.who import overall_lead
from assistant.citations import CitationSet
from assistant.evidence import Evidence, clip
from assistant.facts import PlanFacts
from assistant.outline import Item, heading_words, outline_of
from assistant.shapes import vocabulary
from assistant.templates import t
from assistant.understand import Query, topic_by_id

#: Items shown by default (the rest are counted; the UI can show the whole part).
MAX_ITEMS = 10
FEW_ITEMS = 4
ITEM_CHARS = 220
FULL_CHARS = 600


def _item_line(c: CitationSet, item: Item, lang: str) -> str:
    limit = FULL_CHARS if item.text == item.full else ITEM_CHARS
    text = item.text if len(item.text) <= limit else clip(item.text[:limit])
    return t(lang, "item", text=text, cite=c.cite(item.plan, item.start, item.end, item.section))


def _items(c: CitationSet, items, lang: str, head=None) -> list[str]:
    """One line per item (the first few in full); with `head`, the first item's citation starts at the
    part's heading, so the heading and its first item are one passage."""
    if 0 < len(items) <= FEW_ITEMS:  # a few items: each in full (it is the answer)
        items = [dataclasses.replace(x, text=x.full) for x in items]
    if head is not None and items:
        items = [dataclasses.replace(items[0], start=head.start), *items[1:]]
    lines = [_item_line(c, x, lang) for x in items[:MAX_ITEMS]]
    if len(items) > MAX_ITEMS:
        lines.append(t(lang, "more_items", n=len(items) - MAX_ITEMS))
    return lines


def section(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
    """The part the question names, answered with its items (headings or first sentences)."""
    kind = q.section
    asked = t(lang, f"asked_{kind}")
    if kind == "funding":
        return funding(ev, pf, q, c, lang, hits)
    if kind == "reporting":
        return reporting(ev, pf, q, c, lang, hits)
    out = Part(missing=t(lang, "what_section", asked=asked), structural=True)
    ol = outline_of(pf.plan)
    found = ol.find(kind)
    groups = [topic_by_id(x).vi for x in q.topics]
    subs = [ol.within(part, groups) if groups else None for part in found]
    specific = any(not u.label.startswith("topic:") for u in content_units(q, ev.sentences.idf))
    if not found or specific or (groups and not any(subs)):
        # the plan has no such part, or the question asks something within it: the best lines
        got = (target if kind.startswith("objective") else general)(ev, pf, q, c, lang, hits)
        got.missing = got.missing or out.missing
        return got
    province = pf.plan.province
    for part, sub in list(zip(found, subs, strict=True))[:2]:
        if sub is not None:
            items = ol.items(sub)
            label = vocabulary().sections["content"].heading
            content = [
                x
                for x in items
                if x.node.kind == "letter" and heading_words(x.node, pf.plan.text).startswith(label)
            ]
            if content and content[0].children:  # an activity: its content items, not its labels
                items = ol.items(content[0].node)
            head = pf.plan.text[sub.line_start : sub.line_end].rstrip(":").strip()
            out.lines.append(
                t(lang, "section_sub", heading=part.heading, sub=head, n=len(items), province=province)
            )
            out.lines += _items(c, items, lang)
        elif part.items:
            key = "section_intro" if part.exact else "section_fallback"
            out.lines.append(
                t(lang, key, heading=part.heading, n=len(part.items), province=province, asked=asked)
            )
            out.lines += _items(c, part.items, lang, head=part)
        else:
            cite = c.cite(pf.plan.id, part.node.start, part.node.end, part.section)
            out.lines.append(t(lang, "section_para", heading=part.heading, province=province) + f" {cite}")
        out.found = True
    return out


def count(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
    """The number of items of the part the counted noun names, then the items, cited."""
    kind = q.section
    province = pf.plan.province
    out = Part(missing=t(lang, "what_section", asked=t(lang, f"asked_{kind}")), structural=True)
    ol = outline_of(pf.plan)
    if kind == "parts":
        parts = [ol.part(n) for n in ol.body_parts()]
        if parts:
            out.lines.append(t(lang, "count_parts", n=len(parts), province=province))
            for p in parts:
                out.lines.append(
                    t(lang, "item", text=p.heading, cite=c.cite(p.plan, p.start, p.end, p.section))
                )
            out.found = True
        return out
    if kind == "documents":
        refs: dict[str, object] = {}
        for s in pf.statements:
            if s.kind in ("basis", "legal_ref"):
                refs.setdefault(s.value, s.context or s.span)
        if refs:
            out.lines.append(t(lang, "count_documents", n=len(refs), province=province))
            for value, span in list(refs.items())[:MAX_ITEMS]:
                out.lines.append(t(lang, "item", text=value, cite=ev.cite_line(c, span)))
            if len(refs) > MAX_ITEMS:
                out.lines.append(t(lang, "more_items", n=len(refs) - MAX_ITEMS))
            out.found = True
        return out
    found = ol.find("organization" if kind == "agencies" else kind)
    if not found:
        return out
    part = found[0]
    items = list(part.items)
    if not items:
        return out
    noun = t(lang, f"noun_{kind}") if kind != "agencies" else ""
    if kind == "agencies":
        out.lines.append(t(lang, "count_agencies", n=len(items), province=province, heading=part.heading))
        out.lines += _items(c, items, lang, head=part)
    elif all(x.children for x in items) and len(items) <= 4:
        total = sum(x.children for x in items)
        out.lines.append(
            t(
                lang,
                "count_groups",
                n=len(items),
                total=total,
                noun=noun,
                province=province,
                heading=part.heading,
            )
        )
        for i, x in enumerate(items):  # the first group's passage starts at the part's heading
            cite = c.cite(x.plan, part.start if i == 0 else x.start, x.end, x.section)
            out.lines.append(t(lang, "count_group_item", text=x.text, k=x.children, cite=cite))
    else:
        out.lines.append(
            t(lang, "count_lead", n=len(items), noun=noun, province=province, heading=part.heading)
        )
        out.lines += _items(c, items, lang, head=part)
    out.found = True
    return out


def summary(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
    """A part's items when a part is named; else the plan's outline, one cited line per part."""
    if q.section:
        return section(ev, pf, q, c, lang, hits)
    out = Part(missing=t(lang, "what_general"), structural=True)
    ol = outline_of(pf.plan)
    parts = [ol.part(n) for n in ol.body_parts()]
    if not parts:
        return general(ev, pf, q, c, lang, hits)
    out.lines.append(t(lang, "summary_lead", province=pf.plan.province, title=pf.plan.title, n=len(parts)))
    for p in parts:
        heads = [x.text for x in p.items if x.children or len(x.text) <= 80]
        if heads and len(heads) == len(p.items):
            shown = clip("; ".join(heads))
        else:
            shown = t(lang, "summary_items", n=len(p.items)) if p.items else ""
        cite = c.cite(p.plan, p.start, p.end, p.section)
        out.lines.append(
            t(lang, "summary_part", heading=p.heading, items=shown, cite=cite).replace(":  [", ": [")
        )
    # who leads it and when it reports: what an official asks next
    out.lines += overall_lead(ev, pf, c, lang).lines[:1]
    out.lines += [
        t(lang, "deadline", line=clip(s.span.text), cite=ev.cite_line(c, s.span))
        for s in pf.of_kind("deadline")[:1]
    ]
    out.found = True
    return out


def reporting(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
    """What the plan says about reporting: its deadlines first, then the lines that ask for reports."""
    out = Part(missing=t(lang, "what_section", asked=t(lang, "asked_reporting")))
    deadlines = [s for s in pf.of_kind("deadline")]
    shown: set[tuple[int, int]] = set()
    for s in deadlines:
        line = ev.line_of(s.span)
        key = (line.line_start, line.line_end) if line else (s.span.start, s.span.end)
        if key in shown:
            continue
        shown.add(key)
        out.lines.append(t(lang, "deadline", line=clip(s.span.text), cite=ev.cite_line(c, s.span)))
    org = [(p.node.start, p.node.end) for p in outline_of(pf.plan).find("organization")]
    for s in ev.sentences.of_plan(pf.plan.id):
        if len(out.lines) >= 4:
            break
        if "bao cao" not in s.folded or s.heading or (s.line_start, s.line_end) in shown:
            continue
        if not any(a <= s.start and s.end <= b for a, b in org):
            continue
        shown.add((s.line_start, s.line_end))
        out.lines.append(
            ev.in_context(pf, s, lang) + t(lang, "quote", line=clip(s.text), cite=ev.cite_sentence(c, s))
        )
    out.found = bool(out.lines)
    out.structural = out.found
    return out
