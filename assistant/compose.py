"""Compose the deterministic answer: per shape, intent and province, from the outline, the
structured facts and the best sentences; each sentence with the markers of the passages it rests
on. An answer is given only when its cited lines cover what the question is about."""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from importlib import resources

import yaml

from assistant import answerability
from assistant.agencies import agency_by_id, find_agencies
from assistant.answers import Part
from assistant.answers.documents import issuer, legal_basis, plan_held
from assistant.answers.general import general, with_listed
from assistant.answers.parts import count, heading, picked, section, summary
from assistant.answers.roles import agency_role
from assistant.answers.verdict import judge_part
from assistant.answers.what import funding, target, timing
from assistant.answers.who import agency_duty, lead, not_assigned, role_verdict
from assistant.brevity import QUOTE, cap_quotes, fit_blocks
from assistant.citations import MARKER, CitationSet
from assistant.claims import claimed
from assistant.evidence import Evidence, clip
from assistant.facts import PlanFacts
from assistant.lead import lead_sentence
from assistant.matching import lexicon
from assistant.retrieval import Hit, lexical_tokens
from assistant.sentences import SentenceIndex
from assistant.shapes import content_clause, counted_words, vocabulary
from assistant.templates import t
from assistant.text import fold
from assistant.types import ListedItem
from assistant.understand import (
    Query,
    intent_patterns,
    province_named,
    reorganised_on,
    topic_by_id,
    unit_phrase,
)
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
#: The answer per shape (a yes/no question is answered by its intent's handler, then judged).
SHAPES = {
    "section": section,
    "count": count,
    "summary": summary,
    "agency_role": agency_role,
    "heading": heading,
    "plan_held": plan_held,
}
#: Where a cited passage's clauses end (a value asked must be stated in the clause naming its subject).
_CLAUSE = re.compile(r"\n|[;.](?=\s)")
#: Passages offered under "related, not the answer" when the plans do not say.
RELATED = 2
#: Provinces named where an answer lists the plans held (the About tab lists them all).
HELD_SHOWN = 10


@dataclass
class Composed:
    text: str
    abstained: bool
    citations: list
    support: str = "supported"  # supported | partial | not_found
    lang: str = ""  # set when the answer's language is not the question's detected one (a greeting)
    coverage: float = 1.0  # the best covered share of the question's content (1.0: read from the outline)
    gate: str = ""  # the threshold that share was held to: "answer" (extractive) or "answer_facts"
    hidden: int = 0  # the last this many citations are passages the text leaves out (shown on request)
    listed: tuple[ListedItem, ...] = ()  # the items the answer lists, in order (one plan's list)
    subject: tuple[str, ...] = ()  # the agencies its first sentence names (what "nó", "it" point at)
    of_activity: bool = False  # the subject leads the activity the answer is about


