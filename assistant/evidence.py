"""What the intent handlers look things up in: the question's concepts, the activities and
sentences of a plan that answer it best, the lines to cite, and how agencies are named."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

from assistant.agencies import Agency, agency_by_id, find_agencies
from assistant.answerability import plan_self_words
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


def clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_LINE_CHARS else text[: MAX_LINE_CHARS - 1].rsplit(" ", 1)[0] + "…"


class Evidence:
    """The plans, their facts and sentences, and the index's chunks, shared by the intent handlers."""

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
        if q.focus is not None:  # the item a follow-up picked by its place: the activities it holds
            f = q.focus
            return [a for a in pf.activities if a.plan == f.plan and f.start <= a.span.start < f.end]
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
        duty = self.duty_of(self.facts[s.plan], s)
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

    def cite_heading(self, c: CitationSet, a: Activity) -> str:
        """The marker of an activity's heading ("4. Hội nhập quốc tế về an sinh xã hội") with its
        opening lines, down to its first line of content."""
        from assistant.outline import opening  # here: outline imports this package's shapes

        text = self.plans[a.plan].text
        return c.cite(a.plan, a.span.start, opening(text, a.span.start, a.span.end), a.section)

    def cite_sentence(self, c: CitationSet, s: Sentence) -> str:
        return c.cite(s.plan, s.line_start, s.line_end, s.section)

    def in_context(self, pf: PlanFacts, s: Sentence, lang: str) -> str:
        """'Sở Kế hoạch và Đầu tư: ' when the sentence is one of an agency's duties."""
        duty = self.duty_of(pf, s)
        return f"{self.heading_name(duty.heading, lang)}: " if duty else ""

    # -- helpers ----------------------------------------------------------------------------
    def duty_sentences(self, d: AgencyDuty) -> list[Sentence]:
        return [s for s in self.sentences.of_plan(d.plan) if d.span.start <= s.start and s.end <= d.span.end]

    def duty_of(self, pf: PlanFacts, s: Sentence) -> AgencyDuty | None:
        return next((d for d in pf.duties if d.span.start <= s.start and s.end <= d.span.end), None)

    def heading_name(self, heading: str, lang: str) -> str:
        heading = re.sub(r"^Đề nghị\s+", "", heading)
        if lang != "en":
            return heading
        return self.units([heading], lang)


def plan_line(plan: Plan, s: Sentence) -> str:
    """The whole line a sentence stands in, without its outline marker."""
    marker = LINE_MARKER.match(plan.text, s.line_start, s.line_end)
    return plan.text[marker.end() if marker else s.line_start : s.line_end]


_GENERIC_WORDS = frozenset(
    """ke hoach plan plans van ban quyet dinh decision decisions documents document legal basis implement
    implements implementation based thuc hien can cu nao which trien khai chien luoc strategy overall lead leads
    leading department chu tri so co quan don vi hoi nhap quoc te lao dong xa hoat cac provincial
    province whole entire responsible charge agency body unit nhung deu all four tat ca trung uong central
    national chinh phu government 4 bon both target targets goal goals aim aims objective objectives set muc
    tieu chi dat ra de ban hanh issued issuing adopted specific concrete cu the""".split()
)


def specific(q: Query) -> bool:
    """Whether the question names a subject beyond the plan itself (topic or content words)."""
    generic = _GENERIC_WORDS | plan_self_words()  # "which grounds does it cite?" names none
    return bool(q.topics) or any(w not in generic for w in q.terms)
