"""Escaping, highlighting, and the passages and about panels."""

from __future__ import annotations

from ui.render import about_html, answer_markdown, esc, highlight_spans, passages_html
from ui.strings import s

LABOUR_DEPT = "Sở Lao động - Thương binh và Xã hội"

# `assistant` is the shared session fixture (tests/conftest.py): the real assistant over a temp index.


def test_the_passage_panel_shows_heading_path_and_verbatim_text(assistant):
    answer = assistant.ask("Ai chủ trì đào tạo nghề ở Cà Mau?")
    panel = passages_html(answer, "vi")
    plans = {p.id: p for p in assistant.plans()}
    for c in answer.citations:
        assert plans[c.plan].text[c.start : c.end] == c.text
        assert esc(c.section) in panel
        # the passage is all there once the highlighting is taken out
        assert esc(c.text) in panel.replace("<mark>", "").replace("</mark>", "")


def test_markup_in_passages_and_answers_is_escaped(hostile_answer):
    answer = hostile_answer
    panel = passages_html(answer, "vi")
    for html_text in (panel, answer_markdown(answer, "vi")):
        for tag in ("<script", "<b ", "<b>", "<i>"):
            assert tag not in html_text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in panel.replace("<mark>", "").replace("</mark>", "")
    assert "<mark>Sở Tài chính" in panel  # highlighting still works around escaped text
    assert "&amp;" in panel


def test_highlight_marks_the_answer_words_only():
    passage = "b) Cơ quan chủ trì thực hiện\nSở Lao động - Thương binh và Xã hội."
    answer = (
        "Department of Labour, Invalids and Social Affairs (Sở Lao động - Thương binh và Xã hội) leads [1]."
    )
    spans = highlight_spans(passage, answer)
    assert [passage[a:b] for a, b in spans] == [LABOUR_DEPT]
    # without diacritics, and figures and dates repeated by the answer
    spans = highlight_spans("báo cáo trước ngày 15/12 hàng năm", "bao cao truoc ngay 15/12 [2]")
    assert [("báo cáo trước ngày 15/12 hàng năm")[a:b] for a, b in spans] == ["báo cáo trước ngày 15/12"]
    assert highlight_spans("no overlap here at all", "something else entirely") == []


def test_about_lists_the_plans_and_the_index(assistant):
    out = about_html(assistant, "vi")
    for province in ("Cà Mau", "Hải Dương", "Kiên Giang", "Quảng Ngãi"):
        assert province in out
    assert "1247/QĐ-UBND" in out and "Đặng Ngọc Dũng" in out
    assert esc(str(assistant.info()["model"])) in out
    assert s("en", "about_not_stated") in about_html(assistant, "en")
