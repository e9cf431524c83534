"""A quoted line that introduces a list ("… gồm:", "… như sau:") comes with the items it lists,
cited; a summary of the whole plan is a few cited lines (its purpose, then each part with its
item count); "the main objective" of a plan with only a purpose part is that purpose, said so —
on the real plans, in Vietnamese (with and without diacritics) and English."""

from __future__ import annotations

import pytest

from assistant.outline import outline_of
from assistant.templates import t
from assistant.text import fold
from index.structure import own_text

from .helpers import PLANS, TEXTS, verbatim


def _introducing():
    """(plan, line start, line end, items): a paragraph ending with ':' and the bullets after it."""
    for plan in PLANS:
        ol = outline_of(plan)
        for n in ol.root.walk():
            if n.kind == "para" and plan.text[n.line_start : n.line_end].rstrip().endswith(":"):
                items = ol.listed_under(n.line_start, n.line_end)
                if len(items) >= 3:
                    yield plan, n, items


INTRODUCING = list(_introducing())


def test_the_plans_have_lines_that_introduce_a_list():
    assert INTRODUCING


@pytest.mark.parametrize(("plan", "node", "items"), INTRODUCING, ids=lambda x: getattr(x, "id", "x"))
def test_an_introducing_line_lists_the_bullets_that_follow_it(plan, node, items):
    text = plan.text
    assert all(x.kind in ("star", "dash", "subdash") for x in items)
    assert items[0].start > node.line_end and text[node.line_end : items[0].start].strip() == ""
    # a line that does not end with ':' introduces nothing
    first = items[0]
    assert outline_of(plan).listed_under(first.line_start, first.line_end) == []


def test_a_quoted_introducing_line_comes_with_its_items_cited(assistant):
    """Cà Mau's "… trong đó tập trung vào 05 nội dung chính gồm:": the five items follow it."""
    plan, node, items = next(
        (p, n, i) for p, n, i in INTRODUCING if "05 nội dung chính gồm" in p.text[n.line_start : n.line_end]
    )
    questions = [
        f"{plan.province} liệt kê 05 nội dung chính nào khi thực hiện các mục tiêu Cộng đồng Văn hóa - Xã hội ASEAN?",
        fold(
            f"{plan.province} tập trung vào 05 nội dung chính nào để thực hiện các mục tiêu Cộng đồng Văn hóa - Xã hội ASEAN?"
        ),
        f"Which 5 main contents does {plan.province_en or fold(plan.province).title()} focus on for the ASEAN Socio-Cultural Community goals?",
    ]
    for question in questions:
        answer = assistant.ask(question)
        verbatim(answer)
        assert not answer.abstained, answer.text
        for x in items:
            start, end = own_text(TEXTS[plan.id], x)
            words = " ".join(TEXTS[plan.id][start:end].split())
            assert words[:60] in " ".join(answer.text.split()), (question, answer.text)
            assert any(c.start <= node.line_start and x.end <= c.end for c in answer.shown), question


def _purposed():
    for plan in PLANS:
        found = outline_of(plan).find("objective_general")
        if found and not found[0].exact:
            yield plan, found[0]


