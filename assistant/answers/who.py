"""Who: the lead of an activity or of the whole plan, who coordinates, an agency's duties."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from assistant.agencies import Agency, agency_by_id, find_agencies
from assistant.answerability import content_units
from assistant.answers import Part
from assistant.answers.general import general
from assistant.citations import CitationSet
from assistant.evidence import MAX_LINE_CHARS, MIN_OVERLAP_STRICT, Evidence, clip, specific
from assistant.facts import PlanFacts, Span, part_role
from assistant.shapes import vocabulary
from assistant.templates import t
from assistant.text import fold
from assistant.understand import Query, topics
from index.structure import sentence_spans

#: The registry's id for "the departments and agencies" at large (assistant/data/agencies.yaml).
GENERAL_BODIES = "so-ban-nganh"
#: The agencies one question's duties are given for ("họ" after an activity with three leads).
MAX_ASKED = 3
#: Activities led (and other lines) from elsewhere in the plan added to an agency's duties.
MAX_ELSEWHERE = 4


def lead(
    ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits, coordinate: bool = False
) -> Part:
    part = Part(missing=t(lang, "what_coordinate" if coordinate else "what_lead"))
    if "overall" in q.aspects and not q.topics and not coordinate:
        return overall_lead(ev, pf, c, lang)
    acts = ev.match_activities(pf, q)
    agency = next((a for a in q.agencies if not agency_by_id(a).group), None)
    if agency and coordinate:
        own = [a for a in acts if agency in _ids(a.leads)]
        got = coordinate_with(ev, pf, q, c.__class__(ev.plans, ev.chunks), lang, agency_by_id(agency))
        strong = got.found and got.score >= MIN_OVERLAP_STRICT
        if strong or (got.found and not own):
            return coordinate_with(ev, pf, q, c, lang, agency_by_id(agency))
        acts = own or acts
    if acts:
        first = acts[0]
        part.subject = _actors(first.coordinators if coordinate else first.leads) or _actors(first.leads)
        part.of_activity = True
        counted = vocabulary().countables["agencies"].search(q.rest)  # "how many units lead …"
        number = 0
        for a in acts[:2]:
            a = _lead_with_partners(ev, a)
            number = number or len(a.coordinators if coordinate else (a.leads or a.implementers))
            act = t(lang, "activity", title=a.title) + " " + ev.cite_heading(c, a)
            if a.leads and not coordinate:
                part.lines.append(_lead_line(ev, c, a, lang, act))
            if a.leads and a.coordinators:
                part.lines.append(_partner_line(ev, c, a, lang, act if coordinate else ""))
            if coordinate and a.leads:
                part.lines.append(_lead_line(ev, c, a, lang, ""))
            if a.implementers:
                part.lines.append(
                    t(
                        lang,
                        "implement",
                        units=ev.units(a.implementers, lang),
                        activity=act,
                        cite=c.cite_span(a.implementer_span),
                    )
                )
            if not (a.leads or a.implementers):
                part.lines.append(
                    t(
                        lang,
                        "no_lead_for_activity",
                        province=pf.plan.province,
                        title=a.title,
                        cite=c.cite_span(a.span),
                    )
                )
                continue
            part.found = True
        if counted and number and part.lines:  # the number first, then who they are
            part.lines[0] = f"{t(lang, 'count_units', n=number)} {part.lines[0]}"
        return part
    # no activity: lines of the implementation part that say "Chủ trì" / "phối hợp" about the topic
    # ("Ai lập dự toán kinh phí?" asks who does it: any duty line, whatever its verb)
    cue = "phoi hop" if coordinate else "chu tri"
    doer = q.doer and not coordinate
    pool = [
        s
        for d in pf.duties
        if doer or any(cue in fold(x.text) for x in d.duties)
        for s in ev.duty_sentences(d)
    ]
    floor = MIN_OVERLAP_STRICT
    named = [p for tp in topics() if tp.id in q.topics for p in tp.vi]
    if doer and named:
        # only the lines about the topic itself ("kinh phí", "ngân sách"), whatever their verb
        # ("cân đối", "thẩm định"): the best of them answers
        pool = [
            s for s in pool if any(re.search(rf"(?<![a-z]){re.escape(p)}(?![a-z])", s.folded) for p in named)
        ]
        floor = 1e-9
    best = [x for x in ev.best_sentences(q, pf.plan.id, [], k=2, pool=pool) if x[0] >= floor]
    if best and specific(q):
        for _, s in best[:1]:
            duty = ev.duty_of(pf, s)
            name = duty.heading if duty else ""
            part.subject = tuple(a for a in (duty.agencies if duty else ()) if not agency_by_id(a).group)
            part.lines.append(
                t(
                    lang,
                    "lead_by_duty" if not doer or cue in s.folded else "doer_by_duty",
                    agency=ev.heading_name(name, lang),
                    line=clip(s.text),
                    cite=ev.cite_sentence(c, s),
                )
            )
        part.found = True
        return part
    if not coordinate and not specific(q):
        return overall_lead(ev, pf, c, lang)
    if not coordinate:
        # say who leads the plan overall, as context for "not stated"
        overall = overall_lead(ev, pf, c, lang)
        part.lines += overall.lines
    return part


def _lead_line(ev: Evidence, c: CitationSet, a, lang: str, activity: str) -> str:
    """ "X chủ trì <activity> [n]": the activity's lead, cited."""
    return t(
        lang,
        "lead",
        units=ev.units(a.leads, lang),
        verb=_verb(a.leads, lang),
        activity=activity,
        cite=c.cite_span(a.lead_span),
    )


