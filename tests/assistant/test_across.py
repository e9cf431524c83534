"""Questions over all plans ("Tỉnh nào …", "Những kế hoạch nào …", "In which plans …") on the
real plans: answered per province, the plans that say it named first and each other plan said
not to, every passage cited verbatim — in Vietnamese with and without marks and in English, for
every agency and part found (no plan or agency is named here)."""

from __future__ import annotations

import re

import pytest

from assistant.agencies import find_agencies, registry
from assistant.facts import all_facts
from assistant.outline import heading_words, outline_of
from assistant.shapes import vocabulary
from assistant.text import fold
from assistant.understand import topics, understand

from .helpers import PLANS, first_line, verbatim

FACTS = all_facts()
AGENCIES = {a.id: a for a in registry()}


def _ids(names) -> set[str]:
    return {m.agency.id for n in names for m in find_agencies(n) if not m.agency.group}


def _roles(starts: tuple[str, ...], lead: bool) -> dict[str, set[str]]:
    """{agency id: plans where an activity names it as its lead (or a partner: coordinating, or
    implementing one that names no lead) or its own entry has a line opening with `starts`}."""
    out: dict[str, set[str]] = {}
    for pid, pf in FACTS.items():
        for a in pf.activities:
            named = a.leads if lead else (*a.coordinators, *(() if a.leads else a.implementers))
            for aid in _ids(named):
                out.setdefault(aid, set()).add(pid)
        for d in pf.duties:
            if len(d.agencies) == 1 and any(fold(x.text).lstrip("- ").startswith(starts) for x in d.duties):
                out.setdefault(d.agencies[0], set()).add(pid)
    # an agency whose name holds a place ("… Khu công nghiệp Quảng Ngãi") scopes the question to it
    return {
        k: v for k, v in out.items() if 0 < len(v) < len(PLANS) and not understand(AGENCIES[k].vi).provinces
    }


LEADERS = sorted(_roles(("chu tri",), lead=True).items())
PARTNERS = sorted(_roles(("phoi hop", "tham gia"), lead=False).items())


def _names_exactly(line: str, plans: set[str]) -> None:
    for p in PLANS:
        assert (fold(p.province) in fold(line)) == (p.id in plans), (p.province, line)


def _silent_ones_said(answer, plans: set[str]) -> None:
    lines = [fold(x) for x in answer.text.split("\n")]
    for p in PLANS:
        if p.id not in plans:
            said = ("khong neu" in x or "does not state" in x for x in lines if fold(p.province) in x)
            assert any(said), (p.province, answer.text)


def test_some_agencies_lead_or_take_part_in_some_plans_only():
    assert LEADERS and PARTNERS


@pytest.mark.parametrize(
    "template",
    [
        "Tỉnh nào giao {vi} chủ trì?",
        "nhung ke hoach nao giao {plain} chu tri hoat dong",
        "In which plans does the {en} lead?",
    ],
)
@pytest.mark.parametrize(("aid", "plans"), LEADERS[:3], ids=lambda x: x if isinstance(x, str) else "")
def test_which_plans_make_an_agency_the_lead(assistant, aid, plans, template):
    agency = AGENCIES[aid]
    answer = assistant.ask(template.format(vi=agency.vi, plain=fold(agency.vi), en=agency.en))
    verbatim(answer)
    assert not answer.abstained, answer.text
    _names_exactly(first_line(answer), plans)
    _silent_ones_said(answer, plans)
    assert {c.plan for c in answer.citations} == plans


@pytest.mark.parametrize(
    "template", ["Tỉnh nào giao {vi} phối hợp?", "In which plans does the {en} coordinate?"]
)
@pytest.mark.parametrize(("aid", "plans"), PARTNERS[:3], ids=lambda x: x if isinstance(x, str) else "")
def test_which_plans_make_an_agency_a_partner(assistant, aid, plans, template):
    agency = AGENCIES[aid]
    answer = assistant.ask(template.format(vi=agency.vi, en=agency.en))
    verbatim(answer)
    _names_exactly(first_line(answer), plans)
    _silent_ones_said(answer, plans)


