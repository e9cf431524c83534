"""Answerability probes: questions the plans answer, which must not get "the plans do not say",
and tempting questions they leave open, which must.

A simple line parse of each plan (sharing no code with index/structure.py or assistant/) finds
its parts (by the words their heading starts with), the activities with their field labels,
and the agencies' entries of the implementation part; eval/probes.yaml says how an official
asks about each, in Vietnamese, Vietnamese without diacritics and English with varied wording.
Not-stated probes are asked of a plan only when its text lacks the words that would answer
them. Answerable probes carry the heading or label line as evidence (nothing to include: they
score abstention, not the answer's content); not-stated probes are of type "abstain".

Usage: python -m eval probes [--out FILE]  (then `python -m eval run --questions FILE`)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from corpus import Plan, load_plans
from eval.scoring import fold

VOCABULARY = Path(__file__).resolve().parent / "probes.yaml"
TITLE_MAX = 90

_PART = re.compile(r"^\s*(?:PHẦN\s+)?[IVXLC]+\s*[.\-–]\s+(?P<title>.+?)\s*$")
_HEAD = re.compile(r"^\s*(?:\d{1,2}|[a-zđ])\s*[.)]\s+(?P<title>[^:\n]+?)\s*(?::\s*(?P<value>.*?))?\s*$")
_IMPLEMENTATION = "to chuc thuc hien"


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    return yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Found:
    kind: str  # part, field, agency
    key: str  # the vocabulary entry it matched
    title: str  # the activity (field), the agency (agency) or the part's heading
    evidence: str  # the line, verbatim


def _key(folded: str, keys) -> str | None:
    """The longest vocabulary key the folded text starts with."""
    return next((k for k in sorted(keys, key=len, reverse=True) if folded.startswith(k)), None)


def read(text: str) -> list[Found]:
    """Parts and sub-parts named by the vocabulary, activities' field labels (under the latest
    short heading that has lines of its own), and agencies' entries of the implementation part."""
    v = vocabulary()
    rows = [r.rstrip() for r in text.splitlines()]
    out: list[Found] = []
    activity, in_implementation = "", False
    for i, row in enumerate(rows):
        if m := _PART.match(row):
            title = re.sub(r"^[\d.]+\s*", "", m["title"]).strip()
            folded = fold(title)
            in_implementation = folded.startswith(_IMPLEMENTATION)
            activity = ""
            if key := _key(folded, v["parts"]):
                out.append(Found("part", key, title, row.strip()))
            continue
        m = _HEAD.match(row)
        if not m:
            continue
        title, folded = m["title"].strip(), fold(m["title"].strip())
        if in_implementation:
            if key := _key(folded, v["agencies"]):
                out.append(Found("agency", key, title.rstrip(":"), row.strip()))
            continue
        field = _key(re.sub(r"^(?:co quan|don vi|nguon) ", "", folded), v["fields"])
        if field and activity and len(title) <= 40:
            out.append(Found("field", field, activity, row.strip()))
            continue
        if key := _key(folded, v["parts"]) if len(title) <= 40 and not m["value"] else None:
            out.append(Found("part", key, title, row.strip()))
            activity = ""
            continue
        nxt = rows[i + 1] if i + 1 < len(rows) else ""
        if len(title) <= TITLE_MAX and not m["value"] and nxt.strip() and not _PART.match(nxt):
            activity = title
            if not _HEAD.match(nxt):  # its content follows with no label: the content is asked
                out.append(Found("field", "noi dung", title, row.strip()))
    return out


def _topic(title: str) -> str | None:
    folded = fold(title)
    topics = vocabulary()["topics"]
    return next((topics[k] for k in sorted(topics, key=len, reverse=True) if k in folded), None)


def _variants(vi: list[str], en: list[str], **names: str) -> list[tuple[str, str]]:
    """(lang, question): each Vietnamese template as written and without diacritics, each English one."""
    out = []
    for template in vi:
        q = template.format(**names)
        q = q[0].upper() + q[1:]
        q = re.sub(r"^(Hoạt động) hoạt động\b", r"\1", q)  # a title that starts with the word
        out += [("vi", q), ("vi-folded", fold(q))]
    out += [("en", template.format(**names)) for template in en]
    return out


def _item(plan: Plan, kind: str, n: str, lang: str, question: str, evidence: str | None) -> dict:
    item = {
        "id": f"probe-{kind}-{plan.id}-{n}-{lang}",
        "question": question,
        "type": "abstain" if evidence is None else f"probe-{kind}",
        "province": plan.id,
        "lang": "vi" if lang.startswith("vi") else "en",
        "must_include": [],
        "evidence": [] if evidence is None else [evidence],
        "note": "answerability probe (eval/probes.py)",
    }
    return item


def items_for(plan: Plan) -> list[dict]:
    v = vocabulary()
    names = {"p": plan.province, "e": plan.province_en or plan.province}
    out: list[dict] = []
    counts: dict[str, int] = {}

    def add(kind: str, questions: list[tuple[str, str]], evidence: str | None) -> None:
        counts[kind] = n = counts.get(kind, 0) + 1
        for k, (lang, q) in enumerate(questions, 1):
            out.append(_item(plan, kind, f"{n}.{k}", lang, q, evidence))

    seen: set[tuple] = set()
    for f in read(plan.text):
        once = (f.kind, f.key) if f.kind == "part" else (f.kind, f.key, f.title)
        if once in seen:
            continue
        seen.add(once)
        if f.kind == "part":
            spec = v["parts"][f.key]
            add("part", _variants(spec["vi"], spec["en"], **names), f.evidence)
        elif f.kind == "agency":
            spec = v["agency_questions"]
            agency = re.sub(r"^Đề nghị\s+", "", f.title)
            ge = v["agencies"][f.key]
            add("agency", _variants(spec["vi"], spec["en"], g=agency, ge=ge, **names), f.evidence)
        else:
            spec = v["fields"][f.key]
            topic = _topic(f.title)
            title = f.title[0].lower() + f.title[1:] if not f.title[:2].isupper() else f.title
            add(
                f"field-{f.key.replace(' ', '-')}",
                _variants(spec["vi"], spec["en"] if topic else [], t=title, a=topic or "", **names),
                f.evidence,
            )
    folded = fold(plan.text)
    for spec in v["plan_questions"]:
        if m := re.search(spec["when"], folded):
            line = plan.text[plan.text.rfind("\n", 0, m.start()) + 1 : plan.text.find("\n", m.end())]
            add("plan", _variants(spec["vi"], spec["en"], **names), line.strip())
    for spec in v["not_stated"]:
        if not re.search(spec["unless"], folded):
            add("not-stated", _variants(spec["vi"], spec["en"], **names), None)
    for field, spec in v["not_in_record"].items():
        if not getattr(plan, field, ""):
            add("not-stated", _variants(spec["vi"], spec["en"], **names), None)
    return out


def generate(plans: list[Plan] | None = None) -> list[dict]:
    return [item for plan in (plans if plans is not None else load_plans()) for item in items_for(plan)]


def main(out: Path) -> int:
    items = generate()
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    stated = sum(i["type"] != "abstain" for i in items)
    print(f"{len(items)} probes ({stated} the plans answer, {len(items) - stated} not stated) -> {out}")
    return 0
