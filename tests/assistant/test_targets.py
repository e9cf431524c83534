"""Targets asked by year, on the real plans: each year's target lines (those stating a rate, a
number, a level to reach), the lead giving each year's figure, cited verbatim; a year or a
subject the plan sets no target for is said so. Vietnamese with and without diacritics, English."""

from __future__ import annotations

import re

import pytest

from assistant import Session

from .helpers import TEXTS, first_line, verbatim

#: Quảng Ngãi's trained-workers line names 2020 (about 55%) and 2030 (the national average).
QN_LINE = "Phấn đấu đến năm 2020, tỷ lệ lao động qua đào tạo nghề"
#: Cà Mau's line: over 50% by 2020 and over 70% by 2030.
CM_LINE = "phấn đấu tỷ lệ lao động qua đào tạo đến năm 2020 là trên 50%"


def _ask(assistant, question):
    a = assistant.ask(question, session=Session())
    verbatim(a)
    return a


def _cites_line(answer, plan: str, snippet: str) -> bool:
    at = TEXTS[plan].find(snippet)
    assert at >= 0, snippet
    return any(c.plan == plan and c.start <= at < c.end for c in answer.shown)


@pytest.mark.parametrize(
    "question",
    [
        "Mục tiêu đến năm 2020 và 2030 của Quảng Ngãi là gì?",
        "muc tieu den nam 2020 va 2030 cua quang ngai la gi?",
        "What are the targets for 2020 and 2030 in Quang Ngai?",
    ],
)
def test_targets_for_two_years_are_given_per_year(assistant, question):
    a = _ask(assistant, question)
    lead = first_line(a)
    assert not a.abstained and a.provinces == ["quang-ngai"]
    assert lead.index("2020") < lead.index("55%") < lead.index("2030")  # each year with its figure
    assert "Phát huy tiềm năng" not in a.text  # a principle naming the horizon is no target
    assert _cites_line(a, "quang-ngai", QN_LINE)


@pytest.mark.parametrize(
    ("question", "figure", "other"),
    [
        ("Mục tiêu năm 2030 của Cà Mau là gì?", "70%", "50%"),
        ("muc tieu nam 2030 cua Ca Mau", "70%", "50%"),
        ("What is Ca Mau's target for 2020?", "50%", "70%"),
    ],
)
def test_a_year_asked_gets_its_own_figure(assistant, question, figure, other):
    a = _ask(assistant, question)
    lead = first_line(a)
    assert not a.abstained and figure in lead and other not in lead
    assert _cites_line(a, "ca-mau", CM_LINE)


@pytest.mark.parametrize(
    "question",
    [
        "Kiên Giang đặt chỉ tiêu tỷ lệ lao động qua đào tạo đến năm 2020 là bao nhiêu?",
        "kien giang dat chi tieu ty le lao dong qua dao tao den nam 2020 la bao nhieu?",
        "What is Kien Giang's target for the share of trained workers by 2020?",
    ],
)
def test_a_rate_on_another_subject_is_not_the_target_asked(assistant, question):
    a = _ask(assistant, question)
    assert a.abstained and a.support == "not_found"
    assert not re.search(r"\d+\s?%", first_line(a))  # the drug-addiction rate is not offered as it
