"""A plan of a province the corpus did not hold, added with `corpus add` from a .docx, is answered
end to end (real model, real index in a temp dir) in Vietnamese and English: who leads, who
coordinates, what an agency must do, deadlines, targets, legal basis. No code or data change.

`assistant` is the shared session fixture (tests/conftest.py) over the real corpus."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.facts import extract_facts
from corpus import load_plans
from corpus.__main__ import add
from corpus.metadata import unit_names
from index.planmodel import build_models
from index.store import PlanIndex

_spec = importlib.util.spec_from_file_location("plan_variants", Path(__file__).with_name("variants.py"))
v = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(v)


def _richest(plans):
    """The plan with the most activities naming both a lead and partners (chosen by its facts)."""
    return max(
        plans, key=lambda p: sum(bool(a.leads and a.coordinators) for a in extract_facts(p).activities)
    )


@pytest.fixture(scope="module")
def added(e5_settings, tmp_path_factory):
    plans = load_plans()
    source = _richest(plans)
    held = {p.province for p in plans}
    new = next(n for n in unit_names() if n not in held and all(n not in p.text for p in plans))
    tmp = tmp_path_factory.mktemp("new-province")
    import docx

    d = docx.Document()
    for line in v.new_province(source.text, source.province, new).splitlines():
        d.add_paragraph(line)
    d.save(str(tmp / "incoming.docx"))
    corpus = tmp / "plans"
    add(tmp / "incoming.docx", None, None, corpus)
    settings = dataclasses.replace(e5_settings, index_dir=tmp / "index", corpus_dir=corpus, chroma_host="")
    index = PlanIndex(settings, plans_dir=corpus)
    index.build(progress=False)
    build_models(load_plans(corpus), settings.index_dir)
    assistant = Assistant(settings, index=index)
    assistant.warm_up()
    (plan,) = load_plans(corpus)
    return assistant, plan, extract_facts(plan)


def _ask(assistant, plan, question):
    answer = assistant.ask(question)
    assert answer.provinces == [plan.id], question
    for c in answer.citations:
        assert plan.text[c.start : c.end] == c.text
    return answer


def test_who_leads_and_who_coordinates_in_both_languages(added):
    assistant, plan, facts = added
    act = next(a for a in facts.activities if a.leads and a.coordinators)
    for q in (
        f"Ai chủ trì {act.title.lower()} ở {plan.province}?",
        f"Who leads {act.title} in {plan.province_en}?",
    ):
        answer = _ask(assistant, plan, q)
        assert not answer.abstained and act.leads[0] in answer.text, (q, answer.text)
    answer = _ask(assistant, plan, f"Cơ quan nào phối hợp {act.title.lower()} ở {plan.province}?")
    assert not answer.abstained and act.coordinators[0] in answer.text, answer.text


def test_what_an_agency_must_do(added):
    assistant, plan, facts = added
    duty = next(d for d in facts.duties if d.agencies and d.heading.startswith("Sở"))
    for q in (
        f"{duty.heading} {plan.province} phải làm gì?",
        f"What must the {duty.heading} of {plan.province_en} do?",
    ):
        answer = _ask(assistant, plan, q)
        assert not answer.abstained and answer.citations, (q, answer.text)


@pytest.mark.parametrize(
    "question",
    [
        "Kế hoạch của {vi} căn cứ vào văn bản nào?",
        "What is the legal basis of the {en} plan?",
        "Mục tiêu của kế hoạch {vi} là gì?",
        "What are the targets of the {en} plan?",
        "Thời hạn báo cáo kết quả thực hiện kế hoạch ở {vi}?",
        "When must the {en} plan report its results?",
    ],
)
def test_legal_basis_targets_and_deadlines_as_for_the_original(added, assistant, question):
    """Answered (with citations) exactly when the same question about the original plan is."""
    new_assistant, plan, _facts = added
    answer = _ask(new_assistant, plan, question.format(vi=plan.province, en=plan.province_en))
    source = _richest(load_plans())
    original = assistant.ask(question.format(vi=source.province, en=source.province_en))
    assert answer.abstained == original.abstained, (answer.text, original.text)
    assert answer.abstained or answer.citations
