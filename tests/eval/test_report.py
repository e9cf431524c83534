import json

import pytest

from eval.metrics import aggregate, check_floors, lang_bucket, reason_category, score_item
from eval.report import CHARTS, render_markdown, summary_line, write_report
from eval.runner import AnswerRow, CitedPassage, RetrievedRef

PLAN = (
    "b) Cơ quan chủ trì thực hiện: Sở Lao động - Thương binh và Xã hội.\n"
    "c) Cơ quan phối hợp thực hiện: Các sở, ban, ngành có liên quan.\n"
    "Thực hiện báo cáo định kỳ trước ngày 15/12 hàng năm để tổng hợp báo cáo Ủy ban nhân dân tỉnh."
)
CORPUS = {"p": PLAN}
LEAD_LINE = "Cơ quan chủ trì thực hiện: Sở Lao động - Thương binh và Xã hội."
DEADLINE_LINE = (
    "Thực hiện báo cáo định kỳ trước ngày 15/12 hàng năm để tổng hợp báo cáo Ủy ban nhân dân tỉnh."
)
LAB = "Sở Lao động - Thương binh và Xã hội | Sở LĐTBXH | Department of Labour, Invalids and Social Affairs"

ITEMS = [
    {
        "id": "lead-1",
        "question": "Ai chủ trì?",
        "type": "lead",
        "province": "p",
        "lang": "vi",
        "must_include": [LAB],
        "evidence": [LEAD_LINE],
    },
    {
        "id": "timing-1",
        "question": "When is the reporting deadline?",
        "type": "timing",
        "province": "p",
        "lang": "en",
        "must_include": ["15/12 | 15 December"],
        "evidence": [DEADLINE_LINE],
    },
    {
        "id": "lead-2",
        "question": "ai chu tri",
        "type": "lead",
        "province": "p",
        "lang": "vi",
        "must_include": [LAB],
        "evidence": [LEAD_LINE],
    },
    {
        "id": "abstain-1",
        "question": "Who leads in Ha Noi?",
        "type": "abstain",
        "province": "none",
        "lang": "en",
        "must_include": [],
        "evidence": [],
    },
    {
        "id": "abstain-2",
        "question": "What about Da Nang?",
        "type": "abstain",
        "province": "none",
        "lang": "en",
        "must_include": [],
        "evidence": [],
    },
    {
        "id": "timing-2",
        "question": "Hạn báo cáo?",
        "type": "timing",
        "province": "p",
        "lang": "vi",
        "must_include": ["15/12"],
        "evidence": [DEADLINE_LINE],
    },
]


def _cite(text: str, plan: str = "p") -> CitedPassage:
    start = PLAN.find(text)
    return CitedPassage(text, "P", plan, "II", start, start + len(text))


def _ref(text: str) -> RetrievedRef:
    start = PLAN.find(text)
    return RetrievedRef(text, "p", start, start + len(text), 0.5)


OTHER = "c) Cơ quan phối hợp thực hiện: Các sở, ban, ngành có liên quan."
ROWS = [
    # correct, verbatim citation, evidence retrieved first
    AnswerRow(
        "lead-1",
        "Sở Lao động - Thương binh và Xã hội chủ trì [1].",
        False,
        [_cite(LEAD_LINE)],
        100.0,
        [_ref(LEAD_LINE), _ref(OTHER)],
        lang="vi",
        timings_ms={"retrieve_ms": 60.0, "total_ms": 95.0},
    ),
    # correct text, but cites the wrong passage (citation miss) -- and answers in Vietnamese
    AnswerRow(
        "timing-1",
        "Trước ngày 15/12 hàng năm [1].",
        False,
        [_cite(OTHER)],
        300.0,
        [_ref(OTHER), _ref(DEADLINE_LINE)],
        lang="vi",
        timings_ms={"retrieve_ms": 260.0, "total_ms": 295.0},
    ),
    # wrong unit, and a citation whose text is not the corpus span
    AnswerRow(
        "lead-2",
        "Sở Tài chính chủ trì [1].",
        False,
        [CitedPassage("Sở Tài chính chủ trì.", "P", "p", "II", 0, 20)],
        200.0,
        [],
        lang="vi",
    ),
    AnswerRow("abstain-1", "I do not hold a plan for Hà Nội.", True, [], 50.0, lang="en"),
    AnswerRow("abstain-2", "Sở LĐTBXH chủ trì.", False, [_cite(LEAD_LINE)], 400.0, lang="en"),
    AnswerRow("timing-2", "", False, [], 10.0, error="KeyError: 'x'"),
]


@pytest.fixture(scope="module")
def result():
    return aggregate(ITEMS, ROWS, CORPUS, peak_rss_mb=512.0)


def test_accuracy_and_counts(result):
    metrics, scores = result
    assert metrics.n == 6 and metrics.n_answerable == 4 and metrics.n_abstain == 2
    assert [s.correct for s in scores] == [True, True, False, True, False, False]
    assert metrics.correct == 3 and metrics.accuracy == pytest.approx(0.5)
    assert metrics.answerable_accuracy == pytest.approx(0.5)
    assert metrics.abstention_accuracy == pytest.approx(0.5)


def test_citation_hit_is_over_answerable_items_with_evidence(result):
    metrics, scores = result
    assert [s.citation_hit for s in scores] == [True, False, False, None, None, False]
    assert metrics.n_cited_items == 4
    assert metrics.citation_hit == pytest.approx(0.25)


