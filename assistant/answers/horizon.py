"""The period a plan as a whole covers ("Kế hoạch thực hiện đến năm nào?", "What period does
the plan cover?"): the years its title states, cited, and its activities' timing when the plan
gives them all one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from assistant.answers import Part
from assistant.citations import CitationSet
from assistant.evidence import Evidence, clip
from assistant.facts import PlanFacts
from assistant.outline import outline_of
from assistant.templates import t
from assistant.text import fold
from assistant.understand import Query


@dataclass(frozen=True)
class _Vocabulary:
    ask: re.Pattern
    not_: re.Pattern
    until: re.Pattern
    vision: re.Pattern
    period: re.Pattern


def _words(pattern: str | list[str]) -> re.Pattern:
    pattern = "|".join(pattern) if isinstance(pattern, list) else pattern
    return re.compile(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])")


@lru_cache(maxsize=1)
def vocabulary() -> _Vocabulary:
    raw = yaml.safe_load(
        resources.files("assistant").joinpath("data/horizon.yaml").read_text(encoding="utf-8")
    )
    return _Vocabulary(
        _words(raw["ask"]),
        _words(raw["not"]),
        re.compile(raw["until"]),
        re.compile(raw["vision"]),
        re.compile(raw["period"]),
    )


def _capitals(text: str) -> bool:
    """Written in capitals, as a document's title is: at least 4 letters in 5."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def asks_horizon(q: Query) -> bool:
    """A timing question about the plan itself: no activity, agency, report or cycle named."""
    if q.topics or q.agencies or q.focus is not None:
        return False
    folded = fold(q.text)
    v = vocabulary()
    return bool(v.ask.search(folded)) and not v.not_.search(folded)


def horizon(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str) -> Part:
    """The years the plan's title states ("đến năm 2020, tầm nhìn đến năm 2030", "giai đoạn
    2021 - 2025"): the first line before its body, written in capitals or right under the
    document's heading ("KẾ HOẠCH"), that states them; and the timing its activities share.
    Not found when no such line precedes the body."""
    part = Part(missing=t(lang, "what_horizon"))
    plan = pf.plan
    body = outline_of(plan).body_parts()
    end = body[0].start if body else len(plan.text)
    v = vocabulary()
    after_heading = False
    for line in ev.sentences.lines_of_plan(plan.id):
        if line.line_start >= end:
            break
        titled, after_heading = after_heading or _capitals(line.text), line.heading
        if (
            not titled
        ):  # a grounds line ("Thực hiện Quyết định … đến năm 2020") states another document's years
            continue
        period, vision = v.period.search(line.folded), v.vision.search(line.folded)
        until = v.until.search(line.folded)
        if until is None and period is None:
            continue
        cite = c.cite(plan.id, line.line_start, line.line_end, line.section)
        text = plan.text[line.line_start : line.line_end].strip().rstrip(" .;:,")
        if period is not None:  # "GIAI ĐOẠN 2021 - 2025"
            key, years = "horizon_period", dict(since=period.group(1), until=period.group(2))
        elif vision is not None and vision.group(1) != until.group(1):
            key, years = "horizon_vision", dict(until=until.group(1), vision=vision.group(1))
        else:
            key, years = "horizon", dict(until=until.group(1))
        part.lines.append(t(lang, key, province=plan.province, line=clip(text), cite=cite, **years))
        part.found = True
        break
    if not part.found:
        return part
    timed = [a for a in pf.activities if a.timing]
    if timed and len(timed) == len(pf.activities) and len({fold(a.timing) for a in timed}) == 1:
        part.lines.append(
            t(lang, "horizon_activities", value=timed[0].timing, cite=c.cite_span(timed[0].timing_span))
        )
    return part
