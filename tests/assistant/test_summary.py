"""What a plan (or a part) is about, on the real plans: "what is the plan about?" and its
paraphrases get the plan's purpose line, then its outline; a summary of one part lists that
part's items; a group asked inside a part ("giải pháp cho từng lĩnh vực") is that group's items
where the plan has it, and the nearest part, said so, where it has not — in Vietnamese (with and
without diacritics) and English, for every plan found (no plan is named here)."""

from __future__ import annotations

import re

import pytest

from assistant.outline import heading_words, outline_of
from assistant.shapes import vocabulary
from assistant.templates import t
from assistant.text import fold

from .helpers import PLANS, TEXTS, cites, verbatim


def lines(answer) -> list[str]:
    return answer.text.split("\n")


def _purpose(plan):
    """The first line of the plan's general objective (or purpose) part, and the part."""
    found = outline_of(plan).find("objective_general")
    if not found:
        return None, None
    items = list(found[0].items)
    while items and items[0].children:
        items = outline_of(plan).items(items[0].node)
    return (items[0].text if items else None), found[0]


ABOUT = [
    ("What is the {en} plan about?", "en"),
    ("What does the {en} plan aim to do?", "en"),
    ("Give me an overview of the {en} plan", "en"),
    ("Kế hoạch {vi} nói về gì?", "vi"),
    ("Nội dung chính của kế hoạch {vi} là gì?", "vi"),
    ("ke hoach {folded} noi ve gi", "vi"),
    ("Kế hoạch của {vi} đề cập đến những vấn đề gì?", "vi"),
    ("What does the {en} plan cover?", "en"),
    ("ke hoach {folded} co noi dung gi", "vi"),
]


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
@pytest.mark.parametrize(("template", "lang"), ABOUT)
def test_what_the_plan_is_about_opens_with_its_purpose_then_its_outline(assistant, plan, template, lang):
    answer = assistant.ask(template.format(vi=plan.province, en=plan.province_en, folded=fold(plan.province)))
    verbatim(answer)
    assert not answer.abstained and answer.intent.startswith("summary"), answer.text
    assert answer.lang == lang
    line, part = _purpose(plan)
    parts = outline_of(plan).body_parts()
    lead = t(lang, "summary_lead", province=plan.province, title=plan.title, n=len(parts))
    if line is None:
        assert lines(answer)[0] == lead, answer.text
        return
    # the first sentence says what the plan is for, in the question's language, cited
    first = lines(answer)[0]
    opening = t(lang, "summary_purpose", province=plan.province, heading="@", line="", cite="")
    assert first.startswith(opening.split("@")[0]), first
    assert part.heading in first or part.heading[:60] in first
    purpose = answer.citations[0]
    assert purpose.marker == 1 and TEXTS[plan.id][purpose.start : purpose.end] == purpose.text
    assert fold(line)[:60] in fold(purpose.text)
    # then the outline: every part by its heading, its items cited
    assert lead in lines(answer)[1], answer.text
    for node in parts:
        assert TEXTS[plan.id][node.line_start : node.line_end].strip() in answer.text
        for item in outline_of(plan).items(node)[:8]:
            assert cites(answer, item.text[:40]), item.text


def test_a_question_about_another_document_or_a_follow_up_is_not_a_summary(assistant):
    plan = PLANS[0]
    for question in ("What is Decision 145/QĐ-TTg about?", f"What about {plan.province_en}?"):
        assert not assistant.ask(question).intent.startswith("summary"), question