def test_verbatim_rate_pools_all_citations(result):
    metrics, _ = result
    assert metrics.n_citations == 4 and metrics.n_verbatim == 3
    assert metrics.verbatim_rate == pytest.approx(0.75)
    assert [c["id"] for c in metrics.non_verbatim] == ["lead-2"]


def test_retrieval_ranks_recall_and_mrr(result):
    metrics, scores = result
    assert [s.evidence_rank for s in scores] == [1, 2, None, None, None, None]
    assert metrics.n_retrieval_items == 4
    assert metrics.recall_at_k == {"1": 0.25, "3": 0.5, "5": 0.5, "8": 0.5}
    assert metrics.mrr == pytest.approx((1 + 0.5) / 4)


def test_latency_memory_and_language(result):
    metrics, scores = result
    # the errored row's latency is left out
    assert metrics.latency_p50_ms == pytest.approx(200.0)
    assert metrics.latency_p95_ms == pytest.approx(380.0)
    assert metrics.peak_rss_mb == 512.0
    assert metrics.stage_latency_ms["retrieve_ms"] == pytest.approx({"p50": 160.0, "p95": 250.0})
    assert set(metrics.stage_latency_ms) == {"retrieve_ms", "total_ms"}
    assert [s.lang for s in scores] == ["vi", "en", "vi-plain", "en", "en", "vi"]
    assert metrics.lang_match_rate == pytest.approx(4 / 5)


def test_failures_say_why(result):
    metrics, _ = result
    why = {f.id: f.why for f in metrics.failures}
    assert set(why) == {"timing-1", "lead-2", "abstain-2", "timing-2"}
    assert why["timing-1"] == ["citation miss"]
    assert why["lead-2"][0].startswith("missing: Sở Lao động - Thương binh và Xã hội | Sở LĐTBXH")
    assert "citation miss" in why["lead-2"] and "non-verbatim citation" in why["lead-2"]
    assert why["abstain-2"] == ["should abstain"]
    assert why["timing-2"] == ["error: KeyError: 'x'"]
    assert metrics.reason_counts["citation miss"] == 2
    assert metrics.errors == [{"id": "timing-2", "question": "Hạn báo cáo?", "error": "KeyError: 'x'"}]


def test_abstained_wrongly_and_missing_row():
    item = ITEMS[0]
    abstained = AnswerRow("lead-1", "Không có thông tin.", True)
    assert score_item(item, abstained, CORPUS).reasons == ["abstained wrongly"]
    missing = score_item(item, None, CORPUS)
    assert not missing.correct and missing.reasons[0].startswith("error: no answer row")
    assert reason_category("missing: x") == "missing requirement" and reason_category("error: y") == "error"
    assert lang_bucket({"lang": "vi", "question": "so tai chinh"}) == "vi-plain"


def test_breakdowns(result):
    metrics, _ = result
    assert set(metrics.by_type) == {"lead", "timing", "abstain"}
    assert metrics.by_type["lead"].n == 2 and metrics.by_type["lead"].correct == 1
    assert metrics.by_type["abstain"].citation_hit is None
    assert metrics.by_province["none"].accuracy == pytest.approx(0.5)
    assert set(metrics.by_lang) == {"vi", "vi-plain", "en"}


def test_floors(result):
    metrics, _ = result
    assert check_floors(metrics) == []
    assert check_floors(metrics, 0.5, 0.25, 0.75) == []
    lines = check_floors(metrics, min_accuracy=0.8, min_citation_hit=0.9, min_verbatim=0.99)
    assert len(lines) == 3
    assert lines[0] == "accuracy 50.0% is below the floor 80.0%"
    assert lines[2].startswith("verbatim rate 75.0%")


def test_report_files_are_written(result, tmp_path):
    metrics, scores = result
    paths = write_report(tmp_path / "out", metrics, scores, {"questions": "q.jsonl", "warm_up_ms": 1234.0})
    out = tmp_path / "out"
    assert {p.name for p in out.iterdir()} == {"report.md", "results.json", *CHARTS}
    for chart in CHARTS:
        assert (out / chart).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = json.loads(paths["results"].read_text(encoding="utf-8"))
    assert data["metrics"]["accuracy"] == pytest.approx(0.5)
    assert data["metrics"]["recall_at_k"]["3"] == pytest.approx(0.5)
    assert [i["id"] for i in data["items"]] == [i["id"] for i in ITEMS]
    assert data["meta"]["charts"] == list(CHARTS)
    report = paths["report"].read_text(encoding="utf-8")
    for text in (
        "accuracy",
        "50.0% (3/6)",
        "citation hit",
        "recall@8",
        "By province",
        "lead-2",
        "should abstain",
    ):
        assert text in report
    assert "KeyError" in report and "Non-verbatim citations" in report
    assert "stage retrieve p50 / p95 | 160 ms / 250 ms" in report


def test_markdown_and_summary_without_failures():
    rows = [ROWS[0], ROWS[3]]
    metrics, _ = aggregate([ITEMS[0], ITEMS[3]], rows, CORPUS)
    text = render_markdown(metrics, {"questions": "q"})
    assert "## Failures (0)" in text and "not measured" in text
    line = summary_line(metrics, "gold")
    assert line.startswith("gold: accuracy 100.0% (2/2)") and "R@1 100%" in line
