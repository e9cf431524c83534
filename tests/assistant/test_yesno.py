"""Yes/no questions that claim a value — a reporting date, a cycle, a rate, a count, a funding
source — or ask whether the plan sets one ("a specific date"), on the real plans: the verdict is
the first word, the stated value is named and cited verbatim, Vietnamese (with and without
diacritics) and English, true and false claims. The values come from each plan's facts; no plan
is named here."""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml

from assistant.agencies import agency_by_id, find_agencies
from assistant.claims import claimed, concept, judge, values
from assistant.claims import pairing as claims_pairing
from assistant.facts import all_facts
from assistant.outline import outline_of
from assistant.shapes import counted_words, yesno_framed
from assistant.text import fold
from assistant.understand import province_named, topics

from .helpers import PLANS, first_line
from .helpers import cites as cited
from .helpers import verbatim as strict_verbatim

FACTS = all_facts()
YES = ("Có — ", "Yes — ")
NO = ("Không — ", "No — ")


def verbatim(answer) -> None:
    assert answer.citations, answer.text
    strict_verbatim(answer)


def _claims(question: str):
    return claimed(fold(question), counted_words())


# -- reading claims and stated values -----------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "kind", "key"),
    [
        ("Is the reporting deadline 31 December?", "date", (31, 12, 0)),
        ("Does it require reports by December 15?", "date", (15, 12, 0)),
        ("Is it due by the 15th of December?", "date", (15, 12, 0)),
        ("Có phải hạn báo cáo là ngày 15 tháng 12 không?", "date", (15, 12, 0)),
        ("Han bao cao co phai la 15/12 khong?", "date", (15, 12, 0)),
        ("Hạn báo cáo có phải là tháng mười hai không?", "date", (None, 12, 0)),
        ("Có yêu cầu báo cáo hằng quý không?", "cycle", ("quarterly",)),
        ("Are reports required annually?", "cycle", ("annual",)),
        ("Kinh phí có phải từ vốn ODA không?", "fund", ("oda",)),
        ("Is it funded by the state budget?", "fund", ("state_budget",)),
        ("Is the target 60% by 2020?", "percent", (60.0, 60.0)),
        ("Kế hoạch có 5 giải pháp không?", "number", (5.0, 5.0)),
        ("Does the plan set six tasks?", "number", (6.0, 6.0)),
        ("Is the goal 1.000 workers abroad?", "number", (1000.0, 1000.0)),
        ("Is the final review in 2030?", "year", (2030, 2030)),
    ],
)
def test_a_claimed_value_is_read_and_normalised(question, kind, key):
    got = [(v.kind, v.key) for v in _claims(question)]
    assert (kind, key) in got, got


@pytest.mark.parametrize(
    "question",
    [
        "Có phải Quyết định 145/QĐ-TTg không?",
        "Is section II.3 about vocational training?",
        "Kế hoạch có năm 2020 không?",  # "năm" is a year here, not the number five
    ],
)
def test_a_document_number_an_item_or_a_year_word_is_not_a_claimed_count(question):
    assert not [v for v in _claims(question) if v.kind == "number"]


def test_the_kind_asked_for_is_read():
    assert concept(fold("Does the plan set a specific date for the annual report?")) == "date"
    assert concept(fold("Kế hoạch có quy định ngày cụ thể gửi báo cáo không?")) == "date"
    assert concept(fold("Does the plan set a numeric target for trained workers?")) == "figure"
    assert concept(fold("Who leads vocational training?")) == ""


def test_stated_values_are_compared_after_normalising():
    line = fold(
        "báo cáo định kỳ trước ngày 15/12 hàng năm; Quyết định số 1956/QĐ-TTg ngày 27/11/2009; từ 12 - 15%/năm"
    )
    assert judge(_claims("Is the deadline December 15th?"), line).verdict == "yes"
    no = judge(_claims("Is the deadline 31 December?"), line)
    assert no.verdict == "no" and [v.key for v in no.differing] == [(15, 12, 0)]  # not the decision's date
    assert judge(_claims("Có phải báo cáo hằng quý không?"), line).verdict == "no"
    assert judge(_claims("Is the rate 13%?"), line).verdict == "yes"  # inside the stated range
    assert judge(_claims("Is it funded by ODA?"), line).verdict == ""  # no source stated
    assert [v.kind for v in values(fold("có 01 cán bộ"))] == ["number"]


