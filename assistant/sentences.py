"""Every sentence of every plan, with the line it stands in: the units of extractive answers."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from assistant.retrieval import lexical_tokens
from assistant.text import fold, sentence_spans
from corpus import Plan, load_plans
from index.structure import parse_plan

_LINE_MARKER = re.compile(r"(?:[IVX]+|\d+|[a-gđ]|Điều \d+)[\.\)]\s+|[-*]\s*")


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


def _plan_sentences(plan: Plan) -> list[Sentence]:
    out = []
    root = parse_plan(plan.text)
    for node in root.walk():
        if node.kind == "document":
            continue
        end = node.children[0].start if node.children else node.end
        while end > node.start and plan.text[end - 1].isspace():
            end -= 1
        marker = _LINE_MARKER.match(plan.text, node.start, end)
        start = marker.end() if marker else node.start
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
                )
            )
    return out


class SentenceIndex:
    """All sentences with IDF weights for overlap scoring."""

    def __init__(self, plans: list[Plan]):
        self.sentences = [s for p in plans for s in _plan_sentences(p)]
        df: Counter = Counter()
        for s in self.sentences:
            df.update(s.tokens)
        n = max(len(self.sentences), 1)
        self.idf = {t: math.log(1 + n / f) for t, f in df.items()}

    def overlap(self, query_tokens: set[str], sentence: Sentence) -> float:
        """IDF mass of the query tokens the sentence contains, over the query's IDF mass."""
        if not query_tokens:
            return 0.0
        total = sum(self.idf.get(t, 0.0) for t in query_tokens)
        got = sum(self.idf.get(t, 0.0) for t in query_tokens if t in sentence.tokens)
        return got / total if total else 0.0

    def of_plan(self, plan_id: str) -> list[Sentence]:
        return [s for s in self.sentences if s.plan == plan_id]


@lru_cache(maxsize=4)
def sentence_index(plans_dir: str | None = None) -> SentenceIndex:
    return SentenceIndex(load_plans(plans_dir))
