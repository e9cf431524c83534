"""Question shapes on the real plans: a part, a count, yes/no, multi-part, summary, across plans,
what an agency leads, social turns and "the plans do not say" — facts and verbatim citations,
in Vietnamese and English, for every plan found (no plan is named here)."""

from __future__ import annotations

import pytest

from assistant import Session
from assistant.agencies import find_agencies, registry
from assistant.facts import all_facts
from assistant.outline import outline_of
from assistant.templates import t
from assistant.text import fold

from .helpers import PLANS, cites, first_line, verbatim

FACTS = all_facts()


def _section_cases():
    for plan in PLANS:
        for kind in ("solutions", "tasks", "organization"):
            found = [p for p in outline_of(plan).find(kind) if p.exact and p.items]
            if found:
                yield plan, kind, found[0]


SECTION_CASES = list(_section_cases())


def test_the_plans_have_parts_to_ask_about():
    assert len(SECTION_CASES) >= len(PLANS)


@pytest.mark.parametrize(("plan", "kind", "part"), SECTION_CASES, ids=lambda x: getattr(x, "id", str(x)))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_section_answers_with_the_items_of_the_part(assistant, plan, kind, part, lang):
    asked = t(lang, f"asked_{kind}")
    question = (
        f"Phần {asked} của kế hoạch {plan.province} gồm những gì?"
        if lang == "vi"
        else f"What does the {asked} part of the {plan.province_en} plan say?"
    )
    answer = assistant.ask(question)
    verbatim(answer)
    assert not answer.abstained and answer.support == "supported", answer.text
    assert answer.lang == lang
    assert str(len(part.items)) in first_line(answer) and part.heading in first_line(answer)
    for item in part.items[:10]:
        assert fold(item.text[:60]) in fold(answer.text), item.text
        assert cites(answer, item.text[:60])


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
def test_count_says_the_number_first_then_the_counted_items(assistant, plan):
    found = outline_of(plan).find("solutions")
    if not found:
        pytest.skip("this plan has no solutions part")
    items = found[0].items
    for question in (
        f"Kế hoạch {plan.province} có bao nhiêu giải pháp?",
        f"How many solutions does the {plan.province_en} plan set out?",
        f"ke hoach {fold(plan.province)} co bao nhieu giai phap",
    ):
        answer = assistant.ask(question)
        verbatim(answer)
        assert answer.text.split(" ")[0] == str(len(items)), answer.text  # "8 — …" or "2 nhóm — …"
        assert cites(answer, found[0].heading) and cites(answer, items[-1].text[:60])


def _agency_cases():
    for plan in PLANS:
        duties = [d for d in FACTS[plan.id].duties if len(d.agencies) == 1]
        absent = [
            a for a in registry() if not a.group and not any(p.search(fold(plan.text)) for p in a.patterns)
        ]
        if duties and absent:
            yield plan, duties[0], absent[0]


@pytest.mark.parametrize(
    ("plan", "duty", "absent"), list(_agency_cases()), ids=lambda x: getattr(x, "id", "")
)
def test_yes_no_puts_the_verdict_first(assistant, plan, duty, absent):
    named = next(a for a in registry() if a.id == duty.agencies[0])
    yes = assistant.ask(f"Kế hoạch {plan.province} có giao nhiệm vụ cho {named.vi} không?")
    verbatim(yes)
    assert yes.text.startswith(t("vi", "verdict_yes")) and not yes.abstained, yes.text
    assert any(cites(yes, x.text[:60]) for x in duty.duties)
    yes_en = assistant.ask(f"Does the {plan.province_en} plan give the {named.en} any task?")
    assert yes_en.text.startswith(t("en", "verdict_yes")) and yes_en.lang == "en", yes_en.text
    no = assistant.ask(f"Does the {plan.province_en} plan give the {absent.en} any task?")
    assert no.text.startswith(t("en", "verdict_no")), no.text
    # a body the implementation part does not name: a cited "No" read from that part
    # (tests/assistant/test_parts.py); otherwise "No" is an abstention
    assert (no.abstained and no.support == "not_found") or (no.support == "supported" and no.citations), (
        no.text
    )


MULTI = [(FACTS[p.id], a) for p in PLANS for a in FACTS[p.id].activities if a.leads and a.timing]


@pytest.mark.parametrize(("pf", "activity"), MULTI[:3], ids=lambda x: getattr(x, "title", "")[:30])
def test_multi_part_answers_who_and_when(assistant, pf, activity):
    answer = assistant.ask(
        f"Ai chủ trì hoạt động “{activity.title}” ở {pf.plan.province} và khi nào thực hiện?"
    )
    verbatim(answer)
    assert fold(activity.leads[0]) in fold(answer.text) and fold(activity.timing) in fold(answer.text), (
        answer.text
    )
    assert cites(answer, activity.lead_span.text) and cites(answer, activity.timing_span.text)


