"""Ways officials phrase questions, on the real plans: an item by its numbers ("II.1"), a
reporting cycle ("chu kỳ"), a request ("Can you summarise …?"), a percentage, who drew up and
issued a plan, the district committees and "các sở, ngành", follow-ups that keep the plan or
name a new agency, and bodies named after "ngoài" — facts and verbatim citations, Vietnamese
and English, for every plan found (no plan is named here)."""

from __future__ import annotations

import pytest

from assistant import Session
from assistant.agencies import find_agencies
from assistant.facts import all_facts
from assistant.outline import outline_of
from assistant.text import fold
from assistant.understand import understand

from .helpers import PLANS, cites, verbatim

FACTS = all_facts()


def _numbered_items():
    """(plan, part marker, item marker, item node): the first numbered item with labelled points."""
    for plan in PLANS:
        ol = outline_of(plan)
        for part in ol.body_parts():
            items = [c for c in part.children if c.kind == "item" and c.marker.isdigit() and c.children]
            if len(items) >= 2:
                yield plan, part.marker, items[1]
                break


NUMBERED = list(_numbered_items())


def test_the_plans_have_numbered_items():
    assert len(NUMBERED) >= len(PLANS) - 1


def _id(x) -> str:
    got = getattr(x, "id", None) or getattr(x, "marker", None) or getattr(x, "title", None) or str(x)
    return str(got)[:24]


@pytest.mark.parametrize(("plan", "top", "node"), NUMBERED, ids=_id)
@pytest.mark.parametrize(
    "template",
    [
        "Nội dung mục {top}.{n} của kế hoạch {vi} gồm những gì?",
        "What does item ({top}.{n}) of the {en} plan include?",
        "noi dung muc {top}.{n} cua ke hoach {plain}",
        "What does section {n} of part {top} of the {en} plan say?",
    ],
)
def test_an_item_named_by_its_numbers_is_answered_with_its_content(assistant, plan, top, node, template):
    question = template.format(
        top=top, n=node.marker, vi=plan.province, en=plan.province_en, plain=fold(plan.province)
    )
    answer = assistant.ask(question)
    verbatim(answer)
    heading = plan.text[node.line_start : node.line_end].strip().rstrip(":")
    assert not answer.abstained and heading in answer.text.split("\n", 1)[0], answer.text
    # the item is cited from its heading (whole when short): its content and who leads it
    assert any(c.start == node.line_start for c in answer.citations), answer.citations
    first = outline_of(plan).items(node)[0]
    inner = outline_of(plan).items(first.node) if first.children else [first]
    assert cites(answer, inner[0].text[:50])


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("Sở Lao động phải xây dựng kế hoạch theo chu kỳ nào?", "timing"),
        ("so lao dong lap ke hoach theo chu ky nao", "timing"),
        ("Ai ký kế hoạch?", "issuer"),
        ("Kế hoạch do cơ quan nào xây dựng, ban hành?", "issuer"),
        ("What is the number and date of the decision that issued the plan?", "issuer"),
    ],
)
def test_cycle_and_issuer_words(question, intent):
    q = understand(question)
    assert q.intent == intent, (question, q.intent)
    if "chu" in fold(question):
        assert "signer" not in q.aspects


def test_a_request_is_not_a_yes_no_question():
    q = understand("Can you summarise the purposes and requirements of the plan?")
    assert q.shape == "summary"
    assert understand("Can the Department of Finance lead it?").shape == "yesno"


def test_a_percentage_asks_for_a_figure_not_a_count():
    q = understand("Kế hoạch đặt mục tiêu giảm tỷ lệ hộ nghèo bao nhiêu phần trăm mỗi năm?")
    assert q.shape != "count" and q.intent == "target"


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
def test_who_drew_up_and_issued_the_plan(assistant, plan):
    issued = [s for s in FACTS[plan.id].of_kind("issuer") if s.value == plan.issuer]
    if not issued:
        pytest.skip("the plan names no issuing body in a sentence")
    answer = assistant.ask(f"ke hoach cua {fold(plan.province)} do co quan nao xay dung, ban hanh")
    verbatim(answer)
    assert not answer.abstained and fold(plan.issuer) in fold(answer.text), answer.text
    assert cites(answer, issued[0].span.text[:60])


