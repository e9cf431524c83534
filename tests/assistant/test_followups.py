"""Follow-ups that refer back to the previous answer, on the real plans: an item of the list it
gave picked by its place ("Nhiệm vụ thứ hai là gì?", "the last one", "ai chủ trì cái thứ
hai?"), a place out of range, a pronoun for the agency it named ("Nó phối hợp với ai?"), and
two- and three-turn chains — facts and verbatim citations, Vietnamese with and without
diacritics, and English."""

from __future__ import annotations

import itertools

import pytest

from assistant import Session
from assistant.agencies import find_agencies
from assistant.facts import all_facts
from assistant.outline import outline_of
from assistant.session import Session as BareSession
from assistant.text import fold
from assistant.types import ListedItem
from assistant.understand import topics, understand

from .helpers import PLANS, first_line, verbatim

FACTS = all_facts()
ORDINAL_EN = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}


def _ask(assistant, *turns):
    s = Session()
    answers = [assistant.ask(q, session=s) for q in turns]
    for a in answers:
        verbatim(a)
    return s, answers


def _listing_plans():
    """(plan, its content part's items): the plans whose activities part lists 3 items or more."""
    for plan in PLANS:
        found = outline_of(plan).find("content")
        if found and len(found[0].items) >= 3:
            yield plan, found[0].items


LISTING = list(_listing_plans())
LIST_ASKS = {
    "vi": (
        "Kế hoạch của {p} có những nội dung hoạt động nào?",
        "Nội dung thứ hai là gì?",
        "Cái cuối cùng là gì?",
    ),
    "plain": (
        "ke hoach cua {p} co nhung noi dung hoat dong nao?",
        "noi dung thu hai la gi?",
        "cai cuoi cung la gi?",
    ),
    "en": ("What are the main activities of the {p} plan?", "What's the second one?", "And the last one?"),
}


def test_the_plans_list_activities():
    assert len(LISTING) >= len(PLANS) - 1


@pytest.mark.parametrize("form", sorted(LIST_ASKS))
@pytest.mark.parametrize(("plan", "items"), LISTING, ids=[p.id for p, _ in LISTING])
def test_an_item_picked_by_its_place_is_cited_whole(assistant, plan, items, form):
    listing, second, last = LIST_ASKS[form]
    province = plan.province if form != "plain" else fold(plan.province)
    s, (listed, got, end) = _ask(assistant, listing.format(p=province), second, last)
    assert not listed.abstained and [x.start for x in s.listed] == [x.node.line_start for x in items]
    for answer, item in ((got, items[1]), (end, items[-1])):
        assert not answer.abstained and answer.provinces == [plan.id]
        first = answer.citations[0]  # the item whole: its heading line and what is under it
        assert first.start == item.node.line_start
        assert first.end > item.node.line_end if item.node.children else first.end == item.node.end
        assert item.text in answer.text
        for point in outline_of(plan).items(item.node)[:1]:  # its points follow, each cited
            assert any(c.start >= point.start and c.end <= item.node.end for c in answer.citations[1:])


@pytest.mark.parametrize(
    ("listing", "asked"),
    [
        ("Kế hoạch Cà Mau có mấy nội dung?", "Nội dung thứ {k} là gì?"),
        ("ke hoach ca mau co may noi dung?", "cai thu {k}"),
        ("How many activities does the Ca Mau plan have?", "the {k}th"),
    ],
)
def test_a_place_past_the_list_says_how_many_it_has(assistant, listing, asked):
    s, (listed,) = _ask(assistant, listing)
    n = len(s.listed)
    assert not listed.abstained and n >= 3
    _, (_, got) = _ask(assistant, listing, asked.format(k=n + 3))
    assert got.abstained and not got.citations and str(n) in got.text and str(n + 3) in got.text


def _led_items():
    """(plan, items, place): the first item of a plan's activities part that states its lead."""
    for plan, items in LISTING:
        for k, item in enumerate(items, 1):
            acts = [
                a
                for a in FACTS[plan.id].activities
                if item.node.line_start <= a.span.start < item.node.end and a.leads and a.coordinators
            ]
            if acts and k > 1:
                yield plan, items, k, acts[0]
                break


LED = list(_led_items())


def test_some_listed_activities_state_their_lead():
    assert LED


