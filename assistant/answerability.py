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
from assistant.matching import lexicon, synonyms_vi
from assistant.retrieval import lexical_tokens
from assistant.shapes import vocabulary
from assistant.text import fold, marked_syllables, marked_tokens
from assistant.text import syllables as syllables_of
from assistant.understand import _STOP, Query, doers, intent_patterns, provinces, topic_by_id


@dataclass(frozen=True)
class Thresholds:
    answer: float
    answer_facts: float
    supported: float
    quote_fallback: float = 1.0  # a fact-type answer with no fact: a line covering this much is quoted
    quote_fallback_intents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unit:
    """One content concept: met when one alternative's tokens are all in the evidence."""

    label: str
    weight: float
    alternatives: tuple[frozenset[str], ...]
    states: re.Pattern | None = None  # a value the folded evidence must state (required, no weight)
    near: tuple[str, str] | None = None  # two syllables one evidence text must hold close together
    unknown: bool = False  # an English word no lexicon translates (not checked against the facts)

    def met(self, tokens: frozenset[str], folded: str = "", texts: Sequence[list[str]] = ()) -> bool:
        if self.states is not None:
            return bool(self.states.search(folded))
        if self.near is not None:
            return any(_close(self.near, syl) for syl in texts)
        return any(alt <= tokens for alt in self.alternatives)


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(
        resources.files("assistant").joinpath("data/answerability.yaml").read_text(encoding="utf-8")
    )


@lru_cache(maxsize=1)
def plan_self_words() -> frozenset[str]:
    """The words that ask for a plan's own parts (the grounds it cites, its opening lines), folded."""
    return frozenset(fold(_data().get("plan_self", "")).split())


_OVERRIDE: dict[str, float] = {}


def thresholds() -> Thresholds:
    """The thresholds of data/answerability.yaml (or those `override` set, for the sweep)."""
    values = {**_data()["thresholds"], **_OVERRIDE}
    values["quote_fallback_intents"] = tuple(_data().get("quote_fallback_intents", ()))
    return Thresholds(**values)


def override(**values: float) -> None:
    """Set thresholds for this process (eval's sweep answers once with the gate open); none: reset."""
    _OVERRIDE.clear()
    _OVERRIDE.update(values)


@lru_cache(maxsize=2)
def _generic(lang: str = "en") -> frozenset[str]:
    """Generic words, and the words of agencies' English names (an agency is not content). In a
    Vietnamese question the English function words that are syllables of the plans ("that" is
    "thất" of "thất nghiệp", "to" is "tổ" of "tổ chức") are read as Vietnamese."""
    d = _data()
    names = {w for a in registry() if not a.group for w in re.findall(r"[a-z]+", a.en.lower())} - set(
        lexicon()
    )
    out = frozenset(d["generic_vi"].split()) | frozenset(d["generic_en"].split()) | frozenset(_STOP) | names
    return out - frozenset(d["english_only"].split()) if lang == "vi" else out


@lru_cache(maxsize=1)
def _asking_patterns() -> tuple[re.Pattern, ...]:
    """Words that say what is asked (intents, shapes), not what it is about."""
    v = vocabulary()
    out = list(intent_patterns().values())
    out += [v.count, v.summary, v.across, *v.countables.values(), *(s.ask for s in v.sections.values())]
    out += list(v.social)
    out.append(re.compile(r"(?<![a-z0-9])(?:khong|ko|chua|hay khong|phai khong|co phai)(?![a-z0-9])"))
    asking = "|".join(p.strip() for p in _data()["asking"].split("|"))
    out.append(re.compile(rf"(?<![a-z0-9])(?:{asking})(?![a-z0-9])"))
    return tuple(out)


class _Both:
    """Look-ups in the folded weights, and in the marked ones for a token written with marks."""

    def __init__(self, idf: dict[str, float]):
        self.folded, self.marked = idf, getattr(idf, "marked", {})

    def _of(self, token: str) -> dict[str, float]:
        return self.folded if token.isascii() else self.marked

    def __contains__(self, token: str) -> bool:
        return token in self._of(token)

    def __getitem__(self, token: str) -> float:
        return self._of(token)[token]

    def get(self, token: str, default: float) -> float:
        return self._of(token).get(token, default)


@lru_cache(maxsize=1)
def _places() -> re.Pattern:
    """Every spelling of every provincial unit, as one pattern."""
    return re.compile("|".join(p.pattern for unit in provinces() for p in unit.patterns))