def _partner_line(ev: Evidence, c: CitationSet, a, lang: str, activity: str) -> str:
    """ "Phối hợp: Y [n]": the activity's coordinating agencies, cited."""
    return t(
        lang,
        "coordinate",
        units=ev.units(a.coordinators, lang),
        activity=activity,
        cite=c.cite_span(a.coordinator_span),
    )


def _lead_with_partners(ev: Evidence, a):
    """The activity with its lead and coordinating lines cited as one passage when they are
    adjacent lines ("b) Cơ quan chủ trì …" / "c) Cơ quan phối hợp …"): who does it, read together."""
    lead, partners = a.lead_span, a.coordinator_span
    if lead is None or partners is None or not 0 <= partners.start - lead.end <= 2:
        return a
    text = ev.plans[a.plan].text
    if text[lead.end : partners.start].strip():
        return a
    both = dataclasses.replace(lead, end=partners.end, text=text[lead.start : partners.end])
    return dataclasses.replace(a, lead_span=both, coordinator_span=both)


def overall_lead(ev: Evidence, pf: PlanFacts, c: CitationSet, lang: str) -> Part:
    part = Part(missing=t(lang, "what_lead"))
    closing = [
        s for s in ev.sentences.of_plan(pf.plan.id) if "co quan chu tri thuc hien ke hoach" in s.folded
    ]
    for d in pf.duties:
        first = d.duties[0]
        if fold(first.text).lstrip("- ").startswith("chu tri"):
            part.lines.append(
                t(
                    lang,
                    "overall_lead",
                    agency=ev.heading_name(d.heading, lang),
                    line=clip(first.text),
                    cite=ev.cite_line(c, first),
                )
            )
            part.found = True
            break
    for s in closing:
        part.lines.append(t(lang, "quote", line=clip(s.text), cite=ev.cite_sentence(c, s)) + ".")
        part.found = True
    return part


