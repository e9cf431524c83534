import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from eval.scoring import (
    alternatives,
    citation_hit,
    evidence_matches,
    evidence_rank,
    fold,
    is_abstention_item,
    is_verbatim,
    is_verdict_requirement,
    item_correct,
    mrr,
    percentile,
    recall_at_k,
    requirement_met,
    verbatim_rate,
    verdict_met,
    word_tokens,
)

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "questions" / "gold.jsonl"
CHECK = ROOT / "eval" / "questions" / "check.py"

LAB = "Sở Lao động - Thương binh và Xã hội | Sở LĐTBXH | Department of Labour, Invalids and Social Affairs | DOLISA"


# ------------------------------------------------------------------------------------------ fold
def test_fold_strips_vietnamese_diacritics_and_d_stroke():
    assert fold("Sở Tài chính") == "so tai chinh"
    assert fold("ĐÀO TẠO NGHỀ Đà Nẵng") == "dao tao nghe da nang"
    assert fold("Quảng Ngãi") == fold("quang ngai")


def test_fold_lowercases_and_collapses_whitespace():
    assert fold("  Sở   Lao\tđộng\n\n- Thương  binh ") == "so lao dong - thuong binh"


def test_fold_handles_decomposed_input():
    assert fold(unicodedata.normalize("NFD", "Hải Dương, Đặng Ngọc Dũng")) == "hai duong, dang ngoc dung"


def test_alternatives_are_split_and_stripped():
    assert alternatives(" a |b |  | c ") == ["a", "b", "c"]


# ------------------------------------------------------------------------------ requirement_met
def test_requirement_met_across_diacritics():
    assert requirement_met("so tai chinh phai lap du toan", "Sở Tài chính")
    assert requirement_met("Sở Tài chính phải lập dự toán", "so tai chinh")


def test_requirement_met_any_alternative():
    assert requirement_met("The Department of Labour, Invalids and Social Affairs leads.", LAB)
    assert requirement_met("Sở LĐTBXH chủ trì.", LAB)
    assert requirement_met("DOLISA leads", LAB)
    assert not requirement_met("Sở Tài chính chủ trì.", LAB)


def test_requirement_met_ignores_whitespace_differences():
    assert requirement_met("trước ngày 15/12\nhàng   năm", "15/12 hàng năm")


def test_requirement_without_alternatives_is_met():
    assert requirement_met("anything", " | ")


# ---------------------------------------------------------------------------------- item_correct
ANSWERABLE = {
    "type": "lead",
    "must_include": [LAB, "Sở Ngoại vụ | Department of Foreign Affairs"],
    "evidence": ["Đơn vị chủ trì tham mưu, thực hiện: Sở Lao động - Thương binh và Xã hội, Sở Ngoại vụ."],
}
ABSTAIN = {"type": "abstain", "must_include": [], "evidence": []}


def test_answerable_item_needs_every_requirement():
    good = {"text": "Chủ trì: So Lao dong - Thuong binh va Xa hoi va So Ngoai vu [1].", "abstained": False}
    partial = {"text": "Sở LĐTBXH chủ trì [1].", "abstained": False}
    assert item_correct(ANSWERABLE, good)
    assert not item_correct(ANSWERABLE, partial)


def test_answerable_item_is_wrong_when_abstained_even_if_text_matches():
    row = {"text": "Sở LĐTBXH và Sở Ngoại vụ ... nhưng tôi không chắc.", "abstained": True}
    assert not item_correct(ANSWERABLE, row)


def test_answer_field_is_accepted_instead_of_text():
    assert item_correct(
        ANSWERABLE, {"answer": "DOLISA and the Department of Foreign Affairs", "abstained": False}
    )


def test_abstention_item_needs_abstention():
    assert item_correct(ABSTAIN, {"text": "Kế hoạch không nêu thông tin này.", "abstained": True})
    assert not item_correct(ABSTAIN, {"text": "Sở Tài chính chủ trì.", "abstained": False})
    assert not item_correct(ABSTAIN, {"text": "", "abstained": False})


def test_item_without_requirements_and_evidence_counts_as_abstention():
    untyped = {"type": "timing", "must_include": [], "evidence": []}
    assert is_abstention_item(untyped)
    assert is_abstention_item(ABSTAIN)
    assert not is_abstention_item(ANSWERABLE)
    assert item_correct(untyped, {"text": "", "abstained": True})
    assert not item_correct(untyped, {"text": "15/12", "abstained": False})


# ---------------------------------------------------------------------------------- citation_hit
EVIDENCE = "Thực hiện báo cáo định kỳ và gửi về Sở Lao động - Thương binh và Xã hội trước ngày 15/12 hàng năm"