@pytest.mark.parametrize(("plan", "part"), list(_purposed()), ids=lambda x: getattr(x, "id", "part"))
@pytest.mark.parametrize(
    ("template", "lang"),
    [
        ("What is the main objective of the {en} plan?", "en"),
        ("Mục tiêu chung của kế hoạch {vi} là gì?", "vi"),
        ("muc tieu chung cua ke hoach {plain} la gi", "vi"),
    ],
)
def test_the_main_objective_of_a_plan_with_only_a_purpose_is_its_purpose(
    assistant, plan, part, template, lang
):
    question = template.format(
        vi=plan.province, en=plan.province_en or plan.province, plain=fold(plan.province)
    )
    answer = assistant.ask(question)
    verbatim(answer)
    head = answer.text.split("\n")[0]
    asked = t(lang, "asked_objective_general")
    said = t(
        lang, "section_purpose", province=plan.province, heading=part.heading, n=len(part.items), asked=asked
    )
    assert head.startswith(said), answer.text
    for item in part.items:
        assert any(c.start <= item.start < c.end or c.start <= part.start < c.end for c in answer.citations)


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
@pytest.mark.parametrize(
    "template",
    [
        "Tóm tắt kế hoạch của {vi}",
        "tom tat ke hoach {plain}",
        "Summarise the {en} plan",
        "ke hoach {plain} noi ve gi",
    ],
)
def test_a_summary_of_the_plan_is_a_few_cited_lines(assistant, plan, template):
    question = template.format(
        vi=plan.province, en=plan.province_en or plan.province, plain=fold(plan.province)
    )
    answer = assistant.ask(question)
    verbatim(answer)
    ol = outline_of(plan)
    parts = [ol.part(n) for n in ol.body_parts()]
    # one passage a part, and the purpose, two figure targets, the decision and the lead
    assert not answer.abstained and len(answer.shown) <= len(parts) + 5, answer.text
    for p in parts:  # each part: its heading with its item count, cited whole
        line = next(x for x in answer.text.split("\n") if p.heading in x)
        assert str(len(p.items)) in line, line
        assert any(c.start <= p.start and p.node.end <= c.end + 2 for c in answer.shown), p.heading
        for item in p.items[:8]:  # its items named, each with a passage of its own
            assert fold(" ".join(item.text.split()))[:40] in fold(" ".join(answer.text.split())), item.text
            assert any(
                c.start <= item.start < c.end
                and (len(p.items) == 1 or c.end - c.start < len(p.node.text(plan.text)))
                for c in answer.citations
            )


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
@pytest.mark.parametrize(
    "template",
    [
        "Quyết định ban hành kế hoạch {vi} có bao nhiêu điều?",
        "quyet dinh ban hanh ke hoach {plain} gom may dieu",
        "How many articles does the decision issuing the {en} plan have?",
    ],
)
def test_the_articles_of_the_decision_are_counted(assistant, plan, template):
    articles = [n for n in outline_of(plan).root.walk() if n.kind == "article"]
    question = template.format(
        vi=plan.province, en=plan.province_en or plan.province, plain=fold(plan.province)
    )
    answer = assistant.ask(question)
    verbatim(answer)
    if not articles:  # a plan issued without a decision's articles: not stated
        assert answer.abstained, answer.text
        return
    assert answer.text.startswith(f"{len(articles)} "), answer.text
    for n in articles:
        assert any(c.start <= n.line_start and n.end <= c.end + 1 for c in answer.citations)


def test_a_list_asked_of_an_item_named_by_its_numbers_is_that_item(assistant):
    """ "List the organisations named in section V.8": the item V.8, not the plan's bodies."""
    for plan in PLANS:
        ol = outline_of(plan)
        for top in ol.body_parts():
            items = [c for c in top.children if c.kind == "item"]
            if top.marker and len(items) >= 8:
                item = items[7]
                question = f"List the organisations named in section {top.marker}.{item.marker} of the {plan.province_en} plan."
                answer = assistant.ask(question)
                verbatim(answer)
                head = plan.text[item.line_start : item.line_end].rstrip(":").strip()
                assert head in answer.text.split("\n")[0], answer.text
                assert any(c.start <= item.line_start < c.end for c in answer.shown), answer.text


def _entries():
    """(plan, duty): an agency's own entry in the implementation part with more duties than the
    quote cap shows."""
    from assistant.facts import all_facts

    for plan in PLANS:
        for d in all_facts()[plan.id].duties:
            if tuple(d.agencies) == ("so-ldtbxh",) and len(d.duties) > 4:
                yield plan, d
                break


@pytest.mark.parametrize(("plan", "duty"), list(_entries()), ids=lambda x: getattr(x, "id", "duty"))
@pytest.mark.parametrize(
    "template",
    [
        "What are the {en} Department of Labour, Invalids and Social Affairs' tasks?",
        "Các nhiệm vụ của Sở Lao động - Thương binh và Xã hội {vi} là gì?",
        "liet ke nhiem vu cua So Lao dong - Thuong binh va Xa hoi {plain}",
    ],
)
def test_a_list_of_an_agencys_tasks_shows_every_duty_of_its_entry(assistant, plan, duty, template):
    question = template.format(
        vi=plan.province, en=plan.province_en or plan.province, plain=fold(plan.province)
    )
    answer = assistant.ask(question)
    verbatim(answer)
    assert not answer.abstained, answer.text
    for span in duty.duties:
        assert any(c.start <= span.start and span.end <= c.end for c in answer.shown), (
            span.text,
            answer.text,
        )
