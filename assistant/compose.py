"""Compose the deterministic answer: per intent and province, from the structured facts and
the best sentences, each sentence with the markers of the passages it rests on."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from assistant.agencies import Agency, agency_by_id, find_agencies
from assistant.citations import CitationSet
from assistant.facts import Activity, AgencyDuty, PlanFacts, Span
from assistant.matching import Concepts, build_concepts
from assistant.retrieval import Hit, lexical_tokens
from assistant.sentences import Sentence, SentenceIndex
from assistant.text import fold
from assistant.understand import Query, topic_by_id
from corpus import Plan
from index.structure import LINE_MARKER

#: An extractive sentence must cover this share of the question's (IDF-weighted) words.
MIN_OVERLAP = 0.34
MIN_OVERLAP_STRICT = 0.5
MAX_LINE_CHARS = 600


@lru_cache(maxsize=1)
def _templates() -> dict[str, dict[str, str]]:
    return yaml.safe_load(
        resources.files("assistant").joinpath("data/templates.yaml").read_text(encoding="utf-8")
    )


def t(lang: str, key: str, **kw) -> str:
    return _templates()[lang][key].format(**kw)


@dataclass
class Part:
    """What one province's plan says for the question."""

    lines: list[str] = field(default_factory=list)
    found: bool = False
    missing: str = ""  # what the plan does not state (when not found)
    score: float = 0.0  # how well the best line covers the question


@dataclass
class Composed:
    text: str
    abstained: bool
    citations: list


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_LINE_CHARS else text[: MAX_LINE_CHARS - 1].rsplit(" ", 1)[0] + "…"