# -- on the real plans ------------------------------------------------------------------------
def _deadlines():
    """(plan, day, month, the stated line) for each plan whose reporting deadline is a date."""
    for pf in FACTS.values():
        for s in pf.of_kind("deadline"):
            m = re.search(r"(\d{1,2})/(\d{1,2})(?!/)", s.value)
            if m and fold(s.value).startswith("truoc ngay"):
                yield pf.plan, int(m.group(1)), int(m.group(2))
                break


DEADLINES = list(_deadlines())
MONTHS = "January February March April May June July August September October November December".split()


def test_some_plans_state_a_reporting_date():
    assert DEADLINES


@pytest.mark.parametrize(("plan", "day", "month"), DEADLINES, ids=lambda x: getattr(x, "id", str(x)))
def test_a_claimed_reporting_date_is_checked_against_the_plan(assistant, plan, day, month):
    other = 31 if day != 31 else 15
    stated = f"{day}/{month}"
    questions = [
        (f"Is the reporting deadline in {plan.province} {day} {MONTHS[month - 1]}?", True),
        (f"Does the {plan.province} plan require reports by {MONTHS[month - 1]} {other}?", False),
        (f"Có phải hạn gửi báo cáo của {plan.province} là ngày {other} tháng {month} không?", False),
        (fold(f"Hạn báo cáo của {plan.province} có phải là {day}/{month} không?"), True),
    ]
    for question, true in questions:
        answer = assistant.ask(question)
        assert answer.text.startswith(YES if true else NO), (question, answer.text)
        assert stated in answer.text.split("\n")[0], (question, answer.text)  # the stated date, first
        assert not answer.abstained and answer.support == "supported", (question, answer.support)
        assert cited(answer, stated), answer.citations
        verbatim(answer)


def _cycles():
    for plan, day, month in DEADLINES:
        line = next(s for s in FACTS[plan.id].of_kind("deadline") if f"{day}/{month}" in s.value)
        if re.search(r"h[aà]ng năm|hằng năm", line.value):
            yield plan


@pytest.mark.parametrize("plan", list(_cycles()), ids=lambda p: p.id)
def test_a_claimed_cycle_is_checked_against_the_plan(assistant, plan):
    for question, true in (
        (f"Does {plan.province} require quarterly reports?", False),
        (f"{plan.province} có yêu cầu báo cáo hằng quý không?", False),
        (f"Are reports in {plan.province} due every year?", True),
    ):
        answer = assistant.ask(question)
        assert answer.text.startswith(YES if true else NO), (question, answer.text)
        assert re.search(r"h[aàằ]ng năm|every year", answer.text.split("\n")[0]), answer.text
        verbatim(answer)


def _state_funded():
    for pf in FACTS.values():
        for s in pf.of_kind("funding"):
            if "ngân sách nhà nước" in s.span.text.lower() and "oda" not in fold(pf.plan.text):
                yield pf.plan
                break


@pytest.mark.parametrize("plan", list(_state_funded()), ids=lambda p: p.id)
def test_a_claimed_funding_source_is_checked_against_the_plan(assistant, plan):
    no = assistant.ask(f"Kinh phí thực hiện kế hoạch {plan.province} có phải từ vốn ODA không?")
    assert no.text.startswith("Không — ") and "ngân sách nhà nước" in no.text.split("\n")[0].lower(), no.text
    assert not no.abstained and cited(no, "ngân sách nhà nước")
    verbatim(no)
    yes = assistant.ask(f"Is the {plan.province} plan funded by the state budget?")
    assert yes.text.startswith("Yes — ") and "State budget" in yes.text.split("\n")[0], yes.text
    verbatim(yes)


def _rates():
    """(plan, the stated rate, the target line) for targets stating one percentage by a year."""
    for pf in FACTS.values():
        for s in pf.of_kind("target"):
            text = s.span.text
            rates = re.findall(r"(\d+)\s?%", text)
            if len(rates) == 1 and re.search(r"đến năm 20\d\d|vào năm 20\d\d", text) and "tỷ lệ" in text:
                yield pf.plan, int(rates[0]), text
                break


