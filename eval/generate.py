"""Generate a second question set from the plans' own structured facts.

Every line of a plan that states who leads or coordinates something -- the activities' lead, coordinator and
implementer lines, and the agencies' duty lines that begin with "Chủ trì" or coordinate "với" someone -- and
every target sentence with a year and every deadline sentence becomes a templated question (Vietnamese and
English) whose answer is that line. ``must_include`` is derived from the line (the unit names with the
registry's names and abbreviations as alternatives, or the figure / date) and ``evidence`` is a 40-200
character verbatim substring of the line. The output has the gold set's JSONL format.

Usage: python -m eval generate [--out eval/questions/generated.jsonl]
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.agencies import agency_by_id, find_agencies
from assistant.facts import Activity, AgencyDuty, PlanFacts, Span, Statement, all_facts
from assistant.text import fold

DEFAULT_OUT = Path(__file__).resolve().parent / "questions" / "generated.jsonl"
EVIDENCE_MIN, EVIDENCE_MAX = 40, 200

# A duty line states a lead when it begins with "Chủ trì", a coordination when it works "với" someone.
_DUTY_LEAD = re.compile(r"chu tri\b")
_DUTY_COORD = re.compile(r"phoi hop(?: chat che)? voi\b")
_COORD_PHRASE = re.compile(r"phoi hop(?: chat che)?(?: voi| cung)?\s*")
_LINE_MARKER = re.compile(r"(?:[a-gđ][.)]|-|\*|\d{1,2}\.)\s*")
# What may stand between two partner units of "phối hợp với A, B và C" (folded text).
_PARTNER_GAP = re.compile(
    r"[\s,;]*(?:va\s+)?(?:cac don vi (?:co )?lien quan|cac don vi chu tri truc thuoc|tinh)?[\s,;]*(?:va\s+)?"
)
_LEADING_FILLER = re.compile(
    r"(?:[\s,;]+|(?:va|tinh|co lien quan|lien quan|cac cap|cac don vi (?:co )?lien quan"
    r"|cac don vi chu tri truc thuoc)\b)+"
)
# Words a question's topic should not end on.
_TOPIC_TAIL = {"được", "của", "và", "với", "các", "cho", "để", "theo", "trong", "về", "đã", "những", "có"}
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_PERIOD = re.compile(r"[Gg]iai đoạn (\d{4}\s*-\s*\d{4})|đến năm (\d{4})")
_CLAUSE_END = re.compile(r"[;.:(]")


# ------------------------------------------------------------------------------------- lines
@dataclass(frozen=True)
class SourceLine:
    """One line of a plan that a generated question asks about."""

    plan: str
    kind: str  # lead, coordinate, implement, duty, target, deadline
    span: Span
    activity: Activity | None = None
    duty: AgencyDuty | None = None
    statement: Statement | None = None

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.plan, self.span.start, self.span.end)


def _duty_qualifies(line: str) -> bool:
    body = fold(_strip_marker(line))
    return bool(_DUTY_LEAD.match(body) or _DUTY_COORD.search(body))


def _strip_marker(text: str) -> str:
    m = _LINE_MARKER.match(text)
    return text[m.end() :] if m else text


def responsibility_lines(facts: dict[str, PlanFacts]) -> list[SourceLine]:
    """Activity lead / coordinator / implementer lines and the duty lines that state a lead or coordination."""
    out: list[SourceLine] = []
    for plan_id, pf in facts.items():
        for act in pf.activities:
            for kind, span in (
                ("lead", act.lead_span),
                ("implement", act.implementer_span),
                ("coordinate", act.coordinator_span),
            ):
                if span is not None:
                    out.append(SourceLine(plan_id, kind, span, activity=act))
        for duty in pf.duties:
            for span in duty.duties:
                if _duty_qualifies(span.text):
                    out.append(SourceLine(plan_id, "duty", span, duty=duty))
    return out


def target_lines(facts: dict[str, PlanFacts]) -> list[SourceLine]:
    """Target sentences that state a figure together with a year."""
    return [
        SourceLine(pid, "target", s.span, statement=s)
        for pid, pf in facts.items()
        for s in pf.of_kind("target")
        if _YEAR.search(s.span.text)
    ]


def deadline_lines(facts: dict[str, PlanFacts]) -> list[SourceLine]:
    """Deadline sentences (a date or a review year)."""
    return [
        SourceLine(pid, "deadline", s.span, statement=s)
        for pid, pf in facts.items()
        for s in pf.of_kind("deadline")
    ]


# ------------------------------------------------------------------------------- requirements
def _en_variants(name: str) -> list[str]:
    out = [name]
    bare = re.sub(r"^(?:the|Department of)\s+", "", name)
    out.append(bare)
    out += [v.replace("Labour", "Labor") for v in (name, bare) if "Labour" in v]
    return out


def unit_requirement(unit: str) -> str:
    """'Sở Lao động Thương binh và Xã hội' -> the unit as written | registry vi | abbr | en names."""
    alts = [unit.strip(" .;,")]
    for mention in find_agencies(unit):
        agency = mention.agency
        alts += [agency.vi, agency.abbr, *_en_variants(agency.en)]
    return _join_alts(alts)


def _join_alts(alts: Iterable[str]) -> str:
    seen: dict[str, str] = {}
    for alt in alts:
        alt = " ".join(alt.split())
        if alt and fold(alt) not in seen:
            seen[fold(alt)] = alt
    return " | ".join(seen.values())


def figure_requirement(value: str) -> str:
    """'50%' / '15.000' / '12 - 15%' / '31/12' / '2030' with the usual ways of writing them."""
    value = value.strip()
    m = re.fullmatch(r"(\d+)\s*-\s*(\d+)\s*%", value)
    if m:
        a, b = m.groups()
        return _join_alts([f"{a} - {b}", f"{a}-{b}", f"{a} – {b}", f"{a}–{b}", f"{a} đến {b}", f"{a} to {b}"])
    m = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*%", value)
    if m:
        n = m.group(1)
        return _join_alts([f"{n}%", f"{n} %", f"{n} percent", f"{n} per cent", f"{n} phần trăm"])
    m = re.fullmatch(r"(\d{1,3})\.(\d{3})", value)
    if m:
        a, b = m.groups()
        alts = [f"{a}.{b}", f"{a},{b}", f"{a}{b}", f"{a} {b}"]
        if b == "000":
            alts += [f"{int(a)} nghìn", f"{int(a)} ngàn", f"{int(a)} thousand"]
        return _join_alts(alts)
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})", value)
    if m:
        day, month = int(m.group(1)), int(m.group(2))
        mon = _MONTHS[month - 1]
        return _join_alts(
            [
                f"{m.group(1)}/{m.group(2)}",
                f"{day} tháng {month}",
                f"{day} {mon}",
                f"{mon} {day}",
                f"{day} {mon[:3]}",
                f"{mon[:3]} {day}",
            ]
        )
    m = re.match(r"0?(\d+) ", value)  # "300 lao động", "01 cơ sở"
    if m:
        return m.group(1)
    return value


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


# -------------------------------------------------------------------------------------- evidence
def evidence_for(line: SourceLine, plan_text: str, focus: str = "") -> str:
    """A 40-200 character verbatim substring of the line (around ``focus`` when given), trimmed to words."""
    text, start = line.span.text, line.span.start
    body_off = len(text) - len(_strip_marker(text))
    lo, hi = body_off, len(text)
    if focus and focus in text:
        at = text.index(focus)
        lo = max(body_off, min(at - 60, hi - EVIDENCE_MAX))
    if hi - lo > EVIDENCE_MAX:
        hi = lo + EVIDENCE_MAX
        while hi > lo + EVIDENCE_MIN and not text[hi].isspace():
            hi -= 1
    if lo > body_off:
        while lo < hi - EVIDENCE_MIN and not text[lo - 1].isspace():
            lo += 1
    ev = text[lo:hi].strip(" \n\t,;")
    if len(ev) < EVIDENCE_MIN:  # a short line: widen it inside the plan text
        a = start + text.index(ev)
        b = a + len(ev)
        while b - a < EVIDENCE_MIN and b < len(plan_text):
            b += 1
        ev = plan_text[a:b].strip()
    assert EVIDENCE_MIN <= len(ev) <= EVIDENCE_MAX, (line.key, ev)
    assert ev in plan_text, (line.key, ev)
    return ev


# ------------------------------------------------------------------------------------ questions
@dataclass
class Coverage:
    """What the generated set asks about."""

    responsibility_lines: int = 0
    responsibility_asked: int = 0
    target_lines: int = 0
    deadline_lines: int = 0
    items: int = 0
    by_type: Counter = field(default_factory=Counter)
    by_kind: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.by_kind.items()))
        types = ", ".join(f"{k} {v}" for k, v in sorted(self.by_type.items()))
        return (
            f"responsibility lines asked: {self.responsibility_asked}/{self.responsibility_lines} ({kinds}); "
            f"target lines {self.target_lines}, deadline lines {self.deadline_lines}; "
            f"{self.items} items ({types})"
        )


def _the(name: str) -> str:
    return name if name.startswith(("the ", "The ")) or name[:1].islower() else f"the {name}"


def _agency_en(duty: AgencyDuty) -> str:
    names = [agency_by_id(a).en for a in duty.agencies]
    return " and ".join(_the(n) for n in names) if names else duty.heading


def _words(text: str, start: int, limit: int) -> tuple[int, int] | None:
    """(start, end) offsets of up to ``limit`` words of text from ``start``, within one clause."""
    clause = _CLAUSE_END.search(text, start)
    stop = clause.start() if clause else len(text)
    words = list(re.finditer(r"\S+", text[start:stop]))[:limit]
    if not words:
        return None
    end = start + words[-1].end()
    while end > start and text[end - 1] in ",;":
        end -= 1
    return start + words[0].start(), end


def _topic_words(text: str, start: int, limit: int = 6) -> tuple[int, int] | None:
    """Up to ``limit`` words from ``start`` that do not end on a function word."""
    span = _words(text, start, limit)
    while span:
        last = text[span[0] : span[1]].split()[-1].strip(",;")
        if last not in _TOPIC_TAIL or len(text[span[0] : span[1]].split()) <= 2:
            return span
        span = _words(text, start, len(text[span[0] : span[1]].split()) - 1)
    return span


def duty_parts(line: str) -> tuple[list[str], int]:
    """The partner units the line coordinates with (as written) and where its task starts."""
    folded = fold(line)
    m = _COORD_PHRASE.search(folded)
    lead = _DUTY_LEAD.match(fold(_strip_marker(line)))
    if m is None and lead is None:
        return [], len(line) - len(_strip_marker(line))
    pos = m.end() if m else len(line) - len(_strip_marker(line)) + lead.end()
    partners: list[str] = []
    if m is not None:
        for mention in find_agencies(line):
            if mention.start < pos:
                continue
            gap = folded[pos : mention.start]
            if _PARTNER_GAP.fullmatch(gap) is None:
                break
            partners.append(line[mention.start : mention.end])
            pos = mention.end
    filler = _LEADING_FILLER.match(folded, pos)
    while filler and filler.end() > pos:
        pos = filler.end()
        filler = _LEADING_FILLER.match(folded, pos)
    return partners, pos


def _duty_items(line: SourceLine, several: bool, plan) -> list[dict]:
    duty = line.duty
    assert duty is not None
    text = line.span.text
    partners, task_at = duty_parts(text)
    subject = set(duty.agencies)
    must = []
    for partner in partners:
        ids = {m.agency.id for m in find_agencies(partner)}
        if ids and not ids <= subject:
            must.append(unit_requirement(partner))
    topic = _topic_words(text, task_at) if several else None
    after = topic[1] if topic else task_at
    # the task's next words (not the topic the question names), from a content word on
    for m in re.finditer(r"\S+", text[after:]):
        word = m.group(0).strip(",;")
        if word and word not in _TOPIC_TAIL:
            after += m.start()
            break
    phrase = _topic_words(text, after, 4) or topic
    if phrase:
        must.append(text[phrase[0] : phrase[1]])
    agency_vi, agency_en = re.sub(r"^Đề nghị\s+", "", duty.heading), _agency_en(duty)
    # "Sở Tài chính Cà Mau", unless the heading names the province already
    where_vi = "" if fold(plan.province) in fold(agency_vi) else f" {plan.province}"
    about_vi = about_en = ""
    if topic:
        about_vi = f" về “{text[topic[0] : topic[1]]}”"
        about_en = f" about “{text[topic[0] : topic[1]]}”"
    vi = f"{agency_vi}{where_vi} phải làm gì{about_vi}?"
    en = f"What must {agency_en} do in {plan.province_en}{about_en}?"
    ev = evidence_for(line, plan.text)
    return [_item("agency_duty", vi, "vi", must, ev, line), _item("agency_duty", en, "en", must, ev, line)]


def _activity_items(line: SourceLine, plan) -> list[dict]:
    act = line.activity
    assert act is not None
    units = {"lead": act.leads, "implement": act.implementers, "coordinate": act.coordinators}[line.kind]
    must = [unit_requirement(u) for u in units]
    title, p_vi, p_en = act.title, plan.province, plan.province_en
    if line.kind == "lead":
        qtype = "lead"
        vi = f"Ai chủ trì hoạt động “{title}” ở {p_vi}?"
        en = f"Who leads the activity “{title}” in {p_en}?"
    elif line.kind == "implement":
        qtype = "lead"
        vi = f"Cơ quan nào thực hiện hoạt động “{title}” ở {p_vi}?"
        en = f"Which agencies carry out the activity “{title}” in {p_en}?"
    else:
        qtype = "coordinate"
        vi = f"Cơ quan nào phối hợp thực hiện “{title}” ở {p_vi}?"
        en = f"Which agencies coordinate on “{title}” in {p_en}?"
    ev = evidence_for(line, plan.text)
    return [_item(qtype, vi, "vi", must, ev, line), _item(qtype, en, "en", must, ev, line)]


# Target topics in English, by folded phrase (longest first wins); others are quoted in Vietnamese.
_TOPIC_EN = (
    ("ty le lao dong qua dao tao nghe", "the share of workers with vocational training"),
    ("ty le lao dong qua dao tao", "the share of trained workers"),
    ("lao dong di lam viec o nuoc ngoai theo hop dong", "workers going to work abroad under contract"),
    ("ty le nguoi nghien ma tuy phat sinh moi", "the rate of new drug users"),
    ("tao viec lam moi", "new jobs created each year"),
    ("cong dong van hoa - xa hoi asean", "the ASEAN Socio-Cultural Community"),
    ("phat trien linh vuc lao dong va xa hoi", "developing the labour and social sector"),
    ("phat trien lao dong", "labour and social development"),
    ("nghe trong diem cap quoc gia", "national key occupations in vocational schools"),
    ("cham soc, nuoi duong", "care and nurturing conditions"),
    ("dieu kien cham soc", "care and nurturing conditions"),
)
_NUMBER_TRAIL = re.compile(r"(?:\s+(?:cho|khoảng|là|trên|đạt|từ|có|dưới|mức))+\s*$")


def target_topic(sentence: str, value: str) -> str:
    """The noun phrase a target sentence sets its figure for."""
    if re.match(r"\d", value):  # a figure: the "tỷ lệ ..." it measures, or the words around it
        at = sentence.find(value)
        before = sentence[:at]
        m = re.search(r"tỷ lệ [^,;:\d]+?(?= đến năm| trên địa bàn| đạt| là| từ|$)", before)
        if m:
            return m.group(0)
        clause = re.split(r"[,;:]", before)[-1]
        clause = _NUMBER_TRAIL.sub("", clause).strip()
        clause = re.sub(r"^(?:[Gg]iai đoạn|đến năm) [\d\s-]+", "", clause).strip()
        if len(clause.split()) >= 2:
            return " ".join(clause.split()[-8:])
        num = re.match(r"[\d.,\s-]+%?", value).group(0)
        rest = sentence[at + len(num) :]
        return " ".join(re.split(r"[,;:.]", rest)[0].split()[:12])
    phrase = re.sub(r"^(?:[Pp]hấn đấu|[Mm]ục tiêu|[Cc]hỉ tiêu)\s*(?:của\s+)?", "", value)
    phrase = re.sub(r"^(?:đến|vào) năm \d{4}", "", phrase)
    phrase = re.split(r" (?:đến|vào) năm \d{4}| trên địa bàn| đạt ", phrase)[0].strip(" ,")
    if len(phrase.split()) >= 2:
        return phrase
    rest = sentence[sentence.find(value) + len(value) :].lstrip(" ,")
    return " ".join(re.split(r"[,;:.]", rest)[0].split()[:12])


def _topic_en(topic: str) -> str:
    folded = fold(topic)
    for key, en in _TOPIC_EN:
        if key in folded:
            return en
    return f"“{topic}”"


def _target_items(line: SourceLine, plan) -> list[dict]:
    st = line.statement
    assert st is not None
    sentence = line.span.text
    topic = target_topic(sentence, st.value)
    if re.match(r"\d", st.value):
        must = [figure_requirement(st.value)]
        at = sentence.find(st.value)
        periods = [m for m in _PERIOD.finditer(sentence) if m.start() < at]
        period = periods[-1] if periods else None
        focus = st.value
    else:
        must = [_YEAR.search(st.value).group(0)]
        period = None
        focus = must[0]
    vi_period = en_period = ""
    if period is not None:
        span_years, by_year = period.group(1), period.group(2)
        vi_period = f" giai đoạn {span_years}" if span_years else f" đến năm {by_year}"
        en_period = f" for {span_years}" if span_years else f" by {by_year}"
    vi = f"Mục tiêu của {plan.province} về {topic}{vi_period} là gì?"
    en = f"What is {plan.province_en}'s target for {_topic_en(topic)}{en_period}?"
    ev = evidence_for(line, plan.text, focus)
    return [_item("target", vi, "vi", must, ev, line), _item("target", en, "en", must, ev, line)]


def _deadline_items(line: SourceLine, plan) -> list[dict]:
    st = line.statement
    assert st is not None
    value = st.value
    date = re.search(r"\d{1,2}/\d{1,2}", value)
    if date:
        must = [figure_requirement(date.group(0))]
        vi = f"Hạn gửi báo cáo ở {plan.province} là khi nào?"
        en = f"When is the reporting deadline in {plan.province_en}?"
        focus = date.group(0)
    else:
        year = _YEAR.search(value).group(0)
        must = [year]
        focus = value
        if value.startswith("sơ kết"):
            vi = f"Khi nào {plan.province} sơ kết kế hoạch?"
            en = f"When will {plan.province_en} hold the preliminary review of the plan?"
        else:
            vi = f"Khi nào {plan.province} tổng kết kế hoạch?"
            en = f"When will {plan.province_en} hold the final review of the plan?"
    ev = evidence_for(line, plan.text, focus)
    return [_item("timing", vi, "vi", must, ev, line), _item("timing", en, "en", must, ev, line)]


def _item(qtype: str, question: str, lang: str, must: list[str], evidence: str, line: SourceLine) -> dict:
    return {
        "id": "",  # gen-<type>-<plan>-<n>-<lang>, set by generate()
        "question": question,
        "type": qtype,
        "province": line.plan,
        "lang": lang,
        "must_include": [m for m in must if m.strip()],
        "evidence": [evidence],
        "note": f"generated from {line.kind} line {line.plan}:{line.span.start}-{line.span.end}",
    }


def generate(facts: dict[str, PlanFacts] | None = None) -> tuple[list[dict], Coverage]:
    """The generated items (gold-set format) and their coverage; every responsibility line is asked."""
    facts = facts if facts is not None else all_facts()
    resp = responsibility_lines(facts)
    targets, deadlines = target_lines(facts), deadline_lines(facts)
    qualifying = Counter((ln.plan, id(ln.duty)) for ln in resp if ln.kind == "duty")
    items: list[dict] = []
    counters: Counter = Counter()
    asked: set[tuple[str, int, int]] = set()
    for line in [*resp, *targets, *deadlines]:
        plan = facts[line.plan].plan
        if line.kind == "duty":
            new = _duty_items(line, qualifying[(line.plan, id(line.duty))] > 1, plan)
        elif line.kind in ("lead", "implement", "coordinate"):
            new = _activity_items(line, plan)
        elif line.kind == "target":
            new = _target_items(line, plan)
        else:
            new = _deadline_items(line, plan)
        counters[(new[0]["type"], line.plan)] += 1
        for item in new:
            slug = item["type"].replace("_", "-")
            n = counters[(item["type"], line.plan)]
            item["id"] = f"gen-{slug}-{line.plan}-{n}-{item['lang']}"
        items.extend(new)
        asked.add(line.key)
    _assert_unique(items)

    missing = [ln for ln in resp if ln.key not in asked]
    assert not missing, f"responsibility lines never asked: {[ln.key for ln in missing]}"
    for item in items:
        ev = item["evidence"][0]
        assert ev in facts[item["province"]].plan.text, (item["id"], ev)
        assert item["must_include"], item["id"]
    coverage = Coverage(
        responsibility_lines=len({ln.key for ln in resp}),
        responsibility_asked=len({ln.key for ln in resp} & asked),
        target_lines=len(targets),
        deadline_lines=len(deadlines),
        items=len(items),
        by_type=Counter(i["type"] for i in items),
        by_kind=Counter(ln.kind for ln in resp),
    )
    return items, coverage


def _assert_unique(items: list[dict]) -> None:
    ids = Counter(i["id"] for i in items)
    questions = Counter(i["question"] for i in items)
    dup_ids = [k for k, v in ids.items() if v > 1]
    dup_q = [k for k, v in questions.items() if v > 1]
    assert not dup_ids, f"duplicate ids: {dup_ids}"
    assert not dup_q, f"duplicate questions: {dup_q}"


def write_jsonl(items: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")


def main(out: Path = DEFAULT_OUT) -> int:
    items, coverage = generate()
    write_jsonl(items, out)
    print(f"{out}: {coverage.summary()}")
    return 0
