"""Which body does something with a topic's matter ("Ai bố trí kinh phí?", "Who allocates the
funds?"): answered from the implementation part's duty line about that matter, whatever verb it
uses, on the real plans; a question about something no line speaks of is still not answered
(Vietnamese: an English word no lexicon translates is not gated in an answer read from the
facts, on main as here). Vietnamese with and without diacritics, English."""

from __future__ import annotations

import re

import pytest

from assistant import Session
from assistant.agencies import agency_by_id
from assistant.facts import extract_facts
from assistant.text import fold
from assistant.understand import understand

from .helpers import PLANS, verbatim

FUNDING = re.compile(r"(?<![a-z])(?:kinh phi|ngan sach|nguon von)(?![a-z])")

QUESTIONS = (
    "Ai bố trí kinh phí thực hiện kế hoạch ở {vi}?",
    "co quan nao lap du toan kinh phi o {plain}",
    "Who allocates the funds for the plan in {plain}?",
)


def _plain(province: str) -> str:
    return fold(province).title()


def _funding_bodies(plan) -> dict[str, str]:
    """Heading -> its lines, for the single agencies of the implementation part with a line about
    funding, read the simple way (a funding word in the line)."""
    out = {}
    for d in extract_facts(plan).duties:
        if any(not agency_by_id(a).group for a in d.agencies):
            lines = [s.text for s in d.duties if FUNDING.search(fold(s.text))]
            if lines:
                out[d.heading] = " ".join(lines)
    return out


WITH_FUNDING_BODY = [p for p in PLANS if _funding_bodies(p)]


def test_some_plans_give_a_body_a_funding_duty():
    assert WITH_FUNDING_BODY


@pytest.mark.parametrize("form", range(len(QUESTIONS)))
@pytest.mark.parametrize("plan", WITH_FUNDING_BODY, ids=lambda p: p.id)
def test_the_body_with_the_funding_duty_answers(assistant, plan, form):
    question = QUESTIONS[form].format(vi=plan.province, plain=_plain(plan.province))
    a = assistant.ask(question, session=Session())
    verbatim(a)
    assert not a.abstained, a.text
    bodies = _funding_bodies(plan)
    # the answer names a body whose duty line speaks of funding, and cites a line of it
    assert any(fold(h) in fold(a.text) for h in bodies), (a.text, bodies)
    assert any(
        FUNDING.search(fold(c.text)) and any(fold(c.text) in fold(v) for v in bodies.values())
        for c in a.citations
    ), [c.text for c in a.citations]


@pytest.mark.parametrize(
    "question",
    [
        "Ai bố trí kinh phí ở {vi}?",
        "ai cap kinh phi o {plain}",
        "Which department handles the budget in {plain}?",
    ],
)
def test_asking_for_a_body_is_a_lead_question_about_the_topic(question):
    plan = PLANS[0]
    q = understand(question.format(vi=plan.province, plain=_plain(plan.province)))
    assert q.intent == "lead" and q.doer and q.doer_from == "funding" and "funding" in q.topics


@pytest.mark.parametrize(
    "question",
    ["Kinh phí thực hiện kế hoạch ở {vi} lấy từ đâu?", "Who leads the budget work in {plain}?"],
)
def test_a_source_or_a_lead_question_is_not_a_doer_question(question):
    plan = PLANS[0]
    q = understand(question.format(vi=plan.province, plain=_plain(plan.province)))
    assert not q.doer


@pytest.mark.parametrize(
    "question",
    [
        "Ai tài trợ kinh phí cho giải bóng đá World Cup ở {vi}?",
        "ai cap kinh phi cho world cup o {plain}",
    ],
)
@pytest.mark.parametrize("plan", WITH_FUNDING_BODY[:1], ids=lambda p: p.id)
def test_a_matter_no_line_speaks_of_is_not_answered(assistant, plan, question):
    a = assistant.ask(question.format(vi=plan.province, plain=_plain(plan.province)), session=Session())
    verbatim(a)
    assert a.abstained, a.text
    assert not any("World Cup" in c.text for c in a.citations)


def _district_funding(plan) -> list[str]:
    """The funding lines of the district People's Committees' entry, read the simple way."""
    return [
        s.text
        for d in extract_facts(plan).duties
        if "ubnd-huyen" in d.agencies
        for s in d.duties
        if FUNDING.search(fold(s.text))
    ]


WITH_DISTRICT_FUNDING = [p for p in PLANS if _district_funding(p)]


@pytest.mark.parametrize(
    "question",
    [
        "Ở cấp huyện tại {vi}, ai bố trí kinh phí thực hiện kế hoạch?",
        "o cap huyen tai {plain}, ai bo tri kinh phi?",
        "At district level in {plain}, who allocates money for the plan?",
    ],
)
@pytest.mark.parametrize("plan", WITH_DISTRICT_FUNDING, ids=lambda p: p.id)
def test_a_named_body_asked_who_does_it_gives_its_line(assistant, plan, question):
    a = assistant.ask(question.format(vi=plan.province, plain=_plain(plan.province)), session=Session())
    verbatim(a)
    assert not a.abstained, a.text
    lines = _district_funding(plan)
    assert any(any(fold(c.text) in fold(x) for x in lines) for c in a.citations), a.text
