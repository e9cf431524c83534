"""The chat handlers with the real assistant: the two-step turn, passages, follow-ups, scope
notices, suggested questions, clearing."""

from __future__ import annotations

import pytest

from ui.chat import clear_chat, finish_turn, passages_for_message, scope, start_turn
from ui.strings import s

LABOUR_DEPT = "Sở Lao động - Thương binh và Xã hội"

# `assistant` is the shared session fixture (tests/conftest.py): the real assistant over a temp index.


@pytest.fixture
def all_ids(assistant):
    return [p.id for p in assistant.plans()]


def ask(assistant, question, history=None, session=None, provinces=None, lang="vi", answers=None):
    """Both steps of a turn, as the app chains them."""
    ids = provinces or [p.id for p in assistant.plans()]
    shown, pending, _ = start_turn(question, history or [], lang)
    return finish_turn(assistant, pending, shown, session, ids, lang, answers or [])


def _plan_named(assistant, name):
    return next(p.id for p in assistant.plans() if p.province == name)


def test_a_question_gives_the_answer_its_linked_markers_and_passages(assistant):
    history, session, panel, answers, _ = ask(assistant, "Ai chủ trì đào tạo nghề ở Cà Mau?")
    plan = _plan_named(assistant, "Cà Mau")
    assert session is not None
    assert [m["role"] for m in history] == ["user", "assistant"]
    message = history[1]["content"]
    assert LABOUR_DEPT in message and "Nguồn:" in message
    first = answers[1].citations[0]
    assert f"[\\[1\\]](#pa-src={plan}:{first.start}-{first.end})" in message  # [1] opens the plan there
    assert 'class="pa-cite"' in panel and f'data-plan="{plan}"' in panel
    assert 'data-support="supported"' in panel
    assert answers[0] is None and answers[1].question.startswith("Ai chủ trì")


def test_the_question_shows_at_once_with_a_loading_line_then_the_answer_replaces_it(assistant, all_ids):
    shown, pending, panel = start_turn("who leads vocational training in Cà Mau?", [], "en")
    assert [m["role"] for m in shown] == ["user", "assistant"]
    assert s("en", "loading") in shown[1]["content"] and s("en", "loading") in panel
    history, _, panel, answers, _ = finish_turn(assistant, pending, shown, None, all_ids, "en", [])
    assert len(history) == 2 and s("en", "loading") not in history[1]["content"]
    assert LABOUR_DEPT in history[1]["content"] and len(answers) == 2


def test_a_follow_up_uses_the_conversation_and_says_so(assistant):
    history, session, _, answers, _ = ask(assistant, "who leads vocational training in Cà Mau?", lang="en")
    history, session, panel, answers, _ = ask(
        assistant, "and in Hải Dương?", history, session, answers=answers
    )
    plan, other = _plan_named(assistant, "Hải Dương"), _plan_named(assistant, "Cà Mau")
    assert len(history) == 4 and len(answers) == 4
    assert LABOUR_DEPT in history[3]["content"]
    assert f'data-plan="{plan}"' in panel and f'data-plan="{other}"' not in panel
    # a question naming no province inherits the last one, and the answer says so in one line
    history, session, panel, answers, _ = ask(
        assistant, "Ai chủ trì công tác tuyên truyền?", history, session, answers=answers
    )
    assert "Theo câu hỏi trước: Hải Dương." in history[-1]["content"]


def test_a_province_named_outside_the_filter_is_answered_with_a_notice(assistant):
    named, filtered = _plan_named(assistant, "Hải Dương"), _plan_named(assistant, "Cà Mau")
    history, _, panel, answers, _ = ask(
        assistant, "Sở Tài chính Hải Dương phải làm gì?", provinces=[filtered]
    )
    assert answers[-1].provinces == [named]
    assert f'data-plan="{named}"' in panel and f'data-plan="{filtered}"' not in panel
    assert "Đang lọc: Cà Mau — câu hỏi nêu Hải Dương" in history[-1]["content"]


def test_a_follow_up_after_clearing_says_there_is_nothing_to_follow(assistant):
    history, session, *_ = ask(assistant, "Ai chủ trì đào tạo nghề ở Cà Mau?")
    clear_chat(session, "vi")
    history, session, _, _, _ = ask(assistant, "còn Cà Mau thì sao?", [], session)
    assert "Không có câu hỏi trước để hỏi tiếp" in history[-1]["content"]


def test_suggested_follow_ups_come_from_the_cited_activity(assistant):
    history, session, _, answers, asks = ask(assistant, "Ai chủ trì đào tạo nghề ở Cà Mau?")
    assert "Ai phối hợp?" in asks
    assert any(a.startswith("Còn ở ") for a in asks)
    # each suggestion is a working follow-up: asked in the same conversation it is answered
    history, session, _, answers, _ = ask(assistant, "Ai phối hợp?", history, session, answers=answers)
    assert not answers[-1].abstained and answers[-1].provinces == answers[1].provinces


def test_clicking_an_earlier_message_shows_its_passages_in_the_current_language(assistant):
    history, session, first, answers, _ = ask(assistant, "Ai chủ trì đào tạo nghề ở Cà Mau?")
    history, session, second, answers, _ = ask(
        assistant, "còn ở Hải Dương?", history, session, answers=answers
    )
    assert first != second
    assert passages_for_message(answers, 1) == passages_for_message(answers, 0)  # a question: its answer
    assert f'data-plan="{_plan_named(assistant, "Hải Dương")}"' in passages_for_message(answers, 3)
    assert "Question:" in passages_for_message(answers, 1, "en")


def test_scope_all_or_none_means_no_filter(all_ids):
    assert scope(all_ids, all_ids) is None
    assert scope([], all_ids) is None
    assert scope(None, all_ids) is None
    assert scope(all_ids[:2][::-1], all_ids) == all_ids[:2]


def test_clear_resets_the_conversation(assistant):
    history, session, _, answers, _ = ask(assistant, "Ai chủ trì đào tạo nghề ở Cà Mau?")
    assert session.history
    history, session, panel, answers, _ = clear_chat(session, "vi")
    assert (history, answers) == ([], [])
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
