"""The decision a plan is issued with, and questions that were wrongly abstained on, on the real
plans: the decision's grounds ("Căn cứ …"), its proposer ("Xét đề nghị …"), one article ("Điều 4")
and its effect, the date of a document the plan cites; a figure or a funding line quoted when no
extracted fact answers but one line covers the question; and what must still abstain (a former
province whose plan is not held, a per-year figure the plan does not set, thanks and goodbye).
Vietnamese with and without diacritics, English."""

from __future__ import annotations

import re

import pytest

from assistant import Session
from assistant.outline import outline_of

from .helpers import PLANS, TEXTS, cites, first_line, verbatim

#: plans issued with a decision of their own (its number in the metadata)
DECIDED = [p for p in PLANS if p.decision_number]


def _ask(assistant, *turns):
    s = Session()
    for q in turns:
        a = assistant.ask(q, session=s)
    verbatim(a)
    return a


def _lines(plan, start: str) -> list[str]:
    return [x for x in plan.text.splitlines() if x.startswith(start)]


def _covers(answer, plan_id: str, snippet: str) -> bool:
    at = TEXTS[plan_id].find(snippet)
    assert at >= 0, snippet
    return any(c.plan == plan_id and c.start <= at < c.end for c in answer.citations)


@pytest.mark.parametrize("form", ["vi", "plain", "en"])
@pytest.mark.parametrize("plan", DECIDED, ids=lambda p: p.id)
def test_the_decisions_grounds_are_its_can_cu_lines(assistant, plan, form):
    grounds = _lines(plan, "Căn cứ")
    assert grounds
    q = {
        "vi": f"Quyết định ban hành kế hoạch {plan.province} căn cứ vào những văn bản nào?",
        "plain": f"quyet dinh ban hanh ke hoach {plan.province} can cu vao nhung van ban nao",
        "en": f"What legal grounds does the {plan.province} decision cite?",
    }[form]
    a = _ask(assistant, q)
    assert not a.abstained, a.text
    for line in grounds:
        assert _covers(a, plan.id, line), (line, a.text)


@pytest.mark.parametrize("form", ["vi", "plain", "en"])
@pytest.mark.parametrize("plan", DECIDED, ids=lambda p: p.id)
def test_the_proposer_is_the_xet_de_nghi_line(assistant, plan, form):
    (line,) = _lines(plan, "Xét đề nghị")
    number = re.search(r"\d+/[^\s,]+", line).group()
    q = {
        "vi": f"Ai đề nghị ban hành quyết định của {plan.province}, bằng văn bản nào?",
        "plain": f"ai de nghi ban hanh quyet dinh cua {plan.province}, bang van ban nao",
        "en": f"Who proposed the {plan.province} decision, by which document, and on what date?",
    }[form]
    a = _ask(assistant, q)
    assert not a.abstained and number in a.text, a.text
    assert cites(a, line)


@pytest.mark.parametrize("form", ["vi", "plain", "en"])
@pytest.mark.parametrize("plan", DECIDED, ids=lambda p: p.id)
def test_an_article_named_by_its_number_is_quoted(assistant, plan, form):
    number = plan.decision_number.split("/")[0]
    articles = [n for n in outline_of(plan).root.walk() if n.kind == "article"]
    assert articles
    for node in articles:
        n = re.search(r"\d+", node.marker).group()
        q = {
            "vi": f"Điều {n} của Quyết định {number} nói gì?",
            "plain": f"dieu {n} cua quyet dinh {number} noi gi",
            "en": f"What does Article {n} of Decision {number} say?",
        }[form]
        a = _ask(assistant, q)
        assert not a.abstained and a.provinces == [plan.id], a.text
        assert any(c.plan == plan.id and c.start <= node.line_start < c.end for c in a.citations), a.text


@pytest.mark.parametrize("plan", DECIDED, ids=lambda p: p.id)
def test_an_article_the_decision_lacks_is_not_stated(assistant, plan):
    number = plan.decision_number.split("/")[0]
    count = sum(1 for n in outline_of(plan).root.walk() if n.kind == "article")
    a = _ask(assistant, f"Điều {count + 5} của Quyết định {number} nói gì?")
    assert a.abstained