@pytest.mark.parametrize(("plan", "rate", "line"), list(_rates()), ids=lambda x: getattr(x, "id", ""))
def test_a_claimed_rate_is_checked_against_the_plan(assistant, plan, rate, line):
    year = re.search(r"năm (20\d\d)", line).group(1)
    topic = "tỷ lệ lao động qua đào tạo" if "qua đào tạo" in line else "tỷ lệ"
    for claim, true in ((rate, True), (rate + 7, False)):
        answer = assistant.ask(
            f"{topic.capitalize()} của {plan.province} đến năm {year} có phải là {claim}% không?"
        )
        assert answer.text.startswith(YES if true else NO), (claim, answer.text)
        assert f"{rate}%" in answer.text.split("\n")[0], answer.text
        assert cited(answer, f"{rate}%")
        verbatim(answer)


def _solutions(assistant):
    for plan in PLANS:
        answer = assistant.ask(f"Kế hoạch {plan.province} có bao nhiêu giải pháp?")
        m = re.match(r"(\d+) — ", answer.text)
        if m:
            yield plan, int(m.group(1))


def test_a_claimed_count_is_checked_against_the_outline(assistant):
    found = list(_solutions(assistant))
    assert found
    for plan, n in found:
        yes = assistant.ask(f"Kế hoạch {plan.province} có {n} giải pháp không?")
        assert yes.text.startswith("Có — ") and str(n) in yes.text.split("\n")[0], yes.text
        no = assistant.ask(f"Does the {plan.province} plan have {n + 2} solutions?")
        assert no.text.startswith("No — ") and str(n) in no.text.split("\n")[0], no.text
        assert f"not {n + 2}" in no.text.split("\n")[0]
        verbatim(yes)
        verbatim(no)


def _reporting_plans():
    """Plans by whether their reporting lines state a date (each plan's duties that report)."""
    dated = {p.id for p, _, _ in DEADLINES}
    return [(p, p.id in dated) for p in PLANS]


@pytest.mark.parametrize(("plan", "dated"), _reporting_plans(), ids=lambda x: getattr(x, "id", str(x)))
def test_asking_whether_the_plan_sets_a_specific_date(assistant, plan, dated):
    for question in (
        f"Does the {plan.province} plan set a specific date for the annual report?",
        f"Kế hoạch {plan.province} có quy định ngày cụ thể phải gửi báo cáo hằng năm không?",
    ):
        answer = assistant.ask(question)
        if dated:
            assert answer.text.startswith(YES), (question, answer.text)
            assert re.search(r"\d{1,2}/\d{1,2}", answer.text), answer.text
        else:
            assert answer.text.startswith(NO), (question, answer.text)
            assert re.search(r"không nêu|does not state", answer.text.split("\n")[0]), answer.text
            assert answer.support == "not_found", answer.support
        if answer.citations:
            verbatim(answer)


# -- multi-part questions -----------------------------------------------------------------------
def _funded_activities():
    """(plan, activity) for the first activity of each plan that names its lead and its funding."""
    for pf in FACTS.values():
        act = next((a for a in pf.activities if a.leads and a.lead_span and a.funding_span), None)
        if act is not None:
            yield pf.plan, act


FUNDED = list(_funded_activities())


def test_some_activities_name_their_lead_and_funding():
    assert FUNDED


@pytest.mark.parametrize(("plan", "act"), FUNDED, ids=lambda x: getattr(x, "id", ""))
def test_every_part_of_a_multi_part_question_is_answered_and_cited(assistant, plan, act):
    for question in (
        f"Ai chủ trì hoạt động “{act.title}” ở {plan.province} và kinh phí lấy từ đâu?",
        fold(f"Ai chủ trì hoạt động “{act.title}” ở {plan.province} và kinh phí lấy từ đâu?"),
        f"Who leads “{act.title}” in {plan.province} and how is it funded?",
    ):
        answer = assistant.ask(question)
        assert not answer.abstained and answer.support == "supported", (question, answer.text)
        spans = [(c.start, c.end) for c in answer.citations]
        for span in (act.lead_span, act.funding_span):
            assert any(s <= span.start and span.end <= e for s, e in spans), (
                question,
                span.text,
                answer.text,
            )
        verbatim(answer)


