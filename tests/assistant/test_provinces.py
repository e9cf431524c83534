"""Provinces since the 2025 reorganisation, on the real plans: a plan asked by the unit its
province is part of now is answered from it with a line saying it is the earlier province's; an
earlier province with no plan, merged into a unit whose earlier plan is held, is told that plan
does not cover it — any question shape, follow-ups, Vietnamese with and without marks, English.
Every case comes from data/admin_units.yaml and the plans' metadata (no province is named here)."""

from __future__ import annotations

import pytest

from assistant import Session
from assistant.text import fold
from assistant.understand import province_named, provinces, unit_phrase

from .helpers import PLANS, verbatim


def _renamed():
    """(plan, its unit, the unit it is part of now) where the two differ."""
    for plan in PLANS:
        unit = province_named(plan.province)
        if unit is not None and unit.now and unit.now != unit.name:
            yield plan, unit, province_named(unit.now)


def _absorbed():
    """(an earlier unit without a plan, the unit it is part of now, the plans held for that)."""
    held = {fold(p.province): p for p in PLANS}
    for unit in provinces():
        if unit.plans or not unit.now or unit.now == unit.name:
            continue
        now = province_named(unit.now)
        plans = [held[fold(n)] for n in (now.name, *now.merged) if fold(n) in held]
        if plans:
            yield unit, now, plans


RENAMED = list(_renamed())
ABSORBED = list(_absorbed())
SHAPES = [
    ("Kế hoạch của {vi} có bao nhiêu giải pháp?", "vi"),
    ("ke hoach {plain} co bao nhieu giai phap", "vi"),
    ("How many solutions does the {en} plan have?", "en"),
    ("Ai chủ trì thực hiện kế hoạch ở {vi}?", "vi"),
    ("Who leads the implementation of the plan in {en}?", "en"),
]


def test_the_plans_include_renamed_and_absorbed_provinces():
    assert RENAMED and ABSORBED


def _spellings(unit) -> dict[str, str]:
    return {"vi": unit_phrase(unit), "plain": fold(unit.full or unit.name), "en": unit.en}


def _says_the_plan_is_the_earlier_provinces(answer, plan, now) -> None:
    header = fold(answer.text.split("\n", 1)[0])
    assert fold(plan.province) in header and fold(now.name) in header, answer.text
    assert "2025" in header


@pytest.mark.parametrize("template,lang", SHAPES)
@pytest.mark.parametrize("plan,unit,now", RENAMED, ids=lambda x: getattr(x, "id", None) or x.name)
def test_a_plan_asked_by_the_unit_it_is_part_of_now_is_answered_with_that_said(
    assistant, plan, unit, now, template, lang
):
    answer = assistant.ask(template.format(**_spellings(now)))
    assert answer.provinces == [plan.id] and not answer.abstained, answer.text
    assert answer.lang == lang
    _says_the_plan_is_the_earlier_provinces(answer, plan, now)
    assert answer.citations and all(c.plan == plan.id for c in answer.citations)
    verbatim(answer)


@pytest.mark.parametrize("plan,unit,now", RENAMED, ids=lambda x: getattr(x, "id", None) or x.name)
def test_a_follow_up_naming_the_new_unit_keeps_the_question_and_says_whose_plan_it_is(
    assistant, plan, unit, now
):
    other = next(p for p in PLANS if p.id != plan.id and province_named(p.province).now == p.province)
    s = Session()
    first = assistant.ask(f"Kế hoạch của {other.province} có bao nhiêu giải pháp?", session=s)
    answer = assistant.ask(f"Còn {now.name} thì sao?", session=s)
    assert first.provinces == [other.id] and answer.provinces == [plan.id], answer.text
    assert answer.intent == first.intent
    _says_the_plan_is_the_earlier_provinces(answer, plan, now)
    verbatim(answer)
    again = assistant.ask("Còn Sở Tài chính thì sao?", session=s)  # the plan stays, and so does the note
    assert again.provinces == [plan.id]
    if not again.abstained:
        _says_the_plan_is_the_earlier_provinces(again, plan, now)


def test_a_yes_no_question_by_the_new_unit_puts_the_verdict_after_the_note(assistant):
    plan, _, now = RENAMED[0]
    answer = assistant.ask(f"Kế hoạch của {now.name} có giải pháp không?")
    lines = answer.text.split("\n")
    _says_the_plan_is_the_earlier_provinces(answer, plan, now)
    assert lines[1].startswith(("Có", "Không")), answer.text
    verbatim(answer)


QUESTIONS_FOR_ABSORBED = [
    ("Ai chủ trì đào tạo nghề ở {vi}?", "vi"),
    ("{plain} co ke hoach hoi nhap lao dong khong", "vi"),
    ("How many solutions does the {en} plan have?", "en"),
]


@pytest.mark.parametrize("template,lang", QUESTIONS_FOR_ABSORBED)
@pytest.mark.parametrize("unit,now,plans", ABSORBED[:3], ids=lambda x: getattr(x, "name", None) or "")
def test_an_earlier_province_without_a_plan_is_told_the_plan_held_does_not_cover_it(
    assistant, unit, now, plans, template, lang
):
    answer = assistant.ask(template.format(vi=unit.name, plain=fold(unit.name), en=unit.en))
    assert answer.abstained and not answer.citations and answer.provinces == [], answer.text
    text = fold(answer.text)
    note = text.split("\n")[-1]
    assert fold(unit.name) in note and fold(now.name) in note and "2025" in note, answer.text
    assert all(fold(p.province) in note for p in plans)


@pytest.mark.parametrize("unit,now,plans", ABSORBED[:3], ids=lambda x: getattr(x, "name", None) or "")
def test_a_follow_up_on_an_absorbed_province_is_not_answered_from_the_other_plan(assistant, unit, now, plans):
    s = Session()
    first = assistant.ask(f"Kế hoạch của {plans[0].province} có bao nhiêu giải pháp?", session=s)
    answer = assistant.ask(f"Còn {unit.name} thì sao?", session=s)
    assert not first.abstained
    assert answer.abstained and not answer.citations, answer.text
    assert fold(now.name) in fold(answer.text) and fold(plans[0].province) in fold(answer.text)
