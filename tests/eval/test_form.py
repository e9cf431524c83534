"""The form of answers the report counts: a lead sentence first or a quote, English leads."""

from __future__ import annotations

import pytest

from eval.form import describe, is_english, line_kind


@pytest.mark.parametrize(
    "line,kind",
    [
        ("“Thời gian thực hiện: Thường xuyên hàng năm.” [1]", "quote"),
        ("- “Phối hợp với Sở Tài chính.” [2]", "quote"),
        ("Có — “Lồng ghép các chương trình đào tạo nghề.” [1].", "quote"),
        ("Sở Ngoại vụ: “Phối hợp với Sở Lao động - Thương binh và Xã hội.” [1]", "labelled_quote"),
        ("Hạn báo cáo: “Thực hiện báo cáo định kỳ.” [1].", "labelled_quote"),
        ("The Hải Dương plan says (quoted in Vietnamese):", "says"),
        ("Cà Mau:", "header"),
        ("The plan of Kien Giang (now part of An Giang):", "header"),
        ("Sở Nội vụ (Hải Dương) có nhiệm vụ:", "lead"),
        ("8 — kế hoạch của Cà Mau dẫn 8 văn bản:", "lead"),
        ("Theo kế hoạch của Cà Mau, thời gian: trước ngày 31/12 hằng năm [1]:", "lead"),
        ("Yes — In the Cà Mau plan, figures: over 50% [1]; in its words (Vietnamese):", "lead"),
        ("", "empty"),
    ],
)
def test_line_kind(line, kind):
    assert line_kind(line) == kind


def test_english_is_read_from_the_answerers_own_words_not_the_quotes():
    assert is_english("Department of Finance (Sở Tài chính) (Cà Mau) must:")
    assert not is_english("Sở Ngoại vụ: “Phối hợp với the plan”")  # English only inside the quote
    assert not is_english("Theo kế hoạch của Cà Mau, cơ quan: Sở Tài chính [1]:")


def test_describe_counts_openings_support_and_passages():
    rows = [
        {
            "answer": "Sở Tài chính (Cà Mau) có nhiệm vụ:\n- “Thẩm định.” [1]",
            "lang": "vi",
            "support": "supported",
            "citations": [{}],
        },
        {"answer": "“Hằng năm.” [1] [2]", "lang": "en", "support": "partial", "citations": [{}, {}]},
        {
            "answer": "Kế hoạch không nêu.",
            "lang": "vi",
            "abstained": True,
            "support": "not_found",
            "citations": [],
        },
    ]
    d = describe(rows)
    assert d["first_line_answered"] == {"lead": 1, "quote": 1}
    assert (d["en_answered"], d["en_without_english_lead"]) == (1, 1)
    assert d["support"] == {"supported": 1, "partial": 1, "not_found": 1}
    assert d["passages_shown"] == {0: 1, 1: 1, 2: 1}