@pytest.mark.parametrize(("plan", "act"), FUNDED, ids=lambda x: getattr(x, "id", ""))
def test_a_part_the_plan_does_not_state_is_said_to_be_missing(assistant, plan, act):
    dated = any(p.id == plan.id for p, _, _ in DEADLINES)
    for question in (
        f"Ai chủ trì hoạt động “{act.title}” ở {plan.province} và hạn báo cáo là ngày nào?",
        f"Who leads “{act.title}” in {plan.province} and what is its budget amount?",
    ):
        answer = assistant.ask(question)
        assert not answer.abstained, (question, answer.text)
        spans = [(c.start, c.end) for c in answer.citations]
        assert any(s <= act.lead_span.start and act.lead_span.end <= e for s, e in spans), answer.text
        if "budget amount" in question:
            missing = not re.search(r"\d[\d.,]*\s*(?:tỷ|triệu|nghìn) đồng", plan.text)  # no sum stated
        else:
            missing = not dated  # a reporting date only where the facts have one
        if missing:
            assert re.search(r"không nêu|does not state", answer.text), (question, answer.text)
            assert answer.support == "partial", (question, answer.support)
        elif "budget amount" not in question:
            assert re.search(r"\d{1,2}/\d{1,2}", answer.text), (question, answer.text)
        verbatim(answer)


# -- question forms, places, parts, and the part a claim is about -------------------------------
@pytest.mark.parametrize(
    ("question", "lang", "framed"),
    [
        ("Hạn báo cáo là ngày 31/12, phải không?", "vi", True),
        ("Thoi gian thuc hien la hang nam dung khong", "vi", True),
        ("The plan was signed by the Vice Chairman, right?", "en", True),
        ("The deadline is 15 December, is that correct?", "en", True),
        ("Ai chủ trì, phải không?", "vi", False),  # a question word asks for a value
        ("List the solutions, right?", "en", False),
    ],
)
def test_a_tag_at_the_end_frames_a_statement_as_a_yes_no_question(question, lang, framed):
    assert yesno_framed(fold(question), lang) is framed


def test_a_cycle_written_with_a_digit_is_a_cycle_not_a_count():
    got = [(v.kind, v.key) for v in _claims("Does the plan require reports every 6 months?")]
    assert got == [("cycle", ("half_year",))]


def _units_now():
    """(the unit a plan's province is part of now, the plan) where the unit's name differs, and
    the earlier provinces merged into a plan's unit that hold no plan of their own."""
    held = {p.province for p in PLANS}
    now = {}
    for plan in PLANS:
        unit = province_named(plan.province)
        now[plan.id] = unit.now if unit and unit.now else plan.province
    merged = [(now[p.id], p) for p in PLANS if now[p.id] != p.province and now[p.id] not in held]
    units = yaml.safe_load(resources.files("assistant").joinpath("data/admin_units.yaml").read_text("utf-8"))
    former = [
        e["name"]
        for e in units["old"]
        if e["now"] in now.values() and e["name"] not in held and e["name"] != e["now"]
    ]
    return merged, former


MERGED, FORMER = _units_now()


def _title(plan) -> str:
    lines = [x for x in plan.text.splitlines() if x.strip()]
    i = next(i for i, x in enumerate(lines) if fold(x).strip() == "ke hoach")
    return lines[i + 1].strip().rstrip(".")


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
def test_whether_a_province_has_a_plan_names_the_plan_by_its_title(assistant, plan):
    title = _title(plan)
    for question, yes in (
        (f"{plan.province} có kế hoạch hội nhập quốc tế về lao động và xã hội không?", "Có — "),
        (fold(f"{plan.province} có kế hoạch không?"), "Có — "),
        (f"Does {plan.province} have a plan for international integration in labour?", "Yes — "),
    ):
        answer = assistant.ask(question)
        first = answer.text.split("\n")[0]
        assert first.startswith(yes) and title in first, (question, answer.text)
        assert not answer.abstained and answer.support == "supported"
        assert cited(answer, title) and answer.citations[0].text.lstrip().startswith("KẾ HOẠCH")
        verbatim(answer)


