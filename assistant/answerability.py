"""Whether cited lines answer a question: the question's content concepts (not its intent words,
not the genre's generic words) must be covered by the cited text and its heading path."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from assistant.agencies import registry
from assistant.matching import lexicon
from assistant.retrieval import lexical_tokens
from assistant.shapes import vocabulary
from assistant.understand import _STOP, Query, _intent_patterns, topic_by_id


@dataclass(frozen=True)
class Thresholds:
    answer: float
    answer_facts: float
    supported: float
    unknown_en: float


@dataclass(frozen=True)
class Unit:
    """One content concept: met when one alternative's tokens are all in the evidence."""

    label: str
    weight: float
    alternatives: tuple[frozenset[str], ...]

    def met(self, tokens: frozenset[str]) -> bool:
        return any(alt <= tokens for alt in self.alternatives)


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(
        resources.files("assistant").joinpath("data/answerability.yaml").read_text(encoding="utf-8")
    )


_OVERRIDE: dict[str, float] = {}


def thresholds() -> Thresholds:
    """The thresholds of data/answerability.yaml (or those `override` set, for the sweep)."""
    return Thresholds(**{**_data()["thresholds"], **_OVERRIDE})


def override(**values: float) -> None:
    """Set thresholds for this process (eval's sweep answers once with the gate open); none: reset."""
    _OVERRIDE.clear()
    _OVERRIDE.update(values)


@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    """Generic words, and the words of agencies' English names (an agency is not content)."""
    d = _data()
    names = {w for a in registry() if not a.group for w in re.findall(r"[a-z]+", a.en.lower())} - set(
        lexicon()
    )
    return frozenset(d["generic_vi"].split()) | frozenset(d["generic_en"].split()) | frozenset(_STOP) | names


@lru_cache(maxsize=1)
def _asking_patterns() -> tuple[re.Pattern, ...]:
    """Words that say what is asked (intents, shapes), not what it is about."""
    v = vocabulary()
    out = list(_intent_patterns().values())
    out += [v.count, v.summary, v.across, *v.countables.values(), *(s.ask for s in v.sections.values())]
    out += list(v.social)
    out.append(re.compile(r"(?<![a-z0-9])(?:khong|ko|chua|hay khong|phai khong|co phai)(?![a-z0-9])"))
    return tuple(out)


def content_units(q: Query, idf: dict[str, float], unknown_words: bool = True) -> list[Unit]:
    """The question's content concepts: topics, then the runs of content syllables left when
    places, agencies, asking words and generic words are taken out (Vietnamese pairs count as
    one word: "giám đốc" must be met as a pair, not as "giám" and "đốc" anywhere).
    `unknown_words`: English words no lexicon translates count when nothing else does."""
    default = max(idf.values(), default=1.0)
    text = q.rest or ""
    units: dict[str, Unit] = {}
    for pattern in _asking_patterns():
        text = pattern.sub(" | ", text)
    for (
        tid
    ) in q.topics:  # a topic named by the asking words ("kinh phí" in "how is it funded") is not content
        topic = topic_by_id(tid)
        named = False
        for phrase in sorted(topic.vi + topic.en, key=len, reverse=True):
            text, n = re.subn(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", " | ", text)
            named = named or n > 0
        if named or not q.rest:
            alts = tuple(frozenset(lexical_tokens(p)) for p in topic.vi)
            units[f"topic:{tid}"] = Unit(f"topic:{tid}", 3.0, alts)
    generic = _generic()
    lex = lexicon()
    unknown: list[Unit] = []
    runs: list[list[str]] = [[]]
    for word in re.findall(r"[0-9a-z]+(?:[/.-][0-9a-z]+)*|\|", text):
        if word == "|" or word in generic or len(word) < 2:
            runs.append([])
        else:
            runs[-1].append(word)
    for run in runs:
        if not run:
            continue
        if q.lang == "en":
            for w in run:
                key = next((k for k in _stems(w) if k in lex), None)
                if key:
                    alts = tuple(frozenset(lexical_tokens(p)) for p in lex[key])
                    units[w] = Unit(w, max(_weight(a, idf, default) for a in alts), alts)
                elif w in idf:
                    units[w] = Unit(w, idf[w], (frozenset([w]),))
                else:
                    unknown.append(Unit(w, default * thresholds().unknown_en, ()))
            continue
        paired: set[int] = set()
        for i, (a, b) in enumerate(itertools.pairwise(run)):
            label = f"{a}_{b}"
            if label in idf:  # a word of the plans ("giám đốc"): met as a pair only
                units[label] = Unit(
                    label, max(idf.get(a, default), idf.get(b, default)), (frozenset([label]),)
                )
                paired |= {i, i + 1}
        for i, w in enumerate(run):
            if i not in paired:
                units[w] = Unit(w, idf.get(w, default), (frozenset([w]),))
    for year in q.years:
        units[year] = Unit(year, default, (frozenset([year]),))
    # English words no lexicon entry translates cannot be checked: they count only when nothing
    # else can ("what is the weather …" abstains; "… the socio-political organisations" does not)
    return list(units.values()) or (unknown if unknown_words else [])


def _stems(word: str) -> list[str]:
    """The word and its plain forms: developing → develop, develope; plans → plan."""
    out = [word]
    for suffix, repl in (
        ("ies", "y"),
        ("ing", ""),
        ("ing", "e"),
        ("ed", ""),
        ("ed", "e"),
        ("es", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            out.append(word[: -len(suffix)] + repl)
    return out


def _weight(alt: frozenset[str], idf: dict[str, float], default: float) -> float:
    return max((idf.get(t, default) for t in alt if "_" not in t), default=0.0)


def coverage(units: Sequence[Unit], evidence: Iterable[str]) -> float:
    """IDF-weighted share of the units met by the evidence texts (1.0 when nothing to cover)."""
    if not units:
        return 1.0
    tokens = frozenset(t for text in evidence for t in lexical_tokens(text))
    total = sum(u.weight for u in units)
    if total <= 0:
        return 1.0
    return sum(u.weight for u in units if u.met(tokens)) / total


def missing(units: Sequence[Unit], evidence: Iterable[str]) -> list[str]:
    """The labels of the units the evidence does not meet (for the abstention message)."""
    tokens = frozenset(t for text in evidence for t in lexical_tokens(text))
    return [
        u.label.replace("_", " ") for u in units if not u.met(tokens) and not u.label.startswith("topic:")
    ]
