"""Set the answerability thresholds from data: answer every item once with the gate open, then
score each pair of thresholds (extractive answers, answers read from the facts) from the coverage
each answer recorded and the threshold it was held to (abstain when below it)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from eval import scoring
from eval.runner import AnswerRow

GRID = tuple(round(0.05 * i, 2) for i in range(0, 17))


@dataclasses.dataclass(frozen=True)
class SweepPoint:
    threshold: float  # for extractive answers (and answers that say no threshold)
    accuracy: float
    abstention_precision: float
    abstention_recall: float
    facts_threshold: float | None = None  # for answers read from the facts; None: `threshold`

    @property
    def abstention_f1(self) -> float:
        p, r = self.abstention_precision, self.abstention_recall
        return 2 * p * r / (p + r) if p + r else 0.0


def at_threshold(rows: Sequence[AnswerRow], threshold: float, facts: float | None = None) -> list[AnswerRow]:
    """The rows as the gate would leave them: below its threshold an answer becomes an abstention."""
    facts = threshold if facts is None else facts
    return [
        dataclasses.replace(
            r, abstained=r.abstained or r.coverage < (facts if r.gate == "answer_facts" else threshold)
        )
        for r in rows
    ]


def _point(items: Sequence[dict], rows: Sequence[AnswerRow], th: float, facts: float | None) -> SweepPoint:
    gated = {r.id: r for r in at_threshold(rows, th, facts)}
    correct = abstained = right_abstained = should = 0
    for item in items:
        row = gated.get(str(item["id"]))
        if row is None:
            continue
        answer = {"answer": row.answer, "abstained": row.abstained}
        correct += bool(not row.error and scoring.item_correct(item, answer))
        shall = scoring.is_abstention_item(item)
        should += shall
        abstained += row.abstained
        right_abstained += row.abstained and shall
    return SweepPoint(
        th,
        correct / max(len(items), 1),
        right_abstained / abstained if abstained else 0.0,
        right_abstained / should if should else 0.0,
        facts,
    )


def sweep(
    items: Sequence[dict],
    rows: Sequence[AnswerRow],
    grid: Sequence[float] = GRID,
    facts_grid: Sequence[float | None] = (None,),
) -> list[SweepPoint]:
    """One point per threshold pair; `facts_grid` (None: the same threshold for both kinds)."""
    rows = list({r.id: r for r in rows}.values())
    return [_point(items, rows, th, facts) for th in grid for facts in facts_grid]


def best(points: Sequence[SweepPoint]) -> SweepPoint:
    """Highest accuracy, then highest abstention F1, then the higher thresholds (the safer gate
    where the data cannot tell)."""
    return max(
        points,
        key=lambda p: (
            round(p.accuracy, 6),
            round(p.abstention_f1, 6),
            p.threshold,
            p.facts_threshold or 0.0,
        ),
    )


def main(question_files, assistant=None) -> int:
    """Print accuracy and abstention precision/recall per threshold pair over the question files."""
    from assistant import answerability
    from eval.runner import answer_items, load_questions, make_assistant

    if assistant is None:
        assistant, _ = make_assistant()
    items, rows, per_file = [], [], []
    answerability.override(answer=0.0, answer_facts=0.0)
    try:
        for path in question_files:
            batch = load_questions(path)
            answered = answer_items(batch, assistant, progress=False)
            items += batch
            rows += answered
            per_file.append((Path(path).stem, batch, answered))
    finally:
        answerability.override()
    now = answerability.thresholds()
    points = sweep(items, rows, GRID, GRID)
    top = best(points)
    print(f"{len(items)} items; in use: answer {now.answer}, answer_facts {now.answer_facts}")
    print("answer  answer_facts  accuracy  abstention P  abstention R")
    shown = [p for p in points if p.facts_threshold == now.answer_facts or p.threshold == now.answer]
    for p in sorted(
        {*shown, top}, key=lambda p: (p.facts_threshold != now.answer_facts, p.threshold, p.facts_threshold)
    ):
        mark = "  <- best" if p == top else ""
        print(
            f"{p.threshold:6.2f}  {p.facts_threshold:12.2f}  {p.accuracy:8.1%}  "
            f"{p.abstention_precision:12.1%}  {p.abstention_recall:12.1%}{mark}"
        )
    for name, batch, answered in per_file:
        for label, th, facts in (
            ("in use", now.answer, now.answer_facts),
            ("best", top.threshold, top.facts_threshold),
        ):
            p = _point(batch, answered, th, facts)
            print(
                f"  {name} at {label} ({th:.2f}/{facts:.2f}): accuracy {p.accuracy:.1%}, "
                f"abstention P {p.abstention_precision:.1%} R {p.abstention_recall:.1%}"
            )
    return 0