def test_a_unit_now_holding_a_plan_is_answered_with_the_earlier_provinces_plan(assistant):
    assert MERGED
    for unit, plan in MERGED:
        for question in (
            f"Does {unit} have a plan?",
            f"{unit} có kế hoạch không?",
            fold(f"{unit} có kế hoạch không?"),
        ):
            answer = assistant.ask(question)
            lines = answer.text.split("\n")
            assert plan.province in lines[0] or fold(plan.province) in fold(lines[0]), answer.text
            assert lines[1].startswith(YES) and _title(plan) in lines[1], (question, answer.text)
            verbatim(answer)


def test_an_earlier_province_without_a_plan_of_its_own_gets_no_plan_held(assistant):
    assert FORMER
    for name in FORMER[:3]:
        for question in (f"Does {name} have a plan?", f"{name} có kế hoạch không?"):
            answer = assistant.ask(question)
            assert answer.abstained and answer.support == "not_found", (question, answer.text)
            assert not answer.text.startswith(YES) and not answer.citations
            assert re.search(r"không có kế hoạch|do not hold a plan", answer.text), answer.text


def _asean_headings():
    """(plan, the heading of its part on ASEAN integration, or "") from each plan's outline."""
    for plan in PLANS:
        ol = outline_of(plan)
        heads = [
            plan.text[n.line_start : n.line_end].strip().rstrip(":")
            for n in ol.root.walk()
            if n.children and n is not ol.root and "asean" in fold(plan.text[n.line_start : n.line_end])
        ]
        yield plan, heads[0] if heads else ""


ASEAN = list(_asean_headings())


def test_some_plans_have_a_part_on_asean_and_some_do_not():
    assert any(h for _, h in ASEAN) and any(not h for _, h in ASEAN)


@pytest.mark.parametrize(("plan", "head"), ASEAN, ids=lambda x: getattr(x, "id", "h"))
def test_whether_the_plan_has_a_separate_section_is_read_from_its_headings(assistant, plan, head):
    for question in (
        f"Kế hoạch {plan.province} có mục riêng về hội nhập ASEAN không?",
        fold(f"Kế hoạch {plan.province} có mục riêng về hội nhập ASEAN không?"),
        f"Is there a separate section on ASEAN integration in the {plan.province} plan?",
    ):
        answer = assistant.ask(question)
        first = answer.text.split("\n")[0]
        if head:
            assert first.startswith(YES) and head in first, (question, answer.text)
            assert answer.citations[0].text.startswith(head)
            verbatim(answer)
        else:  # the outline answers it: no heading of its own, and where the topic comes up
            assert first.startswith(NO) and re.search(r"không có mục riêng|no section of its own", first)
            assert not answer.abstained, (question, answer.text)
            assert all("asean" in fold(c.text) for c in answer.citations), answer.citations
            verbatim(answer)


def _oda_elsewhere():
    """Plans whose funding part names no ODA while another part of the plan does."""
    for pf in FACTS.values():
        funding = " ".join(fold(s.span.text) for s in pf.of_kind("funding"))
        if funding and "oda" not in funding and "oda" in fold(pf.plan.text):
            yield pf.plan


ODA_ELSEWHERE = list(_oda_elsewhere())


def test_some_plans_name_oda_outside_their_funding_part():
    assert ODA_ELSEWHERE


@pytest.mark.parametrize("plan", ODA_ELSEWHERE, ids=lambda p: p.id)
def test_a_funding_claim_is_judged_on_the_funding_part_and_a_mention_anywhere(assistant, plan):
    for question in (
        f"Kinh phí thực hiện kế hoạch {plan.province} có phải từ vốn ODA không?",
        fold(f"Kinh phí thực hiện kế hoạch {plan.province} có phải từ vốn ODA không?"),
        f"Is the {plan.province} plan funded by ODA?",
    ):
        no = assistant.ask(question)
        first = no.text.split("\n")[0]
        assert first.startswith(NO) and re.search(r"không phải vốn ODA|not ODA", first), (question, no.text)
        assert cited(no, "ngân sách") and not no.abstained
        verbatim(no)
    for question in (
        f"Kế hoạch {plan.province} có đề cập vốn ODA không?",
        f"Does the {plan.province} plan mention ODA?",
    ):
        yes = assistant.ask(question)
        assert yes.text.startswith(YES), (question, yes.text)
        assert cited(yes, "ODA")
        verbatim(yes)


