"""Each layout variant of each real plan yields the facts of the original, and a who-leads
question is answered from the variant. Variants are generated here from the plans' text."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import pytest

from assistant.compose import Composer
from assistant.facts import extract_facts
from assistant.sentences import SentenceIndex
from assistant.understand import plan_holdings, understand
from corpus import load_plans
from index.chunking import chunk_plan

_spec = importlib.util.spec_from_file_location("plan_variants", Path(__file__).with_name("variants.py"))
v = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(v)

LAYOUTS = {
    "items 1)": v.items_paren,
    "letters a-": v.letters_dash,
    "letters a/": v.letters_slash,
    "bullets +": v.bullets_plus,
    "bullets •": v.bullets_dot,
    "parts I -": v.roman_dash,
    "parts PHẦN I": v.roman_part,
    "Title Case headings": v.title_case,
    "label synonyms": v.synonyms,
    "hard-wrapped at 80": v.hard_wrapped,
    "all at once": lambda t: v.hard_wrapped(
        v.synonyms(v.title_case(v.bullets_plus(v.letters_dash(v.items_paren(t)))))
    ),
}
PLANS = load_plans()


def compose(plans, question: str):
    """The answer the assistant composes from these plans' facts (retrieval left out)."""
    facts = {p.id: extract_facts(p) for p in plans}
    chunks = [c for p in plans for c in chunk_plan(p)]
    composer = Composer({p.id: p for p in plans}, facts, SentenceIndex(plans), chunks)
    q = understand(question, plan_holdings(plans))
    return q, composer.compose(q, q.provinces or [p.id for p in plans], [], q.lang)


def _who_leads(plan):
    """A who-leads question about the plan's first activity that names a lead, if any."""
    facts = extract_facts(plan)
    act = next((a for a in facts.activities if a.leads), None)
    return (f"Ai chủ trì {act.title.lower()} ở {plan.province}?", act.leads[0]) if act else None


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
def test_layout_variant_keeps_the_facts_and_answers_who_leads(plan, layout):
    variant = dataclasses.replace(plan, text=LAYOUTS[layout](plan.text))
    assert variant.text != plan.text or layout == "label synonyms"
    assert v.signature(extract_facts(variant)) == v.signature(extract_facts(plan))
    asked = _who_leads(plan)
    if asked:
        question, lead = asked
        _q, answer = compose([variant], question)
        assert not answer.abstained and " ".join(lead.split()) in " ".join(answer.text.split())
        for cite in answer.citations:
            assert variant.text[cite.start : cite.end] == cite.text


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
def test_a_plan_of_a_new_province_is_answerable_by_its_own_metadata(plan):
    held = {p.province for p in PLANS}
    from corpus.metadata import unit_names

    new = next(n for n in unit_names() if n not in held and n not in plan.text)
    variant = dataclasses.replace(
        plan, id="new-plan", province=new, text=v.new_province(plan.text, plan.province, new)
    )
    base = v.signature(extract_facts(plan))
    assert v.signature(extract_facts(variant), plan.province, new) == base
    asked = _who_leads(variant)
    if asked:
        q, answer = compose([*PLANS, variant], asked[0])
        assert q.provinces == ["new-plan"] and not answer.abstained and asked[1] in answer.text


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
def test_a_prose_plan_yields_its_leads_and_duties(plan):
    original = extract_facts(plan)
    variant = dataclasses.replace(plan, text=v.prose(plan))
    facts = extract_facts(variant)
    leads = {a.title: a.leads for a in original.activities if a.leads}
    assert {a.title: a.leads for a in facts.activities if a.title in leads} == leads
    coords = {a.title: a.coordinators for a in original.activities if a.leads and a.coordinators}
    assert {a.title: a.coordinators for a in facts.activities if a.title in coords} == coords
    # "Đề nghị X có trách nhiệm …" names X: the request word is not part of the name
    headed = {d.heading.removeprefix("Đề nghị ") for d in original.duties if d.agencies and len(d.duties) > 1}
    assert headed <= {d.heading for d in facts.duties}
    asked = _who_leads(plan)
    if asked:
        _q, answer = compose([variant], asked[0])
        assert not answer.abstained and asked[1] in answer.text
