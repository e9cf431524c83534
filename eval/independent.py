"""A question set from an independent, deliberately simple parse of the plans.

`generated.jsonl` is built from the assistant's own extractor (assistant.facts), so it measures
self-consistency only. This one reads the plan text line by line with a few regular expressions
and shares no code with index/structure.py or assistant/facts.py; it reads only the genre's label
vocabulary (assistant/data/fields.yaml: the "Cơ quan chủ trì"-style labels, the words unit names
start with, the implementation part's heading). From each activity's lead and coordination lines
and each agency's entry in the implementation part it writes a question in Vietnamese and in
English whose answer is that line.

Usage: python -m eval independent [--out eval/questions/independent.jsonl]
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from corpus import Plan, load_plans
from eval.scoring import fold

DEFAULT_OUT = Path(__file__).resolve().parent / "questions" / "independent.jsonl"
EVIDENCE_MAX = 200

_PART = re.compile(r"^\s*(?:PHẦN\s+)?[IVXLC]+\s*[.\-–]\s+(?P<title>.+?)\s*$")
_ITEM = re.compile(r"^\s*\d{1,2}\s*[.)]\s+(?P<title>.+?)\s*:?\s*$")
_LABEL = re.compile(
    r"^\s*(?:[a-zđ]\s*[.)/-]|[-+*•])?\s*(?P<label>[^:\n]{3,60}?)\s*(?::\s*(?P<value>.*?))?\s*$"
)
_BULLET = re.compile(r"^\s*[-+*•]\s*")


@dataclass(frozen=True)
class Vocabulary:
    labels: dict[str, re.Pattern]  # lead / coordinate: the folded label in full
    heads: str  # an alternation of the words a unit's name starts with
    implementation: re.Pattern  # the implementation part's folded heading


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    raw = yaml.safe_load(
        resources.files("assistant").joinpath("data/fields.yaml").read_text(encoding="utf-8")
    )
    labels = {k: re.compile("|".join(f"(?:{p})" for p in raw["labels"][k])) for k in ("lead", "coordinate")}
    heads = "|".join(raw["unit_heads"])
    return Vocabulary(labels, heads, re.compile(raw["parts"]["implementation"]))


@dataclass(frozen=True)
class Line:
    kind: str  # lead, coordinate, duty
    title: str  # the activity (lead, coordinate) or the agency (duty)
    value: str  # the units (lead, coordinate) or the first duty line (duty), verbatim
    evidence: str = ""  # the label (or the agency's heading) through its value, verbatim


def units(value: str) -> list[str]:
    """The unit names of a label's value, split where a new name starts after ',', ';' or 'và'."""
    parts = re.split(rf"\s*(?:[;,]|\svà\s)\s*(?=(?:{vocabulary().heads})\b)", value)
    return [p.strip(" .;,") for p in parts if p.strip(" .;,")]


def read_lines(text: str) -> list[Line]:
    """Lead and coordination lines under the latest numbered item; agency entries of the part
    whose heading is the implementation part's."""
    vocab = vocabulary()
    rows = text.splitlines(keepends=True)
    starts = [0]
    for row in rows:
        starts.append(starts[-1] + len(row))

    def through(i: int, col: int, j: int) -> str:  # rows i (from column col) to j, verbatim
        return text[starts[i] + col : starts[j + 1]].strip()

    out: list[Line] = []
    title, in_implementation = "", False
    for i, row in enumerate(rows):
        if m := _PART.match(row):
            in_implementation = bool(vocab.implementation.search(fold(m["title"])))
            title = ""
            continue
        if m := _ITEM.match(row):
            title = m["title"].rstrip(":").strip()
            if in_implementation and re.match(rf"(?:{vocab.heads})\b", title) and len(title) < 120:
                j = next((j for j in range(i + 1, len(rows)) if rows[j].strip()), None)
                if j is not None and not (_ITEM.match(rows[j]) or _PART.match(rows[j])):
                    duty = _BULLET.sub("", rows[j]).strip()
                    out.append(Line("duty", title, duty, through(i, 0, j) if len(duty) < 40 else duty))
            continue
        m = _LABEL.match(row)
        if not m or not title or in_implementation:
            continue
        label = fold(m["label"]).rstrip(" ,")
        for kind, pattern in vocab.labels.items():
            if pattern.fullmatch(label):
                j = (
                    i
                    if m["value"]
                    else next((j for j in range(i + 1, min(i + 3, len(rows))) if rows[j].strip()), i)
                )
                value = (m["value"] or rows[j] if j > i else m["value"] or "").strip()
                if value and re.match(rf"(?:{vocab.heads})\b", value):
                    out.append(Line(kind, title, value, through(i, m.start("label"), j)))
                break
    return out


def _alternatives(name: str) -> str:
    """The name as written, or its first three words (a hyphen or a dropped word aside)."""
    words = name.split()
    short = " ".join(w for w in words[:4] if w not in "-–")
    return " | ".join(dict.fromkeys([name, short]))


def _evidence(value: str) -> str:
    if len(value) <= EVIDENCE_MAX:
        return value
    return value[:EVIDENCE_MAX].rsplit(" ", 1)[0]


def items_for(plan: Plan) -> list[dict]:
    out = []
    counts: dict[str, int] = {}
    for line in read_lines(plan.text):
        if line.kind == "duty":
            vi = f"{line.title} {plan.province} có nhiệm vụ gì?"
            en = f"What must the {line.title} do under the {plan.province_en} plan?"
            must = [" ".join(line.value.split()[:5])]
        else:
            names = units(line.value)[: 3 if line.kind == "lead" else 2]
            if line.kind == "lead":
                vi = f"Ai chủ trì hoạt động “{line.title}” ở {plan.province}?"
                en = f"Who leads the activity “{line.title}” in {plan.province_en}?"
            else:
                vi = f"Cơ quan nào phối hợp thực hiện hoạt động “{line.title}” ở {plan.province}?"
                en = f"Which agencies coordinate the activity “{line.title}” in {plan.province_en}?"
            must = [_alternatives(n) for n in names]
        qtype = "agency_duty" if line.kind == "duty" else line.kind
        counts[qtype] = n = counts.get(qtype, 0) + 1
        for lang, question in (("vi", vi), ("en", en)):
            out.append(
                {
                    "id": f"ind-{qtype.replace('_', '-')}-{plan.id}-{n}-{lang}",
                    "question": question,
                    "type": qtype,
                    "province": plan.id,
                    "lang": lang,
                    "must_include": must,
                    "evidence": [_evidence(line.evidence)],
                    "note": "independent parse (eval/independent.py)",
                }
            )
    return out


def generate(plans: list[Plan] | None = None) -> list[dict]:
    return [item for plan in (plans if plans is not None else load_plans()) for item in items_for(plan)]


def main(out: Path = DEFAULT_OUT) -> int:
    items = generate()
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    kinds = {k: sum(i["type"] == k for i in items) for k in ("lead", "coordinate", "agency_duty")}
    print(f"{len(items)} items ({', '.join(f'{k} {v}' for k, v in kinds.items())}) -> {out}")
    return 0
