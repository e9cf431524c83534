"""Structured facts read from the plans: who leads and coordinates each activity, timing,
funding, each agency's duties, deadlines, targets, legal references, issuer and signer.
Every value keeps the verbatim span it was read from."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from assistant.agencies import agency_ids
from corpus import Plan, load_plans
from index.structure import Section, node_sentences, parse_plan


@dataclass(frozen=True)
class Span:
    """A verbatim passage: `text == plan_text[start:end]`."""

    plan: str
    start: int
    end: int
    text: str
    section: str


@dataclass(frozen=True)
class Activity:
    """One numbered activity of a plan with the units and terms it states."""

    plan: str
    province: str
    title: str  # "Hội nhập về giáo dục nghề nghiệp"
    section: str  # heading path of the activity
    span: Span  # the whole activity
    leads: tuple[str, ...] = ()
    lead_span: Span | None = None
    coordinators: tuple[str, ...] = ()
    coordinator_span: Span | None = None
    implementers: tuple[str, ...] = ()  # "Cơ quan thực hiện" without lead/partner split
    implementer_span: Span | None = None
    timing: str = ""
    timing_span: Span | None = None
    funding: str = ""
    funding_span: Span | None = None
    content_span: Span | None = None


@dataclass(frozen=True)
class AgencyDuty:
    """An agency's entry under TỔ CHỨC THỰC HIỆN, with each duty line."""

    plan: str
    province: str
    heading: str  # as written: "Sở Tài chính"
    agencies: tuple[str, ...]  # registry ids named in the heading
    span: Span
    duties: tuple[Span, ...]


@dataclass(frozen=True)
class Statement:
    """A sentence of a kind: deadline, target, funding, legal reference, issuer, signer."""

    plan: str
    kind: str
    span: Span
    value: str = ""  # the date, figure or document number it states
    context: Span | None = None  # the sentence around a legal reference


@dataclass
class PlanFacts:
    plan: Plan
    activities: list[Activity] = field(default_factory=list)
    duties: list[AgencyDuty] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Statement]:
        return [s for s in self.statements if s.kind == kind]


# "b) Cơ quan chủ trì thực hiện: …", "- Đơn vị chủ trì tham mưu, thực hiện: …", "c) Thời gian thực hiện: …"
_LABELS = (
    ("lead", re.compile(r"(Cơ quan|Đơn vị) chủ trì( tham mưu)?,?( thực hiện)?")),
    ("coordinate", re.compile(r"(Cơ quan|Đơn vị) phối hợp( thực hiện)?")),
    ("implement", re.compile(r"(Cơ quan|Đơn vị) thực hiện")),
    ("timing", re.compile(r"Thời gian thực hiện")),
    ("funding", re.compile(r"Kinh phí thực hiện")),
)
_MARKER = re.compile(r"(?:[a-gđ][\.\)]|-)\s*")
# Split a list of units at a comma or "và" that starts a new unit, not inside one name.
_UNIT_START = r"(?:Sở|Ban|Báo|Đài|UBND|Ủy ban|Uỷ ban|Các|các (?:sở|Trung tâm|cơ sở|tổ chức)|Liên đoàn|Hội|Tỉnh đoàn|Trung tâm)\b"
_UNIT_SPLIT = re.compile(rf";\s*|,\s*(?={_UNIT_START})|\s+và\s+(?=(?:UBND|Ủy ban|Sở)\b)")

_DEADLINE = re.compile(r"trước ngày \d{1,2}/\d{1,2}[^.;]*|sơ kết vào năm \d{4}|tổng kết vào năm \d{4}")
_TARGET_NUMBER = re.compile(
    r"\d+(?:[.,]\d+)?\s*%|\d{1,3}(?:\.\d{3})+|\b\d+\s*-\s*\d+\s*%|\b0?\d+ (?:cơ sở|cán bộ|lao động)"
)
#: a count of things: "01 cơ sở giáo dục nghề nghiệp", "300 lao động" — a figure in its own right
_COUNTED = re.compile(r"\b\d{1,3}(?:\.\d{3})* (?:cơ sở|lao động|trường|nghề|người)\b")
_TARGET_WORDS = re.compile(r"phấn đấu|tỷ lệ|mục tiêu|chỉ tiêu|giai đoạn|bình quân|%", re.IGNORECASE)
_TARGET_GOAL = re.compile(r"(?:[Pp]hấn đấu|[Mm]ục tiêu|[Cc]hỉ tiêu)[^.;]*?(?:đến|vào) năm \d{4}")
_LEGAL = re.compile(
    r"(?:Quyết định|Chỉ thị|Nghị quyết|Kế hoạch hành động|Kế hoạch|Công văn)\s+số\s+\d[\w/.\-–]*(?:(?<=-)\s[A-ZĐ]+)?"
    r"(?:\s+ngày\s+\d{1,2}/\d{1,2}/\d{4})?"
    r"|Luật An toàn, vệ sinh lao động|Luật Ngân sách nhà nước|Luật Trẻ em"
    r"|Luật Tổ chức chính quyền địa phương(?: ngày \d{1,2}/\d{1,2}/\d{4})?"
    r"|Nghị quyết Trung ương \d+ \(Khóa [IVX]+\)"
)


