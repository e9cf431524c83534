"""List questions on the real plans: the agencies a plan assigns work to, counted; a part asked
for with a list phrasing ("liệt kê", "kể tên", "what are all the …") answered like the part
itself, or "no such part; the nearest is …"; the activities an agency leads or coordinates, with
the other role when the one asked is empty; every duty of an agency wherever the plan gives it —
facts and verbatim citations, Vietnamese (with and without marks) and English, for every plan
found (no plan is named here)."""

from __future__ import annotations

import pytest

from assistant.agencies import agency_by_id, find_agencies
from assistant.facts import all_facts
from assistant.outline import outline_of
from assistant.shapes import vocabulary
from assistant.templates import t
from assistant.text import fold
from corpus import load_plans

from .helpers import first_line, verbatim

PLANS = {p.id: p for p in load_plans()}
FACTS = all_facts()


def cited(answer, span) -> bool:
    return any(c.plan == span.plan and c.start <= span.start and span.end <= c.end for c in answer.citations)


def en_name(plan) -> str:
    return plan.province_en or fold(plan.province).title()


def _ids(names) -> set[str]:
    return {m.agency.id for n in names for m in find_agencies(n)}


# -- the agencies a plan assigns work to ------------------------------------------------------


def _assigning():
    for plan in PLANS.values():
        found = outline_of(plan).find("organization")
        if found and found[0].items:
            yield plan, found[0]


ASSIGNING = list(_assigning())


def test_the_plans_have_an_implementation_part():
    assert len(ASSIGNING) == len(PLANS)


@pytest.mark.parametrize(("plan", "part"), ASSIGNING, ids=lambda x: getattr(x, "id", "part"))
@pytest.mark.parametrize(
    "template",
    [
        "Những cơ quan nào được giao nhiệm vụ trong kế hoạch {vi}?",
        "nhung co quan nao duoc giao nhiem vu trong ke hoach {plain}",
        "Liệt kê các cơ quan tham gia thực hiện kế hoạch {vi}",
        "Which agencies have responsibilities in the {en} plan?",
        "Which departments are involved in the {en} plan?",
        # "các sở, ngành" in a list question is what is asked for, not the collective body
        "Kể tên các sở, ngành tham gia thực hiện kế hoạch ở {vi}",
        "Cac so nganh nao tham gia thuc hien ke hoach {plain}?",
        "Những sở, ban, ngành nào tham gia thực hiện kế hoạch {vi}?",
        "Which departments take part in implementing the {en} plan?",
    ],
)
def test_the_agencies_asked_for_are_the_implementation_entries_counted(assistant, plan, part, template):
    question = template.format(vi=plan.province, plain=fold(plan.province), en=en_name(plan))
    answer = assistant.ask(question)
    verbatim(answer)
    assert not answer.abstained, answer.text
    assert first_line(answer).startswith(f"{len(part.items)} "), answer.text
    assert part.heading in first_line(answer)
    for item in part.items:  # each entry cited from its own line
        assert any(c.start <= item.start < c.end for c in answer.citations), item.text
    if question.isascii() and "which" in question.lower():  # English: the bodies' English names too
        for item in part.items:
            for m in find_agencies(item.text[:100])[:1]:
                assert m.agency.en in answer.text, (m.agency.en, answer.text)


@pytest.mark.parametrize(("plan", "part"), ASSIGNING, ids=lambda x: getattr(x, "id", "part"))
def test_bodies_the_activities_name_beyond_the_entries_are_listed_with_their_activity(assistant, plan, part):
    listed = {m.agency.id for x in part.items for m in find_agencies(x.text)}
    beyond = [
        (unit, a.lead_span)
        for a in FACTS[plan.id].activities
        for unit in a.leads
        if _ids([unit]) and not _ids([unit]) <= listed
    ]
    answer = assistant.ask(f"Những cơ quan nào được giao nhiệm vụ trong kế hoạch {plan.province}?")
    verbatim(answer)
    for unit, span in beyond:
        assert fold(unit) in fold(answer.text), (unit, answer.text)
        assert cited(answer, span)
    if beyond:
        assert t("vi", "agencies_in_activities", n=0).split("0")[0] in answer.text


# -- a part asked for with a list phrasing ----------------------------------------------------

KINDS = {
    "objective_general": ("mục tiêu chung", "general objectives"),
    "objective_specific": ("mục tiêu cụ thể", "specific objectives"),
    "tasks": ("nhiệm vụ", "tasks"),
    "solutions": ("giải pháp", "solutions"),
    "content": ("hoạt động", "activities"),
    "organization": ("tổ chức thực hiện", "implementation arrangements"),
}
LISTS_VI = ["Liệt kê các {k} của {p}", "Kể tên các {k} trong kế hoạch {p}", "Các {k} của {p} là gì?"]
LISTS_EN = ["List the {k} of the {p} plan", "What are all the {k} in {p}?"]