def _qualified_groups():
    """(part kind, the part's name, the qualifier, plans whose part has a group of that name)
    for a group only some plans have ("Giải pháp trên từng lĩnh vực")."""
    qualifiers = set(vocabulary().qualifiers.values())
    found: dict[tuple[str, str, str], set[str]] = {}
    for plan in PLANS:
        ol = outline_of(plan)
        for kind, spec in vocabulary().sections.items():
            for part in ol.find(kind):
                for child in part.node.children:
                    words = heading_words(child, plan.text)
                    for name in spec.heading:
                        rest = words[len(name) :].strip() if words.startswith(name + " ") else ""
                        q = next((x for x in qualifiers if f" {x} " in f" {rest} "), "")
                        if child.children and q:
                            found.setdefault((kind, name, q), set()).add(plan.id)
    # only a group the question names inside its part (not a part of its own, "mục tiêu chung")
    return [
        (*k, v)
        for k, v in sorted(found.items())
        if len(v) < len(PLANS) and understand(f"Kế hoạch nào có phần {k[1]} {k[2]}?").section == k[0]
    ]


GROUPS = _qualified_groups()


@pytest.mark.parametrize(("kind", "name", "qualifier", "plans"), GROUPS[:2])
def test_which_plans_have_a_group_of_a_part_names_only_those(assistant, kind, name, qualifier, plans):
    en = next(k for k, v in vocabulary().qualifiers.items() if v == qualifier)
    part_en = {"solutions": "solutions", "tasks": "tasks"}.get(kind, kind)
    for question in (f"Kế hoạch nào có phần {name} {qualifier}?", f"Which plans have {part_en} per {en}?"):
        answer = assistant.ask(question)
        verbatim(answer)
        assert not answer.abstained, answer.text
        _names_exactly(first_line(answer), plans)
        _silent_ones_said(answer, plans)
        assert {c.plan for c in answer.citations} == plans


def test_an_agency_that_leads_nothing_on_a_topic_is_said_to_lead_it_in_no_plan(assistant):
    leaders = {aid for pf in FACTS.values() for a in pf.activities for aid in _ids(a.leads)}
    assigned = {aid for pf in FACTS.values() for d in pf.duties for aid in d.agencies}
    named = [a for a in registry() if not a.group and a.id in assigned - leaders - set(dict(LEADERS))]
    agency = named[0]
    answer = assistant.ask(f"Tỉnh nào giao {agency.vi} chủ trì hoạt động về đào tạo nghề?")
    verbatim(answer)
    assert answer.abstained, answer.text
    assert fold(agency.vi) in fold(first_line(answer)) and "khong neu" in fold(first_line(answer))
    _silent_ones_said(answer, set())


@pytest.mark.parametrize(
    ("question", "intent", "shape"),
    [
        ("Kế hoạch nào nêu nguồn kinh phí?", "funding", ""),
        ("ke hoach nao co phan muc dich yeu cau", None, "section"),
    ],
)
def test_which_plan_asks_across_plans_not_for_a_document(question, intent, shape):
    q = understand(question)
    assert q.across and q.intent == intent and q.shape == shape, (q.across, q.intent, q.shape)


def test_which_plan_a_thing_implements_still_asks_for_a_document():
    assert understand("Hoạt động này thực hiện theo kế hoạch nào?").intent == "legal_basis"


def _topic_sections():
    """(topic, plans with an activity whose title names it) for topics only some plans head."""
    out = []
    for topic in topics():
        phrases = [f" {fold(p)} " for p in topic.vi]
        plans = {
            pid
            for pid, pf in FACTS.items()
            for a in pf.activities
            if any(p in f" {' '.join(re.sub(r'[^0-9a-z ]+', ' ', fold(a.title)).split())} " for p in phrases)
        }
        if 0 < len(plans) < len(PLANS):
            out.append((topic, plans))
    return out


TOPIC_SECTIONS = _topic_sections()


@pytest.mark.parametrize(
    "template",
    [
        "Những kế hoạch nào có mục riêng về {vi}?",
        "tinh nao co hoat dong rieng ve {plain}",
        "Which plans have a dedicated section on {en}?",
    ],
)
@pytest.mark.parametrize(("topic", "plans"), TOPIC_SECTIONS[:2], ids=lambda x: getattr(x, "id", ""))
def test_which_plans_give_a_topic_a_section_of_its_own(assistant, topic, plans, template):
    answer = assistant.ask(template.format(vi=topic.label_vi, plain=fold(topic.label_vi), en=topic.label_en))
    verbatim(answer)
    lead = fold(first_line(answer))
    named = {p.id for p in PLANS if fold(p.province) in lead}
    assert plans <= named, answer.text
    _silent_ones_said(answer, named)
    for pid in plans:
        title = next(a.title for a in FACTS[pid].activities if fold(a.title) in fold(answer.text))
        assert any(c.plan == pid and title in c.text for c in answer.citations)
