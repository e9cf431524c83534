"""Multi-part questions whose second part asks of the content by no intent, and summaries with
the targets' figures, on the real plans: "who leads X and which directives are cited there?"
answers both (the lead, and the directives the activity cites); "the general objective, and who
compiles the reports?" gives the part and the body that compiles; a plan's summary quotes its
headline figure targets; a part's summary quotes the figures it sets — in Vietnamese (with and
without diacritics) and English, for every plan that has what is asked (no plan is named here)."""

from __future__ import annotations

import re

import pytest

from assistant.facts import all_facts
from assistant.outline import outline_of
from assistant.templates import t
from assistant.text import fold
from assistant.understand import understand

from .helpers import PLANS, cites, verbatim

FACTS = all_facts()
#: A figure a target states: a share, or a number of hundreds and more that is not a year.
FIGURE = re.compile(r"\d+(?:[.,]\d+)?\s*%|(?<![\d/.,-])(?:\d{1,3}(?:\.\d{3})+|[1-9]\d{2,})(?![\d/]|\.\d)")
YEAR = re.compile(r"(?:19|20)\d\d")
DIRECTIVE = re.compile(r"Chỉ thị số (\d[\w/-]*\w)")


def _figures(text: str) -> list[str]:
    return [m.group(0) for m in FIGURE.finditer(text) if not YEAR.fullmatch(m.group(0))]


def _citing(answer, plan, start: int) -> list:
    """The answer's passages of the plan that hold the offset."""
    return [c for c in answer.citations if c.plan == plan.id and c.start <= start < c.end]


# --- the lead of an activity, and the directives it cites ------------------------------------


def _directive_activities():
    """(plan, activity, directives): an activity naming its lead whose content cites directives."""
    for plan in PLANS:
        for a in FACTS[plan.id].activities:
            said = plan.text[a.span.start : a.span.end]
            docs = list(dict.fromkeys(DIRECTIVE.findall(said)))
            if docs and a.leads:
                yield plan, a, docs


DIRECTIVE_ACTIVITIES = list(_directive_activities())
LEAD_AND_DIRECTIVES = [
    "Ai chủ trì {title} ở {vi} và những chỉ thị nào được dẫn chiếu?",
    "ai chu tri {folded_title} o {folded} va nhung chi thi nao duoc dan chieu",
    "In {en}, who leads the activity “{title}” and which directives are cited there?",
]


def test_some_activity_cites_directives():
    assert DIRECTIVE_ACTIVITIES


@pytest.mark.parametrize(
    ("plan", "activity", "docs"), DIRECTIVE_ACTIVITIES, ids=lambda x: getattr(x, "id", "")
)
@pytest.mark.parametrize("template", LEAD_AND_DIRECTIVES)
def test_who_leads_an_activity_and_which_directives_it_cites_answers_both(
    assistant, plan, activity, docs, template
):
    question = template.format(
        title=activity.title.lower() if "{title} ở" in template else activity.title,
        folded_title=fold(activity.title),
        vi=plan.province,
        en=plan.province_en,
        folded=fold(plan.province),
    )
    assert understand(question).asks[-1] == "content", question
    answer = assistant.ask(question)
    verbatim(answer)
    assert not answer.abstained, answer.text
    # the first sentence names the lead, cited by the activity's own line
    first = answer.text.split("\n", 1)[0]
    assert any(lead in first for lead in activity.leads), first
    assert _citing(answer, plan, activity.lead_span.start), answer.text
    # and every directive the activity cites is quoted, cited within the activity
    for doc in docs:
        assert doc in answer.text, (doc, answer.text)
        assert any(
            doc in c.text and activity.span.start <= c.start < activity.span.end for c in answer.citations
        ), doc


# --- a part of the plan, and who compiles the reports ------------------------------------------


def _compilers():
    """(plan, duty, line): the general-objective part and a body whose duty line compiles reports."""
    for plan in PLANS:
        if not outline_of(plan).find("objective_general"):
            continue
        for duty in FACTS[plan.id].duties:
            line = next(
                (s for s in duty.duties if "tong hop" in fold(s.text) and "bao cao" in fold(s.text)), None
            )
            if line is not None:
                yield plan, duty, line
                break


COMPILERS = list(_compilers())
OBJECTIVE_AND_WHO = [
    ("Mục tiêu chung của kế hoạch {vi} là gì và ai chịu trách nhiệm tổng hợp báo cáo?", "vi"),
    ("muc tieu chung cua ke hoach {folded} la gi va ai chiu trach nhiem tong hop bao cao", "vi"),
    ("What is the general objective of the {en} plan, and which department compiles the reports?", "en"),
]


def test_some_plan_has_a_body_that_compiles_reports():
    assert len(COMPILERS) >= 2


@pytest.mark.parametrize(("plan", "duty", "line"), COMPILERS, ids=lambda x: getattr(x, "id", ""))
@pytest.mark.parametrize(("template", "lang"), OBJECTIVE_AND_WHO)
def test_the_general_objective_and_who_compiles_reports_answers_both(
    assistant, plan, duty, line, template, lang
):
    question = template.format(vi=plan.province, en=plan.province_en, folded=fold(plan.province))
    q = understand(question)
    assert (q.shape, q.asks, q.section) == ("multi", ("section", "content"), "objective_general"), question
    answer = assistant.ask(question)
    verbatim(answer)
    assert not answer.abstained and answer.lang == lang, answer.text
    # the part named: its heading first, its items cited
    part = outline_of(plan).find("objective_general")[0]
    assert part.heading in answer.text.split("\n", 1)[0], answer.text
    for item in part.items[:2]:
        assert cites(answer, item.text[:40]), item.text
    # and a body whose duty line compiles the reports, by its heading, its line cited
    compiling = [
        d
        for d in FACTS[plan.id].duties
        for s in d.duties
        if "tong hop" in fold(s.text) and "bao cao" in fold(s.text)
    ]
    assert any(fold(d.heading) in fold(answer.text) for d in compiling), answer.text
    assert any(
        "tong hop" in fold(c.text) and "bao cao" in fold(c.text) and c.plan == plan.id
        for c in answer.citations
    ), answer.text


