"""Compose the deterministic answer: per intent and province, from the structured facts and
the best sentences, each sentence with the markers of the passages it rests on."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from assistant.agencies import Agency, agency_by_id, find_agencies
from assistant.citations import CitationSet
from assistant.facts import Activity, AgencyDuty, PlanFacts
from assistant.retrieval import Hit, lexical_tokens
from assistant.sentences import Sentence, SentenceIndex
from assistant.text import fold
from assistant.understand import Query, topic_by_id
from corpus import Plan

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
    def _query_tokens(self, q: Query) -> set[str]:
        toks = set(lexical_tokens(" ".join(q.terms)))
        for phrase in q.expansions:
            toks |= set(lexical_tokens(phrase))
        return toks

    def match_activities(self, pf: PlanFacts, q: Query) -> list[Activity]:
        """Activities of the plan that the question's topic or words point at, best first."""
        scored = []
        for a in pf.activities:
            title = fold(a.title)
            score = 0.0
            for tid in q.topics:
                if any(re.search(rf"(?<![a-z]){re.escape(p)}(?![a-z])", title) for p in topic_by_id(tid).vi):
                    score += 2.0
            tokens = self._query_tokens(q)
            title_tokens = set(lexical_tokens(a.title))
            if tokens:
                score += len(tokens & title_tokens) / max(len(title_tokens), 1)
            if score >= 1.0:
                scored.append((score, a))
        scored.sort(key=lambda x: -x[0])
        return [a for _, a in scored]

    def best_sentences(
        self, q: Query, plan_id: str, hits: Sequence[Hit], k: int = 2, cue: str | None = None, pool=None
    ) -> list[tuple[float, Sentence]]:
        """Sentences of the plan ranked by word overlap with the question and their chunk's rank."""
        tokens = self._query_tokens(q)
        for y in q.years:
            tokens.add(y)
        chunk_bonus: dict[tuple[int, int], float] = {}
        for rank, h in enumerate(hits):
            if h.chunk.plan == plan_id:
                chunk_bonus[(h.chunk.start, h.chunk.end)] = max(0.0, 0.15 - 0.02 * rank)
        scored = []
        for s in pool if pool is not None else self.sentences.of_plan(plan_id):
            score = self.sentences.overlap(tokens, s)
            if score <= 0:
                continue
            for (cs, ce), bonus in chunk_bonus.items():
                if cs <= s.start and s.end <= ce:
                    score += bonus
                    break
            if cue and re.search(cue, s.folded):
                score += 0.1
            scored.append((score, s))
        scored.sort(key=lambda x: -x[0])
        return scored[:k]

    # -- per intent, per plan --------------------------------------------------------------
    def lead(self, pf: PlanFacts, q: Query, c: CitationSet, lang: str, coordinate: bool = False) -> Part:
        part = Part(missing=t(lang, "what_coordinate" if coordinate else "what_lead"))
        acts = self.match_activities(pf, q)
        agency = q.agencies[0] if q.agencies else None
        if agency and coordinate and not any(agency in _ids(a.leads) for a in acts[:1]):
            return self.coordinate_with(pf, q, c, lang, agency_by_id(agency))
        if acts:
            for a in acts[:2]:
                act = t(lang, "activity", title=a.title)
                if a.leads and not coordinate:
                    part.lines.append(
                        t(
                            lang,
                            "lead",
                            units=self.units(a.leads, lang),
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
        pool = [s for d in pf.duties for s in self._duty_sentences(d) if cue in s.folded]
        best = [
            x for x in self.best_sentences(q, pf.plan.id, [], k=2, pool=pool) if x[0] >= MIN_OVERLAP_STRICT
        ]
        if best and (q.terms or q.expansions):
            for _, s in best[:1]:
                duty = self._duty_of(pf, s)
                name = duty.heading if duty else ""
                part.lines.append(
                    t(
                        lang,
                        "lead_by_duty",
                        agency=self._heading_name(name, lang),
                        line=_clip(s.text),
                        cite=c.cite(s.plan, s.line_start, s.line_end, s.section),
                    )
                )
            part.found = True
            return part
        if not coordinate and (not q.topics or "overall" in q.aspects) and not _specific(q):
            return self.overall_lead(pf, c, lang)
        return part

    def overall_lead(self, pf: PlanFacts, c: CitationSet, lang: str) -> Part:
        part = Part(missing=t(lang, "what_lead"))
        for d in pf.duties:
            first = d.duties[0]
            if fold(first.text).lstrip("- ").startswith("chu tri"):
                part.lines.append(
                    t(
                        lang,
                        "overall_lead",
                        agency=self._heading_name(d.heading, lang),
                        line=_clip(first.text),
                        cite=c.cite_span(d.span),
                    )
                )
                part.found = True
                break
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
        chosen = [s for _, s in ranked] or [s for _, s in pool]
        for s in chosen[:2]:
            d = next(d for d, x in pool if x is s)
            head = "" if agency.id in d.agencies else self._heading_name(d.heading, lang) + ": "
            part.lines.append(head + t(lang, "quote", line=_clip(s.text), cite=c.cite_span(d.span)) + ".")
        part.found = True
        return part

    def agency_duty(self, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
        if not q.agencies:
            return self.general(pf, q, c, lang, hits)
        part = Part()
        for aid in q.agencies[:2]:
            agency = agency_by_id(aid)
            part.missing = t(lang, "what_duty", agency=self.agency_name(agency, lang))
            entries = [d for d in pf.duties if aid in d.agencies]
            for d in entries[:2]:
                part.lines.append(t(lang, "agency_duty_intro", agency=self._heading_name(d.heading, lang)))
                lines = list(d.duties)
                if len(lines) > 4 and len(q.terms) >= 2:
                    pool = [s for s in self._duty_sentences(d)]
                    ranked = self.best_sentences(q, pf.plan.id, [], k=3, pool=pool)
                    keep = {(s.line_start, s.line_end) for _, s in ranked if _ >= 0.2}
                    picked = [x for x in lines if (x.start, x.end) in keep] or lines[:3]
                    lines = picked
                for line in lines:
                    part.lines.append(
                        "- " + t(lang, "quote", line=_clip(line.text.lstrip("- ")), cite=c.cite_span(line))
                    )
                part.found = True
            for a in pf.activities:
                if aid in _ids(a.leads):
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
            if not entries:
                # mentioned elsewhere (e.g. "gửi Sở Tài chính thẩm định")
                for s in self.sentences.of_plan(pf.plan.id):
                    if any(m.agency.id == aid for m in find_agencies(s.text)) and "TỔ CHỨC" in s.section:
                        part.lines.append(
                            t(
                                lang,
                                "agency_also",
                                line=_clip(s.text),
                                cite=c.cite(s.plan, s.line_start, s.line_end, s.section),
                            )
                        )
                        part.found = True
                        break
        return part

    def timing(self, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
        part = Part(missing=t(lang, "what_timing"))
        asks_date = bool(
            re.search(
                r"truoc ngay|ngay nao|deadline|han (chot|bao cao|nop|gui)|thoi han|by what date|due",
                fold(q.text),
            )
        )
        if "review" in q.aspects:
            for s in pf.of_kind("deadline"):
                if "ket" in fold(s.value):
                    part.lines.append(t(lang, "review", line=_clip(s.span.text), cite=c.cite_span(s.span)))
                    part.found = True
                    break
            if part.found:
                return part
        if "effect" in q.aspects or q.agencies:
            return self.general(pf, q, c, lang, hits)
        if "report_deadline" in q.aspects or asks_date:
            part.missing = t(lang, "what_deadline")
            for s in pf.of_kind("deadline"):
                if fold(s.value).startswith("truoc ngay"):
                    part.lines.append(t(lang, "deadline", line=_clip(s.span.text), cite=c.cite_span(s.span)))
                    part.found = True
            if part.found or asks_date:
                return part
        acts = self.match_activities(pf, q) if q.topics else [a for a in pf.activities if a.timing]
        acts = [a for a in acts if a.timing]
        if acts:
            values = {a.timing for a in acts}
            a = acts[0]
            act = t(lang, "activity", title=a.title) if q.topics or len(values) > 1 else ""
            part.lines.append(
                t(lang, "timing_activity", activity=act, value=a.timing, cite=c.cite_span(a.timing_span))
            )
            part.found = True
            return part
        return self.general(pf, q, c, lang, hits, cue=r"hang nam|dinh ky|giai doan|\d{4}|bao cao")

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
        statements = [s for s in pf.of_kind("funding") if len(s.span.text) > 30]
        if not acts:
            for s in statements:
                part.lines.append(t(lang, "funding_plan", line=_clip(s.span.text), cite=c.cite_span(s.span)))
                part.found = True
        # a specific question ("gửi cho ai", "ODA") may be answered by another sentence
        extra = self.best_sentences(q, pf.plan.id, hits, k=1, cue=r"kinh phi|ngan sach|nguon von|oda")
        if extra and extra[0][0] >= MIN_OVERLAP_STRICT:
            s = extra[0][1]
            line = t(
                lang, "quote", line=_clip(s.text), cite=c.cite(s.plan, s.line_start, s.line_end, s.section)
            )
            if not any(s.text in x for x in part.lines):
                part.lines.append(line + ".")
                part.found = True
        return part

    def target(self, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
        part = Part(missing=t(lang, "what_target"))
        pool_spans = {(s.span.start, s.span.end) for s in pf.of_kind("target")}
        pool = [
            s
            for s in self.sentences.of_plan(pf.plan.id)
            if any(a <= s.start and s.end <= b for a, b in pool_spans)
        ]
        ranked = [x for x in self.best_sentences(q, pf.plan.id, hits, k=3, pool=pool) if x[0] >= MIN_OVERLAP]
        if not ranked:
            return part
        top = ranked[0][0]
        for score, s in ranked:
            if score >= top - 0.15:
                part.lines.append(
                    t(
                        lang,
                        "target",
                        line=_clip(s.text),
                        cite=c.cite(s.plan, s.line_start, s.line_end, s.section),
                    )
                )
        part.found = True
        return part

    def legal_basis(self, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
        part = Part(missing=t(lang, "what_legal"))
        generic = not _specific(q)
        if generic:
            refs = []
            for s in pf.of_kind("basis"):
                if "1247" in s.value:
                    continue
                ctx = s.context or s.span
                refs.append(f"{s.value} {c.cite_span(ctx)}")
            if refs:
                part.lines.append(t(lang, "basis", refs="; ".join(dict.fromkeys(refs))))
                part.found = True
            return part
        refs = [s for s in pf.statements if s.kind in ("legal_ref", "basis")]
        pool_by_line = {}
        for s in self.sentences.of_plan(pf.plan.id):
            for r in refs:
                if s.start <= r.span.start and r.span.end <= s.end:
                    pool_by_line.setdefault(id(s), (s, []))[1].append(r)
        pool = [s for s, _ in pool_by_line.values()]
        ranked = [x for x in self.best_sentences(q, pf.plan.id, hits, k=2, pool=pool) if x[0] >= MIN_OVERLAP]
        if not ranked:
            return self.general(pf, q, c, lang, hits, cue="quyet dinh|chi thi|nghi quyet|ke hoach so|luat")
        for _, s in ranked[:2]:
            names = "; ".join(dict.fromkeys(r.value for r in pool_by_line[id(s)][1]))
            cite = c.cite(s.plan, s.line_start, s.line_end, s.section)
            part.lines.append(
                t(lang, "refs_cited", refs=f"{names} {cite}")
                + " "
                + t(lang, "quote", line=_clip(s.text), cite="")
            )
        part.found = True
        return part

    def issuer(self, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
        part = Part()
        plan = pf.plan
        if "signer" in q.aspects:
            part.missing = t(lang, "what_signer")
            for s in pf.of_kind("signer"):
                part.lines.append(
                    t(lang, "signer", signer=plan.signer, title=plan.signer_title, cite=c.cite_span(s.span))
                )
                part.found = True
            return part
        if "proposer" in q.aspects or "effect" in q.aspects:
            return self.general(pf, q, c, lang, hits)
        if "number" in q.aspects:
            part.missing = t(lang, "what_number")
            for s in pf.of_kind("issuer"):
                if s.value == plan.decision_number and plan.decision_number:
                    part.lines.append(
                        t(
                            lang,
                            "decision",
                            number=plan.decision_number,
                            date=plan.decision_date,
                            cite=c.cite_span(s.span),
                        )
                    )
                    part.found = True
            return part
        for s in pf.of_kind("issuer"):
            part.lines.append(
                t(lang, "issuer", issuer=plan.issuer, line=_clip(s.span.text), cite=c.cite_span(s.span))
            )
            part.found = True
        return part

    def general(
        self, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits, cue: str | None = None
    ) -> Part:
        part = Part(missing=t(lang, "what_general"))
        ranked = self.best_sentences(q, pf.plan.id, hits, k=3, cue=cue)
        ranked = [x for x in ranked if x[0] >= MIN_OVERLAP]
        if not ranked:
            return part
        top = ranked[0][0]
        seen_lines = set()
        for score, s in ranked:
            if score < top - 0.2 or (s.line_start, s.line_end) in seen_lines:
                continue
            seen_lines.add((s.line_start, s.line_end))
            part.lines.append(
                t(lang, "quote", line=_clip(s.text), cite=c.cite(s.plan, s.line_start, s.line_end, s.section))
            )
        part.found = True
        return part

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
        for pid in scope:
            pf = self.facts[pid]
            if intent == "lead":
                part = self.lead(pf, q, c, lang)
            elif intent == "coordinate":
                part = self.lead(pf, q, c, lang, coordinate=True)
            elif intent == "agency_duty":
                part = self.agency_duty(pf, q, c, lang, hits)
            elif intent == "timing":
                part = self.timing(pf, q, c, lang, hits)
            elif intent == "funding":
                part = self.funding(pf, q, c, lang, hits)
            elif intent == "target":
                part = self.target(pf, q, c, lang, hits)
            elif intent == "legal_basis":
                part = self.legal_basis(pf, q, c, lang, hits)
            elif intent == "issuer":
                part = self.issuer(pf, q, c, lang, hits)
            else:
                part = self.general(pf, q, c, lang, hits)
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


def _ids(names: Sequence[str]) -> set[str]:
    return {m.agency.id for n in names for m in find_agencies(n)}


def _specific(q: Query) -> bool:
    """Whether the question names a subject beyond the plan itself (topic or content words)."""
    generic = {
        "ke",
        "hoach",
        "plan",
        "van",
        "ban",
        "quyet",
        "dinh",
        "decision",
        "decisions",
        "documents",
        "document",
        "legal",
        "basis",
        "implement",
        "implements",
        "based",
        "thuc",
        "hien",
        "can",
        "cu",
        "nao",
        "which",
        "trien",
        "khai",
        "chien",
        "luoc",
        "strategy",
        "overall",
        "lead",
        "leads",
        "leading",
        "department",
        "chu",
        "tri",
        "so",
        "co",
        "quan",
        "don",
        "vi",
        "hoi",
        "nhap",
        "quoc",
        "te",
        "lao",
        "dong",
        "xa",
    }
    return bool(q.topics) or any(w not in generic for w in q.terms)


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
