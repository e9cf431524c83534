"""Answers read from the plan's outline: a part and its items, a count of items, a summary."""

from __future__ import annotations

import dataclasses
import re
from functools import partial

from assistant.agencies import find_agencies
from assistant.answerability import content_units, coverage
from assistant.answers import Part
from assistant.answers.general import general
from assistant.answers.what import funding, target, timing
from assistant.answers.who import lead, overall_lead
from assistant.citations import MARKER, CitationSet
from assistant.evidence import MIN_OVERLAP, Evidence, clip
from assistant.facts import PlanFacts
from assistant.outline import Item, Outline, heading_words, opening, outline_of
from assistant.outline import Part as OutlinePart
from assistant.shapes import group_named, numbered_path, qualifier, sections_named, vocabulary
from assistant.templates import t
from assistant.text import fold
from assistant.types import ListedItem
from assistant.understand import Query, topic_by_id
from index.lexical import lexical_tokens
from index.structure import Section, own_text, sentence_spans

#: Items shown by default (the rest are counted; the UI can show the whole part).
MAX_ITEMS = 10
FEW_ITEMS = 4
ITEM_CHARS = 300
#: An item under a group shown with its part (a part of a few groups) is cut to this length.
SUB_CHARS = 220
FULL_CHARS = 1200
#: A summary shows this many items of each part, each cut to this length.
SUMMARY_ITEMS = 8
SUMMARY_CHARS = 110
#: A question about one line of a part: this many content words beyond the part's name,
#: this share of them on one line.
WITHIN_UNITS = 3
WITHIN_SHARE = 0.6
#: A group item (with items below it) is cited whole up to this length, else by its heading.
GROUP_CHARS = 3000
#: An agency's entry longer than this is shown up to the last body it names.
AGENCY_CHARS = 100


def _group_cited(x: Item, text: str) -> Item:
    """A group (an agency's entry, an activity) is cited whole when short enough to read, else
    by its opening lines (its heading down to its first line of content)."""
    if not x.children:
        return x
    if x.node.end - x.start <= GROUP_CHARS:
        return dataclasses.replace(x, end=x.node.end)
    return dataclasses.replace(x, end=max(x.end, opening(text, x.start, x.node.end)))


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _item_line(c: CitationSet, item: Item, lang: str, limit: int = ITEM_CHARS) -> str:
    text = _shorten(item.text, limit)
    return t(lang, "item", text=text, cite=c.cite(item.plan, item.start, item.end, item.section))


def _opening_cited(x: Item, c: CitationSet) -> Item:
    return dataclasses.replace(x, end=max(x.end, opening(c.plans[x.plan].text, x.start, x.node.end)))


def _activity(x: Item, c: CitationSet) -> bool:
    """An activity ("1. Công tác tuyên truyền": its content, lead and partner labels), read whole."""
    label = vocabulary().sections["content"].heading
    text = c.plans[x.plan].text
    return any(n.kind == "letter" and heading_words(n, text).startswith(label) for n in x.node.children)


def _items(c: CitationSet, items, lang: str, head=None, expand: bool = False) -> list[str]:
    """One line per item: a group's heading, else the item's text (a few items: each in full);
    with `head`, the first item's citation starts at the part's heading, so the heading and its
    first item are one passage; with `expand`, a few groups ("1. Mục tiêu chung", "2. Mục tiêu
    cụ thể") each with its own items under it, so the part's content shows, not only its headings."""
    few = 0 < len(items) <= FEW_ITEMS
    grouped = expand and few and all(x.children and not _activity(x, c) for x in items)
    items = [x if x.children and not few else dataclasses.replace(x, text=x.full) for x in items]
    # a group (an agency's entry, an activity) is cited whole when short enough to read; a
    # group whose items follow is cited by its opening lines (its heading, its first line)
    items = [_opening_cited(x, c) if grouped else _group_cited(x, c.plans[x.plan].text) for x in items]
    if head is not None and items:
        items = [dataclasses.replace(items[0], start=head.start), *items[1:]]
    limit = FULL_CHARS if few else ITEM_CHARS
    lines = []
    for x in items[:MAX_ITEMS]:
        lines.append(_item_line(c, x, lang, limit))
        if grouped:
            subs = outline_of(c.plans[x.plan]).items(x.node)
            lines += [f"  {_item_line(c, y, lang, SUB_CHARS)}" for y in subs[:MAX_ITEMS]]
            if len(subs) > MAX_ITEMS:
                lines.append("  " + t(lang, "more_items", n=len(subs) - MAX_ITEMS))
    if len(items) > MAX_ITEMS:
        lines.append(t(lang, "more_items", n=len(items) - MAX_ITEMS))
    return lines


