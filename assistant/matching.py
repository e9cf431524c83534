"""Score how well a sentence covers a question: the question becomes weighted concepts (a
word, a topic, an English word with its Vietnamese renderings), each met by any alternative."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from assistant.retrieval import lexical_tokens
from assistant.understand import Query, topic_by_id

TOPIC_WEIGHT = 3.0


@lru_cache(maxsize=1)
def lexicon() -> dict[str, tuple[str, ...]]:
    raw = yaml.safe_load(
        resources.files("assistant").joinpath("data/lexicon_en_vi.yaml").read_text(encoding="utf-8")
    )
    return {k: tuple(v) for k, v in raw.items()}


@lru_cache(maxsize=1)
def synonyms_vi() -> dict[str, tuple[str, ...]]:
    """A Vietnamese question word -> the plans' phrases for it (data/synonyms_vi.yaml)."""
    raw = yaml.safe_load(
        resources.files("assistant").joinpath("data/synonyms_vi.yaml").read_text(encoding="utf-8")
    )
    return {k: tuple(v) for k, v in raw.items()}


@dataclass(frozen=True)
class Concept:
    label: str
    weight: float
    alternatives: tuple[frozenset[str], ...]  # each: tokens that must all be in the sentence

    def met(self, tokens: frozenset[str] | set[str]) -> bool:
        return any(alt <= tokens for alt in self.alternatives)


class Concepts:
    """The weighted concepts of a question; `coverage(tokens)` is the weighted share met."""

    def __init__(self, concepts: list[Concept]):
        self.items = concepts
        self.total = sum(c.weight for c in concepts)

    def coverage(self, tokens: frozenset[str]) -> float:
        if not self.total:
            return 0.0
        return sum(c.weight for c in self.items if c.met(tokens)) / self.total

    def __bool__(self) -> bool:
        return bool(self.items)


def _alt(phrase: str) -> frozenset[str]:
    return frozenset(lexical_tokens(phrase))


def build_concepts(q: Query, idf: dict[str, float]) -> Concepts:
    """Concepts of the question; words unknown to the plans (and not translatable) are left out."""
    default = max(idf.values(), default=1.0)
    concepts: dict[str, Concept] = {}
    lex = lexicon()

    def weight(phrase_tokens: frozenset[str]) -> float:
        unigrams = [t for t in phrase_tokens if "_" not in t]
        return max((idf.get(t, default) for t in unigrams), default=0.0)

    for tid in q.topics:
        alts = tuple(_alt(p) for p in topic_by_id(tid).vi)
        concepts[f"topic:{tid}"] = Concept(tid, TOPIC_WEIGHT, alts)
    for term in dict.fromkeys(q.terms):
        if term in lex and q.lang == "en":
            alts = tuple(_alt(p) for p in lex[term])
            concepts[term] = Concept(term, max(weight(a) for a in alts), alts)
        elif term in idf:
            same = synonyms_vi().get(term, ()) if q.lang == "vi" else ()
            concepts[term] = Concept(term, idf[term], (frozenset([term]), *(_alt(p) for p in same)))
        elif term in lex:
            alts = tuple(_alt(p) for p in lex[term])
            concepts[term] = Concept(term, max(weight(a) for a in alts), alts)
    for year in q.years:
        concepts[year] = Concept(year, default, (frozenset([year]),))
    return Concepts(list(concepts.values()))