def _blank(pattern: re.Pattern, text: str) -> tuple[str, int]:
    """Each match replaced by a separator padded to its length (the text stays aligned with the
    question, so a masked word's written form is still found at the same place)."""
    return pattern.subn(lambda m: ("|" + " " * (len(m.group()) - 1)) if m.group() else "", text)


def _form(word: str, written: str) -> str:
    """The word as the question wrote it when it has marks (one syllable), else its folded form."""
    marked = marked_syllables(written)
    return marked[0] if len(marked) == 1 and not marked[0].isascii() else word


def content_units(q: Query, idf: dict[str, float]) -> list[Unit]:
    """The question's content concepts: topics, then the runs of content syllables left when
    places, agencies, asking words and generic words are taken out, and the kind of value asked
    for (a sum, a rate, a date, a figure), which the cited lines must state.
    Syllables are compared as written when the question has marks ("lương" is not "lượng"); a
    pair the plans use as one word counts as one ("giám đốc" must be met as a pair, not as "giám"
    and "đốc" anywhere); a syllable no plan has weighs as the rarest one. English words no lexicon translates count when
    nothing else does (`Unit.unknown`: answers read from the facts leave them out)."""
    default = getattr(idf, "default", None) or max(idf.values(), default=1.0)
    idf = _Both(idf)
    text = q.rest or ""
    written = q.text if len(q.text) == len(text) else text
    units: dict[str, Unit] = {}
    for pattern in _asking_patterns():
        text, _ = _blank(pattern, text)
    if q.doer_from:  # "Ai bố trí kinh phí?": the body asked for and the verb are not its content
        asks_body, _, _, actions, _ = doers()
        text, _ = _blank(asks_body, text)
        text, _ = _blank(actions, text)
    text, _ = _blank(_places(), text)  # every mention of a place, not only the one that set the scope
    for (
        tid
    ) in q.topics:  # a topic named by the asking words ("kinh phí" in "how is it funded") is not content
        topic = topic_by_id(tid)
        named = False
        for phrase in sorted(topic.vi + topic.en, key=len, reverse=True):
            text, n = _blank(re.compile(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])"), text)
            named = named or n > 0
        if named or not q.rest:
            alts = tuple(frozenset(lexical_tokens(p)) for p in topic.vi)
            units[f"topic:{tid}"] = Unit(f"topic:{tid}", 3.0, alts)
    generic = _generic(q.lang)
    if q.intent in _data().get("plan_self_intents", ()):  # "the legal grounds the decision cites"
        generic = generic | plan_self_words()
    lex = lexicon()
    unknown: list[Unit] = []
    runs: list[list[tuple[str, str, bool]]] = [[]]  # (folded, as written, generic)
    for m in re.finditer(r"[0-9a-z]+(?:[/.-][0-9a-z]+)*|\|", text):
        word = m.group()
        if word == "|" or len(word) < 2:
            runs.append([])
        else:
            runs[-1].append((word, _form(word, written[m.start() : m.end()]), word in generic))
    for run in runs:
        if not run:
            continue
        if q.lang == "en":
            for w, _, is_generic in _split_compounds(run, lex, idf, generic):
                if is_generic:
                    continue
                key = next((k for k in _stems(w) if k in lex), None)
                if key:
                    alts = tuple(frozenset(lexical_tokens(p)) for p in lex[key])
                    units[w] = Unit(w, max(_weight(a, idf, default) for a in alts), alts)
                elif w in idf:
                    units[w] = Unit(w, idf[w], (frozenset([w]),))
                else:
                    unknown.append(Unit(w, default, (), unknown=True))
            continue
        paired: set[int] = set()
        for i, ((_, fa, ga), (_, fb, gb)) in enumerate(itertools.pairwise(run)):
            label = f"{fa}_{fb}"
            if not (ga or gb) and label in idf:  # a word of the plans ("giám đốc"): met as a pair only
                units[label] = Unit(
                    label, max(idf.get(fa, default), idf.get(fb, default)), (frozenset([label]),)
                )
                paired |= {i, i + 1}
        i = 0
        while i < len(run):
            _, f, g = run[i]
            nxt = run[i + 1] if i + 1 < len(run) else None
            if i in paired or g:
                i += 1
            elif nxt is not None and i + 1 not in paired and not nxt[2]:
                # two content syllables the plans never write together ("thời tiết", "xóa nghèo"):
                # met where one line has both close together, not anywhere apart
                label = f"{f}_{nxt[1]}"
                weight = max(idf.get(f, default), idf.get(nxt[1], default))
                units[label] = Unit(label, weight, (frozenset([f, nxt[1]]),), near=(f, nxt[1]))
                i += 2
            else:  # a word the plans write otherwise ("lập" kế hoạch: "xây dựng") met by either
                same = tuple(frozenset(lexical_tokens(p)) for p in synonyms_vi().get(run[i][0], ()))
                units[f] = Unit(f, idf.get(f, default), (frozenset([f]), *same))
                i += 1
    # English words no lexicon entry translates cannot be checked: they count only when nothing
    # else can ("what is the weather …" abstains; "… the socio-political organisations" does not),
    # a year aside ("who won the 2018 World Cup?" is not met by any line of 2018)
    for year in q.years:
        units[year] = Unit(year, idf.get(year, default), (frozenset([year]),))
    out = list(units.values())
    if all(u.label in q.years for u in out):
        out += unknown
    value = _value_asked(q)
    return out + ([value] if value else [])


