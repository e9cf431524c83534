"""Wordings officials use that the development sets do not: abbreviations of agency names
("Sở LĐ-TB&XH"), a request for an agency's duties with no other content ("Liệt kê nhiệm vụ của
…", "… có những nhiệm vụ gì"), in Vietnamese with and without marks and in English — facts and
verbatim citations on the real plans, for every plan found (no plan is named here)."""

from __future__ import annotations

import pytest

from assistant import Session
from assistant.agencies import agency_by_id, find_agencies
from assistant.facts import all_facts
from assistant.text import fold
from assistant.understand import understand

from .helpers import PLANS as _PLANS
from .helpers import verbatim

PLANS = {p.id: p for p in _PLANS}
FACTS = all_facts()


def _cited(answer, span) -> bool:
    return any(
        (c.start <= span.start + 2 and span.end - 2 <= c.end) or span.start <= c.start < span.end
        for c in answer.citations
    )


def _long_entries():
    """(plan, agency id, entry): an agency entry with more duty lines than the quote cap."""
    for pid, pf in FACTS.items():
        for d in pf.duties:
            if len(d.duties) >= 4 and len(d.agencies) == 1 and not agency_by_id(d.agencies[0]).group:
                yield PLANS[pid], d.agencies[0], d


LONG = list(_long_entries())


def test_some_agency_has_many_duty_lines():
    assert len(LONG) >= 2


@pytest.mark.parametrize(
    "template",
    [
        "Liệt kê nhiệm vụ của {vi} {province}.",
        "{plain} {province_plain} co nhung nhiem vu gi",
        "What are the duties of {en} in the {province_en} plan?",
    ],
)
@pytest.mark.parametrize(("plan", "aid", "entry"), LONG, ids=lambda x: getattr(x, "id", str(x))[:20])
def test_asking_for_the_duties_alone_gives_every_duty_line(assistant, plan, aid, entry, template):
    agency = agency_by_id(aid)
    question = template.format(
        vi=agency.vi,
        plain=fold(agency.vi),
        en=agency.en,
        province=plan.province,
        province_plain=fold(plan.province),
        province_en=plan.province_en,
    )
    answer = assistant.ask(question)
    verbatim(answer)
    assert not answer.abstained, answer.text
    missing = [d.text[:60] for d in entry.duties if not _cited(answer, d)]
    assert not missing, (question, missing, answer.text)


@pytest.mark.parametrize("written", ["Sở LĐ-TB&XH", "Sở LĐ-TBXH", "So LD-TB&XH", "Bộ LĐ-TB&XH"])
def test_the_hyphenated_abbreviation_of_the_labour_department_is_known(written):
    found = [m.agency.id for m in find_agencies(f"Nhiệm vụ của {written} là gì?")]
    assert found == ["bo-ldtbxh" if written.startswith("Bộ") else "so-ldtbxh"], found


def test_a_duty_list_asked_with_the_abbreviation_cites_the_entry(assistant):
    entries = [(PLANS[p], d) for p, pf in FACTS.items() for d in pf.duties if d.agencies == ("so-ldtbxh",)]
    assert entries
    for plan, entry in entries:
        answer = assistant.ask(f"Liệt kê tất cả nhiệm vụ của Sở LĐ-TB&XH {plan.province}.")
        verbatim(answer)
        assert not answer.abstained, answer.text
        assert all(_cited(answer, d) for d in entry.duties), answer.text


def _assigned_and_not():
    """(agency id, a plan whose implementation part gives it an entry, a plan that gives it none)."""
    entries = {pid: {a for d in pf.duties for a in d.agencies} for pid, pf in FACTS.items()}
    for aid in sorted(set().union(*entries.values())):
        if (
            agency_by_id(aid).group
            or not agency_by_id(aid).vi.startswith("Sở ")
            or "(" in agency_by_id(aid).vi
        ):
            continue  # a department named alike in every plan
        has = [p for p in entries if aid in entries[p]]
        lacks = [p for p in entries if aid not in entries[p]]
        if has and lacks:
            yield aid, PLANS[has[0]], PLANS[lacks[0]]


CONTRAST = list(_assigned_and_not())[:2]


@pytest.mark.parametrize(
    ("template", "yes", "no"),
    [
        ("Is it true that the {en_plan} plan gives tasks to the {en}?", "Yes", "No"),
        ("Có đúng là kế hoạch {vi_plan} giao nhiệm vụ cho {vi} không?", "Có", "Không"),
    ],
)
def test_is_it_true_that_is_a_yes_no_question_with_its_verdict_first(assistant, template, yes, no):
    assert CONTRAST
    for aid, has, lacks in CONTRAST:
        agency = agency_by_id(aid)
        for plan, verdict in ((has, yes), (lacks, no)):
            question = template.format(
                en_plan=plan.province_en, vi_plan=plan.province, en=agency.en, vi=agency.vi
            )
            q = understand(question)
            assert q.shape == "yesno" and not q.followup, (question, q.shape, q.followup)
            answer = assistant.ask(question)
            verbatim(answer)
            assert answer.text.startswith(verdict), (question, answer.text[:200])
            if verdict == yes:
                entry = next(d for d in FACTS[plan.id].duties if aid in d.agencies)
                assert _cited(answer, entry.duties[0]), answer.text


def test_a_hyphenated_english_word_is_looked_up_word_by_word():
    q = understand("Is it true that the plan asks for a focal-point official to be appointed?")
    assert "focal" in q.terms and "point" in q.terms
    assert "2020-2030" in understand("What are the targets for 2020-2030?").terms


def _activities_with(field: str):
    """(plan, activity): the first activity of each plan that names a lead and states `field`."""
    for pid, pf in FACTS.items():
        a = next((a for a in pf.activities if a.lead_span and getattr(a, f"{field}_span")), None)
        if a is not None:
            yield PLANS[pid], a


@pytest.mark.parametrize(
    ("field", "followup"),
    [
        ("funding", "where does the funding for it come from?"),
        ("funding", "And how is this funded?"),
        ("timing", "What is the time frame for that?"),
    ],
)
def test_for_it_after_who_leads_refers_to_the_activity(assistant, field, followup):
    found = list(_activities_with(field))
    assert found
    assert understand(followup).refers_activity
    for plan, activity in found:
        session = Session()
        assistant.ask(f"Who leads “{activity.title}” in the {plan.province_en} plan?", session)
        answer = assistant.ask(followup, session)
        verbatim(answer)
        assert not answer.abstained, (activity.title, answer.text)
        span = getattr(activity, f"{field}_span")
        assert any(
            c.start <= span.start < c.end or span.start <= c.start < span.end for c in answer.citations
        ), (
            activity.title,
            answer.text,
        )


def test_an_agency_reference_is_not_an_activity_reference():
    assert not understand("And what does it do?").refers_activity
    assert not understand("What must that department do in this plan?").refers_activity