@pytest.mark.parametrize("plan", [p for p in PLANS if p.decision_number], ids=lambda p: p.id)
def test_number_and_date_of_the_decision(assistant, plan):
    answer = assistant.ask(
        f"What is the number and date of the {plan.province_en} decision that issued the plan?"
    )
    verbatim(answer)
    assert not answer.abstained and plan.decision_number in answer.text, answer.text
    assert plan.decision_date in answer.text


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("UBND huyện làm gì?", "ubnd-huyen"),
        ("ubnd cac huyen thi xa thanh pho phai lam gi", "ubnd-huyen"),
        ("Ủy ban nhân dân các huyện, thị xã, thành phố", "ubnd-huyen"),
        ("các sở, ngành liên quan", "so-ban-nganh"),
    ],
)
def test_district_committees_and_departments_at_large_are_agencies(text, agency):
    assert agency in [m.agency.id for m in find_agencies(text)]


def test_bodies_named_after_besides_are_not_the_subject():
    q = understand("Ngoài các sở ngành và UBND huyện thì còn những đơn vị nào phối hợp thực hiện?")
    assert q.agencies == [] and q.intent == "coordinate"


DISTRICT = [
    (p, d) for p in PLANS for d in FACTS[p.id].duties if d.agencies == ("ubnd-huyen",) and len(d.duties) >= 1
]


@pytest.mark.parametrize(("plan", "entry"), DISTRICT[:2], ids=lambda x: getattr(x, "id", ""))
def test_a_follow_up_without_a_place_keeps_the_plan_and_a_new_agency_is_a_new_subject(assistant, plan, entry):
    session = Session()
    assistant.ask(f"Tell me about funding in the {plan.province_en} plan.", session=session)
    second = assistant.ask("Who appraises the departments' estimates?", session=session)
    assert second.provinces == [plan.id], second.provinces
    answer = assistant.ask("And what do the district People's Committees do?", session=session)
    verbatim(answer)
    assert not answer.abstained and answer.provinces == [plan.id], answer.text
    assert all(cites(answer, x.text.lstrip("- ")[:60]) for x in entry.duties[:3])
    vi = Session()
    assistant.ask(f"Kinh phí thực hiện kế hoạch {plan.province} lấy từ đâu?", session=vi)
    answer = assistant.ask("Còn UBND huyện phải làm gì?", session=vi)
    assert not answer.abstained and cites(answer, entry.duties[0].text.lstrip("- ")[:60]), answer.text


SHARED = [(p, d) for p in PLANS for d in FACTS[p.id].duties if len(d.agencies) == 2]


@pytest.mark.parametrize(("plan", "entry"), SHARED[:2], ids=lambda x: getattr(x, "id", ""))
def test_one_entry_of_two_agencies_asked_together_is_shown_once(assistant, plan, entry):
    names = " và ".join(m.agency.vi for m in find_agencies(entry.heading)[:2])
    answer = assistant.ask(f"Ở {plan.province}, {entry.heading} được giao việc gì?")
    verbatim(answer)
    assert not answer.abstained, answer.text
    first = entry.duties[0].text.lstrip("- ")[:60]
    assert fold(answer.text).count(fold(first)) == 1, (names, answer.text)


def _role_cases():
    """(plan facts, activity, its lead agency, an agency with duties that does not lead it)."""
    for p in PLANS:
        pf = FACTS[p.id]
        for a in pf.activities:
            leads = [m.agency for u in a.leads for m in find_agencies(u) if not m.agency.group]
            ids = {x.id for x in leads}
            other = next(
                (
                    d.agencies[0]
                    for d in pf.duties
                    if len(d.agencies) == 1 and d.agencies[0] not in ids and d.agencies[0] != "so-ban-nganh"
                ),
                None,
            )
            if leads and other:
                yield pf, a, leads, other
                break