def _span(plan: Plan, start: int, end: int, section: str) -> Span:
    while start < end and plan.text[start].isspace():
        start += 1
    while end > start and plan.text[end - 1].isspace():
        end -= 1
    return Span(plan.id, start, end, plan.text[start:end], section)


def split_units(value: str) -> tuple[str, ...]:
    """'Sở A, Sở B; UBND các huyện' → ('Sở A', 'Sở B', 'UBND các huyện')."""
    parts = [p.strip(" .;,") for p in _UNIT_SPLIT.split(value.strip().rstrip(".;"))]
    return tuple(p for p in parts if p)


def _labelled(plan: Plan, node: Section) -> tuple[str, str, Span] | None:
    """(kind, value, span) when the node's line is a label such as 'Cơ quan chủ trì thực hiện'."""
    line = node.head_text(plan.text)
    m = _MARKER.match(line)
    body = line[m.end() :] if m else line
    for kind, pattern in _LABELS:
        lm = pattern.match(body)
        if not lm:
            continue
        rest = body[lm.end() :]
        if rest.startswith(":") or not rest.strip():
            value_text = rest.lstrip(":").strip()
            end = node.end
            if not value_text:
                # the value is on the following line(s) of the node: "b) Cơ quan chủ trì thực hiện\nSở …"
                value_text = plan.text[node.line_end : node.end].strip()
                if not value_text or any(c.kind == "dash" for c in node.children):
                    return None
            else:
                end = node.line_end
            return kind, value_text, _span(plan, node.start, end, node.path_text)
    return None


def _activities(plan: Plan, root: Section) -> list[Activity]:
    out = []
    for item in (n for n in root.walk() if n.kind == "item"):
        found: dict[str, tuple[str, Span]] = {}
        content = None
        for node in item.walk():
            if node is item:
                continue
            got = _labelled(plan, node)
            if got:
                kind, value, span = got
                found.setdefault(kind, (value, span))
            elif node.kind == "letter" and "Nội dung" in node.label and content is None:
                content = _span(plan, node.start, node.end, node.path_text)
        if not found:
            continue
        title = re.sub(r"^\d+\.\s*", "", item.label)

        def units(kind: str, found=found) -> tuple[str, ...]:
            return split_units(found[kind][0]) if kind in found else ()

        def span(kind: str, found=found) -> Span | None:
            return found[kind][1] if kind in found else None

        out.append(
            Activity(
                plan=plan.id,
                province=plan.province,
                title=title,
                section=item.path_text,
                span=_span(plan, item.start, item.end, item.path_text),
                leads=units("lead"),
                lead_span=span("lead"),
                coordinators=units("coordinate"),
                coordinator_span=span("coordinate"),
                implementers=units("implement"),
                implementer_span=span("implement"),
                timing=found["timing"][0].rstrip(".") if "timing" in found else "",
                timing_span=span("timing"),
                funding=found["funding"][0] if "funding" in found else "",
                funding_span=span("funding"),
                content_span=content,
            )
        )
    return out


def _duties(plan: Plan, root: Section) -> list[AgencyDuty]:
    out = []
    for part in root.children:
        if "TỔ CHỨC THỰC HIỆN" not in part.label:
            continue
        for item in (c for c in part.children if c.kind == "item"):
            head = item.head_text(plan.text)
            heading = re.sub(r"^\d+\.\s*", "", head).rstrip(":").strip()
            lines = [c for c in item.children if c.kind in ("dash", "para", "star")]
            if lines:
                duties = tuple(_span(plan, c.start, c.end, item.path_text) for c in lines)
            else:  # the duty stands on the heading line itself
                duties = (_span(plan, item.start, item.end, item.path_text),)
            named = heading if lines else heading[:120]
            out.append(
                AgencyDuty(
                    plan=plan.id,
                    province=plan.province,
                    heading=heading if lines else re.sub(r"^Đề nghị\s+", "", named),
                    agencies=tuple(agency_ids(named)),
                    span=_span(plan, item.start, item.end, item.path_text),
                    duties=duties,
                )
            )
    return out


