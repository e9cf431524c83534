"""What, when, how much: an activity's timing and reporting deadlines, funding, targets."""

from __future__ import annotations

import dataclasses
import re

from assistant.answers import Part
from assistant.answers.general import general
from assistant.answers.horizon import asks_horizon, horizon
from assistant.brevity import clip_to
from assistant.citations import CitationSet
from assistant.evidence import MIN_OVERLAP, MIN_OVERLAP_STRICT, Evidence, clip, plan_line, specific
from assistant.facts import PlanFacts
from assistant.lead import facts
from assistant.shapes import vocabulary
from assistant.templates import t
from assistant.text import fold
from assistant.understand import Query, intent_patterns, topic_by_id


def timing(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
    part = Part(missing=t(lang, "what_timing"))
    folded = fold(q.text)
    asks_date = bool(
        re.search(
            r"truoc ngay|ngay nao|deadline|han (chot|bao cao|nop|gui)|thoi han|by what date|\bdue\b",
            folded,
        )
    )
    if "review" in q.aspects:
        for s in pf.of_kind("deadline"):
            if "ket" in fold(s.value):
                part.lines.append(t(lang, "review", line=clip(s.span.text), cite=ev.cite_line(c, s.span)))
                part.found = True
                break
        return part
    if not asks_date and asks_horizon(q):  # "kế hoạch thực hiện đến năm nào?": the plan's own period
        got = horizon(ev, pf, q, c, lang)
        if got.found:
            return got
    if "effect" in q.aspects or (q.agencies and not asks_date):
        return general(ev, pf, q, c, lang, hits, cue=r"hang nam|hang nam|dinh ky|\d{4}|bao cao|hieu luc")
    if "report_deadline" in q.aspects or asks_date:
        part.missing = t(lang, "what_deadline")
        for s in pf.of_kind("deadline"):
            if fold(s.value).startswith("truoc ngay"):
                part.lines.append(t(lang, "deadline", line=clip(s.span.text), cite=ev.cite_line(c, s.span)))
                part.found = True
        if part.found or asks_date:
            return part
        got = general(ev, pf, q, c, lang, hits, cue=r"bao cao")
        got.missing = part.missing
        return got
    acts = ev.match_activities(pf, q) if (q.topics or q.terms or q.focus) else []
    if not acts and not specific(q):
        acts = list(pf.activities)
    acts = [a for a in acts if a.timing]
    if acts:
        values = {a.timing for a in acts}
        a = acts[0]
        act = t(lang, "activity", title=a.title) if len(values) > 1 or q.topics else ""
        part.lines.append(
            t(lang, "timing_activity", activity=act, value=a.timing, cite=c.cite_span(a.timing_span))
        )
        part.found = True
        return part
    return general(ev, pf, q, c, lang, hits, cue=r"hang nam|hang nam|dinh ky|giai doan|\d{4}|bao cao")


def funding(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
    part = Part(missing=t(lang, "what_funding"))
    if "amount" in q.aspects:
        part.missing = t(lang, "what_amount")
        return part
    matched = ev.match_activities(pf, q) if (q.topics or q.focus) else []
    acts = [a for a in matched if a.funding]
    f = q.focus
    inside = f is not None and any(f.start <= x.span.start < f.end for x in pf.of_kind("funding"))
    if (matched or (f and not inside)) and not acts and pf.of_kind("funding"):
        # the activity (or the item picked) states no funding of its own: the plan's pays for it
        title = matched[0].title if matched else f.title
        part.lines.append(t(lang, "funding_not_own", title=title))
        part.structural = True
    if acts:
        a = acts[0]
        part.lines.append(
            t(
                lang,
                "funding_activity",
                activity=t(lang, "activity", title=a.title),
                value=a.funding,
                cite=c.cite_span(a.funding_span),
            )
        )
        part.found = True
    else:
        seen = set()
        for s in pf.of_kind("funding"):
            line = ev.line_of(s.span)
            if line is None or (line.line_start, line.line_end) in seen or len(s.span.text) < 30:
                continue
            seen.add((line.line_start, line.line_end))
            part.lines.append(
                t(
                    lang,
                    "funding_plan",
                    line=clip(plan_line(ev.plans[pf.plan.id], line)),
                    cite=ev.cite_sentence(c, line),
                )
            )
            part.found = True
    part.own_lines = len(part.lines)  # the plan's (or the activity's) funding, before any other line
    # a specific question ("gửi cho ai", "ODA") may be answered by another sentence
    extra = ev.best_sentences(q, pf.plan.id, hits, k=1, cue=r"kinh phi|ngan sach|nguon von|oda")
    if extra and extra[0][0] >= MIN_OVERLAP_STRICT:
        s = extra[0][1]
        cite = ev.cite_sentence(c, s)
        if not any(s.text in x or cite in x for x in part.lines):  # a line shown once
            part.lines.append(ev.in_context(pf, s, lang) + t(lang, "quote", line=clip(s.text), cite=cite))
            part.found = True
    return part


#: a year ("2020"), not part of a longer number
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
#: "giai đoạn 2020-2030", "2017 - 2020": a period, not years asked one by one
_PERIOD = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}(?!\d)")
_FIGURE_ASK = re.compile(r"\b(?:bao nhieu|how many|how much|what (?:share|percentage|proportion|number))\b")
_CLAUSE_BREAK = re.compile(r"\s(?:va|and|con)\s|[,;]\s*")


def _figure_clauses(q: Query) -> list[Query]:
    """A question asking two figures ("… bao nhiêu X và … bao nhiêu Y?") as one query per figure,
    split at the conjunction between the asks; [] when it asks one."""
    folded = fold(q.text)
    asks = [m.start() for m in _FIGURE_ASK.finditer(folded)]
    if len(asks) < 2:
        return []
    cuts = [m for m in _CLAUSE_BREAK.finditer(folded) if asks[0] < m.start() < asks[1]]
    if not cuts:
        return []
    cut = cuts[-1]
    out = []
    for clause in (folded[: cut.start()], folded[cut.end() :]):
        words = set(re.findall(r"[0-9a-z]+(?:[/.-][0-9a-z]+)*", clause))
        topics = [
            x for x in q.topics if any(fold(p) in clause for p in topic_by_id(x).vi + topic_by_id(x).en)
        ]
        out.append(
            dataclasses.replace(q, terms=[w for w in q.terms if w in words], topics=topics, rest=clause)
        )
    return out


def target(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
    part = Part(missing=t(lang, "what_target"))
    spans = [(s.span.start, s.span.end) for s in pf.of_kind("target")]
    pool = [s for s in ev.sentences.of_plan(pf.plan.id) if any(a <= s.start and s.end <= b for a, b in spans)]
    if q.years and not q.yesno and not _PERIOD.search(q.text) and not _figure_clauses(q):
        return _by_year(ev, pf, q, c, lang, hits, pool)
    if not specific(q):
        # "what targets does the plan set?": every stated figure or goal, numbers first
        pool.sort(key=lambda x: (not re.search(r"\d", x.text), x.start))
        for x in pool[:8]:
            part.lines.append("- " + t(lang, "target", line=clip(x.text), cite=ev.cite_sentence(c, x)))
        part.found = bool(pool)
        return part
    ranked = [x for x in ev.best_sentences(q, pf.plan.id, hits, k=3, pool=pool) if x[0] >= MIN_OVERLAP]
    for sub in _figure_clauses(q):  # "… bao nhiêu lao động và … bao nhiêu …": each figure asked
        best = [x for x in ev.best_sentences(sub, pf.plan.id, hits, k=1, pool=pool) if x[0] >= MIN_OVERLAP]
        if best:  # the line that best answers this figure ranks with the best of the question
            top_score, chosen = max((x[0] for x in ranked), default=best[0][0]), best[0][1]
            ranked = [x for x in ranked if x[1] is not chosen] + [(top_score, chosen)]
            ranked.sort(key=lambda x: -x[0])
    if not ranked:
        if q.intent == "target" and (
            q.across or re.search(r"bao nhieu|how many|how much|percent|ty le|%|share", fold(q.text))
        ):
            return part  # a figure was asked, or which plans set a target: this one states none for it
        return general(ev, pf, q, c, lang, hits)
    top = ranked[0][0]
    for s in ev.with_siblings([x for x in ranked if x[0] >= top - 0.15], q):
        part.lines.append(t(lang, "target", line=clip(s.text), cite=ev.cite_sentence(c, s)))
    part.found = True
    return part


#: a year's part of a target line is shown in the lead at most this long, when it states no figure
YEAR_CLAUSE_CHARS = 90
#: figures a lead names per year
FIGURES_SHOWN = 4


def _by_year(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits, pool) -> Part:
    """ "Mục tiêu đến năm 2020 và 2030?": per year asked, the target lines that state a goal for
    it (a rate, a number, a level to reach; not a principle naming the horizon), each cited, and a
    lead that gives each year's figures; a year none states is said so. Lines on another subject
    than the one asked ("share of trained workers") are not an answer."""
    years = list(dict.fromkeys(q.years))
    goal = vocabulary().cues["target_value"]
    stated = [s for s in pool if not s.heading and goal.search(_without_years(s.folded))]
    asks = intent_patterns()["target"]  # "chỉ tiêu", "target": the asking, not the subject
    rest = _YEAR.sub(" ", asks.sub(" ", q.rest))
    left = set(re.findall(r"[0-9a-z]+", rest))
    bare = dataclasses.replace(
        q, years=[], rest=rest, terms=[w for w in q.terms if w in left and w not in ("nam", "den", "by")]
    )
    if specific(bare):
        ranked = ev.best_sentences(bare, pf.plan.id, hits, k=len(stated) or 1, pool=stated)
        keep = {id(s) for score, s in ranked if score >= MIN_OVERLAP_STRICT}
        stated = [s for s in stated if id(s) in keep]
    part = Part(missing="; ".join(t(lang, "what_target_year", year=y) for y in years))
    items, shown = [], set()
    body: list[str] = []
    for y in years:
        own = [s for s in stated if _names_year(s.text, y)]
        if not own:
            items.append(t(lang, "target_year_none", year=y))
            part.gaps.append(t(lang, "what_target_year", year=y))
            continue
        figures, cites = [], []
        for s in own:
            found = facts([_year_clause(s.text, y)], lang)["figures"]
            if found:
                figures += [f for f in found if f not in figures]
                cites.append(ev.cite_sentence(c, s))
        if figures:
            value = ", ".join(figures[:FIGURES_SHOWN])
        else:
            value, cites = (
                f"“{clip_to(_year_clause(own[0].text, y), YEAR_CLAUSE_CHARS)}”",
                [ev.cite_sentence(c, own[0])],
            )
        items.append(t(lang, "target_year", year=y, value=value, cite=" ".join(dict.fromkeys(cites))))
        for k, s in enumerate(x for x in own if id(x) not in shown):
            if k == 0:
                part.pinned += (len(body) + 1,)  # each year asked keeps its first line in the text
            shown.add(id(s))
            body.append("- " + t(lang, "target", line=clip(s.text), cite=ev.cite_sentence(c, s)))
    if not body:
        part.gaps = []
        return part
    part.lines = [t(lang, "target_years", province=pf.plan.province, items="; ".join(items)), *body]
    part.found = True
    return part


def _names_year(text: str, year: str) -> bool:
    return re.search(rf"(?<!\d){year}(?!\d)", text) is not None


def _without_years(folded: str) -> str:
    """The line less its years ("đến năm 2020"): what it states besides the horizon."""
    return _YEAR.sub(" ", folded)


_CLAUSES = re.compile(r"\s*(?:[,;]|\bvà\b)\s*")


def _year_clause(text: str, year: str) -> str:
    """The clause of a target line about one year: the one naming it, with the next when that
    states the value and names no year ("Phấn đấu đến năm 2020, tỷ lệ … đạt khoảng 55%, …")."""
    clauses = [x for x in _CLAUSES.split(text.strip(" .;")) if x]
    for k, clause in enumerate(clauses):
        if not _names_year(clause, year):
            continue
        nxt = clauses[k + 1] if k + 1 < len(clauses) else ""
        states = facts([_without_years(clause)], "vi")["figures"] or vocabulary().cues["target_value"].search(
            _without_years(fold(clause)).replace("phan dau", "")
        )
        if not states and nxt and not _YEAR.search(nxt):
            return f"{clause}, {nxt}"
        return clause
    return text