@lru_cache(maxsize=1)
def _values() -> tuple[tuple[str, re.Pattern, re.Pattern], ...]:
    """(kind, how a question asks for it, how a line states it) from data, first match wins."""
    return tuple(
        (kind, re.compile(v["ask"]), re.compile(v["state"])) for kind, v in _data()["values"].items()
    )


def _value_asked(q: Query) -> Unit | None:
    """The kind of value the question asks for, as a unit the cited lines must state."""
    if q.shape in _data()["values_skip_shapes"] or q.intent in _data().get("values_skip_intents", ()):
        return None
    for kind, ask, state in _values():
        if ask.search(q.rest or fold(q.text)):
            return Unit(f"value:{kind}", 0.0, (), state)
    return None


def _split_compounds(run, lex, idf, generic) -> list[tuple[str, str, bool]]:
    """An English compound the lexicon and the plans do not know whole ("poor-household"): its
    words, each looked up ("poor", "household")."""
    out = []
    for w, form, is_generic in run:
        known = w in idf or any(k in lex for k in _stems(w))
        if "-" in w and not is_generic and not known:
            out += [(x, x, x in generic) for x in w.split("-") if len(x) >= 2]
        else:
            out.append((w, form, is_generic))
    return out


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


WINDOW = 4  # syllables: how close two question syllables the plans never write together must stand


def _close(pair: tuple[str, str], syllables: list[str]) -> bool:
    where = {w: [i for i, s in enumerate(syllables) if s == w] for w in pair}
    return any(abs(i - j) <= WINDOW for i in where[pair[0]] for j in where[pair[1]])


def _evidence(evidence: Iterable[str]) -> tuple[frozenset[str], str, list[list[str]]]:
    """The evidence's folded and marked tokens, its folded text (for the values it states) and
    each text's syllables, folded and marked (for syllables that must stand close)."""
    texts = list(evidence)
    tokens = {t for text in texts for t in lexical_tokens(text)}
    tokens |= {t for text in texts for t in marked_tokens(text)}
    syllables = [syllables_of(text) + marked_syllables(text) for text in texts]
    return frozenset(tokens), "\n".join(fold(text) for text in texts), syllables


def coverage(units: Sequence[Unit], evidence: Iterable[str]) -> float:
    """IDF-weighted share of the units met by the evidence texts (1.0 when nothing to cover);
    0.0 when the value asked for (a sum, a rate, a date) is not stated."""
    if not units:
        return 1.0
    tokens, folded, texts = _evidence(evidence)
    if any(u.states is not None and not u.met(tokens, folded) for u in units):
        return 0.0
    weighed = [u for u in units if u.states is None]
    total = sum(u.weight for u in weighed)
    if total <= 0:
        return 1.0
    return sum(u.weight for u in weighed if u.met(tokens, folded, texts)) / total


def missing(units: Sequence[Unit], evidence: Iterable[str]) -> list[str]:
    """The labels of the units the evidence does not meet (for the abstention message)."""
    tokens, folded, texts = _evidence(evidence)
    return [
        u.label.replace("_", " ")
        for u in units
        if not u.met(tokens, folded, texts) and not u.label.startswith(("topic:", "value:"))
    ]