def narrowed(ol: Outline, part: OutlinePart, q: Query) -> Section | None:
    """The group under the part that the question names by a qualifier ("giải pháp chung" →
    "1. Giải pháp chung": a group heading that starts with the part's name and goes on with
    the qualifier's first words), or None."""
    words = qualifier(q.rest, q.section, q.lang).split()
    spec = vocabulary().sections.get(q.section)
    if not words or spec is None:
        return None
    names = [p.split() for p in (*spec.heading, *spec.fallback)]
    best, best_n = None, 0
    for n in part.node.children:
        if n.kind not in ("item", "letter", "star") or not n.children:
            continue
        head = heading_words(n, ol.plan.text).split()
        for name in names:
            if head[: len(name)] != name:
                continue
            rest = head[len(name) :]
            for k in range(len(words), best_n, -1):  # the longest run of the qualifier it holds
                if any(rest[i : i + k] == words[:k] for i in range(len(rest))):
                    best, best_n = n, k
                    break
    return best


def _asks_within(ol: Outline, found: list[OutlinePart], q: Query, ev: Evidence) -> bool:
    """Whether the question asks about one line inside the part ("mục tiêu về các trường được
    đầu tư nghề trọng điểm"): several content words beyond the part's name, most of them met by
    one line of it. A word or two ("liệt kê đầy đủ") does not make a question specific."""
    heads = frozenset(t for p in found for t in lexical_tokens(f"{p.section} {p.heading}"))
    units = [u for u in content_units(q, ev.sentences.idf) if not u.met(heads)]
    if len(units) < WITHIN_UNITS:
        return False
    text = ol.plan.text
    return any(
        coverage(units, [text[n.line_start : n.line_end]]) >= WITHIN_SHARE
        for p in found
        for n in p.node.walk()
        if n is not p.node
    )


def _found(ol: Outline, q: Query, kind: str) -> list[OutlinePart]:
    """The parts of this kind, each narrowed to the group the question names (if any)."""
    if kind == "numbered":  # "section II": the top part with that number; "III.2.b": that node
        path = numbered_path(q.rest)
        if len(path) > 1:
            node = ol.at(path)
            if node is None:
                return []
            heads = [ol.part(ol.at(path[: i + 1])).heading for i in range(len(path))]
            return [dataclasses.replace(ol.part(node), heading=" › ".join(heads))]
        m = vocabulary().sections[kind].ask.search(q.rest)
        number = m.group(0).split()[-1].upper() if m else ""
        return [ol.part(n) for n in ol.body_parts() if number and n.marker.upper() == number]
    out = []
    for part in ol.find(kind):
        if not part.exact and _names_heading(ol, part, q, kind):
            part = dataclasses.replace(part, exact=True)  # "mục đích của kế hoạch": "1. Mục đích"
        sub = narrowed(ol, part, q)
        if sub is not None:
            group = ol.part(sub, part.exact)
            part = dataclasses.replace(group, heading=f"{part.heading} › {group.heading}")
        out.append(part)
    return out


def _missing_group(ol: Outline, found: list[OutlinePart], q: Query, lang: str) -> str:
    """How the answer names the common group the question asks of the part ("giải pháp cho
    từng lĩnh vực") when the plan's part has none; "" when it has it or none is asked."""
    key = group_named(q.rest, q.section, q.lang)
    if not key or any(key in heading_words(p.node, ol.plan.text) for p in found):
        return ""
    return vocabulary().part_groups[key][lang]


def _is_purpose(ol: Outline, part: OutlinePart) -> bool:
    """Whether the part is the plan's purpose ("1. Mục đích"), its first objective heading."""
    purpose = vocabulary().sections["objective_general"].fallback[:1]
    return any(heading_words(part.node, ol.plan.text).startswith(p) for p in purpose)


def _names_heading(ol: Outline, part: OutlinePart, q: Query, kind: str) -> bool:
    """Whether the question names the fallback heading the part was found by, word for word."""
    head = heading_words(part.node, ol.plan.text)
    spec = vocabulary().sections[kind]

    def said(phrase: str) -> bool:
        english = vocabulary().heading_en.get(phrase) if q.lang == "en" else None
        return bool(
            re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", q.rest)
            or (english is not None and english.search(q.rest))
        )

    # "mục tiêu cụ thể" names the kind's own heading, not its fallback "mục tiêu"
    own = [h for h in spec.heading if said(h)]
    return any(
        head.startswith(p) and said(p) and not any(h.startswith(p) for h in own) for p in spec.fallback
    )


def _beyond_part(q: Query, kind: str, ev: Evidence) -> bool:
    """Whether the question has content words beyond the part's name ("yêu cầu về đào tạo")."""
    spec = vocabulary().sections.get(kind)
    rest = spec.ask.sub(" ", q.rest) if spec else q.rest
    return bool(content_units(dataclasses.replace(q, rest=rest), ev.sentences.idf))


def _no_part(ol: Outline, pf: PlanFacts, c: CitationSet, lang: str, out: Part) -> Part:
    """The plan has no part of the kind asked: its parts, each cited, so the reader sees what
    it has instead (not found: the answer says the part is not stated)."""
    parts = [ol.part(n) for n in ol.body_parts()]
    if parts:
        names = "; ".join(f"{p.heading} {c.cite(p.plan, p.start, p.end, p.section)}" for p in parts)
        out.lines.append(t(lang, "plan_parts", province=pf.plan.province, n=len(parts), names=names))
    return out