def test_citation_hit_exact_containment_after_whitespace_normalisation():
    cited = "...thực hiện.  Thực hiện báo cáo định kỳ và gửi về\nSở Lao động - Thương binh và Xã hội trước ngày\t15/12 hàng năm để tổng hợp"
    assert citation_hit([EVIDENCE], ["unrelated text", cited])


def test_citation_hit_80_percent_token_rule():
    assert len(word_tokens(EVIDENCE)) == 23
    # A chunk that starts mid-sentence: drops the first 4 words (19/23 = 83% of tokens present) -> hit.
    cut = " ".join(EVIDENCE.split()[4:])
    assert evidence_matches(EVIDENCE, cut)
    assert citation_hit([EVIDENCE], [cut])
    # Dropping 5 words (18/23 = 78%) -> miss.
    cut_more = " ".join(EVIDENCE.split()[5:])
    assert not evidence_matches(EVIDENCE, cut_more)
    assert not citation_hit([EVIDENCE], [cut_more])


def test_citation_hit_token_rule_folds_diacritics():
    assert citation_hit([EVIDENCE], [fold(EVIDENCE)])


def test_citation_hit_needs_every_evidence_string():
    other = "Căn cứ Quyết định số 1825/QĐ-LĐTBXH ngày 30/12/2016 của Bộ Lao động - Thương binh và Xã hội"
    assert citation_hit([EVIDENCE, other], [EVIDENCE, other])
    assert not citation_hit([EVIDENCE, other], [EVIDENCE])


def test_citation_hit_vacuous_and_empty_citations():
    assert citation_hit([], [])
    assert citation_hit([], ["anything"])
    assert not citation_hit([EVIDENCE], [])


# ------------------------------------------------------------------------------------ verbatim
CORPUS = {"hai-duong": "KẾ HOẠCH\nSở Tài chính lập dự toán.", "ca-mau": "Sở Tài chính cân đối kinh phí."}


def test_is_verbatim_exact_span():
    text = CORPUS["hai-duong"]
    start = text.index("Sở Tài chính")
    cit = {"plan": "hai-duong", "text": "Sở Tài chính lập dự toán.", "start": start, "end": len(text)}
    assert is_verbatim(cit, CORPUS)


def test_is_verbatim_rejects_paraphrase_wrong_span_unknown_plan():
    text = CORPUS["hai-duong"]
    start = text.index("Sở Tài chính")
    base = {"plan": "hai-duong", "text": "Sở Tài chính lập dự toán.", "start": start, "end": len(text)}
    assert not is_verbatim({**base, "text": "So Tai chinh lap du toan."}, CORPUS)  # diacritics lost
    assert not is_verbatim({**base, "start": start + 1}, CORPUS)
    assert not is_verbatim({**base, "plan": "ca-mau"}, CORPUS)
    assert not is_verbatim({**base, "plan": "ha-noi"}, CORPUS)
    assert not is_verbatim({**base, "end": 10_000}, CORPUS)
    assert not is_verbatim({**base, "text": "", "start": 0, "end": 0}, CORPUS)
    assert not is_verbatim({"plan": "hai-duong", "text": "x"}, CORPUS)


def test_is_verbatim_accepts_objects_with_attributes():
    class Cit:
        plan = "ca-mau"
        text = "Sở Tài chính"
        start = 0
        end = len("Sở Tài chính")

    assert is_verbatim(Cit(), CORPUS)


def test_verbatim_rate():
    good = {"plan": "ca-mau", "text": "Sở Tài chính", "start": 0, "end": len("Sở Tài chính")}
    bad = {**good, "text": "Sở Tài Chính"}
    assert verbatim_rate([good, bad], CORPUS) == 0.5
    assert verbatim_rate([good], CORPUS) == 1.0
    assert verbatim_rate([], CORPUS) == 1.0


# ----------------------------------------------------------------------------------- retrieval
PASSAGES = [
    "Sở Tài chính cân đối nguồn kinh phí hằng năm.",
    EVIDENCE,
    "Căn cứ Quyết định số 1825/QĐ-LĐTBXH ngày 30/12/2016 của Bộ Lao động - Thương binh và Xã hội",
]


def test_evidence_rank_single_and_multiple():
    assert evidence_rank(EVIDENCE, PASSAGES) == 2
    assert evidence_rank([EVIDENCE], PASSAGES) == 2
    assert evidence_rank([PASSAGES[2], EVIDENCE], PASSAGES) == 3  # all evidence found by rank 3
    assert evidence_rank("Sở Ngoại vụ kêu gọi nguồn vốn ODA và các tổ chức phi chính phủ", PASSAGES) is None
    assert evidence_rank([EVIDENCE, "Sở Ngoại vụ kêu gọi nguồn vốn ODA"], PASSAGES) is None
    assert evidence_rank([], PASSAGES) is None
    assert evidence_rank(EVIDENCE, []) is None