PART_SUMMARIES = [
    ("solutions", "tóm tắt phần giải pháp của {vi}", "vi"),
    ("solutions", "tom tat cac giai phap cua {folded}", "vi"),
    ("solutions", "Summarise the solutions of the {en} plan", "en"),
    ("organization", "Tóm tắt phần tổ chức thực hiện của kế hoạch {vi}", "vi"),
    ("organization", "Give me an overview of the implementation arrangements in the {en} plan", "en"),
    ("objective_specific", "tóm tắt mục tiêu cụ thể của {vi}", "vi"),
    ("objective_specific", "Summarise the specific objectives of the {en} plan", "en"),
]


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
@pytest.mark.parametrize(("kind", "template", "lang"), PART_SUMMARIES)
def test_a_summary_of_one_part_lists_that_parts_items(assistant, plan, kind, template, lang):
    found = outline_of(plan).find(kind)
    if not found or not found[0].items:
        pytest.skip(f"no {kind} part with items")
    part = found[0]
    answer = assistant.ask(template.format(vi=plan.province, en=plan.province_en, folded=fold(plan.province)))
    verbatim(answer)
    assert not answer.abstained and part.heading in lines(answer)[0], answer.text
    if not part.exact:  # the nearest part: the answer says the plan has none of the kind asked
        key = "section_fallback"
        said = t(lang, key, province=plan.province, asked=t(lang, f"asked_{kind}"), heading="@", n=0)
        assert lines(answer)[0].startswith(said.split("@")[0]), answer.text
    for item in part.items[:10]:
        assert cites(answer, item.text[:40]), item.text


def _grouped():
    """(plan, part): a part made of a few groups, each with items of its own (not activities)."""
    for plan in PLANS:
        ol = outline_of(plan)
        for kind in ("objectives", "solutions"):
            for part in ol.find(kind)[:1]:
                items = part.items
                label = vocabulary().sections["content"].heading
                if 0 < len(items) <= 4 and all(
                    x.children
                    and not any(heading_words(n, plan.text).startswith(label) for n in x.node.children)
                    for x in items
                ):
                    yield plan, kind, part


@pytest.mark.parametrize(("plan", "kind", "part"), list(_grouped()), ids=lambda x: getattr(x, "id", str(x)))
def test_a_part_of_a_few_groups_shows_each_groups_items(assistant, plan, kind, part):
    noun = {"objectives": ("mục tiêu", "objectives"), "solutions": ("giải pháp", "solutions")}[kind]
    for question in (
        f"Tóm tắt {noun[0]} của kế hoạch {plan.province}",
        f"Summarise the {noun[1]} of the {plan.province_en} plan",
    ):
        answer = assistant.ask(question)
        verbatim(answer)
        for group in part.items:
            assert cites(answer, group.text[:40]), group.text
            for item in outline_of(plan).items(group.node)[:10]:
                assert cites(answer, item.text[:40]), (question, item.text)


def _field_groups(plan):
    """The groups of the plan's solutions part whose heading names "each field"."""
    key = next(k for k, g in vocabulary().part_groups.items() if "linh vuc" in k)
    return [
        n
        for part in outline_of(plan).find("solutions")
        for n in part.node.children
        if n.children and key in heading_words(n, plan.text)
    ]


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
@pytest.mark.parametrize(
    ("template", "lang"),
    [
        ("Các giải pháp cho từng lĩnh vực của {vi} là gì?", "vi"),
        ("{folded} co nhung giai phap cho tung linh vuc nao", "vi"),
        ("What are the solutions for each field in the {en} plan?", "en"),
    ],
)
def test_solutions_for_each_field_are_that_group_or_the_nearest_part(assistant, plan, template, lang):
    found = outline_of(plan).find("solutions")
    if not found:
        pytest.skip("no solutions part")
    answer = assistant.ask(template.format(vi=plan.province, en=plan.province_en, folded=fold(plan.province)))
    verbatim(answer)
    assert not answer.abstained
    groups = _field_groups(plan)
    if groups:
        head = TEXTS[plan.id][groups[0].line_start : groups[0].line_end].strip()
        assert head in lines(answer)[0], answer.text
        for item in outline_of(plan).items(groups[0]):
            assert cites(answer, item.text[:40]), item.text
    else:  # said so, then the nearest part: the solutions part with its items
        group = next(g[lang] for k, g in vocabulary().part_groups.items() if "linh vuc" in k)
        said = t(
            lang, "section_nogroup", province=plan.province, asked=t(lang, "asked_solutions"), group=group
        )
        assert lines(answer)[0].startswith(said) and found[0].heading in lines(answer)[0], answer.text
        for item in found[0].items[:10]:
            assert cites(answer, item.text[:40]), item.text


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
def test_a_count_in_the_nearest_part_says_so(assistant, plan):
    found = outline_of(plan).find("objective_specific")
    if not found or found[0].exact:
        pytest.skip("the plan has its own specific objectives")
    for question, lang in (
        (f"{plan.province} có bao nhiêu mục tiêu cụ thể?", "vi"),
        (f"How many specific objectives does the {plan.province_en} plan set?", "en"),
    ):
        answer = assistant.ask(question)
        verbatim(answer)
        nearest = t(lang, "count_nearest", asked=t(lang, "asked_objective_specific"))
        assert nearest in lines(answer)[0] and str(len(found[0].items)) in lines(answer)[0], answer.text