def _yearly_activities():
    """(plan, activity) for the first activity of each plan whose timing field says every year."""
    for pf in FACTS.values():
        act = next((a for a in pf.activities if re.search(r"h[aà]ng năm|hằng năm", a.timing)), None)
        if act is not None:
            yield pf.plan, act


YEARLY = list(_yearly_activities())


def test_some_activities_state_a_yearly_timing():
    assert YEARLY


@pytest.mark.parametrize(("plan", "act"), YEARLY, ids=lambda x: getattr(x, "id", ""))
def test_a_claimed_cycle_is_read_from_an_activitys_timing_field(assistant, plan, act):
    for question, true in (
        (f"Is the activity “{act.title}” in {plan.province} carried out every year?", True),
        (f"Hoạt động “{act.title}” ở {plan.province} có thực hiện 6 tháng một lần không?", False),
        (fold(f"Hoạt động “{act.title}” ở {plan.province} thực hiện hằng năm, đúng không?"), True),
    ):
        answer = assistant.ask(question)
        first = answer.text.split("\n")[0]
        assert first.startswith(YES if true else NO), (question, answer.text)
        assert re.search(r"h[aàằ]ng năm|every year", first, re.I), answer.text
        assert any(
            act.timing_span.start >= c.start and act.timing_span.end <= c.end for c in answer.citations
        )
        verbatim(answer)


def _funded_besides_the_state():
    """Plans whose funding part names the State budget and other lawful sources besides it."""
    for pf in FACTS.values():
        funding = " ".join(fold(s.span.text) for s in pf.of_kind("funding"))
        if "ngan sach nha nuoc" in funding and "hop phap" in funding:
            yield pf.plan


BESIDES = list(_funded_besides_the_state())


def test_some_plans_fund_from_more_than_the_state_budget():
    assert BESIDES


@pytest.mark.parametrize("plan", BESIDES, ids=lambda p: p.id)
def test_a_claimed_sole_funding_source_is_denied_with_the_other_sources(assistant, plan):
    for question, words in (
        (f"Is the {plan.province} plan funded only from the State budget?", "not only the State budget"),
        (
            f"Kinh phí kế hoạch {plan.province} chỉ từ ngân sách nhà nước phải không?",
            "không chỉ ngân sách nhà nước",
        ),
        (
            fold(f"Kinh phí kế hoạch {plan.province} chỉ từ ngân sách nhà nước phải không?"),
            "không chỉ ngân sách nhà nước",
        ),
    ):
        answer = assistant.ask(question)
        first = answer.text.split("\n")[0]
        assert first.startswith(NO) and words in first, (question, answer.text)
        assert re.search(r"hợp pháp|lawful", first), answer.text
        assert cited(answer, "hợp pháp") and not answer.abstained
        verbatim(answer)
    yes = assistant.ask(f"Is the {plan.province} plan funded by the State budget?")
    assert yes.text.startswith("Yes — "), yes.text


SIGNED_BY_A_VICE = [p for p in PLANS if p.signer and "phó" in p.signer_title.lower()]


def test_some_plans_are_signed_on_behalf_by_a_vice_chair():
    assert SIGNED_BY_A_VICE


@pytest.mark.parametrize("plan", SIGNED_BY_A_VICE, ids=lambda p: p.id)
def test_a_claimed_signer_role_is_checked_against_the_signer_title(assistant, plan):
    for question, true in (
        (f"Was the {plan.province} plan signed by the Chairman himself?", False),
        (f"Was the {plan.province} plan signed by the Vice Chairman?", True),
        (f"Người ký kế hoạch {plan.province} có phải là Chủ tịch UBND tỉnh không?", False),
        (fold(f"Người ký kế hoạch {plan.province} có phải là Phó Chủ tịch không?"), True),
    ):
        answer = assistant.ask(question)
        assert answer.text.startswith(YES if true else NO), (question, answer.text)
        assert plan.signer in answer.text.split("\n")[0], answer.text
        assert cited(answer, plan.signer)
        verbatim(answer)


