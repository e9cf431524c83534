"""Answers read from the outline, on the real plans: a group named inside a part, one item by
its place, counts compared across plans, the documents a plan (or a part) cites, the funding
part, the summary's cited items — in Vietnamese (with and without diacritics) and English, for
every plan found (no plan is named here)."""

from __future__ import annotations

import itertools
import re

import pytest

from assistant import Session
from assistant.facts import all_facts
from assistant.outline import heading_words, outline_of
from assistant.shapes import vocabulary
from assistant.templates import t
from assistant.text import fold

from .helpers import PLANS, cites, first_line, verbatim

FACTS = all_facts()


def _groups():
    """(plan, part, group): a group under a part whose heading is the part's name plus a qualifier
    ("1. Giải pháp chung" under "III. GIẢI PHÁP THỰC HIỆN")."""
    for plan in PLANS:
        ol = outline_of(plan)
        for kind, spec in vocabulary().sections.items():
            for part in ol.find(kind):
                for child in part.node.children:
                    words = heading_words(child, plan.text).split()
                    name = next(
                        (p.split() for p in spec.heading if words[: len(p.split())] == p.split()), None
                    )
                    if child.children and name and len(words) > len(name) and words[len(name)] not in ("cu",):
                        yield plan, kind, child


GROUPS = list(_groups())


@pytest.mark.parametrize(("plan", "kind", "group"), GROUPS[:3], ids=lambda x: getattr(x, "id", str(x)))
def test_a_group_named_inside_a_part_is_answered_with_its_own_items(assistant, plan, kind, group):
    if not GROUPS:
        pytest.skip("no plan names a group inside a part")
    heading = plan.text[group.line_start : group.line_end].split(".", 1)[-1].strip().rstrip(":")
    items = outline_of(plan).items(group)
    for question in (
        f"{heading} của kế hoạch {plan.province} gồm những gì?",
        fold(f"{heading} của {plan.province} gồm mấy mục?"),
    ):
        answer = assistant.ask(question)
        verbatim(answer)
        assert not answer.abstained, answer.text
        assert str(len(items)) in first_line(answer), answer.text
        for item in items:
            assert fold(item.text[:50]) in fold(answer.text) and cites(answer, item.text[:50])


def _solutions():
    for plan in PLANS:
        found = outline_of(plan).find("solutions")
        if found and len(found[0].items) >= 3:
            yield plan, found[0]


SOLUTIONS = list(_solutions())


@pytest.mark.parametrize(("plan", "part"), SOLUTIONS, ids=lambda x: getattr(x, "id", ""))
def test_one_item_asked_by_its_place_is_given_in_full(assistant, plan, part):
    k = 3
    item = part.items[k - 1]
    en = next(w for w, n in vocabulary().ordinal_words.items() if n == k and w.isascii() and len(w) > 3)
    for question in (
        f"Giải pháp thứ {k} của kế hoạch {plan.province} là gì?",
        f"What is the {en} solution in the {plan.province_en} plan?",
    ):
        answer = assistant.ask(question)
        verbatim(answer)
        assert str(k) in first_line(answer) and part.heading in first_line(answer), answer.text
        assert fold(item.full[:80]) in fold(answer.text) and cites(answer, item.full[:80])
        assert not any(fold(x.text[:60]) in fold(answer.text) for x in part.items if x is not item)
    # a follow-up with no province keeps the plan of the count before it
    session = Session()
    assistant.ask(fold(f"Ke hoach {plan.province} co bao nhieu giai phap?"), session=session)
    answer = assistant.ask(f"Giai phap thu {k} la gi?", session=session)
    assert plan.province in first_line(answer) and cites(answer, item.full[:80]), answer.text


@pytest.mark.parametrize(("a", "b"), list(itertools.combinations(SOLUTIONS, 2))[:2], ids=lambda x: x[0].id)
def test_which_plan_has_more_compares_the_counts_first(assistant, a, b):
    (pa, parts_a), (pb, parts_b) = a, b
    na, nb = len(parts_a.items), len(parts_b.items)
    for question, lang in (
        (f"Kế hoạch {pa.province} và {pb.province}, kế hoạch nào có nhiều giải pháp hơn?", "vi"),
        (f"Which plan has more solutions, {pa.province_en} or {pb.province_en}?", "en"),
    ):
        answer = assistant.ask(question)
        verbatim(answer)
        lead = first_line(answer)
        assert f"{pa.province} {na}" in lead and f"{pb.province} {nb}" in lead, answer.text
        if na != nb:
            assert lead.endswith((pa if na > nb else pb).province + "."), lead
        assert answer.lang == lang
        assert cites(answer, parts_a.items[-1].text[:60]) and cites(answer, parts_b.items[-1].text[:60])


def _documents(plan, within=None):
    ranges = [(p.node.start, p.node.end) for p in outline_of(plan).find(within)] if within else None
    own = plan.decision_number
    refs = {}
    for s in FACTS[plan.id].statements:
        if s.kind not in ("basis", "legal_ref") or (own and own in s.value):
            continue
        if ranges is not None and not any(a <= s.span.start and s.span.end <= b for a, b in ranges):
            continue
        refs.setdefault(re.sub(r"\s+", "", s.value), s)
    return list(refs.values())


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
def test_which_documents_lists_every_document_the_plan_cites(assistant, plan):
    refs = _documents(plan)
    for question in (
        f"Kế hoạch {plan.province} dẫn chiếu những văn bản nào?",
        fold(f"Kế hoạch {plan.province} dẫn chiếu những văn bản nào?"),
        f"Which documents are cited in the {plan.province_en} plan?",
    ):
        answer = assistant.ask(question)
        verbatim(answer)
        assert answer.text.split(" ")[0] == str(len(refs)), answer.text
        for s in refs[:10]:
            assert s.value in answer.text and cites(answer, s.value)
        if plan.decision_number:
            assert f"{plan.decision_number} " not in answer.text.split("\n", 1)[1]