def _passages_beside_items(answer) -> tuple[int, list[int]]:
    """(cited lines past the first that are not a counted item, cited items under each item)."""
    marked = [x for x in lines(answer)[1:] if re.search(r"\[\d+\]", x)]
    other = sum(1 for x in marked if not x.startswith(("- ", "  ")))
    under, runs = [], 0
    for x in lines(answer)[1:]:
        if x.startswith("- "):
            under.append(runs)
            runs = 0
        elif x.startswith("  ") and re.search(r"\[\d+\]", x):
            runs += 1
    return other, [*under[1:], runs]


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
@pytest.mark.parametrize(
    ("template", "asked"),
    [
        ("Tóm tắt kế hoạch {vi}", 0),
        ("Summarise the solutions of the {en} plan", 0),
        ("Các giải pháp cho từng lĩnh vực của {vi} là gì?", 0),
        ("{vi} có bao nhiêu giải pháp?", 0),
        # two parts asked: each keeps its answer beside the passages the cap allows
        (
            "What must the {en} Department of Labour, Invalids and Social Affairs do and who does it coordinate with?",
            2,
        ),
    ],
)
def test_lists_counts_summaries_and_multi_part_answers_keep_the_quote_cap(assistant, plan, template, asked):
    from index.settings import get_settings

    keep = get_settings().answer_quotes
    answer = assistant.ask(template.format(vi=plan.province, en=plan.province_en))
    verbatim(answer)
    assert not answer.abstained, answer.text
    other, under = _passages_beside_items(answer)
    assert other <= keep + asked and all(n <= keep for n in under), answer.text
    shown = {int(m) for m in re.findall(r"\[(\d+)\]", answer.text)}
    assert shown == {c.marker for c in answer.shown}
    assert len(answer.citations) == len(answer.shown) + answer.hidden
    if answer.hidden:  # what is left out is one click away
        assert t(answer.lang, "more_passages", n=0).split("0")[0] in answer.text


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
@pytest.mark.parametrize(
    ("template", "lang"),
    [
        ("What is the solutions part of the {en} plan about?", "en"),
        ("Phần giải pháp của kế hoạch {vi} nói về gì?", "vi"),
    ],
)
def test_what_a_part_is_about_is_that_parts_items(assistant, plan, template, lang):
    found = outline_of(plan).find("solutions")
    if not found or not found[0].items:
        pytest.skip("no solutions part")
    answer = assistant.ask(template.format(vi=plan.province, en=plan.province_en))
    verbatim(answer)
    assert answer.lang == lang and found[0].heading in lines(answer)[0], answer.text
    for item in found[0].items[:10]:
        assert cites(answer, item.text[:40]), item.text


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
def test_a_part_named_by_its_own_heading_is_not_called_the_nearest(assistant, plan):
    found = [p for p in outline_of(plan).find("objective_general") if not p.exact]
    if not found or not heading_words(found[0].node, plan.text).startswith("muc dich"):
        pytest.skip("the plan's purpose part is not a fallback headed 'Mục đích'")
    for question, lang in (
        (f"Mục đích của kế hoạch {plan.province} là gì?", "vi"),
        (f"What is the purpose of the {plan.province_en} plan?", "en"),
    ):
        answer = assistant.ask(question)
        verbatim(answer)
        n = len(found[0].items)
        assert lines(answer)[0].startswith(
            t(lang, "section_intro", heading=found[0].heading, province=plan.province, n=n)
        ), answer.text