def test_an_indefinite_before_the_tag_keeps_a_yes_no_question():
    assert yesno_framed(fold("Kế hoạch có giao Sở Nội vụ việc gì không?"), "vi")
    assert not yesno_framed(fold("Sở Nội vụ làm gì?"), "vi")
    assert not yesno_framed(fold("Ai chủ trì việc gì không?"), "vi")


PORTAL = [p for p in PLANS if "Cổng thông tin điện tử" in p.text]


@pytest.mark.parametrize("plan", PORTAL, ids=lambda p: p.id)
def test_a_role_of_the_provincial_e_portal_is_found_by_its_english_name(assistant, plan):
    for question in (
        f"Does the {plan.province} plan give the provincial e-portal a role?",
        f"Does the {plan.province} plan ask the provincial website to open a column?",
    ):
        answer = assistant.ask(question)
        assert answer.text.startswith("Yes — ") and not answer.abstained, (question, answer.text)
        assert cited(answer, "Cổng thông tin điện tử")
        verbatim(answer)


# -- a year claimed with the level or rate it is paired with ---------------------------------------
_CODE = re.compile(r"(?<![\w-])([A-Z]+-\d+)(?![\w-])")
_CLAUSE = re.compile(r";|,|\s(?:và|and)\s")


def _paired_codes():
    """(plan, line, code, its year, a year the line pairs with another code or none): the plans'
    lines that pair a level named by a code ("X-6") with a year in one clause."""
    for plan in PLANS:
        for line in plan.text.splitlines():
            pairs = []
            for clause in _CLAUSE.split(line):
                code, year = _CODE.search(clause), re.search(r"\b(20\d\d)\b", clause)
                if code and year:
                    pairs.append((code.group(1), year.group(1)))
            for code, year in pairs:
                other = next((y for c, y in pairs if y != year), str(int(year) + 5))
                yield plan, line, code, year, other


PAIRED = list(_paired_codes())


def test_some_lines_pair_a_level_with_a_year():
    assert PAIRED


@pytest.mark.parametrize(
    ("plan", "line", "code", "year", "other"), PAIRED[:4], ids=lambda x: getattr(x, "id", "")
)
def test_a_level_claimed_for_another_year_is_denied_with_the_year_the_plan_pairs(
    assistant, plan, line, code, year, other
):
    wrong = (
        f"{plan.province} có mục tiêu đạt trình độ {code} vào năm {other} phải không?",
        fold(f"{plan.province} co muc tieu dat trinh do {code} vao nam {other} phai khong"),
        f"Does {plan.province} aim to reach the {code} level by {other}?",
    )
    for question in wrong:
        answer = assistant.ask(question)
        first = first_line(answer)
        assert first.startswith(NO), (question, answer.text)
        assert f"{code} vào năm {year}" in first or f"{code} by {year}" in first, (question, first)
        assert cited(answer, f"{code}") and any(year in c.text and code in c.text for c in answer.citations)
        verbatim(answer)
    for question in (
        f"{plan.province} có mục tiêu đạt trình độ {code} vào năm {year} phải không?",
        f"Does {plan.province} aim to reach the {code} level by {year}?",
    ):
        answer = assistant.ask(question)
        assert answer.text.startswith(YES), (question, answer.text)
        verbatim(answer)


def test_a_year_is_paired_only_within_its_clause():
    line = fold("đạt trình độ các nước X-6 vào năm 2020 và kịp các nước X-4 vào năm 2025")
    question = fold("có đạt trình độ X-6 vào năm 2025 phải không")
    pairing = claims_pairing(_claims(question), question, line)
    assert pairing.verdict == "no" and [v.key for v in pairing.years] == [(2020, 2020)]
    assert [(c, [v.key for v in vs]) for c, vs in pairing.others] == [("x-4", [(2025, 2025)])]
    assert claims_pairing(_claims(question), question, fold("đạt trình độ X-6")) is None
    rate = fold("đến năm 2020 từ 12 - 15%/năm và đến năm 2030 dưới 10%/năm")
    assert (
        claims_pairing(_claims("duoi 10% vao nam 2020 phai khong"), "duoi 10% vao nam 2020", rate).verdict
        == "no"
    )
    assert (
        claims_pairing(_claims("duoi 10% vao nam 2030 phai khong"), "duoi 10% vao nam 2030", rate).verdict
        == "yes"
    )