ROLES = list(_role_cases())


@pytest.mark.parametrize(("pf", "activity", "leads", "other"), ROLES, ids=_id)
def test_yes_no_about_who_leads_an_activity_names_the_lead(assistant, pf, activity, leads, other):
    from assistant.agencies import agency_by_id

    plan, lead = pf.plan, leads[0]
    yes = assistant.ask(f"Is the activity “{activity.title}” in {plan.province_en} led by the {lead.en}?")
    verbatim(yes)
    assert yes.text.startswith("Yes — ") and cites(yes, activity.lead_span.text), yes.text
    no = assistant.ask(
        f"Hoạt động “{activity.title}” ở {plan.province} có phải do {agency_by_id(other).vi} chủ trì không?"
    )
    verbatim(no)
    assert no.text.startswith("Không — ") and not no.abstained, no.text
    assert cites(no, activity.lead_span.text) and fold(activity.leads[0]) in fold(no.text)
    alone = assistant.ask(f"Is “{activity.title}” in {plan.province_en} led by the {lead.en} alone?")
    assert alone.text.startswith("No — " if len(leads) > 1 else "Yes — "), alone.text


ADJACENT = [
    (FACTS[p.id], a)
    for p in PLANS
    for a in FACTS[p.id].activities
    if a.lead_span and a.coordinator_span and not p.text[a.lead_span.end : a.coordinator_span.start].strip()
]


@pytest.mark.parametrize(("pf", "activity"), ADJACENT[:3], ids=_id)
def test_who_leads_cites_the_lead_and_partner_lines_together(assistant, pf, activity):
    answer = assistant.ask(f"Who leads “{activity.title}” in {pf.plan.province_en}?")
    verbatim(answer)
    assert any(
        activity.lead_span.text in c.text and activity.coordinator_span.text in c.text
        for c in answer.citations
    ), answer.citations


PARTNERED = [
    (p, d)
    for p in PLANS
    for d in FACTS[p.id].duties
    if len(d.agencies) == 1
    and d.agencies[0] != "so-ban-nganh"
    and len(d.duties) >= 2
    and any(fold(x.text).lstrip("- ").startswith("phoi hop") for x in d.duties)
]


@pytest.mark.parametrize(("plan", "entry"), PARTNERED[:2], ids=_id)
def test_duties_and_partners_asked_together_get_both(assistant, plan, entry):
    from assistant.agencies import agency_by_id

    agency = agency_by_id(entry.agencies[0])
    q = understand(f"{fold(agency.vi)} {fold(plan.province)} phai lam gi va phoi hop voi ai")
    assert q.shape == "multi" and {"agency_duty", "coordinate"} <= set(q.asks), (q.shape, q.asks)
    answer = assistant.ask(f"{fold(agency.vi)} {fold(plan.province)} phai lam gi va phoi hop voi ai")
    verbatim(answer)
    assert not answer.abstained
    partner = next(x for x in entry.duties if fold(x.text).lstrip("- ").startswith("phoi hop"))
    assert cites(answer, entry.duties[0].text.lstrip("- ")[:60]), answer.text
    assert cites(answer, partner.text.lstrip("- ")[:60]), answer.text


def _solution_groups():
    for plan in PLANS:
        for part in outline_of(plan).find("solutions"):
            groups = [x for x in part.items if x.children and fold(x.text).startswith("giai phap ")]
            if len(groups) >= 2:
                yield plan, groups
                break


