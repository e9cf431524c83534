"""Short answer first: every answer the plans support opens with a sentence that answers, in the
question's language and cited — the agencies, the figure, the date, the verdict, the count — and
the plan's own words follow. On the real plans, for every plan, in Vietnamese and English."""

from __future__ import annotations

import re

import pytest

from assistant.lead import facts, opens_with_quote
from assistant.text import fold
from eval.form import is_english, line_kind

from .helpers import PLANS, first_line, verbatim
from .test_shapes import FACTS

DATE = re.compile(r"\d{1,2}/\d{1,2}")

#: one question per shape whose answer used to open with a quote, in both languages
QUESTIONS = {
    "deadline": (
        "Hạn báo cáo kết quả thực hiện kế hoạch {vi} là ngày nào?",
        "What is the reporting deadline of the {en} plan?",
    ),
    "funding": (
        "Kinh phí thực hiện kế hoạch {vi} lấy từ đâu?",
        "Where does the funding of the {en} plan come from?",
    ),
    "target": (
        "Chỉ tiêu về lao động qua đào tạo của {vi} là bao nhiêu?",
        "What is the target for trained workers in {en}?",
    ),
    "coordinate": (
        "Sở Ngoại vụ {vi} phối hợp làm gì?",
        "What does the Department of Foreign Affairs of {en} coordinate?",
    ),
    "general": (
        "Kế hoạch {vi} nói gì về tuyên truyền?",
        "What does the {en} plan say about communication campaigns?",
    ),
}


def _ask(assistant, shape: str, plan, lang: str):
    vi, en = QUESTIONS[shape]
    question = (
        vi.format(vi=plan.province) if lang == "vi" else en.format(en=plan.province_en or plan.province)
    )
    return assistant.ask(question)


def test_a_deadline_line_gives_its_date_in_each_language():
    for pid, pf in FACTS.items():
        for s in pf.of_kind("deadline"):
            line = s.span.text
            if not DATE.search(line) or "trước ngày" not in line.lower():
                continue
            date = DATE.search(line[line.lower().index("trước ngày") :]).group(0)
            vi, en = facts([line], "vi")["dates"], facts([line], "en")["dates"]
            assert any(x.lower().startswith("trước ngày") and date in x for x in vi), (pid, vi)
            assert any(x.startswith("by ") and date in x for x in en), (pid, en)
            assert not any(re.search(r"[ạ-ỹđ]", x) for x in en), en  # no Vietnamese word left


def test_a_line_names_its_agencies_in_both_languages():
    line = "Sở Ngoại vụ phối hợp với Sở Lao động - Thương binh và Xã hội rà soát thể chế"
    assert facts([line], "vi")["agencies"][:2] == ["Sở Ngoại vụ", "Sở Lao động - Thương binh và Xã hội"]
    en = facts([line], "en")["agencies"]
    assert (
        en[0] == "Department of Foreign Affairs (Sở Ngoại vụ)"
        and "(Sở Lao động - Thương binh và Xã hội)" in en[1]
    )


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("shape", sorted(QUESTIONS))
def test_every_answer_opens_with_a_cited_lead_in_the_question_language(assistant, shape, lang):
    answered = 0
    for plan in PLANS:
        answer = _ask(assistant, shape, plan, lang)
        verbatim(answer)
        if answer.abstained:
            continue
        answered += 1
        lead = first_line(answer)
        assert line_kind(lead) == "lead" and not opens_with_quote(lead), answer.text
        lines = answer.text.split("\n")
        # cited, or an introduction ("… has 4 items:") whose next line is
        assert re.search(r"\[\d+\]", lead) or (lead.endswith(":") and re.search(r"\[\d+\]", lines[1])), lead
        assert is_english(lead) == (lang == "en"), lead
        assert answer.lang == lang
    assert answered >= 2, f"{shape}/{lang}: the plans answer it for at least two provinces"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_deadline_lead_states_the_date_the_plan_quotes(assistant, lang):
    for plan in PLANS:
        answer = _ask(assistant, "deadline", plan, lang)
        dated = [s for s in FACTS[plan.id].of_kind("deadline") if fold(s.value).startswith("truoc ngay")]
        if not dated:
            continue
        date = DATE.search(dated[0].value).group(0)
        lead, rest = answer.text.split("\n", 1)
        assert date in lead and date in rest, answer.text  # the date first, then the plan's words
        assert ("timing: by " if lang == "en" else "thời gian: trước ngày") in lead


@pytest.mark.parametrize(
    "question,lang,opening",
    [
        ("So sánh hạn báo cáo của Hải Dương và Cà Mau", "vi", r"^2/2 kế hoạch nêu nội dung này: "),
        ("Compare the reporting deadlines of Hai Duong and Ca Mau", "en", r"^2 of 2 plans state this: "),
    ],
)
def test_an_answer_over_several_plans_opens_with_which_plans_state_it(assistant, question, lang, opening):
    answer = assistant.ask(question)
    assert re.match(opening, answer.text), answer.text
    blocks = answer.text.split("\n")[1:]
    # each plan's part opens with its own lead, then the quote
    leads = [b for b in blocks if b.startswith(("Theo kế hoạch của", "In the "))]
    assert len(leads) == 2, answer.text


@pytest.mark.parametrize(
    "question,lang,verdict",
    [
        ("Kế hoạch Cà Mau có đặt chỉ tiêu lao động qua đào tạo không?", "vi", "Có — "),
        ("Does the Ca Mau plan set a target for trained workers?", "en", "Yes — "),
    ],
)
def test_a_yes_no_lead_is_the_verdict_then_the_figures(assistant, question, lang, verdict):
    answer = assistant.ask(question)
    lead = first_line(answer)
    assert lead.startswith(verdict), answer.text
    assert ("con số: " if lang == "vi" else "figures: ") in lead and "%" in lead, lead


def test_quotes_after_the_lead_are_capped_and_the_rest_kept_as_citations(assistant):
    from assistant.brevity import quote_groups
    from index.settings import get_settings

    keep = get_settings().answer_quotes
    answer = assistant.ask(
        "What plans must the Ca Mau Department of Labour, Invalids and Social Affairs draw up?"
    )
    cited = [g for is_cited, g in quote_groups(answer.text.split("\n")) if is_cited]
    assert answer.hidden > 0 and len(cited) <= keep, answer.text
    assert answer.text.rstrip().endswith("more (Show all passages in the sources).")
    shown = answer.shown
    assert {int(m) for m in re.findall(r"\[(\d+)\]", answer.text)} == {c.marker for c in shown}
    assert [c.marker for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    texts = {p.id: p.text for p in PLANS}
    assert all(texts[c.plan][c.start : c.end] == c.text for c in answer.citations)
    # the passage naming what was asked ("kế hoạch": plans to draw up) is among those shown
    assert any("kế hoạch" in c.text.lower() for c in shown)
    # "list all" leaves none out
    full = assistant.ask(
        "List all the duties of the Ca Mau Department of Labour, Invalids and Social Affairs"
    )
    assert full.hidden == 0 and "Show all passages" not in full.text
