"""The period a plan as a whole covers, on the real plans and on variants made from them: the
years its title states, cited verbatim; a grounds line stating another document's years is not
taken for the plan's; how often a thing is done ("bao lâu một lần") is a timing question.
Vietnamese with and without diacritics, English."""

from __future__ import annotations

import dataclasses
import re

import pytest

from assistant import Session
from assistant.compose import Composer
from assistant.facts import extract_facts
from assistant.sentences import SentenceIndex
from assistant.understand import plan_holdings, understand
from index.chunking import chunk_plan

from .helpers import PLANS, TEXTS, cites, first_line, verbatim

QUESTIONS = (
    "Kế hoạch {vi} thực hiện đến năm nào?",
    "ke hoach {plain} keo dai bao lau",
    "What period does the {plain} plan cover?",
)


def _plain(province: str) -> str:
    from assistant.text import fold

    return fold(province).title()


def _title_years(text: str) -> tuple[str, str]:
    """The years of the plan's title, read the simple way: the first line in capitals that says
    "ĐẾN NĂM yyyy" (the end) and "TẦM NHÌN ĐẾN NĂM yyyy" (the vision)."""
    for line in text.splitlines():
        if "ĐẾN NĂM" in line and line.upper() == line:
            end = re.search(r"ĐẾN NĂM (\d{4})", line).group(1)
            vision = re.search(r"TẦM NHÌN ĐẾN NĂM (\d{4})", line).group(1)
            return end, vision
    raise AssertionError("no title line with years")


@pytest.mark.parametrize("form", range(len(QUESTIONS)))
@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
def test_the_plan_period_is_read_from_its_title(assistant, plan, form):
    question = QUESTIONS[form].format(vi=plan.province, plain=_plain(plan.province))
    a = assistant.ask(question, session=Session())
    verbatim(a)
    end, vision = _title_years(TEXTS[plan.id])
    lead = first_line(a)
    assert not a.abstained and end in lead and vision in lead, a.text
    assert ("runs to" in lead) == (form == 2)
    title = next(c for c in a.citations if c.plan == plan.id)
    assert f"NĂM {end}" in title.text and f"NĂM {vision}" in title.text
    assert not title.text.startswith(("Căn cứ", "Thực hiện"))


def test_activities_sharing_one_timing_are_named_with_the_period(assistant):
    plan = next(p for p in PLANS if len({a.timing for a in extract_facts(p).activities}) == 1)
    timing = extract_facts(plan).activities[0].timing
    a = assistant.ask(f"Kế hoạch {plan.province} thực hiện đến năm nào?", session=Session())
    verbatim(a)
    assert timing in a.text and cites(a, timing)


def _compose(plans, question):
    facts = {p.id: extract_facts(p) for p in plans}
    chunks = [c for p in plans for c in chunk_plan(p)]
    composer = Composer({p.id: p for p in plans}, facts, SentenceIndex(plans), chunks)
    q = understand(question, plan_holdings(plans))
    return composer.compose(q, q.provinces or [p.id for p in plans], [], q.lang)


def _retitled(plan, title_years: str):
    """The plan with the years of its title lines (the decision's and the plan's) replaced."""
    text = plan.text
    titles = [x for x in text.splitlines() if "ĐẾN NĂM" in x and x.upper() == x]
    assert titles
    for line in titles:
        new = re.sub(r"ĐẾN NĂM \d{4}(?:,| VÀ)? TẦM NHÌN ĐẾN NĂM \d{4}", title_years, line)
        assert new != line
        text = text.replace(line, new, 1)
    return dataclasses.replace(plan, text=text)


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
def test_another_title_period_is_answered_from_that_title(plan):
    variant = _retitled(plan, "GIAI ĐOẠN 2021 - 2025")
    answer = _compose([variant], f"What is the implementation period of the {_plain(plan.province)} plan?")
    assert not answer.abstained and "2021-2025" in answer.text.split("\n")[0], answer.text
    for c in answer.citations:
        assert variant.text[c.start : c.end] == c.text
    assert any("GIAI ĐOẠN 2021 - 2025" in c.text for c in answer.citations)


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
def test_a_title_without_years_is_not_answered_from_a_grounds_line(plan):
    variant = _retitled(plan, "")
    answer = _compose([variant], f"Kế hoạch {plan.province} thực hiện đến năm nào?")
    first = answer.text.split("\n")[0]
    assert "tầm nhìn đến năm" not in first, answer.text  # the grounds line's years are the strategy's


@pytest.mark.parametrize(
    "question",
    [
        "Ở {vi}, các sở ngành xây dựng kế hoạch thực hiện bao lâu một lần?",
        "o {plain} cac so nganh xay dung ke hoach thuc hien bao lau mot lan?",
    ],
)
def test_how_often_asks_a_timing(assistant, question):
    # the plan where provincial departments draw up an implementation plan each year
    plan = next(p for p in PLANS if re.search(r"xây dựng kế hoạch thực hiện hàng năm", p.text))
    a = assistant.ask(question.format(vi=plan.province, plain=_plain(plan.province)), session=Session())
    verbatim(a)
    assert not a.abstained and understand(question.format(vi="", plain="")).intent == "timing"
    assert cites(a, "xây dựng kế hoạch thực hiện hàng năm")


@pytest.mark.parametrize(
    "question",
    [
        "{vi} lập kế hoạch hội nhập theo chu kỳ nào?",
        "{plain} lap ke hoach hoi nhap theo chu ky nao?",
    ],
)
def test_lap_ke_hoach_finds_the_xay_dung_ke_hoach_line(assistant, question):
    # "lập kế hoạch" is the plans' "xây dựng Kế hoạch hằng năm và 05 năm"
    for plan in PLANS:
        m = re.search(r"xây dựng Kế hoạch (?:hằng|hàng) năm và 0?5 năm", plan.text)
        if not m:
            continue
        a = assistant.ask(question.format(vi=plan.province, plain=_plain(plan.province)), session=Session())
        verbatim(a)
        assert not a.abstained and cites(a, m.group(0)), a.text