@pytest.mark.parametrize(
    ("listing", "who", "funds"),
    [
        ("Kế hoạch của {p} có những nội dung hoạt động nào?", "Ai chủ trì cái thứ {k}?", "Kinh phí thì sao?"),
        ("ke hoach {p} co nhung noi dung hoat dong nao", "ai chu tri cai thu {k}", "kinh phi thi sao?"),
        ("What are the main activities of the {p} plan?", "Who leads the {nth} one?", "And the funding?"),
    ],
)
@pytest.mark.parametrize(("plan", "items", "k", "activity"), LED, ids=[x[0].id for x in LED])
def test_who_leads_a_picked_item_and_its_funding(assistant, plan, items, k, activity, listing, who, funds):
    province = fold(plan.province) if listing.islower() else plan.province
    _, (_, lead, money) = _ask(
        assistant, listing.format(p=province), who.format(k=k, nth=ORDINAL_EN[k]), funds
    )
    assert not lead.abstained and lead.provinces == [plan.id]
    assert activity.title in lead.text
    assert any(
        c.start <= activity.lead_span.start and activity.lead_span.end <= c.end for c in lead.citations
    )
    for name in activity.leads:  # as the plan writes it (in English after its English name)
        assert name in lead.text
    assert not money.abstained and money.provinces == [plan.id]
    if activity.funding_span is not None:
        span = activity.funding_span
        assert any(c.start <= span.start and span.end <= c.end for c in money.citations)
    else:
        assert any("kinh phi" in fold(c.text) or "ngan sach" in fold(c.text) for c in money.citations)


@pytest.mark.parametrize(
    ("first", "pronoun"),
    [
        ("Ai chủ trì hội nhập về an sinh xã hội ở Kiên Giang?", "Nó phối hợp với ai?"),
        ("Ai chu tri hoi nhap ve an sinh xa hoi o Kien Giang?", "No phoi hop voi ai?"),
        ("Who leads social security in Kien Giang?", "Who does that department coordinate with?"),
    ],
)
def test_a_pronoun_is_the_agency_the_answer_named(assistant, first, pronoun):
    s, (led, got) = _ask(assistant, first, pronoun)
    named = [m.agency.id for m in find_agencies(first_line(led).split("“")[0]) if not m.agency.group]
    assert named and s.state.agencies == named[:1]
    assert not got.abstained and got.provinces == ["kien-giang"]
    entry = next(d for d in FACTS["kien-giang"].duties if named[0] in d.agencies)
    assert any(
        entry.span.start <= c.start and c.end <= entry.span.end and "phoi hop" in fold(c.text)
        for c in got.citations
    )


def test_no_is_a_pronoun_only_in_a_vietnamese_question():
    assert understand("No phoi hop voi ai?").refers_back
    assert not understand("No, I mean the Ca Mau plan").refers_back


@pytest.mark.parametrize(
    "turns",
    [
        ("Ai chủ trì đào tạo nghề ở Cà Mau?", "Còn ở Hải Dương thì sao?", "Kinh phí lấy từ đâu?"),
        ("ai chu tri dao tao nghe o ca mau?", "con o hai duong thi sao?", "kinh phi lay tu dau?"),
        ("Who leads vocational training in Ca Mau?", "And in Hai Duong?", "And the funding?"),
    ],
)
def test_a_chain_keeps_the_activity_and_the_new_plan(assistant, turns):
    _, (_, moved, money) = _ask(assistant, *turns)
    activity = next(a for a in FACTS["hai-duong"].activities if "nghe nghiep" in fold(a.title) and a.leads)
    for a in (moved, money):
        assert not a.abstained and a.provinces == ["hai-duong"]
    assert activity.title in moved.text
    assert any("kinh phi" in fold(c.text) for c in money.citations)


def test_an_english_chain_reports_the_new_plans_deadline(assistant):
    _, answers = _ask(
        assistant,
        "Who leads vocational training in Ca Mau?",
        "And in Hai Duong?",
        "And the funding?",
        "When must it report?",
    )
    report = answers[-1]
    deadlines = [s for s in FACTS["hai-duong"].of_kind("deadline") if fold(s.value).startswith("truoc ngay")]
    assert not report.abstained and report.provinces == ["hai-duong"] and deadlines
    assert any(c.start <= deadlines[0].span.start < c.end for c in report.citations)


def test_the_funding_follow_up_cites_the_activitys_own_line(assistant):
    _, (_, money) = _ask(assistant, "Who leads vocational training in Ca Mau?", "And the funding?")
    activity = next(a for a in FACTS["ca-mau"].activities if "nghe nghiep" in fold(a.title) and a.funding)
    span = activity.funding_span
    assert not money.abstained
    assert any(c.start <= span.start and span.end <= c.end for c in money.citations)


# -- the session alone ---------------------------------------------------------------------------
ITEMS = tuple(ListedItem("ca-mau", 10 * i, 10 * i + 9, f"II › {i}", f"item {i}") for i in range(1, 5))


