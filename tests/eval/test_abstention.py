"""Abstention precision/recall, the retrieval-only baseline and the threshold sweep (pure functions)."""

from __future__ import annotations

import dataclasses

from eval.metrics import aggregate, baseline_rows
from eval.runner import AnswerRow, RetrievedRef
from eval.sweep import best, sweep

CORPUS = {"p": "Sở Tài chính thẩm định dự toán. Không có gì khác."}
ITEMS = [
    {
        "id": "a",
        "question": "q",
        "type": "agency_duty",
        "must_include": ["thẩm định"],
        "evidence": ["thẩm định"],
    },
    {"id": "b", "question": "q", "type": "abstain"},
    {"id": "c", "question": "q", "type": "abstain"},
]


def _row(item_id, answer, abstained, coverage=1.0):
    top = [RetrievedRef(CORPUS["p"][:31], "p", 0, 31, 1.0)]
    return AnswerRow(item_id, answer, abstained, retrieved=top, coverage=coverage)


def test_abstention_precision_and_recall_count_what_abstained_rightly():
    rows = [_row("a", "", True), _row("b", "", True), _row("c", "thẩm định", False)]
    m, _ = aggregate(ITEMS, rows, CORPUS)
    assert m.abstention_precision == 0.5  # of the two abstentions one should have answered
    assert m.abstention_recall == 0.5  # of the two not-stated items one abstained


def test_baseline_answers_with_the_top_passages_and_never_abstains():
    rows = baseline_rows([_row("a", "", True), _row("b", "", True), _row("c", "", True)])
    assert all(not r.abstained and r.answer == CORPUS["p"][:31] for r in rows)
    m, _ = aggregate(ITEMS, rows, CORPUS)
    assert m.accuracy == 1 / 3 and m.abstention_recall == 0.0


def test_sweep_turns_low_coverage_answers_into_abstentions():
    rows = [_row("a", "thẩm định", False, 0.9), _row("b", "x", False, 0.2), _row("c", "y", False, 0.4)]
    points = {p.threshold: p for p in sweep(ITEMS, rows, grid=(0.0, 0.3, 0.5, 0.95))}
    assert points[0.0].accuracy == 1 / 3 and points[0.0].abstention_recall == 0.0
    assert points[0.3].accuracy == 2 / 3
    assert points[0.5].accuracy == 1.0 and points[0.5].abstention_precision == 1.0
    assert points[0.95].abstention_precision == 2 / 3


def test_sweep_holds_each_answer_to_the_threshold_of_its_kind():
    rows = [
        dataclasses.replace(_row("a", "thẩm định", False, 0.3), gate="answer_facts"),
        dataclasses.replace(_row("b", "x", False, 0.3), gate="answer"),
        _row("c", "y", False, 0.6),
    ]
    (point,) = sweep(ITEMS, rows, grid=(0.5,), facts_grid=(0.25,))
    assert point.accuracy == 2 / 3  # a answered (facts 0.3 >= 0.25), b abstains (0.3 < 0.5), c answers
    assert point.abstention_precision == 1.0 and point.abstention_recall == 0.5
    assert best([point, *sweep(ITEMS, rows, grid=(0.0,))]) == point