def _statements(plan: Plan, root: Section) -> list[Statement]:
    out: list[Statement] = []
    for s, e, node in node_sentences(plan.text, root):
        section = node.path_text
        sentence = plan.text[s:e]
        for m in _DEADLINE.finditer(sentence):
            out.append(Statement(plan.id, "deadline", _span(plan, s, e, section), m.group(0)))
        number = _TARGET_NUMBER.search(sentence)
        goal = _TARGET_GOAL.search(sentence)
        counted = _COUNTED.search(sentence)
        if (number and _TARGET_WORDS.search(sentence)) or goal or counted:
            number = number or counted
            value = number.group(0) if number else goal.group(0)
            out.append(Statement(plan.id, "target", _span(plan, s, e, section), value))
        if "KINH PHÍ" in section and section.count("›") <= 1:
            out.append(Statement(plan.id, "funding", _span(plan, s, e, section)))
        for m in _LEGAL.finditer(sentence):
            ref = m.group(0).strip(" ,")
            kind = "basis" if section.split(" › ")[0] in ("KẾ HOẠCH", "QUYẾT ĐỊNH") else "legal_ref"
            ref_span = _span(plan, s + m.start(), s + m.start() + len(ref), section)
            out.append(Statement(plan.id, kind, ref_span, ref, context=_span(plan, s, e, section)))
    # issuer: the sentence that says who makes the plan; signer: the signature block
    issuer_re = re.compile(rf"(?:Ủy ban nhân dân|UBND) tỉnh {re.escape(plan.province)} (?:ban hành|xây dựng)")
    for node in root.walk():
        text = node.head_text(plan.text)
        top = node.path[0] if node.path else ""
        m = issuer_re.search(text)
        if m and top in ("KẾ HOẠCH", "QUYẾT ĐỊNH") and node.kind == "para":
            span = _span(plan, node.line_start + m.start(), node.line_end, node.path_text)
            out.append(Statement(plan.id, "issuer", span, plan.issuer))
        if node.label == "Người ký":
            out.append(
                Statement(plan.id, "signer", _span(plan, node.start, node.end, node.path_text), plan.signer)
            )
        if text.startswith("(Kèm theo Quyết định số"):
            span = _span(plan, node.start, node.line_end, node.path_text)
            out.append(Statement(plan.id, "issuer", span, plan.decision_number))
        if text.startswith("CHỦ TỊCH ỦY BAN NHÂN DÂN"):
            out.append(
                Statement(
                    plan.id, "issuer", _span(plan, node.start, node.line_end, node.path_text), plan.issuer
                )
            )
    return out


def extract_facts(plan: Plan) -> PlanFacts:
    """All structured facts of one plan."""
    root = parse_plan(plan.text)
    return PlanFacts(plan, _activities(plan, root), _duties(plan, root), _statements(plan, root))


@lru_cache(maxsize=4)
def _all_facts(plans_dir: str | None) -> dict[str, PlanFacts]:
    return {p.id: extract_facts(p) for p in load_plans(plans_dir)}


def all_facts(plans_dir: str | None = None) -> dict[str, PlanFacts]:
    """Facts of every plan, by plan id (computed once per process: ~20 ms)."""
    return _all_facts(plans_dir)


def responsibility_rows(facts: dict[str, PlanFacts]) -> list[dict]:
    """Flat rows for the responsibilities table: one per activity and one per agency entry."""
    rows = []
    for pf in facts.values():
        for a in pf.activities:
            rows.append(
                {
                    "plan": a.plan,
                    "province": a.province,
                    "kind": "activity",
                    "topic": a.title,
                    "lead": "; ".join(a.leads or a.implementers),
                    "coordinating": "; ".join(a.coordinators),
                    "timing": a.timing,
                    "funding": a.funding,
                    "section": a.section,
                    "start": a.span.start,
                    "end": a.span.end,
                    "source": (a.lead_span or a.implementer_span or a.span).text,
                }
            )
        for d in pf.duties:
            rows.append(
                {
                    "plan": d.plan,
                    "province": d.province,
                    "kind": "agency",
                    "topic": "Nhiệm vụ: " + d.heading,
                    "lead": d.heading,
                    "coordinating": "",
                    "timing": "",
                    "funding": "",
                    "section": d.span.section,
                    "start": d.span.start,
                    "end": d.span.end,
                    "source": " ".join(x.text for x in d.duties),
                }
            )
    return rows


def as_dict(obj) -> dict:
    return asdict(obj)
