"""Questions naming no province when the plans outnumber what one answer covers."""

from __future__ import annotations

import dataclasses

import pytest

from assistant import Assistant

QUESTION = "Cơ quan nào chủ trì công tác tuyên truyền?"


@pytest.fixture(scope="module")
def two_best(built_index):
    """The session's index, answering province-less questions from the best two plans."""
    settings = dataclasses.replace(built_index.settings, answer_plans=2)
    a = Assistant(settings, index=built_index)
    a.warm_up()
    return a


def test_province_less_question_is_answered_from_the_best_plans_and_counts_the_rest(two_best):
    plans = {p.id: p for p in two_best.plans()}
    answer = two_best.ask(QUESTION)
    assert not answer.abstained and len(answer.provinces) == 2
    assert answer.more_plans and not set(answer.more_plans) & set(answer.provinces)
    assert set(answer.provinces) | set(answer.more_plans) <= set(plans)
    assert f"{len(answer.more_plans)} kế hoạch khác" in answer.text
    assert {c.plan for c in answer.citations} <= set(answer.provinces)
    assert all(plans[c.plan].text[c.start : c.end] == c.text for c in answer.citations)
    assert all(r.plan in answer.provinces for r in answer.retrieved)


def test_the_rest_can_be_asked_for_by_plan_id(two_best):
    first = two_best.ask(QUESTION)
    rest = two_best.ask(QUESTION, provinces=first.more_plans)
    assert set(rest.provinces) == set(first.more_plans) and not rest.more_plans


def test_named_comparison_stays_exact(two_best):
    plans = two_best.plans()
    names = " và ".join(p.province for p in plans)
    answer = two_best.ask(f"So sánh cơ quan chủ trì công tác tuyên truyền của {names}")
    assert answer.provinces == [p.id for p in plans] and not answer.more_plans


def test_few_plans_are_all_answered(assistant):
    answer = assistant.ask(QUESTION)
    assert len(answer.provinces) == len(assistant.plans()) <= assistant.settings.answer_plans
    assert not answer.more_plans
