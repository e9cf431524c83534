"""The chat handlers with the real assistant: answers, passages, follow-ups, filters, clearing."""

from __future__ import annotations

from ui.chat import clear_chat, passages_for_message, respond, scope
from ui.strings import s

ALL = ["ca-mau", "hai-duong", "kien-giang", "quang-ngai"]
LABOUR_DEPT = "Sở Lao động - Thương binh và Xã hội"

# `assistant` is the shared session fixture (tests/conftest.py): the real assistant over a temp index.


def ask(assistant, question, history=None, session=None, provinces=None, lang="vi", sources=None):
    return respond(assistant, question, history or [], session, provinces or ALL, lang, sources or [])


def test_a_question_gives_the_answer_and_its_passages(assistant):
    history, session, panel, sources, cleared = ask(assistant, "Ai chủ trì đào tạo nghề ở Cà Mau?")
    assert cleared == ""
    assert session is not None
    assert [m["role"] for m in history] == ["user", "assistant"]
    answer = history[1]["content"]
    assert LABOUR_DEPT in answer
    assert "[1]" in answer and "Nguồn:" in answer
    assert 'class="pa-cite"' in panel and 'data-plan="ca-mau"' in panel
    assert f"<mark>{LABOUR_DEPT}</mark>" in panel  # the answer's agency highlighted in the passage
    assert "Cà Mau" in panel
    assert sources == [None, panel]


def test_a_follow_up_uses_the_conversation(assistant):
    history, session, _, sources, _ = ask(assistant, "who leads vocational training in Cà Mau?", lang="en")
    history, session, panel, sources, _ = ask(
        assistant, "and in Hải Dương?", history, session, sources=sources
    )
    assert len(history) == 4 and len(sources) == 4
    assert LABOUR_DEPT in history[3]["content"]
    assert 'data-plan="hai-duong"' in panel and 'data-plan="ca-mau"' not in panel
    assert "giáo dục nghề nghiệp" in panel  # still about vocational education
    assert "Sources:" in history[3]["content"]  # the answer follows the question's language


def test_clicking_an_earlier_message_shows_its_passages(assistant):
    history, session, first, sources, _ = ask(assistant, "Ai chủ trì đào tạo nghề ở Cà Mau?")
    history, session, second, sources, _ = ask(
        assistant, "còn ở Hải Dương?", history, session, sources=sources
    )
    assert first != second
    assert passages_for_message(sources, 1) == first
    assert passages_for_message(sources, 0) == first  # a question shows its answer's passages
    assert passages_for_message(sources, 3) == second


def test_the_province_filter_scopes_the_answer(assistant):
    _, _, panel, _, _ = ask(assistant, "Ai chủ trì công tác tuyên truyền?", provinces=["quang-ngai"])
    assert 'data-plan="quang-ngai"' in panel
    for other in ("ca-mau", "hai-duong", "kien-giang"):
        assert f'data-plan="{other}"' not in panel


def test_scope_all_or_none_means_no_filter():
    assert scope(ALL, ALL) is None
    assert scope([], ALL) is None
    assert scope(None, ALL) is None
    assert scope(["quang-ngai", "ca-mau"], ALL) == ["ca-mau", "quang-ngai"]


def test_clear_resets_the_conversation(assistant):
    history, session, _, sources, _ = ask(assistant, "Ai chủ trì đào tạo nghề ở Cà Mau?")
    assert session.history
    history, session, panel, sources, text = clear_chat(session, "vi")
    assert (history, sources, text) == ([], [], "")
    assert not session.history
    assert s("vi", "passages_empty") in panel


def test_an_empty_question_asks_for_one(assistant):
    history, session, panel, _, _ = ask(assistant, "   ")
    assert history == [] and session is None
    assert s("vi", "empty_question") in panel


def test_markup_in_a_question_is_shown_as_text(assistant):
    question = '<script>alert("x")</script><img src=x onerror=alert(1)> Ai chủ trì đào tạo nghề ở Cà Mau?'
    history, _, panel, _, _ = ask(assistant, question)
    shown = history[0]["content"]
    assert "<script" not in shown and "<img" not in shown
    assert "&lt;script&gt;" in shown and "&lt;img" in shown
    assert "<script" not in panel and "<img" not in panel
    assert "<script" not in history[1]["content"]
