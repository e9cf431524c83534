"""Set the answerability threshold from data: answer every item once with the gate open, then
score each threshold from the coverage each answer recorded (abstain when below it)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from eval import scoring
from eval.runner import AnswerRow

GRID = tuple(round(0.05 * i, 2) for i in range(0, 17))


@dataclasses.dataclass(frozen=True)
class SweepPoint:
    threshold: float
    accuracy: float
    abstention_precision: float
    abstention_recall: float


def at_threshold(rows: Sequence[AnswerRow], threshold: float) -> list[AnswerRow]:
    """The rows as the gate would leave them: below the threshold an answer becomes an abstention."""
    return [dataclasses.replace(r, abstained=r.abstained or r.coverage < threshold) for r in rows]


def sweep(items: Sequence[dict], rows: Sequence[AnswerRow], grid: Sequence[float] = GRID) -> list[SweepPoint]:
    by_id = {r.id: r for r in rows}
    out = []
    for th in grid:
        gated = {r.id: r for r in at_threshold(list(by_id.values()), th)}
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
        n = max(len(items), 1)
        out.append(
            SweepPoint(
                th,
                correct / n,
                right_abstained / abstained if abstained else 0.0,
                right_abstained / should if should else 0.0,
            )
        )
    return out


def main(question_files, assistant=None) -> int:
    """Print accuracy and abstention precision/recall per threshold over the question files."""
    from assistant import answerability
    from eval.runner import answer_items, load_questions, make_assistant

    if assistant is None:
        assistant, _ = make_assistant()
    items, rows = [], []
    answerability.override(answer=0.0, answer_facts=0.0)
    try:
        for path in question_files:
            batch = load_questions(path)
            items += batch
            rows += answer_items(batch, assistant, progress=False)
    finally:
        answerability.override()
    print("threshold  accuracy  abstention P  abstention R")
    for p in sweep(items, rows):
        print(
            f"{p.threshold:9.2f}  {p.accuracy:8.1%}  {p.abstention_precision:12.1%}  {p.abstention_recall:12.1%}"
        )
    return 0