def _ordinal(ol: Outline, pf: PlanFacts, part: OutlinePart, q: Query, c: CitationSet, lang: str) -> Part:
    """The one item asked for by its place ("giải pháp thứ 5"), in full."""
    out = Part(
        missing=t(lang, "what_item", k=q.ordinal, asked=t(lang, f"asked_{q.section}")), structural=True
    )
    items = list(part.items)
    if not 0 < q.ordinal <= len(items):
        return out
    x = items[q.ordinal - 1]
    sub = ol.items(x.node) if x.children else []
    out.lines.append(
        t(lang, "ordinal_lead", k=q.ordinal, n=len(items), heading=part.heading, province=pf.plan.province)
    )
    out.lines.append(
        t(lang, "item", text=_shorten(x.full, FULL_CHARS), cite=c.cite(x.plan, x.start, x.end, x.section))
    )
    out.lines += _items(c, sub, lang)
    out.listed = _listed(items)  # "còn thứ 6?" picks from the same part
    out.found = True
    return out


def _listed(items) -> list[ListedItem]:
    """The items a list shows, each as its whole node, for a follow-up that picks one by place."""
    return [ListedItem(x.plan, x.node.line_start, x.node.end, x.section, x.text) for x in items]


def _content_items(ol: Outline, part: OutlinePart) -> list[Item]:
    """An item's points: an activity's content items ("a) Nội dung hoạt động"), not its labels."""
    items = list(part.items)
    label = vocabulary().sections["content"].heading
    text = ol.plan.text
    content = [x for x in items if x.node.kind == "letter" and heading_words(x.node, text).startswith(label)]
    if content and content[0].children:
        items = ol.items(content[0].node)
    return items


def _whole(text: str, node: Section) -> int:
    """Where an item cited whole ends: its end when short enough to read, else its opening lines."""
    return node.end if node.end - node.start <= GROUP_CHARS else opening(text, node.start, node.end)


def _numbered(ol: Outline, pf: PlanFacts, part: OutlinePart, c: CitationSet, lang: str) -> Part:
    """An item named by its numbers ("II.1"): the item cited whole (its content, lead, time and
    funding lines), then its content items (an activity's "a) Nội dung hoạt động")."""
    out = Part(structural=True, found=True)
    node = part.node
    items = _content_items(ol, part)
    out.lines.append(
        t(lang, "numbered_item", heading=part.heading, province=pf.plan.province, n=len(items))
        + " "
        + c.cite(pf.plan.id, node.line_start, _whole(pf.plan.text, node), part.section)
    )
    out.lines += _items(c, items, lang)
    out.lines += _activity_fields(ol, part, c, lang)
    return out


def numbered_focus(q: Query, plans) -> Query:
    """A question naming one node of one plan by its markers ("Ai chủ trì mục II.7?", "What's
    in III.2.b?") is about that node: it becomes the query's focus, so what is asked of it (its
    lead, its time) is read from the node, and a follow-up ("đơn vị nào chủ trì nội dung đó?")
    asks of it too. `plans`: the plans by id."""
    own = q.rest.split(" | ")[-1]  # a follow-up's own words, not the last turn's
    path = numbered_path(own)
    if len(path) < 2 or len(q.provinces) != 1 or q.provinces[0] not in plans:
        return q
    if q.shape not in ("", "section", "summary") or (q.shape and q.section != "numbered"):
        return q
    node = outline_of(plans[q.provinces[0]]).at(path)
    if node is None:
        return q
    text = plans[q.provinces[0]].text
    label = text[node.line_start : node.line_end].rstrip(":").strip()
    focus = ListedItem(q.provinces[0], node.line_start, node.end, node.path_text, label)
    return dataclasses.replace(q, focus=focus, pick=0, listed=0)  # "item 3 in part V" is no place in a list


def _activity_fields(ol: Outline, part: OutlinePart, c: CitationSet, lang: str) -> list[str]:
    """An activity's labels beside its content ("b) Đơn vị thực hiện: …", "c) Thời gian thực
    hiện: …"), each with the lines under it and cited whole: who leads it, who takes part, when."""
    text = ol.plan.text
    label = vocabulary().sections["content"].heading
    letters = [x for x in part.items if x.node.kind == "letter"]
    if not any(heading_words(x.node, text).startswith(label) for x in letters):
        return []
    lines = []
    for x in letters:
        if heading_words(x.node, text).startswith(label):
            continue
        whole = " ".join(text[x.node.line_start : x.node.end].split())
        lines.append(_item_line(c, dataclasses.replace(x, text=whole, end=x.node.end), lang, FULL_CHARS))
    return lines


#: What a question about a picked item may ask of the activity it is: the field that answers it.
_ACTIVITY_FIELDS = {
    "lead": ("leads", "implementers"),
    "coordinate": ("coordinators",),
    "funding": ("funding",),  # asked of any item: the plan's funding when it states none of its own
    "timing": ("timing",),
}
_ACTIVITY_ANSWERS = {
    "lead": lead,
    "coordinate": partial(lead, coordinate=True),
    "funding": funding,
    "timing": timing,
}