# -- "Có giao X chủ trì … không?" of an activity that names only the bodies carrying it out ------
def _implemented_only():
    """(plan, activity, an agency the activity does not name): activities stating "Cơ quan thực
    hiện" without a lead."""
    for plan in PLANS:
        for a in FACTS[plan.id].activities:
            if a.leads or not a.implementers:
                continue
            named = {m.agency.id for n in a.implementers for m in find_agencies(n)}
            other = next(x for x in ("so-tttt", "so-noi-vu", "so-tai-chinh") if x not in named)
            yield plan, a, agency_by_id(other)


IMPLEMENTED = list(_implemented_only())


def _topic_en(title: str) -> str:
    """The English label of the topic an activity's title names."""
    return next(x.label_en for x in topics() if any(fold(p) in fold(title) for p in x.vi))


def test_some_activities_name_only_their_implementing_bodies():
    assert IMPLEMENTED


@pytest.mark.parametrize(("plan", "activity", "agency"), IMPLEMENTED, ids=lambda x: getattr(x, "id", ""))
def test_a_lead_claimed_of_an_implemented_activity_is_denied_with_its_bodies(
    assistant, plan, activity, agency
):
    vi = f"{plan.province} có giao {agency.vi} chủ trì {activity.title.lower()} không?"
    for question in (
        vi,
        fold(vi),
        f"Does the {plan.province_en} plan make the {agency.en} the lead for {_topic_en(activity.title)}?",
    ):
        answer = assistant.ask(question)
        assert answer.text.startswith(NO) and not answer.abstained, (question, answer.text)
        assert any(
            c.text.strip().endswith(activity.implementers[-1].strip(" .;"))
            or activity.implementers[-1] in c.text
            for c in answer.citations
        )
        assert all(fold(n) in fold(answer.text) for n in activity.implementers[-1:]), answer.text
        verbatim(answer)


# -- a statement of a claimed rate asked with only "?" ---------------------------------------------
def test_a_statement_of_a_rate_asked_with_a_question_mark_is_a_yes_no_question():
    assert yesno_framed(fold("Kế hoạch đặt chỉ tiêu 100% văn bản được tham vấn?"), "vi")
    assert yesno_framed("ke hoach dat chi tieu 100% van ban duoc tham van?", "vi")
    assert not yesno_framed(fold("Mục tiêu năm 2030?"), "vi")
    assert not yesno_framed(fold("Chỉ tiêu 100% văn bản là gì?"), "vi")
    assert not yesno_framed(fold("Kế hoạch đặt chỉ tiêu 100% văn bản được tham vấn."), "vi")


def _rate_lines():
    """(plan, the words of a list item that opens with a rate, the rate): "- 100% văn bản …;"."""
    for plan in PLANS:
        for line in plan.text.splitlines():
            m = re.match(r"- (\d+)% ([^;.%]{30,120}?)[;.]", line)
            if m:
                yield plan, m.group(2), int(m.group(1))
                break


RATES = list(_rate_lines())


@pytest.mark.parametrize(("plan", "words", "rate"), RATES, ids=lambda x: getattr(x, "id", ""))
def test_a_claimed_rate_stated_with_a_question_mark_gets_a_verdict(assistant, plan, words, rate):
    for question, start in (
        (f"{plan.province} đặt chỉ tiêu {rate}% {words}?", YES),
        (fold(f"{plan.province} đặt chỉ tiêu {rate}% {words}?"), YES),
        (f"{plan.province} đặt chỉ tiêu {rate - 7}% {words}?", NO),
    ):
        answer = assistant.ask(question)
        assert answer.text.startswith(start), (question, answer.text)
        assert cited(answer, f"{rate}% {words}")
        verbatim(answer)