def _listed_session(kind: str = "tasks") -> BareSession:
    s = BareSession()
    s.record(understand("Kế hoạch của Cà Mau có những nhiệm vụ nào?"), "", listed=ITEMS)
    s.listed_kind = kind
    return s


@pytest.mark.parametrize(
    ("text", "k"),
    [
        ("cái thứ 2", 2),
        ("the 2nd", 2),
        ("mục thứ ba", 3),
        ("số 3", 3),
        ("thu hai", 2),
        ("cuoi cung", 4),
        ("What's the last one?", 4),
        ("the first", 1),
    ],
)
def test_a_place_picks_from_the_list(text, k):
    q = _listed_session().resolve(understand(text))
    assert q.focus == ITEMS[k - 1] and q.pick == k and q.listed == len(ITEMS) and q.provinces == ["ca-mau"]


def test_a_place_past_the_list_picks_nothing():
    q = _listed_session().resolve(understand("the 9th"))
    assert q.focus is None and q.listed == len(ITEMS) and q.pick == 9


def test_another_part_named_by_its_place_is_not_a_pick():
    q = _listed_session("tasks").resolve(understand("Giải pháp thứ 2 là gì?"))
    assert q.focus is None and q.listed == 0 and q.section == "solutions" and q.ordinal == 2


def test_a_pick_keeps_the_list_for_the_next_one():
    s = _listed_session()
    q = s.resolve(understand("cái thứ hai"))
    s.record(q, "", listed=ITEMS[:1])  # the picked item's own points are not the list
    assert s.listed == ITEMS and s.resolve(understand("còn cái thứ ba?")).focus == ITEMS[2]


# -- a pronoun after a "who leads" answer is the agency that leads -------------------------------
LEADS_BY_DUTY = {
    "vi": ("Ai chủ trì nhiệm vụ tuyên truyền ở Kiên Giang?", "Nó còn phải làm gì nữa?"),
    "vi-unit": ("Ai chủ trì nhiệm vụ tuyên truyền ở Kiên Giang?", "Đơn vị này còn nhiệm vụ gì khác?"),
    "plain": ("ai chu tri nhiem vu tuyen truyen o kien giang?", "so nay con phai lam gi nua?"),
    "en": ("Who leads the communication task in Kien Giang?", "What are its other duties?"),
    "en-else": ("Who leads the communication task in Kien Giang?", "What else does it do?"),
}


@pytest.mark.parametrize("form", sorted(LEADS_BY_DUTY))
def test_its_duties_are_those_of_the_agency_the_lead_answer_named(assistant, form):
    s, (led, duties) = _ask(assistant, *LEADS_BY_DUTY[form])
    lead_lines = [
        d
        for d in FACTS["kien-giang"].duties
        if any(c.start >= d.span.start and c.end <= d.span.end for c in led.citations)
    ]
    assert not led.abstained and len(lead_lines) == 1
    entry = lead_lines[0]
    assert not duties.abstained and duties.provinces == ["kien-giang"]
    assert set(s.state.agencies) == {a for a in entry.agencies if a in s.state.agencies} and s.state.agencies
    for line in entry.duties:  # every duty of its entry, each cited
        assert any(c.start <= line.start and line.end <= c.end for c in duties.citations), line.text


@pytest.mark.parametrize(
    "turns",
    [
        ("Ai chủ trì công tác tuyên truyền ở Hải Dương?", "Họ còn nhiệm vụ gì khác?"),
        ("ai chu tri cong tac tuyen truyen o hai duong?", "ho con nhiem vu gi khac?"),
        ("Who leads the communication work in Hai Duong?", "What are their duties?"),
    ],
)
def test_they_after_several_leads_are_each_lead_with_its_duties(assistant, turns):
    _, (led, duties) = _ask(assistant, *turns)
    activity = next(a for a in FACTS["hai-duong"].activities if a.title in led.text)
    leads = [m.agency.id for n in activity.leads for m in find_agencies(n) if not m.agency.group]
    assert len(leads) >= 2 and not duties.abstained
    shown = duties.citations[: len(duties.citations) - duties.hidden]
    for aid in leads:  # each lead keeps its first duty line in the text
        entry = next(d for d in FACTS["hai-duong"].duties if aid in d.agencies)
        first = entry.duties[0]
        assert any(c.start <= first.start and first.end <= c.end for c in shown), aid