def picked(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
    """The item a follow-up picks by its place in the last answer's list ("Nhiệm vụ thứ hai là
    gì?", "who leads the last one?"): the item cited whole with its points, as an item named by
    its numbers is; asked who leads it, who takes part, its funding or its time, the answer for
    the activity it is when the plan states that, else the item and what it does not state."""
    item = q.focus
    intent = q.effective_intent
    fields = _ACTIVITY_FIELDS.get(intent, ())
    acts = [a for a in ev.match_activities(pf, q) if any(getattr(a, f) for f in fields)]
    if acts or intent == "funding":  # an item without its own funding: the plan's, said so
        got = _ACTIVITY_ANSWERS[intent](ev, pf, q, c, lang, hits)
        if got.found:  # read from the item picked: its words are not the question's content
            got.structural = True
            return got
    out = Part(structural=True, found=True)
    ol = outline_of(pf.plan)
    text = pf.plan.text
    node = next((n for n in ol.root.walk() if n.line_start == item.start and n.end == item.end), None)
    path = item.section.split(" › ")
    within = t(lang, "picked_part", heading=path[-2]) if len(path) > 1 else ""
    where = dict(k=q.pick, n=q.listed, province=pf.plan.province, part=within)
    named = not q.pick  # named by its markers ("mục II.7"), not picked from a list
    if node is None or not node.children:  # one line: the item itself, whole
        end = item.end if node is None else own_text(text, node)[1]
        cite = c.cite(pf.plan.id, item.start, end, item.section)
        line = _shorten(text[item.start : end], FULL_CHARS)
        key = "named_line" if named else "picked_line"
        out.lines.append(t(lang, key, line=line, cite=cite, **where))
    else:
        part = ol.part(node)
        items = _content_items(ol, part)
        cite = c.cite(pf.plan.id, node.line_start, _whole(text, node), part.section)
        if named:
            out.lines.append(
                t(lang, "numbered_item", heading=part.heading, n=len(items), province=pf.plan.province)
            )
            out.lines[-1] += f" {cite}"
        else:
            out.lines.append(t(lang, "picked_item", heading=part.heading, m=len(items), cite=cite, **where))
        out.lines += _items(c, items, lang)
        out.lines += _activity_fields(ol, part, c, lang) if named else []
    if fields:  # asked what the plan does not state for this item
        gap = t(lang, f"what_{intent}")
        out.gaps.append(gap)
        out.lines.append(t(lang, "not_stated", province=pf.plan.province, what=gap))
    return out


def section(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
    """The part the question names, answered with its items (headings or first sentences); a
    second part named beside it ("mục đích và yêu cầu") follows with its own items."""
    out = _section(ev, pf, q, c, lang, hits)
    if q.section == "numbered" or not out.found or "|" in q.rest:
        return out
    for kind in [k for k in sections_named(q.rest) if k not in (q.section, "numbered")][:1]:
        more = _section(ev, pf, dataclasses.replace(q, section=kind, ordinal=0), c, lang, hits)
        if more.found and more.structural:
            out.lines += [x for x in more.lines if x not in out.lines]
            out.listed = []
    return out


def _article(pf: PlanFacts, q: Query, c: CitationSet, lang: str) -> Part:
    """ "Điều 4 nói gì?": that article of the decision issuing the plan, cited whole."""
    out = Part(missing=t(lang, "what_section", asked=t(lang, "asked_article")), structural=True)
    number = re.compile(rf"\D*{q.ordinal}$")
    for n in outline_of(pf.plan).root.walk():
        if n.kind == "article" and number.match(n.marker):
            line = _shorten(pf.plan.text[n.line_start : n.end], ITEM_CHARS)
            cite = c.cite(pf.plan.id, n.line_start, n.end, n.path_text)
            out.lines.append(t(lang, "quote", line=line, cite=cite))
            out.found = True
            break
    return out


def _section(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
    kind = q.section
    asked = t(lang, f"asked_{kind}")
    if kind == "article":
        return _article(pf, q, c, lang)
    if kind == "reporting":
        return reporting(ev, pf, q, c, lang, hits)
    out = Part(missing=t(lang, "what_section", asked=asked), structural=True)
    ol = outline_of(pf.plan)
    found = _found(ol, q, kind)
    if kind == "funding" and not found:
        return funding(ev, pf, q, c, lang, hits)
    if found and q.ordinal:
        return _ordinal(ol, pf, found[0], q, c, lang)
    if found and kind == "numbered" and len(numbered_path(q.rest)) > 1:
        if vocabulary().list_agencies.search(fold(q.text)):
            # "list the organisations named in section V.8": the bodies the node names, when it names any
            named = _named_in(ol, pf, q, c, lang, out)
            if named.found:
                return named
        return _numbered(ol, pf, found[0], c, lang)
    # a topic the part's own heading names ("phần kinh phí": funding) is the part, not within it
    heads = " ".join(fold(p.heading) for p in found)
    groups = [topic_by_id(x).vi for x in q.topics if not any(fold(w) in heads for w in topic_by_id(x).vi)]
    subs = [ol.within(part, groups) if groups else None for part in found]
    if not found and not q.topics and not _beyond_part(q, kind, ev):
        return _no_part(ol, pf, c, lang, out)
    if not found or (groups and not any(subs)) or _asks_within(ol, found, q, ev):
        # the plan has no such part, or the question asks about a topic within it: the best lines
        got = (target if kind.startswith("objective") else general)(ev, pf, q, c, lang, hits)
        got.missing = got.missing or out.missing
        return got
    province = pf.plan.province
    missing = _missing_group(ol, found, q, lang)
    if missing and q.across:  # "which plans have solutions for each field?": not this one
        out.missing = t(lang, "what_group", asked=asked, group=missing)
        return out
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
            out.lines += _items(c, items, lang, expand=True)
            out.listed = [] if out.found else _listed(items)  # two lists: no one place to pick
        elif part.items:
            key = "section_intro" if part.exact else "section_fallback"
            if key == "section_fallback" and kind == "objective_general" and _is_purpose(ol, part):
                key = "section_purpose"  # "the main objective": the plan's purpose, said so
            intro = t(lang, key, heading=part.heading, n=len(part.items), province=province, asked=asked)
            if missing:  # "giải pháp cho từng lĩnh vực" where the part has no such group
                intro = (
                    t(lang, "section_nogroup", province=province, asked=asked, group=missing) + " " + intro
                )
            if part.node.end - part.node.start <= GROUP_CHARS:  # a short part is also cited whole
                intro += " " + c.cite(pf.plan.id, part.node.line_start, part.node.end, part.section)
            out.lines.append(intro)
            out.lines += _items(c, part.items, lang, head=part, expand=True)
            out.listed = [] if out.found else _listed(part.items)
        else:
            cite = c.cite(pf.plan.id, part.node.start, part.node.end, part.section)
            out.lines.append(t(lang, "section_para", heading=part.heading, province=province) + f" {cite}")
        out.found = True
    return out


def heading(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
    """The headings of the plan that name the question's topic ("5. Hội nhập ASEAN về lao động
    và xã hội"), each cited with its opening lines; none: the plan gives the topic no heading."""
    labels = [topic_by_id(x).label_en if lang == "en" else topic_by_id(x).label_vi for x in q.topics]
    out = Part(missing=t(lang, "what_heading", topic=", ".join(labels)), structural=True)
    phrases = [f" {fold(p)} " for x in q.topics for p in topic_by_id(x).vi]
    ol = outline_of(pf.plan)
    text = pf.plan.text

    def names_topic(n) -> bool:  # an agency's entry ("6. Sở Thông tin và Truyền thông") is not
        head = text[n.line_start : n.line_end]
        for m in find_agencies(head):
            head = head[: m.start] + " " * (m.end - m.start) + head[m.end :]
        words = f" {' '.join(re.sub(r'[^0-9a-z ]+', ' ', fold(head)).split())} "
        return any(p in words for p in phrases)

    found = [n for n in ol.root.walk() if n.children and n is not ol.root and names_topic(n)]
    found = [n for n in found if not any(m is not n and m.start <= n.start < m.end for m in found)]
    for n in found[:MAX_ITEMS]:
        end = n.end if n.end - n.start <= GROUP_CHARS else opening(text, n.start, n.end)
        head = text[n.line_start : n.line_end].rstrip(":").strip()
        cite = c.cite(pf.plan.id, n.line_start, end, n.path_text)
        out.lines.append(t(lang, "heading_found", heading=head, province=pf.plan.province, cite=cite))
    out.found = bool(found)
    if not found and q.yesno and not q.across:  # "No": the outline answers it, with where the topic comes up
        topic = ", ".join(labels)
        out.lines.append(t(lang, "heading_none", province=pf.plan.province, topic=topic))
        near = [s for score, s in ev.best_sentences(q, pf.plan.id, hits, k=1) if score >= MIN_OVERLAP]
        if near:
            out.lines.append(
                t(lang, "heading_mentioned")
                + " "
                + t(lang, "quote", line=clip(near[0].text), cite=ev.cite_sentence(c, near[0]))
            )
        out.found, out.verdict = True, "no"
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
            out.number = len(parts)
            out.listed = [
                ListedItem(p.plan, p.node.line_start, p.node.end, p.section, p.heading) for p in parts
            ]
            for p in parts:
                out.lines.append(
                    t(lang, "item", text=p.heading, cite=c.cite(p.plan, p.start, p.end, p.section))
                )
            out.found = True
        return out
    if kind == "articles":  # the decision's articles ("Điều 1. …"), each cited whole
        out.missing = t(lang, "asked_articles")
        articles = [n for n in ol.root.walk() if n.kind == "article"]
        if articles:
            out.lines.append(t(lang, "count_articles", n=len(articles), province=province))
            out.number = len(articles)
            text = pf.plan.text
            for n in articles[:MAX_ITEMS]:
                line = _shorten(text[n.line_start : n.end], ITEM_CHARS)
                out.lines.append(
                    t(lang, "item", text=line, cite=c.cite(pf.plan.id, n.line_start, n.end, n.path_text))
                )
            out.found = True
        return out
    if kind == "documents":
        parts = [(p.node.start, p.node.end) for p in ol.find(q.within)] if q.within else []
        refs: dict[str, tuple[str, object]] = {}
        for s in pf.statements:
            if s.kind not in ("basis", "legal_ref") or (q.within and not _inside(s.span, parts)):
                continue
            if pf.plan.decision_number and pf.plan.decision_number in s.value:
                continue  # the plan's own decision is not a document it cites
            refs.setdefault(re.sub(r"\s+", "", s.value), (s.value, s.context or s.span))
        if refs:
            where = t(lang, "in_part", heading=ol.find(q.within)[0].heading) if q.within else ""
            out.lines.append(t(lang, "count_documents", n=len(refs), province=province, where=where))
            out.number = len(refs)
            for value, span in list(refs.values())[:MAX_ITEMS]:
                out.lines.append(t(lang, "item", text=value, cite=ev.cite_line(c, span)))
            if len(refs) > MAX_ITEMS:
                out.lines.append(t(lang, "more_items", n=len(refs) - MAX_ITEMS))
            out.found = True
        return out
    if kind == "agencies" and len(numbered_path(q.rest)) > 1:
        return _named_in(ol, pf, q, c, lang, out)
    found = _found(ol, q, "organization" if kind == "agencies" else kind)
    if not found:
        return out
    part = found[0]
    items = list(part.items)
    if not items:
        return out
    noun = t(lang, f"noun_{kind}") if kind != "agencies" else ""
    out.number = len(items)
    out.listed = _listed(items)
    if kind == "agencies" and q.role and pf.activities:
        by_role = _by_role(pf, q.role, c, lang)
        if by_role:
            out.number = len(by_role)
            out.lines.append(t(lang, f"count_agencies_{q.role}", n=len(by_role), province=province))
            out.lines += by_role
            out.found = True
            return out
    if kind == "agencies":
        out.lines.append(t(lang, "count_agencies", n=len(items), province=province, heading=part.heading))
        shown = [_bilingual(x.text if x.children else x.full, lang) for x in items]
        named = [dataclasses.replace(x, text=n, full=n) for x, n in zip(items, shown, strict=True)]
        out.lines += _items(c, named, lang, head=part)
        out.lines += _activity_agencies(pf, items, c, lang)
    elif all(x.children for x in items) and len(items) <= 4:
        total = sum(x.children for x in items)
        out.number = total
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
            x = _group_cited(x, pf.plan.text)
            cite = c.cite(x.plan, part.start if i == 0 else x.start, x.end, x.section)
            out.lines.append(t(lang, "count_group_item", text=x.text, k=x.children, cite=cite))
    else:
        out.lines.append(
            t(lang, "count_lead", n=len(items), noun=noun, province=province, heading=part.heading)
        )
        out.lines += _items(c, items, lang, head=part)
    if not part.exact:  # counted in the nearest part: the lead (the first line) says so
        nearest = t(lang, "count_nearest", asked=t(lang, f"asked_{kind}"))
        out.lines[0] = out.lines[0].rstrip(":") + f" {nearest}:"
    out.found = True
    return out


def _named_in(ol: Outline, pf: PlanFacts, q: Query, c: CitationSet, lang: str, out: Part) -> Part:
    """The bodies one node names in its own words ("the organisations named in section V.8":
    "Mặt trận Tổ quốc, Liên đoàn Lao động, Hội Phụ nữ, …"), counted, each once as written and
    cited by the line that names it."""
    found = _found(ol, q, "numbered")
    if not found:
        return out
    node, text = found[0].node, pf.plan.text
    named: dict[str, tuple[int, int]] = {}
    for m in find_agencies(text[node.line_start : node.end]):
        named.setdefault(m.agency.id, (node.line_start + m.start, node.line_start + m.end))
    if not named:
        return out
    out.lines.append(
        t(lang, "count_named", n=len(named), heading=found[0].heading, province=pf.plan.province)
    )
    for start, end in named.values():
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end, node.end)
        cite = c.cite(pf.plan.id, line_start, line_end if line_end >= 0 else node.end, node.path_text)
        out.lines.append(t(lang, "item", text=_bilingual(text[start:end], lang), cite=cite))
    out.number = len(named)
    out.found = True
    return out


def _bilingual(text: str, lang: str) -> str:
    """An agency as the plan writes it (an entry written as a sentence, up to the last body it
    names); in English with the English names of the bodies it names."""
    found = find_agencies(text)
    if len(text) > AGENCY_CHARS and found:  # an entry written as a sentence: the bodies it names
        text = text[: found[-1].end].rstrip(" ,;") + "…"
    if lang != "en":
        return text
    names = list(dict.fromkeys(m.agency.en for m in found))
    if not names:
        return text
    if len(found) == 1 and found[0].end - found[0].start >= len(text.strip()) - 12:
        return f"{names[0]} ({text})"
    return f"{text} ({'; '.join(names)})"


def _by_role(pf: PlanFacts, role: str, c: CitationSet, lang: str) -> list[str]:
    """One line per body the activities name as lead ("lead") or partner ("partner"), with the
    activities, each cited by the line that names it."""
    fields = (
        (("leads", "lead_span"),)
        if role == "lead"
        else (("coordinators", "coordinator_span"), ("implementers", "implementer_span"))
    )
    titles: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for a in pf.activities:
        for attr, span_attr in fields:
            span = getattr(a, span_attr)
            for unit in getattr(a, attr) if span is not None else ():
                key = " ".join(sorted({m.agency.id for m in find_agencies(unit)})) or fold(unit)
                names.setdefault(key, unit)
                row = f"“{a.title}” {c.cite_span(span)}"
                if row not in titles.setdefault(key, []):
                    titles[key].append(row)
    return [
        t(lang, "agency_activities", name=_bilingual(names[k], lang), roles="; ".join(rows))
        for k, rows in titles.items()
    ]


def _activity_agencies(pf: PlanFacts, items, c: CitationSet, lang: str) -> list[str]:
    """The bodies the activities name as lead, partner or implementer that no item of the
    implementation part names: one line each, with the activities and the lines that name them."""
    listed = " ".join(fold(x.text) for x in items)
    listed_ids = {m.agency.id for x in items for m in find_agencies(x.text)}
    roles: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    fields = (("leads", "lead_span", "role_lead"), ("coordinators", "coordinator_span", "role_partner"))
    for a in pf.activities:
        for attr, span_attr, label in (*fields, ("implementers", "implementer_span", "role_implement")):
            span = getattr(a, span_attr)
            for unit in getattr(a, attr):
                ids = {m.agency.id for m in find_agencies(unit)}
                if (ids and ids <= listed_ids) or (not ids and fold(unit) in listed) or span is None:
                    continue
                key = " ".join(sorted(ids)) or fold(unit)
                names.setdefault(key, unit)
                row = t(
                    lang, "agency_in_activity", role=t(lang, label), title=a.title, cite=c.cite_span(span)
                )
                if row not in roles.setdefault(key, []):
                    roles[key].append(row)
    if not roles:
        return []
    out = [t(lang, "agencies_in_activities", n=len(roles))]
    for key, rows in list(roles.items())[:MAX_ITEMS]:
        out.append(t(lang, "agency_activities", name=_bilingual(names[key], lang), roles="; ".join(rows)))
    return out


def _with_figures(ev: Evidence, pf: PlanFacts, out: Part, c: CitationSet, lang: str) -> Part:
    """A part summed up: the targets stated by a figure in the passages it cites ("… đạt khoảng
    55%"), quoted and cited by their clauses after its items, and always shown."""
    if not out.found or not out.structural or not out.lines:
        return out
    by_marker = {x.marker: x for x in c.citations}
    cited = {int(m) for line in out.lines for m in MARKER.findall(line)}
    ranges = [(x.start, x.end) for k in cited if (x := by_marker.get(k)) and x.plan == pf.plan.id]
    if not ranges:
        return out
    quotes = [_figure_quote(c, s, lang) for s in _figure_clauses(ev, pf, ranges)[:SUMMARY_FIGURES]]
    if quotes:
        out.pinned = (*out.pinned, len(out.lines))
        out.lines.append(t(lang, "part_figures", quotes="; ".join(quotes)))
    return out


def _inside(span, ranges) -> bool:
    return any(a <= span.start and span.end <= b for a, b in ranges)


def summary(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
    """A part's items when a part is named; else the plan's outline, one cited line per part."""
    if q.section:
        return _with_figures(ev, pf, section(ev, pf, q, c, lang, hits), c, lang)
    out = Part(missing=t(lang, "what_general"), structural=True)
    ol = outline_of(pf.plan)
    parts = [ol.part(n) for n in ol.body_parts()]
    if not parts:
        return general(ev, pf, q, c, lang, hits)
    out.lines += purpose(ol, pf, c, lang)
    out.lines.append(t(lang, "summary_lead", province=pf.plan.province, title=pf.plan.title, n=len(parts)))
    for p in parts:
        if not p.items:
            cite = c.cite(p.plan, p.start, p.end, p.section)
            out.lines.append(
                t(lang, "summary_part", heading=p.heading, items="", cite=cite).replace(":  [", ": [")
            )
            continue
        # the part by its heading and its items' names, cited whole (one passage a part); each
        # item's own passage stays among the passages the text does not show
        heads = []
        for i, x in enumerate(p.items[:SUMMARY_ITEMS]):
            at = pf.plan.text.find(x.text, x.start)
            end = at + len(x.text) if at >= 0 else x.end
            if x.children:  # a group: its heading down to its first line of content
                end = max(end, opening(pf.plan.text, x.start, x.node.end))
            head = _shorten(x.text, SUMMARY_CHARS).rstrip(" ;,.:")
            cite = c.cite(x.plan, p.start if i == 0 else x.start, end, x.section)
            out.extra.append(t(lang, "item", text=head, cite=cite))
            heads.append(head)
        more = len(p.items) - SUMMARY_ITEMS
        tail = t(lang, "summary_more", n=more) if more > 0 else ""
        named = "; ".join(heads) + tail
        first = c.cite(p.plan, p.start, p.node.end, p.section)  # the line sums up the whole part
        out.lines.append(
            t(lang, "summary_part_items", heading=p.heading, n=len(p.items), items=named, cite=first)
        )
    out.lines += _key_figures(ev, pf, c, lang)
    # the decision it came with, who leads it and when it reports: what an official asks next
    number = pf.plan.decision_number
    for s in [s for s in pf.of_kind("issuer") if number and s.value == number][:1]:
        out.lines.append(
            t(lang, "decision", number=number, date=pf.plan.decision_date, cite=c.cite_span(s.span))
        )
    out.lines += overall_lead(ev, pf, c, lang).lines[:1]
    out.lines += [
        t(lang, "deadline", line=clip(s.span.text), cite=ev.cite_line(c, s.span))
        for s in pf.of_kind("deadline")[:1]
    ]
    out.found = True
    return out


#: A summary quotes at most this many of the plan's figure targets ("55%", "15.000 lao động").
SUMMARY_FIGURES = 2
#: A figure a target states: a share ("55%") or a number of hundreds and more ("15.000", "300").
_FIGURE = re.compile(r"\d+(?:[.,]\d+)?\s*%|(?<![\d/.,-])(?:\d{1,3}(?:\.\d{3})+|[1-9]\d{2,})(?![\d/]|\.\d)")
_YEAR = re.compile(r"(?:19|20)\d\d")
#: A clause quoted for its figure starts at most this far before it (a long clause: from the
#: comma before the figure).
FIGURE_LEAD = 160


def _states_figure(text: str) -> bool:
    """Whether a target clause states a goal by a number: a share, a number of people, a level
    numbered ("ASEAN-6"), not only a year."""
    if any(not _YEAR.fullmatch(m.group(0)) for m in _FIGURE.finditer(text)):
        return True
    goal = vocabulary().cues["target_value"]
    numbers = [m.group(0) for m in re.finditer(r"\d+", text)]
    return bool(goal.search(fold(text))) and any(not _YEAR.fullmatch(n) for n in numbers)


def _figure_clauses(ev: Evidence, pf: PlanFacts, ranges=None) -> list:
    """The plan's target clauses that state a figure, each as its sentence, in the plan's order;
    those inside its objective parts first (the headline targets); with `ranges`, only those
    inside them."""
    ol = outline_of(pf.plan)
    objectives = [
        (p.node.start, p.node.end) for k in ("objective_specific", "objective_general") for p in ol.find(k)
    ]
    sentences = ev.sentences.of_plan(pf.plan.id)
    out = []
    for st in pf.of_kind("target"):
        if ranges is not None and not _inside(st.span, ranges):
            continue
        s = next((x for x in sentences if x.start <= st.span.start < x.end), None)
        if s is None or s in out or not _states_figure(s.text):
            continue
        out.append(s)
    if ranges is None:
        out.sort(key=lambda s: not any(a <= s.start < b for a, b in objectives))
    return out


def _figure_quote(c: CitationSet, s, lang: str) -> str:
    """A target clause quoted from where its figure is stated, cited by the clause itself."""
    said = s.text
    first = next((m for m in _FIGURE.finditer(said) if not _YEAR.fullmatch(m.group(0))), None)
    at = first.start() if first else 0
    if at > FIGURE_LEAD:  # a long clause: from the comma before the figure
        cut = said.rfind(", ", 0, at)
        said = "…" + said[cut + 2 :] if cut > 0 else said
    return t(lang, "quote", line=clip(said), cite=c.cite(s.plan, s.start, s.end, s.section))


def _key_figures(ev: Evidence, pf: PlanFacts, c: CitationSet, lang: str) -> list[str]:
    """The plan's headline targets that state a figure (a share, a number of people), each
    clause quoted and cited by itself; [] when it states none."""
    quotes = [_figure_quote(c, s, lang) for s in _figure_clauses(ev, pf)[:SUMMARY_FIGURES]]
    return [t(lang, "summary_figures", quotes="; ".join(quotes))] if quotes else []


def purpose(ol: Outline, pf: PlanFacts, c: CitationSet, lang: str) -> list[str]:
    """The line that says what the plan is for: the first sentence of its general objective
    (or purpose) part, cited; [] when the plan has no such part."""
    text = pf.plan.text
    for part in ol.find("objective_general")[:1]:
        items = list(part.items)
        while items and items[0].children:  # a group ("1. Mục tiêu chung"): its first line
            items = ol.items(items[0].node)
        if items:
            x = items[0]
            at = text.find(x.text, x.start)
            start, end = (at, at + len(x.text)) if at >= 0 else (x.start, x.end)
            line, section = x.text, x.section
        else:
            start, end = _first_sentence_of(part.node, text)
            line, section = text[start:end].strip(), part.section
        if not line:
            return []
        cite = c.cite(pf.plan.id, start, end, section)
        heading = _shorten(part.heading, SUMMARY_CHARS)
        return [
            t(lang, "summary_purpose", province=pf.plan.province, heading=heading, line=clip(line), cite=cite)
        ]
    return []


def _first_sentence_of(node: Section, text: str) -> tuple[int, int]:
    start, end = own_text(text, node)
    spans = sentence_spans(text, start, end)
    return spans[0] if spans else (start, end)


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
