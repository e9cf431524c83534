"""Every sentence of every plan, with the line it stands in: the units of extractive answers."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from assistant.retrieval import lexical_tokens
from assistant.text import fold, marked_tokens
from corpus import Plan, load_plans
from index.structure import Section, own_text, parse_plan, sentence_spans


@dataclass(frozen=True)
class Sentence:
    plan: str
    province: str
    section: str
    start: int
    end: int
    text: str
    line_start: int  # the line (bullet, paragraph, heading) that holds the sentence
    line_end: int
    tokens: frozenset[str]
    folded: str
    heading: bool = False  # the line is only a heading ("3. Sở Tài chính"): no content to quote


def plan_sentences(plan: Plan, root: Section | None = None) -> list[Sentence]:
    """Every sentence of one plan with its line (an index-time artefact: index.planmodel)."""
    out = []
    root = root or parse_plan(plan.text)
    for node in root.walk():
        if node.kind == "document":
            continue
        start, end = own_text(plan.text, node)
        heading = (
            node.kind in ("part", "item", "subitem", "letter", "article")
            and bool(node.children)
            and end - start < 90
        )
        for s, e in sentence_spans(plan.text, start, end):
            text = plan.text[s:e]
            if len(text) < 8:
                continue
            out.append(
                Sentence(
                    plan=plan.id,
                    province=plan.province,
                    section=node.path_text,
                    start=s,
                    end=e,
                    text=text,
                    line_start=node.start,
                    line_end=end,
                    tokens=frozenset(lexical_tokens(f"{text}")),
                    folded=fold(text),
                    heading=heading,
                )
            )
    return out


def plan_lines(sentences: list[Sentence], text: str) -> list[Sentence]:
    """One plan's lines (its sentences in text order, the plan's text)."""
    return _lines(sentences, {s.plan: text for s in sentences[:1]})


class Weights(dict):
    """IDF of the folded tokens; `marked`: of the tokens as written with their marks ("lương"
    apart from "lượng", assistant.answerability); `default`: the weight of a token no plan has."""

    marked: dict[str, float]
    default: float


def idf_weights(df: dict[str, int], sentences: int) -> Weights:
    """IDF of each token over `sentences` sentences, `df[token]` of which hold it: the folded
    tokens, with the marked ones (`assistant.text.marked_tokens`) kept apart."""
    n = max(sentences, 1)
    weights = Weights({t: math.log(1 + n / f) for t, f in df.items() if t.isascii()})
    weights.marked = {t: math.log(1 + n / f) for t, f in df.items() if not t.isascii()}
    weights.default = max(weights.values(), default=1.0)
    return weights


def _lines(sentences: list[Sentence], texts: dict[str, str]) -> list[Sentence]:
    """One record per line (all its sentences together), for scoring whole lines."""
    by_line: dict[tuple[str, int, int], list[Sentence]] = {}
    for s in sentences:
        by_line.setdefault((s.plan, s.line_start, s.line_end), []).append(s)
    out = []
    for group in by_line.values():
        first, last = group[0], group[-1]
        if len(group) == 1:
            out.append(first)
            continue
        out.append(
            Sentence(
                plan=first.plan,
                province=first.province,
                section=first.section,
                start=first.start,
                end=last.end,
                text=texts[first.plan][first.start : last.end],
                line_start=first.line_start,
                line_end=first.line_end,
                tokens=frozenset().union(*(s.tokens for s in group)),
                folded=" ".join(s.folded for s in group),
                heading=first.heading,
            )
        )
    return out


class SentenceIndex:
    """All sentences and lines, with IDF weights for concept scoring (assistant.matching)."""

    def __init__(self, plans: list[Plan], per_plan: dict[str, list[Sentence]] | None = None):
        """`per_plan`: the sentences already extracted (stored plan models); else parsed here."""
        per_plan = per_plan or {}
        self.sentences = [s for p in plans for s in (per_plan.get(p.id) or plan_sentences(p))]
        self.lines = _lines(self.sentences, {p.id: p.text for p in plans})
        # per plan, built once: the answer composer looks them up many times per question
        self._by_plan: dict[str, list[Sentence]] = {}
        self._lines_by_plan: dict[str, list[Sentence]] = {}
        for s in self.sentences:
            self._by_plan.setdefault(s.plan, []).append(s)
        for s in self.lines:
            self._lines_by_plan.setdefault(s.plan, []).append(s)
        df: Counter = Counter()
        for s in self.sentences:
            df.update(s.tokens)
            df.update(marked_tokens(s.text))
        self.idf = idf_weights(df, len(self.sentences))

    def of_plan(self, plan_id: str) -> list[Sentence]:
        return self._by_plan.get(plan_id, [])

    def lines_of_plan(self, plan_id: str) -> list[Sentence]:
        return self._lines_by_plan.get(plan_id, [])


class StoredSentences:
    """The `SentenceIndex` reads over stored plan models (`index.planmodel.PlanModels`): a plan's
    sentences and lines are read when a question needs that plan, the IDF weights come from
    the corpus-wide counts the build stored. Nothing here grows with the corpus but the IDF."""

    def __init__(self, models):
        self.models = models
        stats = models.stats()
        self.idf = idf_weights(stats.df, stats.sentences)

    def of_plan(self, plan_id: str) -> list[Sentence]:
        return self.models.sentences_of(plan_id) if plan_id in self.models.plans else []

    def lines_of_plan(self, plan_id: str) -> list[Sentence]:
        return self.models.lines_of(plan_id) if plan_id in self.models.plans else []


@lru_cache(maxsize=4)
def sentence_index(plans_dir: str | None = None) -> SentenceIndex:
    return SentenceIndex(load_plans(plans_dir))