@pytest.mark.parametrize(
    "turns",
    [
        ("Who leads vocational training in Ca Mau?", "And who coordinates it?"),
        ("Who leads vocational training in Ca Mau?", "Who is involved in it?"),
        ("Ai chủ trì đào tạo nghề ở Cà Mau?", "Ai phối hợp với họ?"),
        ("ai chu tri dao tao nghe o ca mau?", "ai phoi hop voi ho?"),
        ("Who leads vocational training in Ca Mau?", "And who is supposed to coordinate with them?"),
    ],
)
def test_a_pronoun_after_a_verb_is_the_activity(assistant, turns):
    """ "Who coordinates it?", and "with them" after an activity's leads: the activity's partners."""
    _, (_, partners) = _ask(assistant, *turns)
    activity = next(
        a for a in FACTS["ca-mau"].activities if "nghe nghiep" in fold(a.title) and a.coordinators
    )
    span = activity.coordinator_span
    assert not partners.abstained and partners.provinces == ["ca-mau"]
    assert any(c.start <= span.start and span.end <= c.end for c in partners.citations)


# -- "And what about X?": the last question's intent and plan, X's own subject -------------------
def _rated(plan, topic) -> list[str]:
    """The plan's lines that state a rate and name the topic."""
    return [x for x in plan.text.splitlines() if "%" in x and any(fold(p) in fold(x) for p in topic.vi)]


def _targets_by_topic():
    """(plan, topic, another topic): topics each named in a line of the plan that states a rate."""
    for plan in PLANS:
        named = [t for t in topics() if not t.asks and _rated(plan, t)]
        for first, then in itertools.pairwise(named):
            yield plan, first, then


TARGETS = list(_targets_by_topic())[:4]


def test_some_plans_state_rates_for_several_topics():
    assert TARGETS


@pytest.mark.parametrize(("plan", "first", "then"), TARGETS, ids=lambda x: getattr(x, "id", ""))
def test_what_about_a_new_topic_keeps_the_intent_and_drops_the_last_subjects_words(plan, first, then):
    for turns in (
        (f"What targets does {plan.province_en} set for {first.en[0]}?", f"And what about {then.en[0]}?"),
        (f"{plan.province} đặt mục tiêu gì về {first.vi[0]}?", f"Còn về {then.vi[0]}?"),
        (fold(f"{plan.province} đặt mục tiêu gì về {first.vi[0]}?"), fold(f"Còn về {then.vi[0]}?")),
    ):
        s = BareSession()
        s.record(understand(turns[0]), "")
        q = s.resolve(understand(turns[1]))
        assert q.intent == "target" and q.provinces == [plan.id], turns
        assert then.id in q.topics and first.id not in q.topics, turns
        assert set(q.terms) == set(understand(turns[1]).terms), (turns, q.terms)


def _rated_pairs():
    kids, drugs = (next(t for t in topics() if t.id == x) for x in ("children", "social_evils"))
    return [(p, drugs, kids) for p in PLANS if _rated(p, kids) and _rated(p, drugs)]


RATED = _rated_pairs()


def test_some_plans_state_rates_for_drugs_and_children():
    assert RATED


@pytest.mark.parametrize(("plan", "first", "then"), RATED, ids=lambda x: getattr(x, "id", ""))
def test_what_about_another_topic_gives_the_rates_the_plan_states_for_it(assistant, plan, first, then):
    rates = _rated(plan, then)
    for turns in (
        (f"What targets does {plan.province_en} set for drug addiction?", "And what about for children?"),
        (f"{plan.province} đặt mục tiêu gì về nghiện ma túy?", "Còn về trẻ em?"),
        (fold(f"{plan.province} đặt mục tiêu gì về nghiện ma túy?"), "con ve tre em?"),
    ):
        _, answers = _ask(assistant, *turns)
        last = answers[-1]
        assert not last.abstained, (turns, last.text)
        assert any(any(c.text.strip() in r for r in rates) for c in last.citations), (turns, last.text)


# -- "Còn X?" naming another agency: X's own lines ---------------------------------------------------
PORTAL = [p for p in PLANS if "Cổng thông tin điện tử" in p.text]


@pytest.mark.parametrize("plan", PORTAL, ids=lambda p: p.id)
def test_a_new_agency_in_a_follow_up_is_answered_with_its_own_line(assistant, plan):
    first = FACTS[plan.id].duties[0]
    name = first.heading.split(". ", 1)[-1].strip(" :")
    for turns in (
        (f"{name} được giao gì?", "Còn Cổng thông tin điện tử tỉnh?"),
        (fold(f"{name} được giao gì?"), "Con cong thong tin dien tu tinh?"),
        (f"What is {name} asked to do in {plan.province_en}?", "And the provincial e-portal?"),
    ):
        if plan.province not in turns[0] and plan.province_en not in turns[0]:
            turns = (f"{plan.province}: {turns[0]}", turns[1])
        _, answers = _ask(assistant, *turns)
        last = answers[-1]
        assert not last.abstained, (turns, last.text)
        assert any("Cổng thông tin điện tử" in c.text for c in last.citations), (turns, last.text)