def coordinate_with(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, agency: Agency) -> Part:
    """Lines where the agency coordinates, or where others coordinate with it."""
    part = Part(missing=t(lang, "what_coordinate"))
    pool = []
    for d in pf.duties:
        mine = agency.id in d.agencies
        for s in ev.duty_sentences(d):
            names_it = any(m.agency.id == agency.id for m in find_agencies(s.text))
            if "phoi hop" in s.folded and (mine or names_it):
                pool.append((d, s))
    if not pool:
        return part
    ranked = ev.best_sentences(q, pf.plan.id, [], k=3, pool=[s for _, s in pool])
    part.score = ranked[0][0] if ranked else 0.0
    chosen = [s for _, s in ranked] or [s for _, s in pool]
    if len(chosen) > 1 and ranked and ranked[0][0] - (ranked[1][0] if len(ranked) > 1 else 0) > 0.3:
        chosen = chosen[:1]
    for s in chosen[:2]:
        d = next(d for d, x in pool if x is s)
        head = ev.heading_name(d.heading, lang) + ": "
        part.lines.append(head + t(lang, "quote", line=clip(s.text), cite=ev.cite_sentence(c, s)))
    part.found = True
    return part


def agency_duty(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
    agencies = [a for a in q.agencies if not agency_by_id(a).group] or list(q.agencies)
    if not agencies:
        return general(ev, pf, q, c, lang, hits)
    part = Part(subject=tuple(a for a in agencies if not agency_by_id(a).group))
    shown: set[tuple[int, int]] = set()  # one entry naming both agencies asked is shown once
    everything = bool(vocabulary().in_full.search(fold(q.text)))
    asks_duties = bool(vocabulary().duty_words.search(q.rest.split(" | ")[-1]))
    for aid in agencies[:MAX_ASKED]:
        told = False
        agency = agency_by_id(aid)
        part.missing = t(lang, "what_duty", agency=ev.agency_name(agency, lang))
        had = [d for d in pf.duties if aid in d.agencies]
        entries = [d for d in had if (d.span.start, d.span.end) not in shown]
        shown |= {(d.span.start, d.span.end) for d in entries}
        for d in entries[:2]:
            part.lines.append(
                t(
                    lang,
                    "agency_duty_intro",
                    agency=ev.heading_name(d.heading, lang),
                    province=pf.plan.province,
                )
            )
            lines = list(d.duties)
            # narrowed to the lines about what the question names, unless it names only the
            # asking ("liệt kê nhiệm vụ", "what are the duties"): then every duty is the answer
            if len(lines) > 3 and len(ev.concepts(q).items) >= 2 and content_units(q, ev.sentences.idf):
                ranked = ev.best_sentences(q, pf.plan.id, [], k=3, pool=ev.duty_sentences(d))
                keep = {(s.line_start, s.line_end) for score, s in ranked if score >= 0.25}
                lines = [x for x in lines if (x.start, x.end) in keep] or lines
            if len(agencies) > 1:  # several bodies asked: each keeps its first duty in the text
                part.pinned += (len(part.lines),)
            # its tasks asked as such, and the whole entry the answer: every line shown
            whole = len(agencies) == 1 and len(lines) == len(d.duties) and asks_duties
            for line in lines:
                cite = ev.cite_line(c, line)
                for piece in _pieces(ev, line):  # a long duty: each of its sentences, not a clipped quote
                    if whole:
                        part.pinned += (len(part.lines),)
                    part.lines.append("- " + t(lang, "quote", line=clip(piece.lstrip("- ")), cite=cite))
            part.found = True
        if entries and not q.topics:
            # what other sections give it: the activities it leads, then other lines naming it
            led = [a for a in pf.activities if aid in _ids(a.leads)]
            if led:
                titles = "; ".join(
                    f"“{a.title}” {c.cite_span(a.lead_span)}"
                    for a in (led if everything else led[:MAX_ELSEWHERE])
                )
                part.lines.append(
                    t(lang, "agency_leads_activities", agency=ev.agency_name(agency, lang), titles=titles)
                )
            spans = {(a.span.start, a.span.end) for a in pf.activities}
            other = [x for d in entries for x in d.elsewhere if (x.start, x.end) not in spans]
            for x in other[:MAX_ELSEWHERE]:
                part.lines.append(t(lang, "agency_also", line=clip(x.text), cite=c.cite_span(x)))
            partnered = [a for a in pf.activities if aid not in _ids(a.leads) and _partner_span(a, aid)]
            if partnered and everything:  # "list all its duties": the activities it takes part in
                titles = "; ".join(f"“{a.title}” {c.cite_span(_partner_span(a, aid))}" for a in partnered)
                name = ev.heading_name(entries[0].heading, lang)
                part.lines.append(t(lang, "agency_partners_activities", agency=name, titles=titles))
            if everything:  # "list all its duties": every other line naming it, or that none does
                named, anywhere = _named_elsewhere(ev, pf, aid, had, other)
                for s in named[:MAX_ELSEWHERE]:
                    part.lines.append(t(lang, "agency_also", line=clip(s.text), cite=ev.cite_sentence(c, s)))
                told = bool(named)
                if not (led or partnered or other or anywhere):
                    part.lines.append(t(lang, "agency_nowhere_else", agency=ev.agency_name(agency, lang)))
        for a in pf.activities:
            if aid in _ids(a.leads) and (q.topics or not entries):
                part.lines.append(
                    t(
                        lang,
                        "agency_leads_activity",
                        agency=ev.agency_name(agency, lang),
                        title=a.title,
                        cite=c.cite_span(a.lead_span),
                    )
                )
                part.found = True
        if not told and (not had or sum(len(d.duties) for d in had) <= 1):
            # named in another agency's entry as the one acting (e.g. "gửi Sở Tài chính thẩm định")
            own = {(x.start, x.end) for d in had for x in d.duties}
            for s in ev.sentences.of_plan(pf.plan.id):
                if s.heading:
                    continue
                if (s.line_start, s.line_end) in own or any(a <= s.start and s.end <= b for a, b in own):
                    continue
                in_implementation = any(part_role(x) == "implementation" for x in s.section.split(" › "))
                line = _subject_line(ev, s, aid)
                if line is not None:  # "Đề nghị Ủy ban MTTQ … phối hợp …; tăng cường …" in an activity
                    whole = " ".join(line.text.lstrip("- ").split())  # one quote: its clauses belong together
                    quoted = whole if len(whole) <= 2 * MAX_LINE_CHARS else clip(whole)
                    part.lines.append(t(lang, "agency_also", line=quoted, cite=c.cite_span(line)))
                    part.found = True
                    break
                if not in_implementation or "phoi hop" in s.folded:
                    continue
                if any(m.agency.id == aid for m in find_agencies(s.text)):
                    part.lines.append(t(lang, "agency_also", line=clip(s.text), cite=ev.cite_sentence(c, s)))
                    part.found = True
                    break
    if not part.found and q.intent != "agency_duty":
        return general(ev, pf, q, c, lang, hits)
    return part


def _partner_span(a, aid: str) -> Span | None:
    """The activity's line that names the agency as a partner or implementer, or None."""
    if aid in _ids(a.coordinators):
        return a.coordinator_span
    return a.implementer_span if aid in _ids(a.implementers) else None


def _named_elsewhere(ev: Evidence, pf: PlanFacts, aid: str, had, shown) -> tuple[list, bool]:
    """The sentences of the implementation or funding part, outside the agency's own entries
    and the lines already shown, that give it something to do (not those where others work
    with it); and whether the plan's body names it anywhere outside its own entries."""
    from assistant.outline import outline_of  # here: outline imports the shapes this package uses

    own = [(d.span.start, d.span.end) for d in had]
    skip = own + [(x.start, x.end) for x in shown]
    for a in pf.activities:
        skip += [(x.start, x.end) for x in (a.lead_span, a.coordinator_span, a.implementer_span) if x]
    body = [(n.start, n.end) for n in outline_of(pf.plan).body_parts()]
    out, anywhere = [], False
    for s in ev.sentences.of_plan(pf.plan.id):
        inside = [(a, b) for a, b in body if a <= s.start < b]
        if not inside or any(a <= s.start < b for a, b in own):
            continue
        if not any(m.agency.id == aid for m in find_agencies(s.text)):
            continue
        anywhere = True
        if s.heading or any(a <= s.start < b or s.start <= a < s.end for a, b in skip):
            continue
        roles = {part_role(x) for x in s.section.split(" › ")}
        if roles & {"implementation", "funding"} and not _WITH.search(s.folded):
            out.append(s)
    return out, anywhere


#: Others working with the agency, not the agency given a task.
_WITH = re.compile(r"\b(?:phoi hop|cung voi|voi)\b")


#: Words before an agency that make it the subject of a line ("Đề nghị Ủy ban MTTQ …", "Giao Sở X …").
_SUBJECT_PREFIX = re.compile(r"^\W*(?:(?:de nghi|giao|yeu cau)\s+)?$")


def _subject_line(ev: Evidence, s, aid: str) -> Span | None:
    """The whole line of `s` when it starts by naming the agency as the one acting, else None."""
    text = ev.plans[s.plan].text
    if text[s.line_start : s.start].strip(" -–•+*\t"):
        return None  # not the line's first sentence
    line = text[s.line_start : s.line_end]
    found = find_agencies(line)
    if not found or found[0].agency.id != aid or not _SUBJECT_PREFIX.match(fold(line[: found[0].start])):
        return None
    return Span(s.plan, s.line_start, s.line_end, line, s.section)


def _pieces(ev: Evidence, line) -> list[str]:
    """A duty line as shown: whole, or its sentences when it is longer than one quote holds."""
    text = " ".join(line.text.split())
    if len(text) <= MAX_LINE_CHARS:
        return [line.text]
    plan = ev.plans[line.plan].text
    spans = sentence_spans(plan, line.start, line.end)
    return [plan[a:b] for a, b in spans if plan[a:b].strip()] or [line.text]


def not_assigned(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str) -> Part | None:
    """ "Does the plan give Sở X a task?" — No, when its implementation part, which names every
    body it assigns, names other bodies and the plan gives X no activity: a cited answer, not a
    guess. None when that cannot be read from the plan."""
    from assistant.outline import outline_of  # here: outline imports the shapes this package uses

    actors = [a for a in q.agencies if not agency_by_id(a).group]
    if len(actors) != 1:
        return None
    aid = actors[0]
    if any(aid in d.agencies for d in pf.duties) or any(
        aid in _ids((*a.leads, *a.coordinators, *a.implementers)) for a in pf.activities
    ):
        return None
    found = outline_of(pf.plan).find("organization")
    if not found or not found[0].items:
        return None
    part, text = found[0], pf.plan.text
    if any(m.agency.id == aid for m in find_agencies(text[part.node.start : part.node.end])):
        return None
    heads = []
    for i, x in enumerate(part.items):
        at = text.find(x.text, x.start)
        end = at + len(x.text) if at >= 0 else x.end
        heads.append(f"{x.text} {c.cite(pf.plan.id, part.start if i == 0 else x.start, end, x.section)}")
    agency = agency_by_id(aid)
    # what the part gives the departments at large, which may include X without naming it
    general_line = ""
    entry = next((d for d in pf.duties if GENERAL_BODIES in d.agencies and d.duties), None)
    if entry is not None:
        first_duty = entry.duties[0]
        general_line = t(
            lang,
            "assigned_generally",
            line=clip(first_duty.text.lstrip("- ")),
            cite=ev.cite_line(c, first_duty),
        )
    for sent in [] if general_line else ev.sentences.of_plan(pf.plan.id):
        if not (part.node.start <= sent.start and sent.end <= part.node.end) or sent.heading:
            continue
        first = find_agencies(sent.text)
        if first and first[0].start < 3 and first[0].agency.id == GENERAL_BODIES:
            general_line = t(lang, "assigned_generally", line=clip(sent.text), cite=ev.cite_sentence(c, sent))
            break
    line = t(
        lang,
        "not_assigned",
        province=pf.plan.province,
        agency=ev.agency_name(agency, lang),
        heading=part.heading,
        n=len(part.items),
        names="; ".join(heads),
    )
    return Part(lines=[line] + ([general_line] if general_line else []), found=True, structural=True)


#: "… led by the labour department alone?": one lead only.
_SOLE = re.compile(r"\b(?:alone|only|solely|sole|mot minh|duy nhat|chi co|chi mot|rieng)\b")
_LEAD_LINE = re.compile(r"^\W*chu tri\b")
_PARTNER_LINE = re.compile(r"^\W*(?:phoi hop|tham gia)\b")


def role_verdict(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
    """ "Is X the lead of …?": Yes with the line that says so, or No with the line that names
    whom the plan gives it (or X's own part in it). The activity by its topic, else the duty
    lines that say "Chủ trì …" about the question's subject; otherwise the intent's answer."""
    actors = [a for a in q.agencies if not agency_by_id(a).group]
    aid = actors[0]
    sole = bool(_SOLE.search(fold(q.text)))
    lead_asked = q.role != "partner"
    for a in ev.match_activities(pf, q)[:1] if (q.topics or specific(q)) else []:
        leads, partners = _ids(a.leads), _ids((*a.coordinators, *a.implementers))
        act = t(lang, "activity", title=a.title) + " " + ev.cite_heading(c, a)
        if not leads and a.implementers:
            # "Cơ quan thực hiện" without a lead/partner split: the bodies that carry it out
            doers = _ids(a.implementers)
            line = t(
                lang,
                "implement",
                units=ev.units(a.implementers, lang),
                activity=act,
                cite=c.cite_span(a.implementer_span),
            )
            return Part(lines=[line], found=True, structural=True, verdict="yes" if aid in doers else "no")
        if not leads:
            break
        out = Part(lines=[_lead_line(ev, c, a, lang, act)], found=True, structural=True)
        if a.coordinators:
            out.lines.append(_partner_line(ev, c, a, lang, ""))
        if lead_asked:
            out.verdict = "yes" if aid in leads and not (sole and len(leads) > 1) else "no"
        else:
            out.verdict = "yes" if aid in partners else "no"
        return out
    # no activity: the duty lines that say who leads (or takes part in) the question's subject
    cue = _LEAD_LINE if lead_asked else _PARTNER_LINE
    pool = [s for d in pf.duties for s in ev.duty_sentences(d) if cue.search(s.folded) or aid in d.agencies]
    ranked = [x for x in ev.best_sentences(q, pf.plan.id, [], k=3, pool=pool) if x[0] >= MIN_OVERLAP_STRICT]
    if not ranked or not specific(q):
        return _intent_answer(ev, pf, q, c, lang, hits)
    mine = [s for _, s in ranked if (d := ev.duty_of(pf, s)) is not None and aid in d.agencies]
    yes = [s for s in mine if cue.search(s.folded)]
    others = [s for _, s in ranked if s not in mine and cue.search(s.folded)]
    shown = yes[:1] or (mine[:1] + others[:1]) or others[:1]
    if not shown:
        return _intent_answer(ev, pf, q, c, lang, hits)
    out = Part(found=True, structural=True, verdict="yes" if yes else "no")
    for s in shown:
        duty = ev.duty_of(pf, s)
        name = ev.heading_name(duty.heading if duty else "", lang)
        out.lines.append(f"{name}: " + t(lang, "quote", line=clip(s.text), cite=ev.cite_sentence(c, s)))
    return out


def _intent_answer(ev, pf, q, c, lang, hits) -> Part:
    return (lead if q.effective_intent in ("lead", "coordinate") else agency_duty)(ev, pf, q, c, lang, hits)


def _verb(units: Sequence[str], lang: str) -> str:
    if lang == "en":
        return "leads" if len(units) == 1 else "lead"
    return "chủ trì"


def _actors(names: Sequence[str]) -> tuple[str, ...]:
    """The ids of the single agencies (not the groups) the names name, in order."""
    found = (m.agency for n in names for m in find_agencies(n))
    return tuple(dict.fromkeys(a.id for a in found if not a.group))


def _ids(names: Sequence[str]) -> set[str]:
    return {m.agency.id for n in names for m in find_agencies(n)}