def multi(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
    """Every part a multi-part question asks; a part the plan does not state is said to be missing."""
    out = Part()
    done: set[str] = set()
    clauses = _clauses(q)
    for intent in q.asks:
        key = "lead" if intent == "coordinate" and "lead" in q.asks else intent
        if key in done:
            continue
        done.add(key)
        if key == "section":  # the part of the plan named, asked before a clause on its content
            clause = content_clause(q.rest, (), before=vocabulary().sections[q.section].ask)
            rest = q.rest[: q.rest.find(clause)] if clause else q.rest
            words = set(re.findall(r"[0-9a-z]+(?:[/.-][0-9a-z]+)*", rest))
            terms = [w for w in q.terms if w in words]
            topics = [
                x for x in q.topics if any(fold(p) in rest for p in topic_by_id(x).vi + topic_by_id(x).en)
            ]
            own = dataclasses.replace(q, shape="section", asks=(), rest=rest, terms=terms, topics=topics)
            sub = section(ev, pf, own, c, lang, hits)
            if sub.found:
                out.pinned += (len(out.lines),)
                out.lines += sub.lines
                out.found = True
            else:
                out.gaps.append(sub.missing or t(lang, "what_general"))
            continue
        if key == "content":  # a part asked by no intent: read from the activity the others ask of
            sub = _content_part(ev, pf, q, c, lang, hits)
            if sub.found:
                out.pinned += (len(out.lines),)
                out.lines += [x for x in sub.lines if x not in out.lines]
                out.found = True
            else:
                out.gaps.append(t(lang, "what_general"))
            continue
        sub = _ask_part(ev, pf, dataclasses.replace(q, intent=key, shape="", asks=()), c, lang, hits)
        if not sub.found and len(clauses) > 1:  # the words of its own clause only
            own = next((x for i, x in clauses if i == intent or (i == "coordinate" and key == "lead")), None)
            if own is not None:
                sub = _ask_part(
                    ev, pf, dataclasses.replace(own, intent=key, shape="", asks=()), c, lang, hits
                )
        if sub.found:
            new = [x for x in sub.lines if x not in out.lines]  # a line two parts share, once
            first = next((i for i, x in enumerate(new) if MARKER.search(x)), None)
            if first is not None:  # each part asked keeps its answer in the text
                out.pinned += (len(out.lines) + first,)
            out.lines += new
            out.found = True
        else:  # what this part lacks as its answer says it ("a specific amount of money")
            generic = not sub.missing or sub.missing == t(lang, "what_general")
            out.gaps.append(t(lang, f"what_{key}") if generic else sub.missing)
    for gap in out.gaps if out.found else ():  # none answered: one line says what is missing
        out.lines.append(t(lang, "not_stated", province=pf.plan.province, what=gap))
    out.missing = "; ".join(out.gaps)
    return out


def _content_part(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
    """The part of a multi-part question that asks of content by no intent ("… and which
    directives are cited there?"): the lines of its own clause's words, from the activity the
    question's topic points at when it names one, else from the whole plan."""
    before = vocabulary().sections[q.section].ask if "section" in q.asks else None
    clause = content_clause(q.rest, q.asks, before=before)
    if not clause:
        return Part()
    words = set(re.findall(r"[0-9a-z]+(?:[/.-][0-9a-z]+)*", clause))
    acts = ev.match_activities(pf, q)
    pool = None
    if acts:
        span = acts[0].span
        pool = [s for s in ev.sentences.of_plan(pf.plan.id) if span.start <= s.start < span.end]
    # the clause's own words and the topics it names (within the activity its topic is given)
    named = [x for x in q.topics if any(fold(p) in clause for p in topic_by_id(x).vi + topic_by_id(x).en)]
    terms = [w for w in q.terms if w in words] + _phrase_words(clause)
    years = [y for y in q.years if y in words]
    own = dataclasses.replace(
        q, rest=clause, terms=terms, topics=named, years=years, intent=None, shape="", asks=()
    )
    return general(ev, pf, own, c, lang, hits, pool=pool)


def _phrase_words(clause: str) -> list[str]:
    """The words of a Vietnamese phrase the lexicon knows ("chi thi": a directive) that the
    question's search terms dropped as function words ("chỉ", "thị")."""
    said = clause.split()
    known = {p for alts in lexicon().values() for p in alts}
    out: list[str] = []
    for a, b in itertools.pairwise(said):
        if f"{a} {b}" in known:
            out += [a, b]
    return list(dict.fromkeys(out))


def _ask_part(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
    """One part of a multi-part question; found only when its lines state what it asks."""
    sub = HANDLERS[q.intent](ev, pf, q, c, lang, hits)
    cue = vocabulary().cues.get(q.intent)
    if sub.found and cue is not None and not any(cue.search(fold(x)) for x in _cited_texts(sub.lines, c)):
        sub.found = False  # e.g. "when?" answered by a line that states no time
    return sub


def _clauses(q: Query) -> list[tuple[str, Query]]:
    """The question cut at the conjunction before each ask ("who leads X | and by when must they
    report"): each intent with a query of its clause's words (topics named there, else all)."""
    v = vocabulary()
    patterns = intent_patterns()
    rest = q.rest
    starts = sorted(
        (m.start(), i) for i in dict.fromkeys(q.asks) if i in patterns and (m := patterns[i].search(rest))
    )
    if len(starts) < 2:
        return []
    cuts = [0]
    for (a, _), (b, _) in itertools.pairwise(starts):
        joins = [m for m in v.conjunction.finditer(rest, a, b)]
        cuts.append(joins[-1].start() if joins else b)
    cuts.append(len(rest))
    out = []
    for k, (_, intent) in enumerate(starts):
        clause = rest[cuts[k] : cuts[k + 1]]
        words = set(re.findall(r"[0-9a-z]+(?:[/.-][0-9a-z]+)*", clause))
        named = [x for x in q.topics if any(fold(p) in clause for p in topic_by_id(x).vi + topic_by_id(x).en)]
        terms = [w for w in q.terms if w in words]
        out.append((intent, dataclasses.replace(q, terms=terms, topics=named or q.topics, rest=clause)))
    return out


class Composer:
    def __init__(self, plans: dict[str, Plan], facts: dict[str, PlanFacts], sentences: SentenceIndex, chunks):
        self.plans = plans
        self.facts = facts
        self.sentences = sentences
        self.chunks = chunks
        self.evidence = Evidence(plans, facts, sentences, chunks)

    def handler(self, q: Query):
        if q.focus is not None and not (q.shape and q.section == "numbered"):
            return picked  # (a node named by its markers, asked what it holds: its part's answer)
        if q.shape == "multi":
            return multi
        if q.shape in ("yesno", "") and q.role and any(not agency_by_id(a).group for a in q.agencies):
            return role_verdict  # also "which plans make X the lead of …": judged in each plan
        return SHAPES.get(q.shape) or HANDLERS.get(q.effective_intent, general)

    def compose(
        self,
        q: Query,
        scope: Sequence[str],
        hits: Sequence[Hit],
        lang: str,
        budget: int = 0,
        reserve: int = 0,
        quotes: int = 0,
    ) -> Composed:
        """The answer over the plans of `scope`; `budget`: at most this many characters (less
        `reserve`, what the caller adds) when the question names no province and several
        plans answer it (0: no limit); `quotes`: each plan's part shows at most this many
        passages after its lead, those covering most of the question (0: all), the others
        kept as citations the text leaves out."""
        c = CitationSet(self.plans, self.chunks)

        def held() -> str:  # only when needed: the list grows with the corpus
            return self._held(lang)

        if q.shape == "social":
            return self._social(q, lang)
        if q.unknown_provinces and not q.provinces:
            return Composed("\n".join(self._unknown(q, lang)), True, [], "not_found")
        if _asks_which_plans(q):
            return Composed(t(lang, "plans_held", n=len(self.plans), names=held()), False, [])
        if q.listed and q.focus is None:  # "the 9th" of a list of 6: said so, no guess
            return Composed(t(lang, "picked_out_of_range", n=q.listed, k=q.pick), True, [], "not_found")
        handler = self.handler(q)
        units = answerability.content_units(_without_claims(q), self.sentences.idf)
        fact_units = [u for u in units if not u.unknown]
        limits = answerability.thresholds()
        parts: list[tuple[Plan, Part]] = []
        covered: dict[str, tuple[float, str]] = {}
        partial_support = False
        negatives: set[str] = set()
        for pid in scope:
            pf = self.facts[pid]
            part = handler(self.evidence, pf, q, c, lang, hits)
            if q.yesno and not q.role:  # a claimed value, or the kind asked, judged from the lines
                part = judge_part(self.evidence, pf, q, c, lang, hits, part)
            own = _own_decision(pf.plan)  # "Quyết định 1234 …": its number names the plan
            units_here = [u for u in units if not own(u)]
            facts_here = [u for u in fact_units if not own(u)]
            part = self._gated(part, pid, c, units_here, facts_here, covered, lang)
            if q.doer_from and not part.found:  # no body's line about it: read as its words first said
                first = dataclasses.replace(q, intent=q.doer_from, doer=False, doer_from="")
                again = HANDLERS.get(first.effective_intent, general)(self.evidence, pf, first, c, lang, hits)
                again = self._gated(again, pid, c, units_here, facts_here, covered, lang)
                part = again if again.found else part
            if part.found and not part.structural and covered[pid][0] < limits.supported:
                partial_support = True
            if not part.found and not part.lines and not q.yesno:
                part = self._quote_fallback(pf, q, c, lang, hits, units, limits) or part
            if part.found and part.gaps:
                partial_support = True
            if q.across and q.shape != "yesno" and part.verdict == "no":  # whom it names instead
                name = agency_by_id(next(a for a in q.agencies if not agency_by_id(a).group))
                label = name.bilingual() if lang == "en" else name.vi
                part = dataclasses.replace(
                    part, found=False, missing=t(lang, f"what_role_{q.role}_here", agency=label)
                )
            if q.shape == "yesno" and not part.found and q.effective_intent == "agency_duty":
                denied = not_assigned(self.evidence, pf, q, c, lang)
                if denied is not None:  # "No": the plan names whom it assigns, and not this body
                    part = denied
                    negatives.add(pf.plan.id)
            parts.append((pf.plan, part))
        found = [(p, part) for p, part in parts if part.found]
        several = len(scope) > 1
        lines: list[str] = []
        hidden: list[str] = []  # the lines of passages left out of the text
        # "list all": none left out
        in_full = bool(vocabulary().in_full.search(fold(q.text)))
        # "what are Sở X's tasks?": a list of its duties, each one shown
        asks_list = any(vocabulary().list_asks.search(x) for x in (fold(q.text), " ".join(q.rest.split())))
        in_full = in_full or (q.effective_intent == "agency_duty" and asks_list)
        blocks: list[tuple[int, int, int]] = []  # each plan's part in `lines`: start, body, end
        headers: set[int] = set()  # lines saying a plan is an earlier unit's ("… (nay thuộc …):")
        counted = [(p, part.number) for p, part in found if part.number is not None]
        count_lead = q.shape == "count" and several and len(counted) >= 2
        if several and found and (q.across or not count_lead):  # which plans say it, first
            names = ", ".join(p.province for p, _ in found)
            lines.append(t(lang, "across_lead", n=len(found), total=len(scope), names=names))
        if count_lead:
            lines.insert(0, _count_lead(lang, q, counted))
        if q.across:  # the plans that say it first, then those that do not
            parts.sort(key=lambda x: not x[1].found)
        for plan, part in parts:
            if not part.found:
                if several and found and not (q.compare or q.across):
                    continue  # a question over all plans: list the plans that say something
                if plan.id in q.successors:  # the plan named by the unit it is part of now
                    lines.append(_merged_header(lang, plan, q.successors[plan.id]))
                    headers.add(len(lines) - 1)
                if part.lines:  # e.g. an activity that names no lead
                    lines += (
                        [t(lang, "province_header", province=plan.province)]
                        if several and plan.id not in q.successors
                        else []
                    ) + part.lines
                what = part.missing or t(lang, "what_general")
                lines.append(t(lang, "not_stated", province=plan.province, what=what))
                continue
            start = len(lines)
            if plan.id in q.successors:
                lines.append(_merged_header(lang, plan, q.successors[plan.id]))
                headers.add(len(lines) - 1)
            elif several:
                lines.append(t(lang, "province_header", province=plan.province))
            # a quoted line that introduces a list ("… gồm:") comes with the items it lists
            part.lines, part.pinned = with_listed(part.lines, c, self.plans, lang, part.pinned)
            lead = lead_sentence(part.lines, c.citations, plan.province, q.effective_intent, lang)
            if lead:  # the plan's words follow a sentence that says what they state
                lines.append(lead)
            body = part.lines
            left = []
            if quotes and not in_full:  # the items the lead counts, and each part asked, stay
                body, left = self._cap(body, quotes, q, c, lang, _pinned(part))
                hidden += left
            if part.extra:  # passages the part cites beyond its text (a summary's items)
                hidden += part.extra
                n = sum(1 for line in left + part.extra if MARKER.search(line))
                body = body[:-1] if left else list(body)
                body.append(t(lang, "more_passages", n=n))
            blocks.append((start, len(lines), len(lines) + len(body)))
            lines += body
        if q.unknown_provinces:
            lines += self._unknown(q, lang)
        abstained = not found
        if budget and several and not q.provinces and not abstained:
            lines = fit_blocks(lines, blocks, budget, reserve)  # many plans, none named: brief parts
        if abstained:
            if not lines or all(not part.lines for _, part in parts):
                provinces = ", ".join(self.plans[p].province for p in scope)
                what = next((part.missing for _, part in parts if part.missing), t(lang, "what_general"))
                merged = [
                    _merged_header(lang, self.plans[p], q.successors[p]) for p in scope if p in q.successors
                ]
                headers = set(range(len(merged)))
                lines = [
                    *merged,
                    t(
                        lang,
                        "not_stated_all" if several else "not_stated",
                        provinces=provinces,
                        province=provinces,
                        what=what,
                    ),
                ]
            elif q.across and several:  # "which plans …": none, and what each names instead
                what = next((part.missing for _, part in parts if part.missing), t(lang, "what_general"))
                names = ", ".join(self.plans[p].province for p in scope)
                lines.insert(0, t(lang, "not_stated_all", provinces=names, province=names, what=what))
            lines += self._related(q, scope, hits, c, lang)
        if (q.shape == "yesno" or q.yesno) and lines:
            read = {part.verdict for _, part in found if part.verdict}  # judged from the facts
            denied = (bool(negatives) and all(p.id in negatives for p, _ in found)) or read == {"no"}
            verdict = (
                "verdict_no"
                if abstained or denied
                else (
                    "verdict_yes"
                    if (len(found) == len(parts) or not several) and not negatives and "no" not in read
                    else ""
                )
            )
            if verdict:  # on the first line that answers, not on a plan's "(nay thuộc …)" header
                first = next((i for i in range(len(lines)) if i not in headers), 0)
                lines[first] = t(lang, verdict) + lines[first]
        support = (
            "not_found"
            if abstained or all(part.unstated for _, part in found)
            else (
                "partial"
                if partial_support or (several and len(found) < len(parts) and (q.compare and not q.across))
                else "supported"
            )
        )
        joined = "\n".join(lines)
        text, citations = _renumber(joined, c.citations)
        used = {int(m) for m in MARKER.findall(joined)}
        more = _renumber("\n".join(hidden), [x for x in c.citations if x.marker not in used])[1]
        more = [dataclasses.replace(x, marker=len(citations) + i) for i, x in enumerate(more, 1)]
        share, gate = max(covered.values(), default=(1.0, ""))
        lists = [part.listed for _, part in found if part.listed]
        subjects = [part.subject for _, part in found if part.subject]
        return Composed(
            text,
            abstained,
            citations + more,
            support,
            coverage=share,
            gate=gate,
            hidden=len(more),
            listed=tuple(lists[0]) if len(lists) == 1 and not several else (),
            subject=subjects[0]
            if len(subjects) == 1 and not several
            else _subject(text)
            if abstained or not q.topics
            else (),
            of_activity=len(subjects) == 1 and not several and any(p.of_activity for _, p in found),
        )

    # -- helpers -------------------------------------------------------------------------------
    def _cap(self, lines: list[str], keep: int, q: Query, c: CitationSet, lang: str, pinned=frozenset()):
        """The part's first line and at most `keep` passages after it, ranked by how much of
        the question they (and the passages they cite) cover, besides the `pinned` lines (the
        items the lead counts: each stays, with at most `keep` of its own items); "… and N more
        passages" when some are left out. Returns (lines shown, lines left out)."""
        if not lines:
            return lines, []
        concepts = self.evidence.concepts(q)
        by_marker = {x.marker: x for x in c.citations}

        def score(group: list[str]) -> float:
            texts = list(group) + [
                by_marker[int(m)].text for line in group for m in MARKER.findall(line) if int(m) in by_marker
            ]
            return concepts.coverage(frozenset(lexical_tokens(" ".join(texts)))) if concepts else 0.0

        first_cited = bool(MARKER.search(lines[0]))
        shown, left = cap_quotes(lines, keep - first_cited, score, skip=1, pinned=pinned, own=keep)
        if left:
            n = sum(1 for line in left if MARKER.search(line))
            shown.append(t(lang, "more_passages", n=n))
        return shown, left

    def _quote_fallback(self, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits, units, limits):
        """A fact-type question (a figure, a source of funds) no extracted fact answers, while one
        plan line covers its content (and states the value asked): that line, quoted."""
        if q.shape or q.asks or q.intent not in limits.quote_fallback_intents or not units:
            return None
        pool = self.evidence.sentences.of_plan(pf.plan.id)
        concepts = self.evidence.concepts(q)  # among lines covering alike, the nearest to the question
        ranked = sorted(
            pool, key=lambda x: (-answerability.coverage(units, [x.text]), -concepts.coverage(x.tokens))
        )[:3]
        for s in ranked:
            line = self.evidence.in_context(pf, s, lang) + t(
                lang, "quote", line=clip(s.text), cite=self.evidence.cite_sentence(c, s)
            )
            part = Part(lines=[line], found=True, extractive=True)
            if self._coverage(part, c, units, units) >= limits.quote_fallback:
                return part
        return None

    def _gated(self, part: Part, pid: str, c: CitationSet, units, fact_units, covered, lang: str) -> Part:
        """The part, or "not stated" when its cited passages cover too little of the question
        (data/answerability.yaml); the share is kept in `covered`."""
        if not part.found or part.structural:
            return part
        share = self._coverage(part, c, units, fact_units)
        covered[pid] = (share, "answer" if part.extractive else "answer_facts")
        if share < getattr(answerability.thresholds(), covered[pid][1]):
            return Part(missing=part.missing or t(lang, "what_general"))
        return part

    def _coverage(self, part: Part, c: CitationSet, units, fact_units) -> float:
        """How much of the question the part's cited passages (with their heading paths) cover."""
        texts = _cited_texts(part.lines, c, sections=True)
        units = units if part.extractive else fact_units
        if any(u.states is not None for u in units):  # a value asked: one clause states it and what of
            values = [u for u in units if u.states is not None]
            pairs = [
                [x, texts[i + 1]]
                for i in range(0, len(texts), 2)
                for x in _CLAUSE.split(texts[i])
                if all(
                    u.met(frozenset(), fold(x)) for u in values
                )  # the value in the clause, not its heading
            ]
            return max((answerability.coverage(units, x) for x in pairs), default=0.0)
        return answerability.coverage(units, texts)

    def _related(self, q: Query, scope, hits, c: CitationSet, lang: str) -> list[str]:
        """The nearest passages, under a heading that says they are not the answer."""
        if not (q.terms or q.topics):
            return []
        ranked = []
        for pid in scope:
            ranked += [
                (score, s) for score, s in self.evidence.best_sentences(q, pid, hits, k=1) if score > 0.2
            ]
        ranked.sort(key=lambda x: -x[0])
        if not ranked:
            return []
        out = [t(lang, "related_heading")]
        for _, s in ranked[:RELATED]:
            out.append(
                f"- {s.province}: "
                + t(lang, "quote", line=clip(s.text), cite=self.evidence.cite_sentence(c, s))
            )
        return out

    def _held(self, lang: str) -> str:
        return held_names(self.plans, lang)

    def _unknown(self, q: Query, lang: str) -> list[str]:
        """'No plan of X here', and for each such province merged into a unit whose earlier plan
        is held, that this plan is not X's ("Kon Tum nay thuộc tỉnh Quảng Ngãi …")."""
        out = [t(lang, "unknown_province", names=", ".join(q.unknown_provinces), held=self._held(lang))]
        for name, now, plan_ids in q.absorbed:
            old, new = province_named(name), province_named(now)
            held = [self.plans[p] for p in plan_ids if p in self.plans]
            if old is None or new is None or not held:
                continue
            out.append(
                t(
                    lang,
                    "absorbed_province",
                    old=old.name,
                    old_en=old.en,
                    new=unit_phrase(new),
                    new_en=new.en,
                    date=_date(lang),
                    held=", ".join(_unit_of(p) for p in held),
                    held_en=", ".join(p.province_en or p.province for p in held),
                )
            )
        return out

    def _social(self, q: Query, lang: str) -> Composed:
        names = self._held(lang)
        example = next(iter(self.plans.values())).province if self.plans else ""
        folded = fold(q.text)
        key = "thanks" if vocabulary().thanks.search(folded) else "social"
        lang = "en" if vocabulary().social_en.search(folded) else lang  # "Hello!" has no other English word
        return Composed(t(lang, key, names=names, example=example), True, [], "not_found", lang=lang)


def _pinned(part: Part) -> frozenset[int]:
    """The lines of a part always shown: an outline answer's items ("- …", what its lead
    counts) and the answer to each part of a multi-part question."""
    items = {i for i, x in enumerate(part.lines) if x.startswith("- ")} if part.structural else set()
    return frozenset(items | set(part.pinned))


def held_names(plans: Mapping[str, Plan], lang: str) -> str:
    """The provinces held: all of them, or the first few and how many more (About lists all)."""
    names = [p.province for p in itertools.islice(plans.values(), HELD_SHOWN)]
    if len(plans) <= HELD_SHOWN:
        return ", ".join(names)
    return t(lang, "held_more", names=", ".join(names), n=len(plans) - HELD_SHOWN)


def _subject(text: str) -> tuple[str, ...]:
    """The agencies the answer's first sentence names outside the plan's quoted words ("Sở X
    chủ trì …", "Cơ quan chủ trì … là Sở X: “…”"): what a follow-up's "nó", "it" points at."""
    first = QUOTE.sub(" ", text.split("\n", 1)[0])
    return tuple(dict.fromkeys(m.agency.id for m in find_agencies(first) if not m.agency.group))


def _cited_texts(lines: Sequence[str], c: CitationSet, sections: bool = False) -> list[str]:
    """The passages the lines cite (and their heading paths)."""
    by_marker = {x.marker: x for x in c.citations}
    texts = []
    for line in lines:
        for m in MARKER.finditer(line):
            cited = by_marker.get(int(m.group(1)))
            if cited is not None:
                texts += [cited.text, cited.section] if sections else [cited.text]
    return texts


def _renumber(text: str, citations: list) -> tuple[str, list]:
    """Markers in order of first use, [1] first; citations no line shows are dropped."""
    by_marker = {x.marker: x for x in citations}
    order: dict[int, int] = {}
    for m in MARKER.finditer(text):
        old = int(m.group(1))
        if old in by_marker and old not in order:
            order[old] = len(order) + 1
    new_text = MARKER.sub(
        lambda m: f"[{order[int(m.group(1))]}]" if int(m.group(1)) in order else m.group(0), text
    )
    cited = [dataclasses.replace(by_marker[old], marker=new) for old, new in order.items()]
    return new_text, sorted(cited, key=lambda x: x.marker)


def _own_decision(plan: Plan):
    """Whether a content unit is (a piece of) the number of the decision issuing the plan: a
    question naming that decision names the plan, as a province name does, not its content."""
    own = frozenset(re.findall(r"[0-9a-z]+", fold(plan.decision_number or "")))
    return lambda u: bool(own and u.alternatives) and all(alt <= own for alt in u.alternatives)


def _merged_header(lang: str, plan: Plan, now: str) -> str:
    """'Kế hoạch của tỉnh Kiên Giang cũ (nay thuộc tỉnh An Giang, từ 1/7/2025):' for a plan
    found by the unit it is part of now."""
    new = province_named(now)
    return t(
        lang,
        "merged_province",
        old=_unit_of(plan),
        new=unit_phrase(new) if new else now,
        old_en=plan.province_en or plan.province,
        new_en=new.en if new else now,
        date=_date(lang),
    )


def _unit_of(plan: Plan) -> str:
    """'tỉnh Kiên Giang': the unit a plan is of, by its full name when known."""
    unit = province_named(plan.province)
    return unit_phrase(unit) if unit else plan.province


def _date(lang: str) -> str:
    """The day the 34 units took over, as the language writes it: '1/7/2025', '1 July 2025'."""
    d = datetime.date.fromisoformat(reorganised_on())
    return f"{d.day}/{d.month}/{d.year}" if lang == "vi" else f"{d.day} {d:%B} {d.year}"


def _count_lead(lang: str, q: Query, counted: list[tuple[Plan, int]]) -> str:
    """'Số giải pháp: Hải Dương 8, Quảng Ngãi 7 — nhiều nhất: Hải Dương.' (the numbers first)."""
    ranked = sorted(counted, key=lambda x: -x[1])
    top = [p.province for p, n in ranked if n == ranked[0][1]]
    noun = t(lang, f"noun_{q.section}") if q.section != "agencies" else t(lang, "noun_agencies")
    key = "count_compare_tie" if len(top) == len(ranked) else "count_compare"
    return t(
        lang,
        key,
        noun=noun,
        counts=", ".join(f"{p.province} {n}" for p, n in ranked),
        most=", ".join(top),
    )


def _without_claims(q: Query) -> Query:
    """The question less the values it claims ("31/12", "hằng quý", "2025"): what the cited
    lines must cover is what it is about; the claimed values are compared, not required."""
    if not q.claims:
        return q
    rest = q.rest
    for v in claimed(rest, counted_words()):
        rest = rest[: v.start] + "|" + " " * (v.end - v.start - 1) + rest[v.end :]
    years = [
        y for y in q.years if not any(v.kind == "year" and v.key[0] <= int(y) <= v.key[1] for v in q.claims)
    ]
    return dataclasses.replace(q, rest=rest, years=years)


@lru_cache(maxsize=1)
def _holdings_asks() -> re.Pattern:
    raw = yaml.safe_load(
        resources.files("assistant").joinpath("data/holdings.yaml").read_text(encoding="utf-8")
    )
    return re.compile("|".join(f"(?:{p})" for p in raw["asks"]))


def _asks_which_plans(q: Query) -> bool:
    """A question about the plans held (data/holdings.yaml), not about what a plan says."""
    if q.topics or q.agencies or q.intent not in (None, "target"):  # "how many plans …" reads as a figure
        return False
    return bool(_holdings_asks().search(fold(q.text)))