@pytest.mark.parametrize(
    "template",
    [
        "Quyết định {n} có hiệu lực kể từ ngày ký phải không?",
        "quyet dinh {n} co hieu luc ke tu ngay ky phai khong",
        "Does Decision {n} take effect from the date of signing?",
    ],
)
@pytest.mark.parametrize("plan", DECIDED, ids=lambda p: p.id)
def test_the_decision_takes_effect_on_signing(assistant, plan, template):
    (line,) = [x for x in plan.text.splitlines() if "hiệu lực" in x and x.startswith("Điều")]
    a = _ask(assistant, template.format(n=plan.decision_number.split("/")[0]))
    assert re.match(r"(Có|Yes)\b", a.text), a.text
    assert _covers(a, plan.id, line)
    # "kể từ ngày ký" / "the date of signing" is when it takes effect: the signer is not the answer
    at = TEXTS[plan.id].find(line)
    assert a.citations[0].start <= at < a.citations[0].end, a.text
    assert plan.signer not in first_line(a), a.text


#: a plan cites another document by its number and date: "Kế hoạch số 80/KH-UBND ngày 17/11/2016"
_CITED_PLAN = re.compile(r"Kế hoạch số (\d+/KH-UBND) ngày (\d{1,2}/\d{1,2}/\d{4})")
CITING = [(p, m) for p in PLANS for m in [_CITED_PLAN.search(p.text)] if m]


@pytest.mark.parametrize("form", ["vi", "plain"])
@pytest.mark.parametrize(("plan", "m"), CITING[:2], ids=lambda x: getattr(x, "id", ""))
def test_the_date_of_a_cited_document_is_its_reference(assistant, plan, m, form):
    turns = {
        "vi": (
            f"Kế hoạch {plan.province} nhắc tới Kế hoạch số {m.group(1)}, đó là kế hoạch gì?",
            "Nó được ban hành ngày nào?",
        ),
        "plain": (
            f"ke hoach {plan.province} nhac toi ke hoach so {m.group(1)}, do la ke hoach gi?",
            "no duoc ban hanh ngay nao",
        ),
    }[form]
    a = _ask(assistant, *turns)
    assert not a.abstained and m.group(2) in a.text, a.text


#: Cà Mau's line assigning one focal officer ("01 cán bộ") to integration activities
CM_FOCAL = "Phân công 01 cán bộ làm đầu mối"
#: Quảng Ngãi's districts allocate funds "theo phân cấp ngân sách"
QN_DISTRICTS = "UBND các huyện, thành phố hàng năm bố trí kinh phí"


@pytest.mark.parametrize(
    ("question", "plan", "snippet"),
    [
        ("Sở Lao động Cà Mau phải phân công bao nhiêu cán bộ đầu mối về hội nhập?", "ca-mau", CM_FOCAL),
        ("so lao dong ca mau phai phan cong bao nhieu can bo dau moi ve hoi nhap", "ca-mau", CM_FOCAL),
        ("How many focal officers must Ca Mau DOLISA assign for integration activities?", "ca-mau", CM_FOCAL),
        ("Ở cấp huyện Quảng Ngãi, ai bố trí kinh phí thực hiện kế hoạch?", "quang-ngai", QN_DISTRICTS),
        ("o cap huyen quang ngai, ai bo tri kinh phi thuc hien ke hoach", "quang-ngai", QN_DISTRICTS),
        ("At district level in Quang Ngai, who allocates money for the plan?", "quang-ngai", QN_DISTRICTS),
    ],
)
def test_a_line_covering_the_question_answers_it(assistant, question, plan, snippet):
    a = _ask(assistant, question)
    assert not a.abstained, a.text
    assert _covers(a, plan, snippet), a.text


@pytest.mark.parametrize(
    "question",
    [
        "Kiên Giang đặt mục tiêu giảm tỷ lệ hộ nghèo bao nhiêu phần trăm mỗi năm?",
        "kien giang dat muc tieu giam ty le ho ngheo bao nhieu phan tram moi nam",
        "By what percentage per year does Kien Giang aim to cut the poor-household rate?",
    ],
)
def test_a_rate_stated_only_for_another_subject_is_no_answer(assistant, question):
    a = _ask(assistant, question)
    assert a.abstained, a.text