@pytest.mark.parametrize(
    "question",
    [
        "Mục đích và yêu cầu của kế hoạch {vi} là gì?",
        "muc dich va yeu cau cua ke hoach {folded} la gi",
        "What are the purposes and requirements of the {en} plan?",
    ],
)
def test_a_second_part_named_is_not_a_content_clause(question):
    plan = PLANS[0]
    q = understand(question.format(vi=plan.province, en=plan.province_en, folded=fold(plan.province)))
    assert q.shape == "section" and not q.asks, (q.shape, q.asks)


@pytest.mark.parametrize(
    "question",
    [
        "Mục đích của kế hoạch hội nhập quốc tế về lao động và xã hội tỉnh {vi} gồm những gì?",
        "muc dich cua ke hoach hoi nhap quoc te ve lao dong va xa hoi tinh {folded} gom nhung gi",
        "What are the purposes of the {en} plan on labour and social affairs, in short?",
    ],
)
def test_an_and_inside_a_name_does_not_make_a_second_part(question):
    plan = PLANS[0]
    q = understand(question.format(vi=plan.province, en=plan.province_en, folded=fold(plan.province)))
    assert "content" not in q.asks, (q.shape, q.asks)


def test_targeted_assistance_asks_no_target():
    q = understand("Which groups get targeted social assistance?")
    assert "target" not in q.asks and q.intent != "target"


# --- the figures a summary quotes --------------------------------------------------------------


def _headline_target(plan):
    """The first target of the plan's objective parts that states a figure (else its first
    target stating one), or None."""
    ol = outline_of(plan)
    parts = [p.node for k in ("objective_specific", "objective_general") for p in ol.find(k)]
    targets = sorted(
        (s for s in FACTS[plan.id].of_kind("target") if _figures(s.span.text)), key=lambda s: s.span.start
    )
    headline = [s for s in targets if any(n.start <= s.span.start < n.end for n in parts)]
    return next(iter(headline or targets), None)


FIGURED = [(p, s) for p in PLANS if (s := _headline_target(p)) is not None]
SUMMARY = [
    ("Tóm tắt kế hoạch {vi}", "vi"),
    ("tom tat ke hoach {folded}", "vi"),
    ("Summarise the {en} plan", "en"),
]


def test_some_plan_states_figure_targets():
    assert len(FIGURED) >= 2


@pytest.mark.parametrize(("plan", "target"), FIGURED, ids=lambda x: getattr(x, "id", ""))
@pytest.mark.parametrize(("template", "lang"), SUMMARY)
def test_a_plan_summary_quotes_its_headline_figure_targets(assistant, plan, target, template, lang):
    answer = assistant.ask(template.format(vi=plan.province, en=plan.province_en, folded=fold(plan.province)))
    verbatim(answer)
    assert not answer.abstained and answer.lang == lang, answer.text
    prefix = t(lang, "summary_figures", quotes="")
    line = next((x for x in answer.text.split("\n") if x.startswith(prefix)), "")
    assert line, answer.text
    # the target's figure, in a quote cited by the target's own clause
    cited = _citing(answer, plan, target.span.start)
    assert cited, (target.span.text, answer.text)
    for figure in _figures(target.span.text)[:1]:
        assert figure in line and any(figure in c.text for c in cited), (figure, line)
    assert any(f"[{c.marker}]" in line for c in cited), line


def _figured_activities():
    """(plan, activity, target): an activity whose content holds a target stating a figure."""
    for plan in PLANS:
        targets = [s for s in FACTS[plan.id].of_kind("target") if _figures(s.span.text)]
        for a in FACTS[plan.id].activities:
            inside = [s for s in targets if a.span.start <= s.span.start < a.span.end]
            if inside:
                yield plan, a, inside[0]


FIGURED_ACTIVITIES = list(_figured_activities())
PART_SUMMARY = [
    ("Tóm tắt nội dung {title} của {vi}", "vi"),
    ("tom tat noi dung {folded_title} cua {folded}", "vi"),
    ("Summarise the activity “{title}” of the {en} plan", "en"),
]


def test_some_activity_states_a_figure_target():
    assert FIGURED_ACTIVITIES


@pytest.mark.parametrize(
    ("plan", "activity", "target"), FIGURED_ACTIVITIES, ids=lambda x: getattr(x, "id", "")
)
@pytest.mark.parametrize(("template", "lang"), PART_SUMMARY)
def test_a_part_summary_quotes_the_figures_it_sets(assistant, plan, activity, target, template, lang):
    question = template.format(
        title=activity.title.lower() if lang == "vi" else activity.title,
        folded_title=fold(activity.title),
        vi=plan.province,
        en=plan.province_en,
        folded=fold(plan.province),
    )
    answer = assistant.ask(question)
    verbatim(answer)
    assert not answer.abstained, answer.text
    prefix = t(lang, "part_figures", quotes="")
    line = next((x for x in answer.text.split("\n") if x.startswith(prefix)), "")
    assert line, answer.text
    figure = _figures(target.span.text)[0]
    assert figure in line, (figure, line)
    assert any(figure in c.text and c.start <= target.span.start < c.end for c in answer.citations)