class Composer:
    def __init__(self, plans: dict[str, Plan], facts: dict[str, PlanFacts], sentences: SentenceIndex, chunks):
        self.plans = plans
        self.facts = facts
        self.sentences = sentences
        self.chunks = chunks
        self._local = threading.local()

    # -- naming ----------------------------------------------------------------------------
    def agency_name(self, agency: Agency, lang: str) -> str:
        return agency.bilingual() if lang == "en" else agency.vi

    def units(self, names: Sequence[str], lang: str) -> str:
        """Units as the plan writes them; in English each known one gets its English name first."""
        if lang != "en":
            return "; ".join(names)
        out = []
        for name in names:
            found = find_agencies(name)
            if len(found) == 1 and found[0].end - found[0].start >= len(name.strip()) - 12:
                out.append(f"{found[0].agency.en} ({name})")
            else:
                out.append(name)
        return "; ".join(out)

    # -- matching --------------------------------------------------------------------------
    def concepts(self, q: Query) -> Concepts:
        """The question's concepts, computed once per question (per thread: ask() may run concurrently)."""
        local = self._local
        if getattr(local, "query", None) is not q:
            local.query, local.concepts = q, build_concepts(q, self.sentences.idf)
        return local.concepts

    def match_activities(self, pf: PlanFacts, q: Query) -> list[Activity]:
        """Activities of the plan that the question's topic or words point at, best first."""
        concepts = self.concepts(q)
        scored = []
        for a in pf.activities:
            title = fold(a.title)
            score = 0.0
            for tid in q.topics:
                if any(re.search(rf"(?<![a-z]){re.escape(p)}(?![a-z])", title) for p in topic_by_id(tid).vi):
                    score += 2.0
            if not q.topics and concepts:
                score += 2.0 * concepts.coverage(frozenset(lexical_tokens(a.title)))
            if score >= 1.0:
                scored.append((score, a))
        scored.sort(key=lambda x: -x[0])
        return [a for _, a in scored]

    def best_sentences(
        self, q: Query, plan_id: str, hits: Sequence[Hit], k: int = 2, cue: str | None = None, pool=None
    ) -> list[tuple[float, Sentence]]:
        """Sentences of the plan ranked by how much of the question they cover, and their chunk's rank."""
        concepts = self.concepts(q)
        chunk_bonus: list[tuple[int, int, float]] = []
        for rank, h in enumerate(hits):
            if h.chunk.plan == plan_id:
                chunk_bonus.append((h.chunk.start, h.chunk.end, max(0.0, 0.12 - 0.015 * rank)))
        topics = [c for c in concepts.items if c.label in q.topics]
        actors = [a for a in q.agencies if not agency_by_id(a).group]
        scored = []
        for s in pool if pool is not None else self.sentences.of_plan(plan_id):
            if s.heading:
                continue
            if topics and not any(c.met(s.tokens) for c in topics):
                continue  # the question is about a topic: a line elsewhere does not answer it
            score = concepts.coverage(s.tokens)
            if score <= 0:
                continue
            for cs, ce, bonus in chunk_bonus:
                if cs <= s.start and s.end <= ce:
                    score += bonus
                    break
            if cue and re.search(cue, s.folded):
                score += 0.1
            if actors and self._about_agency(s, actors):
                score += 0.15
            scored.append((score, s))
        scored.sort(key=lambda x: -x[0])
        return scored[:k]

    def _about_agency(self, s: Sentence, actors: Sequence[str]) -> bool:
        """The sentence is one of the agency's duties, or names it."""
        duty = self._duty_of(self.facts[s.plan], s)
        if duty is not None and any(a in duty.agencies for a in actors):
            return True
        return any(m.agency.id in actors for m in find_agencies(s.text))

    def with_siblings(self, ranked: list[tuple[float, Sentence]], q: Query) -> list[Sentence]:
        """The chosen sentences, each followed by the other clauses of its line that also answer."""
        concepts = self.concepts(q)
        out: list[Sentence] = []
        for score, s in ranked:
            if s in out:
                continue
            out.append(s)
            for other in self.sentences.of_plan(s.plan):
                same_line = (other.line_start, other.line_end) == (s.line_start, s.line_end)
                if (
                    same_line
                    and other not in out
                    and concepts.coverage(other.tokens) >= max(MIN_OVERLAP, 0.6 * score)
                ):
                    out.append(other)
        return out

    def list_after(self, s: Sentence) -> tuple[list[Sentence], int]:
        """When a sentence ends with ':', the bullet lines that follow it (and where they end)."""
        if not s.text.rstrip().endswith(":"):
            return [], s.line_end
        text = self.plans[s.plan].text
        items: list[Sentence] = []
        end = s.line_end
        for line in self.sentences.lines_of_plan(s.plan):
            if line.line_start < s.line_end:
                continue
            if text[line.line_start] not in "-*" or len(items) >= 8:
                break
            items.append(line)
            end = line.line_end
        return items, end

    def line_of(self, span: Span) -> Sentence | None:
        """The sentence record whose line holds the span (to cite whole lines, not clauses)."""
        for s in self.sentences.of_plan(span.plan):
            if s.line_start <= span.start and span.end <= s.line_end:
                return s
        return None

    def cite_line(self, c: CitationSet, span: Span) -> str:
        s = self.line_of(span)
        if s is None:
            return c.cite_span(span)
        return c.cite(s.plan, s.line_start, s.line_end, s.section)

    def cite_sentence(self, c: CitationSet, s: Sentence) -> str:
        return c.cite(s.plan, s.line_start, s.line_end, s.section)

    # -- per intent, per plan --------------------------------------------------------------
    def lead(
        self, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits, coordinate: bool = False
    ) -> Part:
        part = Part(missing=t(lang, "what_coordinate" if coordinate else "what_lead"))
        if "overall" in q.aspects and not q.topics and not coordinate:
            return self.overall_lead(pf, c, lang)
        acts = self.match_activities(pf, q)
        agency = next((a for a in q.agencies if not agency_by_id(a).group), None)
        if agency and coordinate:
            own = [a for a in acts if agency in _ids(a.leads)]
            got = self.coordinate_with(
                pf, q, c.__class__(self.plans, self.chunks), lang, agency_by_id(agency)
            )
            strong = got.found and got.score >= MIN_OVERLAP_STRICT
            if strong or (got.found and not own):
                return self.coordinate_with(pf, q, c, lang, agency_by_id(agency))
            acts = own or acts
        if acts:
            for a in acts[:2]:
                act = t(lang, "activity", title=a.title)
                if a.leads and not coordinate:
                    part.lines.append(
                        t(
                            lang,
                            "lead",
                            units=self.units(a.leads, lang),
                            verb=_verb(a.leads, lang),
                            activity=act,
                            cite=c.cite_span(a.lead_span),
                        )
                    )
                if a.leads and a.coordinators:
                    part.lines.append(
                        t(
                            lang,
                            "coordinate",
                            units=self.units(a.coordinators, lang),
                            activity=act if coordinate else "",
                            cite=c.cite_span(a.coordinator_span),
                        )
                    )
                if coordinate and a.leads:
                    part.lines.append(
                        t(
                            lang,
                            "lead",
                            units=self.units(a.leads, lang),
                            verb=_verb(a.leads, lang),
                            activity="",
                            cite=c.cite_span(a.lead_span),
                        )
                    )
                if a.implementers:
                    part.lines.append(
                        t(
                            lang,
                            "implement",
                            units=self.units(a.implementers, lang),
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
            return part
        # no activity: lines under TỔ CHỨC THỰC HIỆN that say "Chủ trì" / "phối hợp" about the topic
        cue = "phoi hop" if coordinate else "chu tri"
        pool = [
            s
            for d in pf.duties
            if any(cue in fold(x.text) for x in d.duties)
            for s in self._duty_sentences(d)
        ]
        best = [
            x for x in self.best_sentences(q, pf.plan.id, [], k=2, pool=pool) if x[0] >= MIN_OVERLAP_STRICT
        ]
        if best and _specific(q):
            for _, s in best[:1]:
                duty = self._duty_of(pf, s)
                name = duty.heading if duty else ""
                part.lines.append(
                    t(
                        lang,
                        "lead_by_duty",
                        agency=self._heading_name(name, lang),
                        line=_clip(s.text),
                        cite=self.cite_sentence(c, s),
                    )
                )
            part.found = True
            return part
        if not coordinate and not _specific(q):
            return self.overall_lead(pf, c, lang)
        if not coordinate:
            # say who leads the plan overall, as context for "not stated"
            overall = self.overall_lead(pf, c, lang)
            part.lines += overall.lines
        return part

    def overall_lead(self, pf: PlanFacts, c: CitationSet, lang: str) -> Part:
        part = Part(missing=t(lang, "what_lead"))
        closing = [
            s for s in self.sentences.of_plan(pf.plan.id) if "co quan chu tri thuc hien ke hoach" in s.folded
        ]
        for d in pf.duties:
            first = d.duties[0]
            if fold(first.text).lstrip("- ").startswith("chu tri"):
                part.lines.append(
                    t(
                        lang,
                        "overall_lead",
                        agency=self._heading_name(d.heading, lang),
                        line=_clip(first.text),
                        cite=self.cite_line(c, first),
                    )
                )
                part.found = True
                break
        for s in closing:
            part.lines.append(t(lang, "quote", line=_clip(s.text), cite=self.cite_sentence(c, s)) + ".")
            part.found = True
        return part

    def coordinate_with(self, pf: PlanFacts, q: Query, c: CitationSet, lang: str, agency: Agency) -> Part:
        """Lines where the agency coordinates, or where others coordinate with it."""
        part = Part(missing=t(lang, "what_coordinate"))
        pool = []
        for d in pf.duties:
            mine = agency.id in d.agencies
            for s in self._duty_sentences(d):
                names_it = any(m.agency.id == agency.id for m in find_agencies(s.text))
                if "phoi hop" in s.folded and (mine or names_it):
                    pool.append((d, s))
        if not pool:
            return part
        ranked = self.best_sentences(q, pf.plan.id, [], k=3, pool=[s for _, s in pool])
        part.score = ranked[0][0] if ranked else 0.0
        chosen = [s for _, s in ranked] or [s for _, s in pool]
        if len(chosen) > 1 and ranked and ranked[0][0] - (ranked[1][0] if len(ranked) > 1 else 0) > 0.3:
            chosen = chosen[:1]
        for s in chosen[:2]:
            d = next(d for d, x in pool if x is s)
            head = self._heading_name(d.heading, lang) + ": "
            part.lines.append(head + t(lang, "quote", line=_clip(s.text), cite=self.cite_sentence(c, s)))
        part.found = True
        return part

    def agency_duty(self, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
        agencies = [a for a in q.agencies if not agency_by_id(a).group] or list(q.agencies)
        if not agencies:
            return self.general(pf, q, c, lang, hits)
        part = Part()
        for aid in agencies[:2]:
            agency = agency_by_id(aid)
            part.missing = t(lang, "what_duty", agency=self.agency_name(agency, lang))
            entries = [d for d in pf.duties if aid in d.agencies]
            for d in entries[:2]:
                part.lines.append(
                    t(
                        lang,
                        "agency_duty_intro",
                        agency=self._heading_name(d.heading, lang),
                        province=pf.plan.province,
                    )
                )
                lines = list(d.duties)
                if len(lines) > 3 and len(self.concepts(q).items) >= 2:
                    ranked = self.best_sentences(q, pf.plan.id, [], k=3, pool=self._duty_sentences(d))
                    keep = {(s.line_start, s.line_end) for score, s in ranked if score >= 0.25}
                    lines = [x for x in lines if (x.start, x.end) in keep] or lines
                for line in lines:
                    part.lines.append(
                        "- "
                        + t(lang, "quote", line=_clip(line.text.lstrip("- ")), cite=self.cite_line(c, line))
                    )
                part.found = True
            for a in pf.activities:
                if aid in _ids(a.leads) and (q.topics or not entries):
                    part.lines.append(
                        t(
                            lang,
                            "agency_leads_activity",
                            agency=self.agency_name(agency, lang),
                            title=a.title,
                            cite=c.cite_span(a.lead_span),
                        )
                    )
                    part.found = True
            if not entries or sum(len(d.duties) for d in entries) <= 1:
                # named in another agency's entry as the one acting (e.g. "gửi Sở Tài chính thẩm định")
                own = {(x.start, x.end) for d in entries for x in d.duties}
                for s in self.sentences.of_plan(pf.plan.id):
                    if "TỔ CHỨC" not in s.section or "phoi hop" in s.folded or s.heading:
                        continue
                    if (s.line_start, s.line_end) in own or any(a <= s.start and s.end <= b for a, b in own):
                        continue
                    if any(m.agency.id == aid for m in find_agencies(s.text)):
                        part.lines.append(
                            t(lang, "agency_also", line=_clip(s.text), cite=self.cite_sentence(c, s))
                        )
                        part.found = True
                        break
        if not part.found and q.intent != "agency_duty":
            return self.general(pf, q, c, lang, hits)
        return part

    def timing(self, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
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
                    part.lines.append(
                        t(lang, "review", line=_clip(s.span.text), cite=self.cite_line(c, s.span))
                    )
                    part.found = True
                    break
            return part
        if "effect" in q.aspects or (q.agencies and not asks_date):
            return self.general(pf, q, c, lang, hits, cue=r"hang nam|hang nam|dinh ky|\d{4}|bao cao|hieu luc")
        if "report_deadline" in q.aspects or asks_date:
            part.missing = t(lang, "what_deadline")
            for s in pf.of_kind("deadline"):
                if fold(s.value).startswith("truoc ngay"):
                    part.lines.append(
                        t(lang, "deadline", line=_clip(s.span.text), cite=self.cite_line(c, s.span))
                    )
                    part.found = True
            if part.found or asks_date:
                return part
            got = self.general(pf, q, c, lang, hits, cue=r"bao cao")
            got.missing = part.missing
            return got
        acts = self.match_activities(pf, q) if (q.topics or q.terms) else []
        if not acts and not _specific(q):
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
        return self.general(pf, q, c, lang, hits, cue=r"hang nam|hang nam|dinh ky|giai doan|\d{4}|bao cao")

    def funding(self, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
        part = Part(missing=t(lang, "what_funding"))
        if "amount" in q.aspects:
            part.missing = t(lang, "what_amount")
            return part
        acts = [a for a in self.match_activities(pf, q) if a.funding] if q.topics else []
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
                line = self.line_of(s.span)
                if line is None or (line.line_start, line.line_end) in seen or len(s.span.text) < 30:
                    continue
                seen.add((line.line_start, line.line_end))
                part.lines.append(
                    t(
                        lang,
                        "funding_plan",
                        line=_clip(plan_line(self.plans[pf.plan.id], line)),
                        cite=self.cite_sentence(c, line),
                    )
                )
                part.found = True
        # a specific question ("gửi cho ai", "ODA") may be answered by another sentence
        extra = self.best_sentences(q, pf.plan.id, hits, k=1, cue=r"kinh phi|ngan sach|nguon von|oda")
        if extra and extra[0][0] >= MIN_OVERLAP_STRICT:
            s = extra[0][1]
            if not any(s.text in x for x in part.lines):
                part.lines.append(
                    self._in_context(pf, s, lang)
                    + t(lang, "quote", line=_clip(s.text), cite=self.cite_sentence(c, s))
                )
                part.found = True
        return part

    def target(self, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
        part = Part(missing=t(lang, "what_target"))
        spans = [(s.span.start, s.span.end) for s in pf.of_kind("target")]
        pool = [
            s
            for s in self.sentences.of_plan(pf.plan.id)
            if any(a <= s.start and s.end <= b for a, b in spans)
        ]
        if not _specific(q):
            # "what targets does the plan set?": every stated figure or goal, numbers first
            pool.sort(key=lambda x: (not re.search(r"\d", x.text), x.start))
            for x in pool[:8]:
                part.lines.append("- " + t(lang, "target", line=_clip(x.text), cite=self.cite_sentence(c, x)))
            part.found = bool(pool)
            return part
        ranked = [x for x in self.best_sentences(q, pf.plan.id, hits, k=3, pool=pool) if x[0] >= MIN_OVERLAP]
        if not ranked:
            if q.intent == "target" and re.search(
                r"bao nhieu|how many|how much|percent|ty le|%|share", fold(q.text)
            ):
                return part  # a figure was asked and the plan states none for this
            return self.general(pf, q, c, lang, hits)
        top = ranked[0][0]
        for s in self.with_siblings([x for x in ranked if x[0] >= top - 0.15], q):
            part.lines.append(t(lang, "target", line=_clip(s.text), cite=self.cite_sentence(c, s)))
        part.found = True
        return part

    def legal_basis(self, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
        part = Part(missing=t(lang, "what_legal"))
        if not _specific(q):
            basis = [s for s in pf.of_kind("basis") if "1247" not in s.value]
            if basis:
                lines = [self.line_of(s.context or s.span) for s in basis]
                lines = [x for x in lines if x is not None]
                start = min(x.line_start for x in lines)
                end = max(x.line_end for x in lines)
                cite = c.cite(pf.plan.id, start, end, lines[0].section)
                refs = "; ".join(dict.fromkeys(s.value for s in basis))
                part.lines.append(t(lang, "basis", refs=refs) + f" {cite}")
                part.found = True
            return part
        refs = [s for s in pf.statements if s.kind in ("legal_ref", "basis")]
        pool_refs: dict[int, tuple[Sentence, list]] = {}
        for s in self.sentences.lines_of_plan(pf.plan.id):
            for r in refs:
                if s.start <= r.span.start and r.span.end <= s.end:
                    pool_refs.setdefault(id(s), (s, []))[1].append(r)
        pool = [s for s, _ in pool_refs.values()]
        ranked = [x for x in self.best_sentences(q, pf.plan.id, hits, k=2, pool=pool) if x[0] >= MIN_OVERLAP]
        if not ranked:
            return self.general(pf, q, c, lang, hits, cue="quyet dinh|chi thi|nghi quyet|ke hoach so|luat")
        top = ranked[0][0]
        for score, s in ranked:
            if score < top - 0.15:
                continue
            names = "; ".join(dict.fromkeys(r.value for r in pool_refs[id(s)][1]))
            part.lines.append(
                t(lang, "refs_cited", refs=names)
                + " "
                + t(lang, "quote", line=_clip(s.text), cite=self.cite_sentence(c, s))
            )
        part.found = True
        return part

    def issuer(self, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
        """Each aspect asked (issuer, signer, number/date, effect, proposer) gets its line."""
        part = Part()
        plan = pf.plan
        aspects = q.aspects & {"signer", "number", "effect", "proposer"}
        asks_issuer = not aspects or bool(re.search(r"ban hanh|issued|issuing|adopted", fold(q.text)))
        missing = []
        if "signer" in aspects:
            signers = pf.of_kind("signer")
            for s in signers:
                part.lines.append(
                    t(lang, "signer", signer=plan.signer, title=plan.signer_title, cite=c.cite_span(s.span))
                )
            if not signers:
                missing.append(t(lang, "what_signer"))
        if "number" in aspects or ("signer" in aspects and pf.of_kind("signer")):
            decisions = [
                s for s in pf.of_kind("issuer") if plan.decision_number and s.value == plan.decision_number
            ]
            for s in decisions:
                part.lines.append(
                    t(
                        lang,
                        "decision",
                        number=plan.decision_number,
                        date=plan.decision_date,
                        cite=c.cite_span(s.span),
                    )
                )
            if not decisions and "number" in aspects:
                missing.append(t(lang, "what_number"))
        if "proposer" in aspects:
            for s in self.sentences.of_plan(plan.id):
                if s.folded.startswith("xet de nghi"):
                    part.lines.append(t(lang, "quote", line=_clip(s.text), cite=self.cite_sentence(c, s)))
        if "effect" in aspects:
            for s in self.sentences.of_plan(plan.id):
                if "hieu luc" in s.folded:
                    part.lines.append(t(lang, "quote", line=_clip(s.text), cite=self.cite_sentence(c, s)))
        if asks_issuer or missing:
            part.lines += self._issuer_lines(pf, c, lang)
        # what is stated is shown, but when the part asked for is not there, that is an abstention
        part.found = bool(part.lines) and not missing
        part.missing = "; ".join(missing)
        return part

    def _issuer_lines(self, pf: PlanFacts, c: CitationSet, lang: str) -> list[str]:
        return [
            t(lang, "issuer", issuer=pf.plan.issuer, line=_clip(s.span.text), cite=c.cite_span(s.span))
            for s in pf.of_kind("issuer")
        ]

    def general(
        self, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits, cue: str | None = None
    ) -> Part:
        part = Part(missing=t(lang, "what_general"))
        ranked = [x for x in self.best_sentences(q, pf.plan.id, hits, k=3, cue=cue) if x[0] >= MIN_OVERLAP]
        if not ranked:
            return part
        top = ranked[0][0]
        ranked = [x for x in ranked if x[0] >= top - 0.2]
        for s in self.with_siblings(ranked[:2], q):
            items, end = self.list_after(s)
            if items:
                cite = c.cite(s.plan, s.line_start, end, s.section)
                part.lines.append(
                    self._in_context(pf, s, lang) + t(lang, "quote", line=_clip(s.text), cite=cite)
                )
                part.lines += [f"- {_clip(plan_line(self.plans[s.plan], x))}" for x in items]
            else:
                quote = t(lang, "quote", line=_clip(s.text), cite=self.cite_sentence(c, s))
                part.lines.append(self._in_context(pf, s, lang) + quote)
        part.found = True
        part.score = top
        return part

    def _in_context(self, pf: PlanFacts, s: Sentence, lang: str) -> str:
        """'Sở Kế hoạch và Đầu tư: ' when the sentence is one of an agency's duties."""
        duty = self._duty_of(pf, s)
        return f"{self._heading_name(duty.heading, lang)}: " if duty else ""

    # -- helpers ----------------------------------------------------------------------------
    def _duty_sentences(self, d: AgencyDuty) -> list[Sentence]:
        return [s for s in self.sentences.of_plan(d.plan) if d.span.start <= s.start and s.end <= d.span.end]

    def _duty_of(self, pf: PlanFacts, s: Sentence) -> AgencyDuty | None:
        return next((d for d in pf.duties if d.span.start <= s.start and s.end <= d.span.end), None)

    def _heading_name(self, heading: str, lang: str) -> str:
        heading = re.sub(r"^Đề nghị\s+", "", heading)
        if lang != "en":
            return heading
        return self.units([heading], lang)

    # -- the answer -------------------------------------------------------------------------
    def compose(self, q: Query, scope: Sequence[str], hits: Sequence[Hit], lang: str) -> Composed:
        c = CitationSet(self.plans, self.chunks)
        held = ", ".join(p.province for p in self.plans.values())
        if q.unknown_provinces and not q.provinces:
            text = t(lang, "unknown_province", names=", ".join(q.unknown_provinces), held=held)
            return Composed(text, True, [])
        if _asks_which_plans(q):
            names = ", ".join(p.province for p in self.plans.values())
            return Composed(t(lang, "plans_held", n=len(self.plans), names=names), False, [])
        intent = q.effective_intent
        parts: list[tuple[Plan, Part]] = []
        handlers = {
            "lead": self.lead,
            "coordinate": lambda *args: self.lead(*args, coordinate=True),
            "agency_duty": self.agency_duty,
            "timing": self.timing,
            "funding": self.funding,
            "target": self.target,
            "legal_basis": self.legal_basis,
            "issuer": self.issuer,
        }
        handler = handlers.get(intent, self.general)
        for pid in scope:
            pf = self.facts[pid]
            part = handler(pf, q, c, lang, hits)
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
            if several:
                lines.append(t(lang, "province_header", province=plan.province))
            lines += part.lines
        if q.unknown_provinces:
            lines.append(t(lang, "unknown_province", names=", ".join(q.unknown_provinces), held=held))
        abstained = not found
        if abstained and not lines:
            provinces = ", ".join(self.plans[p].province for p in scope)
            lines.append(t(lang, "not_stated_any", provinces=provinces, what=t(lang, "what_general")))
        return Composed("\n".join(lines), abstained, c.citations)


def plan_line(plan: Plan, s: Sentence) -> str:
    """The whole line a sentence stands in, without its outline marker."""
    marker = LINE_MARKER.match(plan.text, s.line_start, s.line_end)
    return plan.text[marker.end() if marker else s.line_start : s.line_end]


def _verb(units: Sequence[str], lang: str) -> str:
    if lang == "en":
        return "leads" if len(units) == 1 else "lead"
    return "chủ trì"


def _ids(names: Sequence[str]) -> set[str]:
    return {m.agency.id for n in names for m in find_agencies(n)}


_GENERIC_WORDS = frozenset(
    """ke hoach plan plans van ban quyet dinh decision decisions documents document legal basis implement
    implements implementation based thuc hien can cu nao which trien khai chien luoc strategy overall lead leads
    leading department chu tri so co quan don vi hoi nhap quoc te lao dong xa hoat cac kien giang provincial
    province whole entire responsible charge agency body unit nhung deu all four tat ca trung uong central
    national chinh phu government 4 bon both target targets goal goals aim aims objective objectives set muc
    tieu chi dat ra de""".split()
)


def _specific(q: Query) -> bool:
    """Whether the question names a subject beyond the plan itself (topic or content words)."""
    return bool(q.topics) or any(w not in _GENERIC_WORDS for w in q.terms)


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