def test_documents_of_a_part_are_those_cited_in_that_part(assistant):
    plan = next((p for p in PLANS if 0 < len(_documents(p, "content")) < len(_documents(p))), None)
    if plan is None:
        pytest.skip("no plan cites documents in its content part only partly")
    refs = _documents(plan, "content")
    answer = assistant.ask(
        f"Liệt kê các văn bản mà phần nội dung kế hoạch {plan.province} yêu cầu thực hiện."
    )
    verbatim(answer)
    assert answer.text.split(" ")[0] == str(len(refs)), answer.text
    assert all(s.value in answer.text for s in refs)
    assert not any(
        s.value in answer.text
        for s in _documents(plan)
        if s not in refs and s.value not in {r.value for r in refs}
    )


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
@pytest.mark.parametrize(
    "template",
    ["Phần kinh phí thực hiện của kế hoạch {vi} viết gì?", "phan kinh phi cua ke hoach {folded} noi gi"],
)
def test_the_funding_part_is_answered_with_its_items(assistant, plan, template):
    found = outline_of(plan).find("funding")
    if not found:
        pytest.skip("no funding part")
    answer = assistant.ask(template.format(vi=plan.province, folded=fold(plan.province)))
    verbatim(answer)
    assert not answer.abstained and found[0].heading in first_line(answer), answer.text
    for item in found[0].items:
        assert cites(answer, item.full[:80])


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
@pytest.mark.parametrize(
    ("template", "lang"), [("Tóm tắt kế hoạch {vi}", "vi"), ("Summarise the {en} plan", "en")]
)
def test_summary_cites_the_items_of_every_part(assistant, plan, template, lang):
    answer = assistant.ask(template.format(vi=plan.province, en=plan.province_en))
    verbatim(answer)
    lead = t(
        lang, "summary_lead", province=plan.province, title=plan.title, n=len(outline_of(plan).body_parts())
    )
    # the outline follows the line that says what the plan is for (its general objective)
    opening = 2 if outline_of(plan).find("objective_general") else 1
    assert answer.lang == lang and lead in answer.text.split("\n")[:opening], answer.text
    for node in outline_of(plan).body_parts():
        for item in outline_of(plan).items(node)[:8]:
            assert cites(answer, item.text[:40]), item.text
    if plan.decision_number:
        assert plan.decision_number in answer.text


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
def test_a_part_asked_by_its_number_is_that_part(assistant, plan):
    parts = [outline_of(plan).part(n) for n in outline_of(plan).body_parts()]
    roman = [p for p in parts if re.fullmatch(r"[IVX]+", p.node.marker or "")]
    if not roman:
        pytest.skip("no part numbered in Roman numerals")
    part = roman[1] if len(roman) > 1 else roman[0]
    for question in (
        f"What does section {part.node.marker} of the {plan.province_en} plan contain?",
        fold(f"Mục {part.node.marker} của kế hoạch {plan.province} gồm những gì?"),
    ):
        answer = assistant.ask(question)
        verbatim(answer)
        assert part.heading in first_line(answer) and str(len(part.items)) in first_line(answer), answer.text
        for item in part.items[:10]:
            assert cites(answer, item.text[:40])


def _unassigned():
    """(plan, agency): a body the plan's implementation part does not name and no activity gives
    a role, in a plan whose implementation part lists the bodies it assigns."""
    from assistant.agencies import find_agencies, registry

    for plan in PLANS:
        found = outline_of(plan).find("organization")
        if not found or not found[0].items:
            continue
        named = {m.agency.id for m in find_agencies(plan.text)}
        absent = [a for a in registry() if not a.group and a.id not in named and a.id.startswith("so-")]
        if absent:
            yield plan, found[0], absent[0]


@pytest.mark.parametrize(("plan", "part", "agency"), list(_unassigned()), ids=lambda x: getattr(x, "id", ""))
def test_yes_no_on_a_body_the_plan_does_not_assign_is_a_cited_no(assistant, plan, part, agency):
    for question, lang in (
        (f"Kế hoạch {plan.province} có giao nhiệm vụ cho {agency.vi} không?", "vi"),
        (fold(f"Kế hoạch {plan.province} có giao nhiệm vụ cho {agency.vi} không?"), "vi"),
        (f"Does the {plan.province_en} plan give the {agency.en} any task?", "en"),
    ):
        answer = assistant.ask(question)
        verbatim(answer)
        assert answer.text.startswith(t(lang, "verdict_no")), answer.text
        assert not answer.abstained and answer.support == "supported", answer.text
        assert str(len(part.items)) in first_line(answer) and part.heading in first_line(answer)
        for item in part.items:
            assert item.text in answer.text and cites(answer, item.text)


def test_the_basis_of_the_plans_own_decision_lists_every_basis(assistant):
    plan = next((p for p in PLANS if p.decision_number), None)
    if plan is None:
        pytest.skip("no plan comes with a decision number")
    number = plan.decision_number.split("/")[0]
    basis = [s for s in FACTS[plan.id].of_kind("basis") if plan.decision_number not in s.value]
    answer = assistant.ask(f"Quyết định {number} của {plan.province} căn cứ vào những văn bản nào?")
    verbatim(answer)
    assert basis and all(s.value in answer.text for s in basis), answer.text
    assert all(cites(answer, s.value) for s in basis)