@pytest.mark.parametrize("plan", list(PLANS.values()), ids=lambda p: p.id)
@pytest.mark.parametrize("kind", list(KINDS))
def test_a_list_phrasing_reaches_the_part_found_by_its_heading(assistant, plan, kind):
    found = outline_of(plan).find(kind)
    vi, en = KINDS[kind]
    questions = [f.format(k=vi, p=plan.province) for f in LISTS_VI]
    questions += [fold(q) for q in questions[:1]]
    questions += [f.format(k=en, p=en_name(plan)) for f in LISTS_EN]
    for question in questions:
        answer = assistant.ask(question)
        verbatim(answer)
        lang = "en" if question.isascii() and question.split()[0] in ("List", "What") else "vi"
        if not found:  # no such part and no nearer one: the plan's parts, and "not stated"
            assert answer.abstained, (question, answer.text)
            continue
        part = found[0]
        assert not answer.abstained, (question, answer.text)
        head = first_line(answer)
        assert part.heading in head, (question, answer.text)
        if not part.exact:  # "no such part; the nearest is …"
            assert ("không có phần" if lang == "vi" else "has no part") in head, (question, answer.text)
        for item in part.items[:10]:
            assert any(
                c.start <= item.start < c.end or c.start <= part.start < c.end for c in answer.citations
            )


def test_specific_objectives_missing_fall_back_to_the_nearest_part(assistant):
    """A plan with no "Mục tiêu cụ thể" part: the answer says so and gives the nearest part."""
    checked = 0
    for plan in PLANS.values():
        nearest = outline_of(plan).find("objective_specific")
        if nearest and nearest[0].exact:
            continue
        answer = assistant.ask(f"Liệt kê các mục tiêu cụ thể của {plan.province}")
        verbatim(answer)
        assert "không có phần “mục tiêu cụ thể”" in first_line(answer), answer.text
        if nearest:
            assert nearest[0].heading in first_line(answer)
        checked += 1
    if not checked:
        pytest.skip("every plan has a specific-objectives part")


# -- what an agency leads or coordinates -----------------------------------------------------


def _leaders():
    """(plan, agency id, activities it leads) for an agency no activity names as a partner."""
    for pid, pf in FACTS.items():
        for aid in sorted({i for a in pf.activities for i in _ids(a.leads)}):
            if agency_by_id(aid).group:
                continue
            if any(aid in _ids((*a.coordinators, *a.implementers)) for a in pf.activities):
                continue
            led = [a for a in pf.activities if aid in _ids(a.leads)]
            yield PLANS[pid], aid, led


LEADERS = list(_leaders())


def test_some_agency_leads_activities():
    assert LEADERS


@pytest.mark.parametrize(("plan", "aid", "led"), LEADERS[:6], ids=lambda x: getattr(x, "id", str(x))[:20])
def test_activities_an_agency_coordinates_give_those_it_leads(assistant, plan, aid, led):
    agency = agency_by_id(aid)
    for question, lang in (
        (f"Which activities does the {agency.en} coordinate in {en_name(plan)}?", "en"),
        (f"Những hoạt động nào {agency.vi} {plan.province} phối hợp?", "vi"),
    ):
        answer = assistant.ask(question)
        verbatim(answer)
        assert not answer.abstained, (question, answer.text)
        for a in led:
            assert a.title in answer.text, (a.title, answer.text)
            assert cited(answer, a.lead_span)
        if t(lang, "role_partner") not in answer.text:  # no partner role: said, then the lead role
            none = t(lang, "agency_role_none_partner", agency="", province=plan.province).split(";")[0]
            assert none.split("  ")[0] in first_line(answer), answer.text


@pytest.mark.parametrize(("plan", "aid", "led"), LEADERS[:6], ids=lambda x: getattr(x, "id", str(x))[:20])
def test_activities_an_agency_leads_are_every_activity_that_names_it_lead(assistant, plan, aid, led):
    agency = agency_by_id(aid)
    answer = assistant.ask(f"{fold(agency.vi)} {fold(plan.province)} chu tri nhung hoat dong nao?")
    verbatim(answer)
    assert not answer.abstained, answer.text
    for a in led:
        assert a.title in answer.text and cited(answer, a.lead_span)


# -- every duty of an agency ------------------------------------------------------------------


