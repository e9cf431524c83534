"""Values a yes/no question claims — a date, a cycle, a rate, a count, a year, a funding
source — and the values a passage states, normalised so the two compare (data/claims.yaml)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

#: the kinds compared, the more telling first (a year is often only the question's setting)
KINDS = ("date", "cycle", "fund", "percent", "number", "year")


@dataclass(frozen=True)
class Value:
    """A value as claimed or stated: `key` is its normal form, `start`/`end` where it stands
    in the (folded) text it was read from."""

    kind: str
    key: tuple
    start: int = 0
    end: int = 0

    def matches(self, other: Value) -> bool:
        """The same value (a number inside a stated range, a date without its year, a source
        the stated one takes in)."""
        if self.kind != other.kind:
            return False
        if self.kind in ("percent", "number", "year"):
            (a, b), (c, d) = self.key, other.key
            return a <= d and c <= b  # the ranges overlap
        if self.kind == "date":
            (d1, m1, y1), (d2, m2, y2) = self.key, other.key
            return m1 == m2 and (d1 is None or d2 is None or d1 == d2) and (not y1 or not y2 or y1 == y2)
        if self.kind == "fund":
            includes = _data()["fund_includes"]
            return (
                self.key == other.key
                or self.key[0] in includes.get(other.key[0], ())
                or other.key[0] in includes.get(self.key[0], ())
            )
        return self.key == other.key


def _words(pattern: str) -> str:
    return rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])"


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(
        resources.files("assistant").joinpath("data/claims.yaml").read_text(encoding="utf-8")
    )


@dataclass(frozen=True)
class _Patterns:
    dates: tuple[tuple[re.Pattern, str], ...]  # pattern, the order of its groups ("dmy", "mdy", "m")
    cycles: tuple[tuple[str, re.Pattern], ...]
    funds: tuple[tuple[str, re.Pattern], ...]
    percent: re.Pattern
    number: re.Pattern
    number_word: re.Pattern
    year: re.Pattern
    reference: re.Pattern
    concepts: tuple[tuple[str, re.Pattern], ...]
    mention: re.Pattern
    only: re.Pattern


def _alternation(words) -> str:
    return "|".join(sorted((re.escape(str(w)) for w in words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    d = _data()
    months = _alternation(d["months"])
    full_months = _alternation(m for m in d["months"] if (len(m) > 3 and m != "may") or m == "june")
    vi_month_names = _alternation(m for m in d["months_vi"] if " " in m or m in ("gieng", "chap"))
    day = r"(\d{1,2})(?:st|nd|rd|th)?"
    year = r"(?:,?\s+(?:nam\s+)?(\d{4}))?"
    dates = (
        (
            re.compile(r"(?<![\d/.,])(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?(?![\d/]|\s*/\s*[a-z])"),
            "dmy",
        ),
        (
            re.compile(rf"(?<![\d/.,])(\d{{1,2}})\s+thang\s+(\d{{1,2}}|{vi_month_names})(?![a-z0-9]){year}"),
            "dmy",
        ),
        (re.compile(rf"(?<![\d/.,]){day}\s+(?:of\s+)?({months})(?![a-z]){year}"), "dmy"),
        (re.compile(rf"(?<![a-z])({months})\.?\s+{day}(?![\d/]){year}"), "mdy"),
        (re.compile(rf"(?<![a-z])(?:in|by|before|end of|until)\s+({full_months})(?![a-z])"), "m"),
        (re.compile(rf"(?<![a-z0-9])thang\s+(\d{{1,2}}|{vi_month_names})(?![a-z0-9/])"), "m"),
    )
    counted = _alternation(d["numbers"])
    return _Patterns(
        dates=dates,
        cycles=tuple((k, re.compile(_words(v))) for k, v in d["cycles"].items()),
        funds=tuple((k, re.compile(_words(v))) for k, v in d["funds"].items()),
        percent=re.compile(
            r"(?<![\d.,])(\d+(?:[.,]\d+)?)(?:\s*(?:-|–|den|to)\s*(\d+(?:[.,]\d+)?))?\s*(?:%|phan tram|percent)"
        ),
        number=re.compile(
            r"(?<![\d/.,-])(\d{1,3}(?:[.,]\d{3})+|\d+)(?![\d/%]|[.,]\d|\s*%|\s*phan tram|\s*percent)"
        ),
        number_word=re.compile(
            rf"(?<![a-z0-9])({counted})(?=\s+[a-z])(?!\s+(?:{d['not_counted']})(?![a-z]))"
        ),
        year=re.compile(r"(?<![\d/.,])((?:19|20)\d\d)(?:\s*(?:-|–|den|to)\s*((?:19|20)\d\d))?(?![\d/])"),
        reference=re.compile(rf"(?:{d['reference_before']})\s*[:.]?\s*$"),
        concepts=tuple((k, re.compile(_words(v))) for k, v in d["concepts"].items()),
        mention=re.compile(_words(d["mention"])),
        only=re.compile(_words(d["only"])),
    )


def _number(text: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", text):
        return float(re.sub(r"[.,]", "", text))
    return float(text.replace(",", "."))


def _month(word: str) -> int:
    d = _data()
    if word.isdigit():
        return int(word)
    return int(d["months"].get(word) or d["months_vi"].get(word) or 0)


def _dates(folded: str) -> list[Value]:
    out: list[Value] = []
    taken: list[tuple[int, int]] = []
    for pattern, order in _patterns().dates:
        for m in pattern.finditer(folded):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            g = m.groups()
            if order == "m":
                day, month, yr = None, _month(g[0]), None
            elif order == "mdy":
                day, month, yr = int(g[1]), _month(g[0]), g[2]
            else:
                day, month, yr = int(g[0]), _month(g[1]), g[2]
            if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
                continue
            taken.append(m.span())
            out.append(Value("date", (day, month, int(yr) if yr else 0), m.start(), m.end()))
    return out


def _spans(values: Sequence[Value]) -> list[tuple[int, int]]:
    return [(v.start, v.end) for v in values]


def _outside(m: re.Match, spans) -> bool:
    return not any(a <= m.start() < b or a < m.end() <= b for a, b in spans)


def values(folded: str, claimed: bool = False) -> list[Value]:
    """Every value the folded text states (or, `claimed`, the question claims), each span read
    once: dates first, then rates, years, cycles and funding sources by their words, counts."""
    p = _patterns()
    out = _dates(folded)
    taken = _spans(out)
    for m in p.percent.finditer(folded):
        if _outside(m, taken):
            lo = _number(m.group(1))
            hi = _number(m.group(2)) if m.group(2) else lo
            out.append(Value("percent", (min(lo, hi), max(lo, hi)), m.start(), m.end()))
            taken.append(m.span())
    for m in p.year.finditer(folded):
        if _outside(m, taken):
            lo = int(m.group(1))
            hi = int(m.group(2)) if m.group(2) else lo
            out.append(Value("year", (lo, hi), m.start(), m.end()))
            taken.append(m.span())
    for kind, table in (("cycle", p.cycles), ("fund", p.funds)):  # "6 tháng một lần" before "6"
        for key, pattern in table:
            for m in pattern.finditer(folded):
                if _outside(m, taken):
                    out.append(Value(kind, (key,), m.start(), m.end()))
                    taken.append(m.span())
    for m in p.number.finditer(folded):
        if not _outside(m, taken) or p.reference.search(folded[max(0, m.start() - 16) : m.start()]):
            continue
        if re.match(r"\s*[/-]\s*[a-z]", folded[m.end() :]):  # "145/qd-ttg", "21-nq/tw": a document
            continue
        if claimed and not re.match(r"\s+[a-z]", folded[m.end() :]):
            continue  # a claimed count comes before what it counts ("5 giải pháp", "300 workers")
        n = _number(m.group(1))
        out.append(Value("number", (n, n), m.start(), m.end()))
        taken.append(m.span())
    if claimed:
        words = _data()["numbers"]
        for m in p.number_word.finditer(folded):
            if _outside(m, taken) and not p.reference.search(folded[max(0, m.start() - 16) : m.start()]):
                n = float(words[m.group(1)])
                out.append(Value("number", (n, n), m.start(), m.end()))
                taken.append(m.span())
    return sorted(out, key=lambda v: v.start)


def claimed(folded: str, counted_words: re.Pattern | None = None) -> list[Value]:
    """The values a folded yes/no question claims. A number word counts only before one of
    `counted_words` (the nouns a count is of: "năm giải pháp", not "năm 2020")."""
    out = values(folded, claimed=True)
    if counted_words is not None:
        words = set(map(str, _data()["numbers"]))
        out = [
            v
            for v in out
            if not (v.kind == "number" and folded[v.start : v.end] in words)
            or counted_words.match(folded[v.end :].lstrip())
        ]
    return out


def concept(folded: str) -> str:
    """The kind of value a yes/no question asks the plan to state ("a specific date" → date),
    "" when none."""
    for kind, pattern in _patterns().concepts:
        if pattern.search(folded):
            return kind
    return ""


def mentions(folded: str) -> bool:
    """The yes/no question asks whether the plan mentions the value anywhere ("có đề cập vốn ODA
    không?"), not what a part of it states."""
    return bool(_patterns().mention.search(folded))


def states(folded: str, kind: str) -> bool:
    """The folded text states a value of this kind ("figure": a rate or a count)."""
    kinds = ("percent", "number") if kind == "figure" else (kind,)
    return any(v.kind in kinds for v in values(folded))


@dataclass
class Judgement:
    """How the claims compare with what a passage states."""

    verdict: str  # "yes", "no" (another value stated) or "" (nothing of the kind stated)
    matched: list[Value]  # the stated values that match a claim
    differing: list[Value]  # the stated values of a kind a claim has, none matching


def signer_role(folded: str) -> str:
    """The signer's role a folded text names ("vice", "chair"), "" when none."""
    for role, pattern in _data()["signer_roles"].items():
        if re.search(_words(pattern), folded):
            return role
    return ""


def only(folded: str) -> bool:
    """The question claims its value is the only one ("funded only from the provincial budget")."""
    return bool(_patterns().only.search(folded))


def judge(claims: Sequence[Value], folded: str, sole: bool = False) -> Judgement:
    """Compare the claims with the values the folded text states: "no" when a claimed kind is
    stated with other values only (`sole`: with any other value of a funding source's kind);
    "yes" when every claimed kind but the year is stated and matched (a year alone: when it
    is); "" otherwise (a kind claimed is not stated)."""
    stated = values(folded)
    matched: list[Value] = []
    differing: list[Value] = []
    kinds = [k for k in KINDS if any(c.kind == k for c in claims)]
    unstated = False
    for kind in kinds:
        mine = [c for c in claims if c.kind == kind]
        theirs = [s for s in stated if s.kind == kind]
        if kind == "date" and not any(c.key[2] for c in mine):
            theirs = [s for s in theirs if not s.key[2]]  # "15/12" each year, not a document's date
        if not theirs:
            unstated = unstated or kind != "year"
            continue
        hit = [s for s in theirs if any(c.matches(s) for c in mine)]
        if sole and kind == "fund" and hit and len(hit) < len(theirs):
            matched += hit
            differing += [s for s in theirs if s not in hit]  # other sources besides the claimed one
        elif hit and all(any(c.matches(s) for s in theirs) for c in mine):
            matched += hit
        else:
            differing += [s for s in theirs if s not in hit]
    if differing:
        return Judgement("no", matched, differing)
    if matched and not unstated:
        return Judgement("yes", matched, [])
    return Judgement("", matched, [])


@dataclass
class Pairing:
    """How a claimed year stands beside the level or rate a question pairs it with."""

    verdict: str  # "yes" (the term's clause states the claimed year) or "no" (another year only)
    term: str  # the folded term ("asean-6", "90%")
    years: list[Value]  # the years its clause states
    others: list[tuple[str, list[Value]]]  # other terms of the line with their clauses' years


def _terms(folded: str, claims: Sequence[Value]) -> list[tuple[str, re.Pattern]]:
    """The terms a year may be paired with: codes ("asean-6") and the claimed rates."""
    code = _data()["pair_term"]
    out = [(m.group(0), re.compile(_words(re.escape(m.group(0))))) for m in re.finditer(_words(code), folded)]
    for v in claims:
        if v.kind == "percent":
            rate = f"{v.key[0]:g}"
            out.append((f"{rate}%", re.compile(rf"(?<![\d.,]){re.escape(rate)}\s*(?:%|phan tram|percent)")))
    return list({t: (t, p) for t, p in out}.values())


def pairing(claims: Sequence[Value], question: str, folded: str) -> Pairing | None:
    """A claimed year judged by the clause of the folded line that holds the term the (folded)
    question pairs it with; None when the question pairs none, or the line's clause of the
    term states no year."""
    years = [v for v in claims if v.kind == "year"]
    if not years:
        return None
    terms = _terms(question, claims)
    if not terms:
        return None
    clauses = re.split(_data()["pair_clause"], folded)
    found: Pairing | None = None
    codes = [m.group(0) for m in re.finditer(_words(_data()["pair_term"]), folded)]
    for term, pattern in terms:
        for clause in clauses:
            if not pattern.search(clause):
                continue
            stated = [v for v in values(clause) if v.kind == "year"]
            if not stated:
                continue
            yes = any(c.matches(s) for c in years for s in stated)
            if found is None or (yes and found.verdict == "no"):
                found = Pairing("yes" if yes else "no", term, stated, [])
    if found is None:
        return None
    for code in dict.fromkeys(codes):
        if code == found.term:
            continue
        for clause in clauses:
            if re.search(_words(re.escape(code)), clause):
                stated = [v for v in values(clause) if v.kind == "year"]
                if stated:
                    found.others.append((code, stated))
                    break
    return found


def cycle_name(key: str, lang: str) -> str:
    return _data()["cycle_names"][lang].get(key, key)


def fund_name(key: str, lang: str) -> str:
    return _data()["fund_names"][lang].get(key, key)


def concept_name(kind: str, lang: str) -> str:
    return _data()["concept_names"][lang].get(kind, kind)


def render(v: Value, lang: str) -> str:
    """A claimed value as an answer writes it: "15/12", "60%", "2025", "hằng quý"."""
    if v.kind == "date":
        day, month, yr = v.key
        text = f"{day}/{month}" if day else (f"tháng {month}" if lang == "vi" else _month_name(month))
        return text + (f"/{yr}" if yr and day else (f" {yr}" if yr else ""))
    if v.kind in ("percent", "number", "year"):
        lo, hi = (f"{x:g}" for x in v.key)
        text = lo if lo == hi else f"{lo}–{hi}"
        return text + ("%" if v.kind == "percent" else "")
    if v.kind == "cycle":
        return cycle_name(v.key[0], lang)
    return fund_name(v.key[0], lang)


def _month_name(month: int) -> str:
    names = [k for k, n in _data()["months"].items() if n == month]
    return max(names, key=len).title() if names else str(month)
