"""The answerability gate: questions the plans do not answer abstain (in Vietnamese, Vietnamese
without diacritics and English) with nothing cited as the answer; questions of the same phrasing
families that the plans do answer are not refused. Every plan found is asked; none is named."""

from __future__ import annotations

import re

import pytest

from assistant import answerability
from assistant.agencies import agency_by_id
from assistant.facts import all_facts
from assistant.sentences import sentence_index
from assistant.templates import t
from assistant.text import fold, marked_syllables
from assistant.understand import understand
from corpus import load_plans

PLANS = load_plans()
FACTS = all_facts()
IDF = sentence_index().idf

#: (what the plans must not say, questions in vi / en) — facts a reader is tempted to ask for.
NOT_STATED = [
    (
        "lương tối thiểu",
        "Mức lương tối thiểu vùng ở {vi} là bao nhiêu?",
        "What is the regional minimum wage in {en}?",
    ),
    ("thời tiết", "Thời tiết ở {vi} tuần tới thế nào?", "What will the weather be like in {en} next week?"),
    (
        "tỷ đồng",
        "Tổng kinh phí thực hiện kế hoạch của {vi} là bao nhiêu tỷ đồng?",
        "What is the total budget, in billion dong, of the {en} plan?",
    ),
]


def _not_stated_cases():
    for plan in PLANS:
        for phrase, vi, en in NOT_STATED:
            if fold(phrase) in fold(plan.text):
                continue  # this plan does say it: not a question it leaves open
            question = vi.format(vi=plan.province)
            yield pytest.param(plan, question, id=f"{plan.id}-vi-{phrase}")
            yield pytest.param(plan, fold(question), id=f"{plan.id}-folded-{phrase}")
            yield pytest.param(plan, en.format(en=plan.province_en), id=f"{plan.id}-en-{phrase}")


def _duty_cases():
    """An agency with its own duty entry in each plan, asked for in the 'list in full' phrasing."""
    for plan in PLANS:
        entry = next((d for d in FACTS[plan.id].duties if len(d.agencies) == 1 and d.duties), None)
        if entry is None:
            continue
        agency = agency_by_id(entry.agencies[0])
        vi = f"Liệt kê đầy đủ các nhiệm vụ của {agency.vi} trong kế hoạch {plan.province}."
        for question in (
            vi,
            fold(vi),
            f"List in full the duties of the {agency.en} in the {plan.province_en} plan.",
        ):
            yield pytest.param(plan, entry, question, id=f"{plan.id}-{question[:12]}")


def assert_nothing_cited_as_the_answer(answer) -> None:
    assert answer.abstained and answer.support == "not_found", answer.text
    if answer.citations:
        head, _, related = answer.text.partition(t(answer.lang, "related_heading"))
        assert related and not re.search(r"\[\d+\]", head), answer.text


@pytest.mark.parametrize(("plan", "question"), list(_not_stated_cases()))
def test_a_tempting_fact_the_plan_does_not_state_abstains(assistant, plan, question):
    answer = assistant.ask(question)
    assert plan.id in answer.provinces
    assert_nothing_cited_as_the_answer(answer)


@pytest.mark.parametrize(
    "question",
    ["Ai vô địch World Cup 2018?", "ai vo dich world cup 2018?", "Who won the 2018 World Cup?"],
)
def test_an_off_topic_question_abstains(assistant, question):
    assert_nothing_cited_as_the_answer(assistant.ask(question))


@pytest.mark.parametrize("question", ["Cảm ơn bạn", "cam on ban", "xin chao", "Thank you!", "Hi there"])
def test_a_social_turn_gets_help_with_no_citation(assistant, question):
    answer = assistant.ask(question)
    assert answer.abstained and not answer.citations


@pytest.mark.parametrize(("plan", "entry", "question"), list(_duty_cases()))
def test_a_list_in_full_question_the_plan_answers_is_not_refused(assistant, plan, entry, question):
    answer = assistant.ask(question)
    assert not answer.abstained, answer.text
    spans = [(s.start, s.end) for s in (*entry.duties, *entry.elsewhere)]
    assert any(
        c.plan == plan.id and any(s < c.end and c.start < e for s, e in spans) for c in answer.citations
    )


def test_asking_words_are_not_content():
    plan = PLANS[0]
    bare = understand(f"Kế hoạch {plan.province} đưa ra những giải pháp nào?")
    for extra in ("Liệt kê đầy đủ.", "Kể tên ngắn gọn.", "Trình bày chi tiết."):
        asked = understand(f"Kế hoạch {plan.province} đưa ra những giải pháp nào? {extra}")
        assert [u.label for u in answerability.content_units(asked, IDF)] == [
            u.label for u in answerability.content_units(bare, IDF)
        ]


def test_a_syllable_is_compared_as_written_when_the_question_has_marks():
    line = next(s.text for s in sentence_index().sentences if "chất lượng" in s.text.lower())
    asked = answerability.content_units(understand(f"Lương ở {PLANS[0].province} thế nào?"), IDF)
    assert answerability.coverage(asked, [line]) == 0.0  # "lương" is not "lượng"
    folded = answerability.content_units(understand(f"chat luong o {fold(PLANS[0].province)}?"), IDF)
    assert answerability.coverage(folded, [line]) == 1.0
    assert marked_syllables("hoà") == marked_syllables("hòa")


def test_two_syllables_the_plans_never_write_together_must_stand_close_in_one_line():
    units = answerability.content_units(understand("Thời tiết hôm nay thế nào?"), IDF)
    apart = next(s.text for s in sentence_index().sentences if "thời gian" in s.text.lower())
    assert "thời tiết" not in apart.lower()
    assert answerability.coverage(units, [apart + " " + "x " * 8 + "tiết"]) < 1.0
    assert answerability.coverage(units, [apart, "tiết"]) < 1.0  # not from two lines either
    assert answerability.coverage(units, ["thời gian chi tiết hôm nay"]) == 1.0


def test_the_value_asked_for_must_be_stated():
    units = answerability.content_units(understand("Tỷ lệ lao động qua đào tạo là bao nhiêu?"), IDF)
    assert any(u.label == "value:rate" for u in units)
    assert answerability.coverage(units, ["tỷ lệ lao động qua đào tạo đạt cao"]) == 0.0
    assert answerability.coverage(units, ["tỷ lệ lao động qua đào tạo đạt 65%"]) == 1.0
    units = answerability.content_units(understand("By what date must the reports be sent?"), IDF)
    assert answerability.coverage(units, ["báo cáo hằng năm"]) == 0.0
    assert answerability.coverage(units, ["báo cáo trước ngày 15/12 hằng năm"]) > 0.0