def _entries():
    """(plan, agency id, entry): an entry of the implementation part for one registry agency."""
    for pid, pf in FACTS.items():
        for d in pf.duties:
            if len(d.agencies) == 1 and not agency_by_id(d.agencies[0]).group and d.span.text:
                yield PLANS[pid], d.agencies[0], d


ENTRIES = list(_entries())


@pytest.mark.parametrize(("plan", "aid", "entry"), ENTRIES, ids=lambda x: getattr(x, "id", str(x))[:20])
def test_all_duties_of_an_agency_are_its_entry_and_the_activities_it_has(assistant, plan, aid, entry):
    agency = agency_by_id(aid)
    pf = FACTS[plan.id]
    for question in (
        f"List all duties of the {agency.en} in {en_name(plan)}",
        f"Liệt kê tất cả nhiệm vụ của {agency.vi} {plan.province}",
        fold(f"Liệt kê tất cả nhiệm vụ của {agency.vi} {plan.province}"),
    ):
        answer = assistant.ask(question)
        verbatim(answer)
        assert not answer.abstained, (question, answer.text)
        for line in entry.duties:  # its own entry, every line
            assert any(c.start <= line.start + 2 and line.end - 2 <= c.end for c in answer.citations) or any(
                line.start <= c.start < line.end for c in answer.citations
            ), (line.text, answer.text)
        for a in pf.activities:  # the activities it leads or takes part in, each cited
            if aid in _ids(a.leads):
                assert a.title in answer.text and cited(answer, a.lead_span), (a.title, answer.text)
            elif aid in _ids(a.coordinators):
                assert a.title in answer.text and cited(answer, a.coordinator_span), (a.title, answer.text)


def test_an_agency_the_plan_names_only_in_its_entry_is_said_to_be_named_nowhere_else(assistant):
    """Counted from the plan's text: no other line of its body names the agency."""
    checked = 0
    for plan, aid, entry in ENTRIES:
        ol = outline_of(plan)
        body = [(n.start, n.end) for n in ol.body_parts()]
        text = plan.text
        others = [
            m
            for a, b in body
            for m in find_agencies(text[a:b])
            if m.agency.id == aid and not entry.span.start <= a + m.start < entry.span.end
        ]
        if others:
            continue
        agency = agency_by_id(aid)
        answer = assistant.ask(f"List all duties of the {agency.en} in {en_name(plan)}")
        assert t("en", "agency_nowhere_else", agency=agency.bilingual()) in answer.text, answer.text
        answer = assistant.ask(f"Liệt kê tất cả nhiệm vụ của {agency.vi} {plan.province}")
        assert t("vi", "agency_nowhere_else", agency=agency.vi) in answer.text, answer.text
        checked += 1
    if not checked:
        pytest.skip("every agency is named beyond its own entry")


def test_list_phrasings_are_read_as_lists():
    v = vocabulary()
    for phrase in (
        "liet ke cac hoat dong",
        "ke ten cac giai phap",
        "what are all the activities",
        "cac chi tieu cua tinh la gi",
    ):
        assert v.list_asks.search(phrase), phrase
    for phrase in (
        "nhung co quan nao duoc giao nhiem vu",
        "which agencies have responsibilities",
        "liet ke cac co quan",
    ):
        assert v.list_agencies.search(phrase), phrase
    assert not v.list_agencies.search("co quan nao chu tri")  # one body: the lead, not a list


# -- the agencies by their role in the activities ----------------------------------------------


@pytest.mark.parametrize("plan", [p for p in PLANS.values() if FACTS[p.id].activities], ids=lambda p: p.id)
def test_the_agencies_that_lead_activities_are_each_lead_with_its_activities(assistant, plan):
    pf = FACTS[plan.id]
    leads = {}
    for a in pf.activities:
        for unit in a.leads:
            leads.setdefault(" ".join(sorted(_ids([unit]))) or fold(unit), (unit, []))[1].append(a)
    for question in (
        f"Which agencies lead activities in the {en_name(plan)} plan?",
        f"Những cơ quan nào chủ trì các hoạt động trong kế hoạch {plan.province}?",
        fold(f"Những cơ quan nào chủ trì các hoạt động trong kế hoạch {plan.province}?"),
    ):
        answer = assistant.ask(question)
        verbatim(answer)
        assert not answer.abstained, (question, answer.text)
        assert first_line(answer).startswith(f"{len(leads)} "), (question, answer.text)
        for unit, acts in leads.values():
            assert fold(unit) in fold(answer.text), (unit, answer.text)
            for a in acts:
                assert a.title in answer.text and cited(answer, a.lead_span)