@pytest.mark.parametrize(("plan", "groups"), list(_solution_groups()), ids=_id)
def test_a_follow_up_naming_another_group_of_the_part_gets_that_group(assistant, plan, groups):
    session = Session()
    first, second = (fold(g.text)[len("giai phap ") :] for g in groups[:2])
    assistant.ask(f"{fold(plan.province)} co nhung giai phap {first} nao", session=session)
    answer = assistant.ask(f"con giai phap {second} gom nhung gi", session=session)
    verbatim(answer)
    assert groups[1].text in answer.text.split("\n", 1)[0], answer.text
    assert groups[0].text not in answer.text.split("\n", 1)[0]


FUNDED = [(FACTS[p.id], a) for p in PLANS for a in FACTS[p.id].activities if a.funding and a.leads]


@pytest.mark.parametrize(("pf", "activity"), FUNDED[:2], ids=_id)
def test_that_activity_in_a_follow_up_is_the_last_answers_activity(assistant, pf, activity):
    session = Session()
    assistant.ask(f"Ai chủ trì hoạt động “{activity.title}” ở {pf.plan.province}?", session=session)
    answer = assistant.ask("kinh phi cho hoat dong do lay tu dau", session=session)
    verbatim(answer)
    assert fold(activity.funding) in fold(answer.text) and cites(answer, activity.funding_span.text), (
        answer.text
    )


LONG_DUTIES = [
    (p, d, x)
    for p in PLANS
    for d in FACTS[p.id].duties
    if len(d.agencies) == 1 and d.agencies[0] != "so-ban-nganh"
    for x in d.duties
    if len(" ".join(x.text.split())) > 600
]


@pytest.mark.parametrize(("plan", "entry", "line"), LONG_DUTIES[:2], ids=_id)
def test_a_long_duty_is_shown_sentence_by_sentence_not_clipped(assistant, plan, entry, line):
    from assistant.agencies import agency_by_id
    from index.structure import sentence_spans

    agency = agency_by_id(entry.agencies[0])
    answer = assistant.ask(f"Liệt kê các nhiệm vụ của {agency.vi} {plan.province}.")
    verbatim(answer)
    last = [plan.text[a:b] for a, b in sentence_spans(plan.text, line.start, line.end)][-1]
    assert fold(" ".join(last.split())[:80]) in fold(answer.text), answer.text
    assert cites(answer, line.text.lstrip("- ")[:60])


def _short_parts():
    for plan in PLANS:
        for kind in ("tasks", "solutions"):
            found = [p for p in outline_of(plan).find(kind) if p.exact and len(p.items) >= 2]
            if found and found[0].node.end - found[0].node.start <= 3000:
                yield plan, kind, found[0]
                break


@pytest.mark.parametrize(("plan", "kind", "part"), list(_short_parts()), ids=_id)
def test_a_short_part_is_also_cited_whole(assistant, plan, kind, part):
    from assistant.templates import t

    answer = assistant.ask(f"Phần {t('vi', f'asked_{kind}')} của kế hoạch {plan.province} gồm những gì?")
    verbatim(answer)
    whole = plan.text[part.node.line_start : part.node.end].strip()
    assert any(c.text == whole for c in answer.citations), [c.text[:40] for c in answer.citations]


def _purposes_and_requirements():
    for plan in PLANS:
        ol = outline_of(plan)
        purpose, needs = ol.find("objective_general"), ol.find("requirements")
        if purpose and needs and needs[0].items:
            yield plan, needs[0]


@pytest.mark.parametrize(("plan", "needs"), list(_purposes_and_requirements()), ids=_id)
def test_two_parts_named_together_are_both_answered(assistant, plan, needs):
    answer = assistant.ask(f"Can you summarise the purposes and requirements of the {plan.province_en} plan?")
    verbatim(answer)
    assert not answer.abstained and not answer.text.startswith("No"), answer.text
    assert needs.heading in answer.text and cites(answer, needs.items[0].text[:50]), answer.text