def test_multi_part_says_which_part_is_missing(assistant):
    pf, a = next(
        ((FACTS[p.id], a) for p in PLANS for a in FACTS[p.id].activities if a.leads and not a.timing),
        (None, None),
    )
    if a is None:
        pytest.skip("every activity with a lead states its timing")
    answer = assistant.ask(f"Ai chủ trì hoạt động “{a.title}” ở {pf.plan.province} và khi nào thực hiện?")
    verbatim(answer)
    assert not answer.abstained and answer.support == "partial", answer.text
    assert fold(a.leads[0]) in fold(answer.text)
    assert t("vi", "not_stated", province=pf.plan.province, what=t("vi", "what_timing")) in answer.text


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
@pytest.mark.parametrize("template", ["Tóm tắt kế hoạch {vi}", "Give me a brief overview of the {en} plan"])
def test_summary_is_the_outline_in_cited_lines(assistant, plan, template):
    answer = assistant.ask(template.format(vi=plan.province, en=plan.province_en))
    verbatim(answer)
    parts = outline_of(plan).body_parts()
    # the line that says what the plan is for, then the outline's lead with the number of parts
    assert str(len(parts)) in answer.text.split("\n")[1 if outline_of(plan).find("objective_general") else 0]
    for node in parts:
        heading = plan.text[node.line_start : node.line_end].strip()
        assert heading in answer.text and cites(answer, heading)


def _leaders():
    """(agency, {plan ids where it leads an activity or its entry has a "Chủ trì …" line})."""
    out: dict[str, set[str]] = {}
    for pid, pf in FACTS.items():
        for a in pf.activities:
            for unit in a.leads:
                for m in find_agencies(unit):
                    if not m.agency.group:
                        out.setdefault(m.agency.id, set()).add(pid)
        for d in pf.duties:
            if len(d.agencies) == 1 and any(
                fold(x.text).lstrip("- ").startswith("chu tri") for x in d.duties
            ):
                out.setdefault(d.agencies[0], set()).add(pid)
    return [(next(a for a in registry() if a.id == k), v) for k, v in out.items() if len(v) < len(PLANS)]


@pytest.mark.parametrize(("agency", "plans"), _leaders()[:2], ids=lambda x: getattr(x, "id", ""))
def test_across_plans_answers_every_plan_including_the_silent_ones(assistant, agency, plans):
    answer = assistant.ask(f"Which provinces give the {agency.en} a lead role?")
    verbatim(answer)
    lead = first_line(answer)
    for p in PLANS:
        assert (p.province in lead) == (p.id in plans), lead
        if p.id not in plans:
            assert f"The {p.province} plan does not state" in answer.text


@pytest.mark.parametrize(("agency", "plans"), _leaders()[:2], ids=lambda x: getattr(x, "id", ""))
def test_what_an_agency_leads_is_the_inverse_of_who_leads(assistant, agency, plans):
    for pid in sorted(plans):
        pf = FACTS[pid]
        answer = assistant.ask(f"{agency.vi} {pf.plan.province} chủ trì những hoạt động nào?")
        verbatim(answer)
        led = [
            a
            for a in pf.activities
            if any(m.agency.id == agency.id for u in a.leads for m in find_agencies(u))
        ]
        for a in led:
            assert a.title in answer.text and cites(answer, a.lead_span.text)


@pytest.mark.parametrize(
    ("question", "lang"), [("Cảm ơn", "vi"), ("xin chào", "vi"), ("Hello!", "en"), ("What can you do?", "en")]
)
def test_social_turns_get_help_without_citations(assistant, question, lang):
    answer = assistant.ask(question)
    assert answer.lang == lang and answer.abstained and not answer.citations
    assert all(p.province in answer.text for p in PLANS)


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
@pytest.mark.parametrize(
    "template",
    [
        "Giám đốc Sở Lao động {vi} tên là gì?",
        "What is the name of the director of the Department of Labour in {en}?",
        "Mức lương tối thiểu vùng ở {vi} là bao nhiêu?",
        "What is the regional minimum wage in {en}?",
    ],
)
def test_not_stated_abstains_and_shows_related_passages_only_as_related(assistant, plan, template):
    answer = assistant.ask(template.format(vi=plan.province, en=plan.province_en))
    verbatim(answer)
    assert answer.abstained and answer.support == "not_found", answer.text
    if answer.citations:
        head, _, related = answer.text.partition(t(answer.lang, "related_heading"))
        assert related and "[" not in head


def test_a_follow_up_keeps_the_shape_and_switches_the_plan(assistant):
    with_parts = [p for p in PLANS if outline_of(p).find("solutions")]
    if len(with_parts) < 2:
        pytest.skip("needs two plans with a solutions part")
    first, second = with_parts[:2]
    session = Session()
    assistant.ask(f"Kế hoạch {first.province} có bao nhiêu giải pháp?", session=session)
    answer = assistant.ask(f"Còn {second.province} thì sao?", session=session)
    n = len(outline_of(second).find("solutions")[0].items)
    assert answer.text.startswith(f"{n} — ") and second.province in first_line(answer), answer.text
