"""A node of a plan named by its markers ("III.2.b", "mục II.7", "khoản 3 mục V"), on the real
plans: the node answered with its own lines (not the whole part), an activity with its lead
and time lines, what is asked of it read from it, and a follow-up asking of it — in Vietnamese
(with and without diacritics) and English, for every plan found (no plan is named here)."""

from __future__ import annotations

import pytest

from assistant import Session
from assistant.facts import all_facts
from assistant.outline import heading_words, outline_of
from assistant.shapes import numbered_path, vocabulary
from assistant.text import fold

from .helpers import PLANS, cites, verbatim

FACTS = all_facts()
LABEL = vocabulary().sections["content"].heading


def _deep():
    """(plan, part, item, letter): a letter under an item under a numbered part, with lines."""
    for plan in PLANS:
        for part in outline_of(plan).body_parts():
            for item in part.children:
                for letter in item.children:
                    if item.marker.isdigit() and letter.kind == "letter" and len(letter.children) >= 2:
                        yield plan, part, item, letter
                        break


def _activities():
    """(plan, part, item, activity): a numbered item that is an activity with its own lead line."""
    for plan in PLANS:
        ol = outline_of(plan)
        for part in ol.body_parts():
            for item in part.children:
                if not item.marker.isdigit():
                    continue
                if not any(heading_words(n, plan.text).startswith(LABEL) for n in item.children):
                    continue
                acts = [a for a in FACTS[plan.id].activities if item.start <= a.span.start < item.end]
                if acts and acts[0].leads and acts[0].lead_span is not None:
                    yield plan, part, item, acts[0]


DEEP = list(_deep())
ACTIVITIES = list(_activities())


def test_the_plans_have_deep_nodes_and_activities():
    assert DEEP and ACTIVITIES


@pytest.mark.parametrize(
    "text, path",
    [
        ("What's in section III.2.b?", ("III", "2", "b")),
        ("Nội dung II.7 là gì?", ("II", "7")),
        ("khoản 3 mục V nói gì", ("V", "3")),
        ("Điểm b khoản 2 mục III", ("III", "2", "b")),
        ("point b of section III.2", ("III", "2", "b")),
        ("section 3 of part II", ("II", "3")),
        ("điểm b", ()),
        ("v.v. và mục tiêu", ()),
    ],
)
def test_a_path_of_markers_is_read_from_the_outside_in(text, path):
    assert numbered_path(fold(text)) == path


def _ask(assistant, question, session=None):
    answer = assistant.ask(question, session=session or Session())
    verbatim(answer)
    assert not answer.abstained, (question, answer.text)
    return answer


@pytest.mark.parametrize("plan, part, item, letter", DEEP[:3], ids=lambda x: getattr(x, "id", ""))
def test_a_letter_named_by_its_path_is_answered_with_its_own_lines_not_its_part(
    assistant, plan, part, item, letter
):
    path = f"{part.marker}.{item.marker}.{letter.marker}"
    others = [n for n in item.children if n is not letter and n.children]
    for question in (
        f"What's in section {path} of the {plan.province} plan?",
        f"Mục {path} của kế hoạch {plan.province} gồm những gì?",
        fold(f"diem {letter.marker} khoan {item.marker} muc {part.marker} ke hoach {plan.province} noi gi"),
    ):
        answer = _ask(assistant, question)
        assert cites(answer, plan.text[letter.line_start : letter.line_end]), (question, answer.text)
        first = letter.children[0]
        assert cites(answer, plan.text[first.line_start : first.line_end]), (question, answer.text)
        for other in others:  # a sibling letter's lines are not the answer
            line = plan.text[other.children[0].line_start : other.children[0].line_end]
            assert not cites(answer, line), (question, line)


@pytest.mark.parametrize("plan, part, item, act", ACTIVITIES[:3], ids=lambda x: getattr(x, "id", ""))
def test_an_activity_named_by_its_number_shows_its_lead_line(assistant, plan, part, item, act):
    path = f"{part.marker}.{item.marker}"
    for question in (
        f"Summarise section {path} of the {plan.province} plan.",
        f"Nội dung {path} của kế hoạch {plan.province} là gì?",
        fold(f"noi dung muc {path} ke hoach {plan.province}"),
    ):
        answer = _ask(assistant, question)
        assert cites(answer, act.lead_span.text), (question, answer.text)
        assert fold(act.leads[0]) in fold(answer.text), (question, answer.text)


@pytest.mark.parametrize("plan, part, item, act", ACTIVITIES[:3], ids=lambda x: getattr(x, "id", ""))
def test_who_leads_a_node_and_a_follow_up_about_it_are_read_from_that_node(assistant, plan, part, item, act):
    path = f"{part.marker}.{item.marker}"
    for question in (
        f"Who leads section {path} of the {plan.province} plan?",
        fold(f"ai chu tri muc {path} ke hoach {plan.province}"),
    ):
        answer = _ask(assistant, question)
        assert cites(answer, act.lead_span.text), (question, answer.text)
        assert all(fold(x) in fold(answer.text) for x in act.leads), (question, answer.text)
    for first, then in (
        (f"Nội dung {path} của kế hoạch {plan.province} là gì?", "Đơn vị nào chủ trì nội dung đó?"),
        (f"What is item {item.marker} of part {part.marker} of the {plan.province} plan?", "Who leads it?"),
    ):
        s = Session()
        _ask(assistant, first, s)
        answer = _ask(assistant, then, s)
        assert cites(answer, act.lead_span.text), (then, answer.text)
        assert all(fold(x) in fold(answer.text) for x in act.leads), (then, answer.text)


def test_a_title_quoted_beside_the_number_names_the_node_not_the_question(assistant):
    """ "section II.6 'coordination activities'": the node's lines, not who coordinates it."""
    plan, part, item, _ = DEEP[0]
    path = f"{part.marker}.{item.marker}"
    for question in (
        f"What does section {path} 'coordination activities' of the {plan.province} plan involve?",
        f"Mục {path} “các hoạt động phối hợp” của kế hoạch {plan.province} gồm những gì?",
    ):
        answer = _ask(assistant, question)
        assert cites(answer, plan.text[item.line_start : item.line_end]), (question, answer.text)
        assert answer.intent.startswith("section:"), (question, answer.intent)