@pytest.mark.parametrize(("plan", "entry"), PARTNERED[:2], ids=_id)
def test_whom_it_works_with_after_an_agencys_duties_is_about_that_agency(assistant, plan, entry):
    from assistant.agencies import agency_by_id

    agency = agency_by_id(entry.agencies[0])
    session = Session()
    assistant.ask(f"{fold(agency.vi)} {fold(plan.province)} lam gi?", session=session)
    answer = assistant.ask("Phoi hop voi so nao?", session=session)
    verbatim(answer)
    partner = next(x for x in entry.duties if fold(x.text).lstrip("- ").startswith("phoi hop"))
    assert not answer.abstained and cites(answer, partner.text.lstrip("- ")[:60]), answer.text


def test_review_as_a_verb_does_not_ask_a_time():
    q = understand(
        "Who does the Department of Foreign Affairs work with to review institutions and policies against ILO and ASEAN standards?"
    )
    assert q.shape != "multi" and q.intent == "coordinate", (q.shape, q.asks)
    assert understand("Ai chủ trì hoạt động tuyên truyền và khi nào thực hiện?").shape == "multi"


def _subject_lines():
    """(plan, agency id, line): a line outside the agency's entry that opens by naming it as the
    one acting ("Đề nghị Ủy ban MTTQ …"), for an agency whose entry has one line."""
    import re

    for p in PLANS:
        pf = FACTS[p.id]
        for d in pf.duties:
            if not d.agencies or len(d.duties) != 1:
                continue
            for m in re.finditer(r"(?m)^.*$", p.text):
                line = m.group()
                if d.span.start <= m.start() < d.span.end:
                    continue
                found = find_agencies(line)
                head = fold(line[: found[0].start]).strip(" -") if found else "x"
                if found and found[0].agency.id == d.agencies[0] and head in ("", "de nghi", "giao"):
                    yield p, d.agencies[0], line
                    break


@pytest.mark.parametrize(("plan", "aid", "line"), list(_subject_lines())[:2], ids=_id)
def test_a_line_elsewhere_that_makes_the_agency_its_subject_is_among_its_duties(assistant, plan, aid, line):
    from assistant.agencies import agency_by_id

    answer = assistant.ask(f"{agency_by_id(aid).vi} {plan.province} được đề nghị làm gì theo kế hoạch?")
    verbatim(answer)
    assert not answer.abstained and any(c.text.strip() == line.strip() for c in answer.citations), answer.text


def test_a_question_asking_two_figures_is_read_as_one_query_per_figure():
    from assistant.answers.what import _figure_clauses

    q = understand(
        "Mỗi năm tạo việc làm cho bao nhiêu lao động và có bao nhiêu lao động đi làm việc ở nước ngoài?"
    )
    first, second = _figure_clauses(q)
    assert "tao" in first.terms and "ngoai" not in first.terms
    assert "ngoai" in second.terms and "tao" not in second.terms
    assert _figure_clauses(understand("Tỷ lệ lao động qua đào tạo đạt bao nhiêu?")) == []


def _two_figures():
    """(plan, two target sentences of one plan, each with a figure and words of its own)."""
    import re

    for p in PLANS:
        pf = FACTS[p.id]
        lines = [
            s.span.text
            for s in pf.of_kind("target")
            if re.search(r"\d[\d.]*\s*(?:lao động|người|%)", s.span.text)
        ]
        lines = [x for x in lines if len(x) < 250]
        if len(lines) >= 2:
            yield p, lines[0], lines[-1]


@pytest.mark.parametrize(("plan", "one", "two"), list(_two_figures())[:2], ids=_id)
def test_two_figures_asked_together_are_both_answered(assistant, plan, one, two):
    import re

    def ask_of(line: str) -> str:
        words = re.sub(r"[\d.,%;:()\-–]+", " ", line).split()
        return " ".join(words[:8])

    answer = assistant.ask(
        f"Theo kế hoạch {plan.province}, {ask_of(one)} bao nhiêu và {ask_of(two)} bao nhiêu?"
    )
    verbatim(answer)
    for line in (one, two):
        figure = re.search(r"\d[\d.]*", line).group()
        assert figure in answer.text, (line, answer.text)
