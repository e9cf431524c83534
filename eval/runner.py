"""Answer question items with the assistant and keep what the scorer needs, as typed rows.

An answer row (one JSONL line of ``python -m eval answer``) has the stable keys
``id, answer, abstained, citations, latency_ms`` -- each citation ``{text, province, plan, section, start,
end}`` with ``text`` the verbatim cited passage -- and the extra keys ``retrieved`` (the passages the
retriever ranked, ``{text, plan, start, end, score}``), ``lang``, ``intent``, ``timings_ms`` (the
assistant's own per-stage timings) and ``error``.
"""

from __future__ import annotations

import json
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

#: The answer file's stable contract.
STABLE_KEYS = ("id", "answer", "abstained", "citations", "latency_ms")
CITATION_KEYS = ("text", "province", "plan", "section", "start", "end")
EXTRA_KEYS = ("retrieved", "lang", "intent", "support", "coverage", "gate", "timings_ms", "error")
RETRIEVED_KEYS = ("text", "plan", "start", "end", "score")


@dataclass(frozen=True)
class CitedPassage:
    text: str
    province: str
    plan: str
    section: str
    start: int
    end: int


@dataclass(frozen=True)
class RetrievedRef:
    text: str
    plan: str
    start: int
    end: int
    score: float = 0.0


@dataclass
class AnswerRow:
    """The scored (last) turn's answer to one item."""

    id: str
    answer: str
    abstained: bool
    citations: list[CitedPassage] = field(default_factory=list)
    latency_ms: float = 0.0
    retrieved: list[RetrievedRef] = field(default_factory=list)
    lang: str = ""
    intent: str = ""
    support: str = ""  # supported | partial | not_found ("" when the answers file does not say)
    coverage: float = 1.0  # share of the question's content the citations cover (the gate's input)
    gate: str = ""  # the threshold the coverage was held to ("answer", "answer_facts"; "": none)
    timings_ms: dict[str, float] = field(default_factory=dict)
    error: str = ""  # "TypeError: ..." when the assistant raised

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [asdict(c) for c in self.citations],
            "latency_ms": round(self.latency_ms, 1),
            "retrieved": [asdict(r) for r in self.retrieved],
            "lang": self.lang,
            "intent": self.intent,
            "support": self.support,
            "coverage": round(self.coverage, 3),
            "gate": self.gate,
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "error": self.error,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AnswerRow:
        return cls(
            id=str(data["id"]),
            answer=str(data.get("answer") or ""),
            abstained=bool(data.get("abstained", False)),
            citations=[
                CitedPassage(**{k: c.get(k) for k in CITATION_KEYS}) for c in data.get("citations", [])
            ],
            latency_ms=float(data.get("latency_ms") or 0.0),
            retrieved=[
                RetrievedRef(**{k: r.get(k) for k in RETRIEVED_KEYS if k in r})
                for r in data.get("retrieved", [])
            ],
            lang=str(data.get("lang") or ""),
            intent=str(data.get("intent") or ""),
            support=str(data.get("support") or ""),
            coverage=float(data.get("coverage", 1.0) or 0.0),
            gate=str(data.get("gate") or ""),
            timings_ms={str(k): float(v) for k, v in (data.get("timings_ms") or {}).items()},
            error=str(data.get("error") or ""),
        )


# ------------------------------------------------------------------------------------ questions
def load_questions(path: Path | str) -> list[dict]:
    """The items of a JSONL question file; each needs ``id`` and ``question`` (or ``turns``)."""
    items = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            item = json.loads(line)
            if not isinstance(item, dict) or "id" not in item or not turns_of(item):
                raise ValueError(f"{path}:{lineno}: an item needs 'id' and 'question' or 'turns'")
            items.append(item)
    return items


def strip_diacritics(text: str) -> str:
    """The text as typed without Vietnamese diacritics ("Sở Tài chính" → "So Tai chinh"); case kept."""
    text = text.replace("đ", "d").replace("Đ", "D")
    bare = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare)


def without_diacritics(item: dict) -> dict:
    """The item with its question and turns typed without diacritics (what is expected kept)."""
    out = dict(item)
    if isinstance(item.get("question"), str):
        out["question"] = strip_diacritics(item["question"])
    if isinstance(item.get("turns"), list):
        out["turns"] = [strip_diacritics(str(x)) for x in item["turns"]]
    return out


def turns_of(item: dict) -> list[str]:
    """The questions to ask in order: ``turns`` when given, else ``[question]``."""
    turns = item.get("turns")
    if isinstance(turns, list) and turns:
        return [str(t) for t in turns]
    question = item.get("question")
    return [str(question)] if isinstance(question, str) and question else []


# ------------------------------------------------------------------------------------ answering
def make_assistant():
    """A warmed-up assistant and the warm-up time in ms."""
    from assistant import Assistant
    from index.settings import get_settings
    from index.snapshot import reading_settings

    started = time.perf_counter()
    assistant = Assistant(reading_settings(get_settings()))  # answering never writes to the index
    assistant.warm_up()
    return assistant, (time.perf_counter() - started) * 1000


def _row(item_id: str, answer, latency_ms: float) -> AnswerRow:
    return AnswerRow(
        id=item_id,
        answer=answer.text,
        abstained=bool(answer.abstained),
        citations=[  # the passages the answer's text shows; those it leaves out are not scored
            CitedPassage(c.text, c.province, c.plan, c.section, int(c.start), int(c.end))
            for c in getattr(answer, "shown", answer.citations)
        ],
        latency_ms=latency_ms,
        retrieved=[
            RetrievedRef(r.text, r.plan, int(r.start), int(r.end), float(r.score)) for r in answer.retrieved
        ],
        lang=answer.lang,
        intent=answer.intent,
        support=getattr(answer, "support", ""),
        coverage=float(getattr(answer, "coverage", 1.0)),
        gate=str(getattr(answer, "gate", "")),
        timings_ms={str(k): float(v) for k, v in (answer.timings_ms or {}).items()},
    )


def answer_item(assistant, item: dict) -> AnswerRow:
    """Ask the item's turns in one session; the last answer is the row. Exceptions become ``error``."""
    from assistant import Session

    item_id = str(item["id"])
    session = Session()
    turns = turns_of(item)
    started = time.perf_counter()
    try:
        for turn in turns[:-1]:
            assistant.ask(turn, session=session)
        started = time.perf_counter()
        answer = assistant.ask(turns[-1], session=session)
    except Exception as exc:  # a crash is a result to report, not a reason to stop the run
        latency = (time.perf_counter() - started) * 1000
        return AnswerRow(item_id, "", False, latency_ms=latency, error=f"{type(exc).__name__}: {exc}")
    return _row(item_id, answer, (time.perf_counter() - started) * 1000)


def answer_items(
    items: Sequence[dict], assistant=None, progress: bool = True, desc: str = "answering"
) -> list[AnswerRow]:
    """Answer every item in order (a tqdm bar on stderr unless ``progress`` is False)."""
    from tqdm import tqdm

    if assistant is None:
        assistant, _ = make_assistant()
    return [
        answer_item(assistant, item)
        for item in tqdm(items, desc=desc, unit="q", disable=not progress, dynamic_ncols=True)
    ]


# ---------------------------------------------------------------------------------------- files
def write_answers(rows: Iterable[AnswerRow], path: Path | str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row.to_json(), ensure_ascii=False) + "\n")
    return path


def read_answers(path: Path | str) -> list[AnswerRow]:
    with open(path, encoding="utf-8") as fh:
        return [AnswerRow.from_json(json.loads(line)) for line in fh if line.strip()]