def _absorbed():
    """(old unit with no plan here, the held plan's province it is now part of)."""
    from assistant.understand import _data

    held = {p.province for p in PLANS}
    old = _data("admin_units.yaml")["old"]
    return [(u["name"], u["now"]) for u in old if u.get("now") in held and u["name"] not in held][:1]


@pytest.mark.parametrize("form", ["vi", "plain", "en"])
@pytest.mark.parametrize(("old", "now"), _absorbed())
def test_a_former_province_without_a_plan_is_not_answered_by_its_new_units(assistant, old, now, form):
    from assistant.text import fold

    q = {
        "vi": f"{old} nay thuộc {now}, kế hoạch của {old} nói gì về đào tạo nghề?",
        "plain": fold(f"{old} da sap nhap vao {now}, ke hoach {old} noi gi ve dao tao nghe"),
        "en": f"{fold(old).title()} has merged into {fold(now).title()} - what does {fold(old).title()}'s own plan say about vocational training?",
    }[form]
    a = _ask(assistant, q)
    assert a.abstained and not a.citations, a.text
    assert old in a.text


@pytest.mark.parametrize(
    "question",
    [
        "hai duong gio thuoc hai phong, ke hoach hai duong cu co giao so giao duc dao tao viec gi khong",
        "Hải Dương giờ thuộc Hải Phòng, kế hoạch Hải Dương cũ có giao Sở Giáo dục và Đào tạo việc gì không?",
    ],
)
def test_a_held_province_named_with_its_new_unit_is_answered(assistant, question):
    a = _ask(assistant, question)
    assert not a.abstained and a.provinces == ["hai-duong"], a.text
    assert first_line(a).startswith("Kế hoạch của tỉnh Hải Dương cũ")
    assert "Có" in a.text.split("\n")[1][:5]


@pytest.mark.parametrize("question", ["ok cam on nhe, tam biet", "cảm ơn nhé, tạm biệt", "ok thanks, bye"])
def test_thanks_and_goodbye_in_one_turn_get_the_social_reply(assistant, question):
    a = _ask(assistant, question)
    assert a.abstained and not a.citations, a.text


#: plans with no line stating a rate about poverty: a poverty-reduction rate asked is not answered
NO_POVERTY_RATE = [p for p in PLANS if not any("nghèo" in x and "%" in x for x in p.text.splitlines())]


@pytest.mark.parametrize("form", ["vi", "plain", "en"])
@pytest.mark.parametrize("plan", NO_POVERTY_RATE, ids=lambda p: p.id)
def test_a_rate_no_line_states_is_not_answered(assistant, plan, form):
    from assistant.text import fold

    q = {
        "vi": f"Kế hoạch {plan.province} đặt tỷ lệ giảm nghèo hằng năm là bao nhiêu phần trăm?",
        "plain": fold(f"ke hoach {plan.province} dat ty le giam ngheo hang nam la bao nhieu phan tram"),
        "en": f"What annual poverty reduction rate does {fold(plan.province).title()} target?",
    }[form]
    a = _ask(assistant, q)
    assert a.abstained, a.text


@pytest.mark.parametrize("form", ["vi", "plain", "en"])
@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
def test_who_drew_up_the_plan_is_its_issuer_and_what_a_body_draws_up_is_its_duty(assistant, plan, form):
    from assistant.text import fold

    name = fold(plan.province).title()
    who, duty = {
        "vi": (
            f"Cơ quan nào xây dựng kế hoạch {plan.province}?",
            f"Sở Lao động {plan.province} phải xây dựng những kế hoạch gì?",
        ),
        "plain": (
            fold(f"co quan nao xay dung ke hoach {plan.province}"),
            fold(f"so lao dong {plan.province} phai xay dung nhung ke hoach gi"),
        ),
        "en": (
            f"Which body drew up the {name} plan?",
            f"What plans must the {name} Department of Labour, Invalids and Social Affairs draw up?",
        ),
    }[form]
    a = _ask(assistant, who)
    assert not a.abstained and a.intent.endswith("issuer"), a.text
    b = _ask(assistant, duty)
    assert not b.intent.endswith("issuer"), b.text
