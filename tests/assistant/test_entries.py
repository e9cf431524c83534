"""The items inside one entry and questions over every plan, on the real plans: the bodies one
node names, an agency's every duty line, "how many units lead …" counted first, which plans set
a reporting date and which plan was issued with a decision (the others said to state none) — in
Vietnamese (with and without diacritics) and English, for every plan found (none is named here)."""

from __future__ import annotations

import pytest

from assistant import Session
from assistant.agencies import find_agencies
from assistant.facts import all_facts
from assistant.outline import outline_of
from assistant.text import fold

from .helpers import PLANS, cites, first_line, verbatim

FACTS = all_facts()
BY_ID = {p.id: p for p in PLANS}


def _ask(assistant, question):
    answer = assistant.ask(question, session=Session())
    verbatim(answer)
    return answer


def _naming():
    """(plan, path, names): a numbered entry whose own text names at least four bodies."""
    for plan in PLANS:
        ol = outline_of(plan)
        for part in ol.body_parts():
            for item in part.children:
                if not item.marker.isdigit():
                    continue
                names = {}
                for m in find_agencies(plan.text[item.line_start : item.end]):
                    names.setdefault(
                        m.agency.id, plan.text[item.line_start + m.start : item.line_start + m.end]
                    )
                if len(names) >= 4:
                    yield plan, f"{part.marker}.{item.marker}", list(names.values())


NAMING = list(_naming())


def test_some_entry_names_several_bodies():
    assert NAMING


@pytest.mark.parametrize("plan, path, names", NAMING[:2], ids=lambda x: getattr(x, "id", str(x)[:12]))
def test_the_bodies_named_inside_one_entry_are_listed_and_counted(assistant, plan, path, names):
    for question in (
        f"List the organisations named in section {path} of the {plan.province} plan.",
        f"Liệt kê các tổ chức được nêu trong mục {path} của kế hoạch {plan.province}.",
        fold(f"nhung don vi nao duoc neu trong muc {path} ke hoach {plan.province}"),
    ):
        answer = _ask(assistant, question)
        assert first_line(answer).startswith(f"{len(names)} —"), (question, answer.text)
        for name in names:
            assert fold(name) in fold(answer.text), (question, name, answer.text)


def _long_entries():
    """(plan, duty): an agency's entry of more lines than an answer quotes by default."""
    for plan in PLANS:
        for d in FACTS[plan.id].duties:
            if len(d.duties) > 4 and len(d.agencies) == 1:
                yield plan, d
                break


@pytest.mark.parametrize("plan, duty", list(_long_entries())[:2], ids=lambda x: getattr(x, "id", ""))
def test_an_agencys_tasks_are_every_line_of_its_entry(assistant, plan, duty):
    for question in (
        f"What are the tasks of the {duty.heading} in the {plan.province} plan?",
        f"{duty.heading} của {plan.province} có những nhiệm vụ gì?",
    ):
        answer = _ask(assistant, question)
        for line in duty.duties:
            assert cites(answer, line.text.lstrip("- ")[:60]), (question, line.text)


def _multi_led():
    for plan in PLANS:
        for a in FACTS[plan.id].activities:
            if len(a.leads) >= 3:
                yield plan, a
                break


@pytest.mark.parametrize("plan, act", list(_multi_led())[:2], ids=lambda x: getattr(x, "id", ""))
def test_how_many_units_lead_an_activity_says_the_number_first(assistant, plan, act):
    for question in (
        f"How many units lead “{act.title}” in the {plan.province} plan?",
        f"Có bao nhiêu đơn vị chủ trì “{act.title}” trong kế hoạch {plan.province}?",
        fold(f"co bao nhieu don vi chu tri {act.title} trong ke hoach {plan.province}"),
    ):
        answer = _ask(assistant, question)
        assert first_line(answer).startswith(f"{len(act.leads)} —"), (question, answer.text)
        assert cites(answer, act.lead_span.text), (question, answer.text)


@pytest.mark.parametrize(
    "question",
    [
        "Những tỉnh nào đặt hạn báo cáo cụ thể?",
        "nhung tinh nao dat han bao cao cu the",
        "Which provinces set a specific reporting deadline?",
    ],
)
def test_which_plans_set_a_reporting_date_name_each_date_and_those_without(assistant, question):
    dated = {
        p.id: [s for s in FACTS[p.id].of_kind("deadline") if fold(s.value).startswith("truoc ngay")]
        for p in PLANS
    }
    assert any(dated.values()) and not all(dated.values())
    answer = _ask(assistant, question)
    assert not answer.abstained, answer.text
    for pid, found in dated.items():
        assert BY_ID[pid].province in answer.text
        for s in found:
            assert cites(answer, s.span.text[:60]), (pid, answer.text)
    lead = first_line(answer)
    for pid, found in dated.items():
        assert (BY_ID[pid].province in lead) == bool(found), (pid, lead)


@pytest.mark.parametrize(
    "question",
    [
        "Kế hoạch nào được ban hành kèm theo một Quyết định?",
        "ke hoach nao duoc ban hanh kem theo quyet dinh",
        "Which plans were issued with a decision?",
    ],
)
def test_which_plan_was_issued_with_a_decision_names_its_number(assistant, question):
    issued = [p for p in PLANS if p.decision_number]
    assert issued and len(issued) < len(PLANS)
    answer = _ask(assistant, question)
    assert not answer.abstained, answer.text
    lead = first_line(answer)
    for p in PLANS:
        assert (p.province in lead) == bool(p.decision_number), (p.id, lead)
    for p in issued:
        assert p.decision_number in answer.text, answer.text
