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


@pytest.fixture(scope="module")
def stored(built_index):
    """The session's index with its plan models stored, as `python -m index build` leaves it."""
    from index.planmodel import build_models

    build_models(built_index.plans(), built_index.settings.index_dir)
    return built_index


def test_start_up_reads_no_plan_model_and_a_question_reads_only_its_own(stored):
    a = Assistant(stored.settings, index=stored)
    a.warm_up()
    assert a.models.reads == 0 and a.models.parsed == []
    plan = stored.plans()[-1]
    answer = a.ask(f"Ai chủ trì công tác tuyên truyền ở {plan.province}?")
    assert answer.provinces == [plan.id] and a.models.cached() == [plan.id]


def test_answers_do_not_depend_on_how_many_plans_are_kept_in_memory(stored):
    one = Assistant(dataclasses.replace(stored.settings, plan_cache=1), index=stored)
    every = Assistant(stored.settings, index=stored)
    questions = [f"Kế hoạch của {p.province} có những mục tiêu nào?" for p in stored.plans()]
    questions += [QUESTION, "Ai chủ trì đào tạo nghề?"]
    for question in questions + questions[::-1]:
        assert one.ask(question).text == every.ask(question).text, question
    assert len(one.models.cached()) == 1 and one.models.parsed == []


def test_the_plans_held_are_all_named_when_few_and_counted_when_many(assistant):
    from assistant.compose import HELD_SHOWN, held_names

    plans = assistant.plans()
    answer = assistant.ask("Which plans do you hold?")
    assert str(len(plans)) in answer.text and all(p.province in answer.text for p in plans)
    many = {f"{p.id}-{i}": p for i in range(HELD_SHOWN) for p in plans}  # more plans than are named
    text = held_names(many, "vi")
    assert text.count(", ") == HELD_SHOWN - 1 and f"{len(many) - HELD_SHOWN} kế hoạch khác" in text
    assert "About the plans" in held_names(many, "en")


@pytest.mark.parametrize(
    "question",
    [
        "Có bao nhiêu kế hoạch trong hệ thống?",
        "co bao nhieu ke hoach trong tro ly",
        "How many plans do you have?",
    ],
)
def test_how_many_plans_are_held_is_answered_with_the_plans_held(assistant, question):
    plans = assistant.plans()
    answer = assistant.ask(question)
    assert not answer.abstained and not answer.citations
    assert str(len(plans)) in answer.text and all(p.province in answer.text for p in plans)


def test_a_count_inside_a_plan_is_not_read_as_the_plans_held(assistant):
    plan = assistant.plans()[0]
    answer = assistant.ask(f"Kế hoạch {plan.province} có bao nhiêu giải pháp?")
    assert answer.citations and not all(p.province in answer.text for p in assistant.plans())


def test_after_warm_up_the_plans_are_the_loaded_ones_without_scanning_the_folder(built_index, monkeypatch):
    a = Assistant(built_index.settings, index=built_index)
    before = [p.id for p in a.plans()]  # before warm-up: the folder's
    a.warm_up()

    def scan():
        raise AssertionError("the corpus folder was scanned again")

    monkeypatch.setattr(a.index, "plans", scan)
    assert [p.id for p in a.plans()] == before == list(a._plans)
    a.plans().clear()  # a copy: the caller cannot change the assistant's list
    assert [p.id for p in a.plans()] == before