def test_evidence_rank_uses_token_rule():
    cut = " ".join(EVIDENCE.split()[3:])
    assert evidence_rank(EVIDENCE, ["nothing here", cut]) == 2


def test_recall_at_k_and_mrr():
    ranks = [1, 3, None, 2]
    assert recall_at_k(ranks, 1) == 0.25
    assert recall_at_k(ranks, 3) == 0.75
    assert recall_at_k([], 5) == 0.0
    assert mrr(ranks) == pytest.approx((1 + 1 / 3 + 0 + 1 / 2) / 4)
    assert mrr([]) == 0.0
    with pytest.raises(ValueError):
        recall_at_k(ranks, 0)


def test_percentile_linear_interpolation():
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 0) == 10.0
    assert percentile(values, 100) == 40.0
    assert percentile(values, 50) == pytest.approx(25.0)
    assert percentile([4, 1, 3, 2], 95) == pytest.approx(3.85)
    assert percentile([7], 90) == 7.0
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile(values, 101)


# -------------------------------------------------------------------------------------- gold set
def test_gold_set_passes_its_checker():
    proc = subprocess.run(
        [sys.executable, str(CHECK), str(GOLD)], capture_output=True, text=True, encoding="utf-8", check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_gold_items_are_consistent_with_scoring():
    """Abstention items are recognised as such; an answer quoting one alternative of every requirement is
    correct; each item's evidence is a citation hit for itself."""
    items = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    assert len(items) >= 110
    for item in items:
        if item["type"] == "abstain":
            assert is_abstention_item(item), item["id"]
            assert item_correct(item, {"text": "", "abstained": True}), item["id"]
        else:
            assert not is_abstention_item(item), item["id"]
            ideal = " ; ".join(alternatives(req)[0] for req in item["must_include"])
            assert item_correct(item, {"text": ideal, "abstained": False}), item["id"]
            assert not item_correct(item, {"text": ideal, "abstained": True}), item["id"]
            assert citation_hit(item["evidence"], item["evidence"]), item["id"]


# ------------------------------------------------------------------------------- yes/no verdicts
YES = "Có | Yes | Đúng"
NO = "Không | No | Sai"
YESNO = {"type": "yesno", "must_include": [YES, "15/12"], "evidence": []}


def test_verdict_requirements_are_made_of_verdict_words_only():
    assert is_verdict_requirement(YES) and is_verdict_requirement(NO)
    assert not is_verdict_requirement("Có | Sở Tài chính")
    assert not is_verdict_requirement(" | ")


@pytest.mark.parametrize(
    "answer",
    [
        "Có — Sở Tài chính chủ trì [1].",
        "co, so tai chinh chu tri",
        "Yes — the Department of Finance leads [1].",
        "Kế hoạch của tỉnh X cũ (nay thuộc tỉnh Y):\nCó — Sở Tài chính chủ trì [1].",
        "**Đúng** — hạn 15/12.",
    ],
)
def test_verdict_is_met_by_the_first_word(answer):
    assert verdict_met(answer, YES)


@pytest.mark.parametrize(
    "answer",
    [
        "Không — kế hoạch không nêu cơ quan này [1].",
        "Sở Tài chính có trách nhiệm bố trí kinh phí [1].",
        "Cơ quan chủ trì: Sở Tài chính [1].",
        "The plan does not say; yes, it names the department elsewhere.",
        "Nothing here.\nYes — a second line is not the verdict.",
    ],
)
def test_verdict_is_not_met_by_the_word_elsewhere(answer):
    assert not verdict_met(answer, YES)


def test_english_no_is_a_whole_word():
    assert verdict_met("No — the deadline is 15/12, not 31/12 [1].", NO)
    assert not verdict_met("Not stated in the plan.", NO)


def test_yesno_item_needs_the_verdict_first_and_the_fact():
    assert item_correct(YESNO, {"text": "Có — báo cáo trước ngày 15/12 hằng năm [1].", "abstained": False})
    assert not item_correct(YESNO, {"text": "Cơ quan báo cáo trước 15/12 [1].", "abstained": False})
    assert not item_correct(YESNO, {"text": "Có — báo cáo hằng năm [1].", "abstained": False})


def test_verdict_words_elsewhere_still_count_for_other_types():
    item = {"type": "lead", "must_include": [YES], "evidence": []}
    assert item_correct(item, {"text": "Sở Tài chính có trách nhiệm [1].", "abstained": False})
