"""Structured facts read from the plans: who leads and coordinates each activity, timing,
funding, each agency's duties, deadlines, targets, legal references, issuer and signer.
Every value keeps the verbatim span it was read from."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from importlib import resources

import yaml

from assistant.agencies import agency_ids
from corpus import Plan, load_plans
from corpus.normal import clean_line, fold, fold_words
from index.structure import Section, node_sentences, own_text, parse_plan, sentence_spans


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
    elsewhere: tuple[Span, ...] = ()  # what other sections give it to do


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


@dataclass(frozen=True)
class _Fields:
    """The genre's field vocabulary (data/fields.yaml), compiled."""

    labels: tuple[tuple[str, re.Pattern], ...]
    content: re.Pattern
    parts: dict
    unit_split: re.Pattern
    prose_lead: re.Pattern
    prose_assign: re.Pattern
    deadlines: re.Pattern
    legal: re.Pattern
    law_name: re.Pattern
    law_stops: frozenset[str]
    law_max_words: int
    issuer_units: str
    issuer_levels: str
    issuer_verbs: str


_DATE = r"\d{1,2}/\d{1,2}(?:/\d{4})?|\d{1,2} thang \d{1,2}(?: nam \d{4})?"


def _spaced(phrase: str) -> str:
    """A literal phrase whose spaces may be any whitespace (a line break in wrapped text)."""
    return r"\s+".join(re.escape(w) for w in phrase.split())


@lru_cache(maxsize=1)
def fields() -> _Fields:
    raw = yaml.safe_load(
        resources.files("assistant").joinpath("data/fields.yaml").read_text(encoding="utf-8")
    )
    heads = "|".join(raw["unit_heads"])
    after_and = "|".join(raw["unit_heads_after_and"])
    units = rf"(?:{heads})\b[^.;:]{{0,300}}?"
    legal = raw["legal"]
    numbered = "|".join(_spaced(t) for t in legal["numbered_types"])
    date = r"\d{1,2}/\d{1,2}/\d{4}|\d{1,2} tháng \d{1,2} năm \d{4}"
    return _Fields(
        labels=tuple((kind, re.compile("|".join(pats))) for kind, pats in raw["labels"].items()),
        content=re.compile(raw["content_label"]),
        parts={k: re.compile(v) for k, v in raw["parts"].items()},
        unit_split=re.compile(rf";\s*|,\s*(?=(?:{heads})\b)|\s+và\s+(?=(?:{after_and})\b)"),
        prose_lead=re.compile(raw["prose"]["lead"].replace("UNITS", units)),
        prose_assign=re.compile(raw["prose"]["assign"].replace("UNITS", units)),
        deadlines=re.compile(
            "|".join(d.replace("DATE", f"(?:{_DATE})") for d in raw["deadlines"]).replace(" ", " +")
        ),
        legal=re.compile(
            rf"(?:{numbered})\s+số\s+\d[\w/.\-–]*(?:(?<=-)\s[A-ZĐ]+)?(?:\s+ngày\s+(?:{date}))?"
            + "".join("|" + o.replace(" ", r"\s+") for o in legal["other"])
        ),
        law_name=re.compile(
            rf"\b(?:{'|'.join(_spaced(t) for t in legal['named_types'])})\s+(?=[A-ZĐÂĂÊÔƠƯ])"
        ),
        law_stops=frozenset(legal["name_stops"]),
        law_max_words=int(legal["name_max_words"]),
        issuer_units="|".join(re.escape(u) for u in raw["issuer_units"]),
        issuer_levels="|".join(re.escape(u) for u in raw["issuer_levels"]),
        issuer_verbs="|".join(re.escape(u) for u in raw["issuer_verbs"]),
    )


_TARGET_NUMBER = re.compile(
    r"\d+(?:[.,]\d+)?\s*%|\d{1,3}(?:\.\d{3})+|\b\d+\s*-\s*\d+\s*%|\b0?\d+ (?:cơ sở|cán bộ|lao động)"
)
#: a count of things: "01 cơ sở giáo dục nghề nghiệp", "300 lao động" — a figure in its own right
_COUNTED = re.compile(r"\b\d{1,3}(?:\.\d{3})* (?:cơ sở|lao động|trường|nghề|người)\b")
_TARGET_WORDS = re.compile(r"phấn đấu|tỷ lệ|mục tiêu|chỉ tiêu|giai đoạn|bình quân|%", re.IGNORECASE)
_TARGET_GOAL = re.compile(r"(?:[Pp]hấn đấu|[Mm]ục tiêu|[Cc]hỉ tiêu)[^.;]*?(?:đến|vào) năm \d{4}")
_LAW_DATE = re.compile(r"\s+(?:năm \d{4}|ngày \d{1,2}/\d{1,2}/\d{4}|số \d+/\d{4}/QH\d+)")


def _span(plan: Plan, start: int, end: int, section: str) -> Span:
    while start < end and plan.text[start].isspace():
        start += 1
    while end > start and plan.text[end - 1].isspace():
        end -= 1
    return Span(plan.id, start, end, plan.text[start:end], section)


def split_units(value: str) -> tuple[str, ...]:
    """'Sở A, Công an tỉnh; UBND các huyện' → ('Sở A', 'Công an tỉnh', 'UBND các huyện')."""
    value = " ".join(value.split())
    parts = [p.strip(" .;,") for p in fields().unit_split.split(value.strip().rstrip(".;"))]
    return tuple(p for p in parts if p)


def part_role(label: str) -> str | None:
    """'implementation', 'funding' or 'preamble' for a part heading, by its words (any case)."""
    folded = fold_words(label)
    for role, pattern in fields().parts.items():
        if pattern.search(folded):
            return role
    return None


def _label_kind(label_text: str) -> str | None:
    folded = fold_words(label_text).strip(" ,.")
    for kind, pattern in fields().labels:
        if pattern.fullmatch(folded):
            return kind
    return None


def _body(plan: Plan, node: Section) -> str:
    start = node.body_start if node.body_start >= 0 else node.line_start
    return clean_line(plan.text[start : node.line_end])


def _label_of(plan: Plan, node: Section) -> tuple[str, str] | None:
    """(kind, value on the same line) when the node's line starts with a field label."""
    body = _body(plan, node)
    head, sep, tail = body.partition(":")
    if sep and len(head) <= 70:
        kind = _label_kind(head)
        return (kind, tail.strip()) if kind else None
    if not sep and 0 < len(body) <= 60 and body[-1] not in ".;":
        kind = _label_kind(body)
        return (kind, "") if kind else None
    return None


def _labelled(plan: Plan, node: Section) -> tuple[str, str, Span] | None:
    """(kind, value, span) when the node's line is a label such as 'Cơ quan chủ trì thực hiện'."""
    got = _label_of(plan, node)
    if not got:
        return None
    kind, value_text = got
    if value_text:
        return kind, value_text, _span(plan, node.start, node.line_end, node.path_text)
    # the value is on the following line(s) of the node: "b) Cơ quan chủ trì thực hiện\nSở …"
    if any(_label_of(plan, c) for c in node.walk() if c is not node):
        return None  # "b) Đơn vị thực hiện" holding "- Đơn vị chủ trì: …" lines
    if any(c.kind != "para" for c in node.children):
        # the units as bullets: "c) Cơ quan phối hợp\n- Sở A;\n- Sở B"
        if kind in ("timing", "funding"):
            return None
        parts = []
        for c in node.children:
            s, e = own_text(plan.text, c)
            parts.append(plan.text[s:e].strip().rstrip(";."))
        value_text = "; ".join(p for p in parts if p)
    else:
        value_text = plan.text[node.line_end : node.end].strip()
    if not value_text:
        return None
    return _value(kind, value_text, plan, node)


def _value(kind: str, value: str, plan: Plan, node: Section) -> tuple[str, str, Span]:
    return kind, " ".join(value.split()), _span(plan, node.start, node.end, node.path_text)


_OWNERS = ("item", "subitem")


def _owner(node: Section) -> Section | None:
    parent = node.parent
    while parent is not None and parent.kind not in _OWNERS:
        parent = parent.parent
    return parent


def _title(node: Section) -> str:
    """The heading without its number: '3. Hội nhập …' → 'Hội nhập …' (shortened like the label)."""
    if node.marker and " " in node.label:
        return node.label.split(" ", 1)[1]
    return node.label


def _in_role(node: Section, role: str) -> bool:
    while node.parent is not None and node.parent.kind != "document":
        node = node.parent
    return node.kind == "part" and part_role(node.label) == role


def _prose(pattern: re.Pattern, sentence: str) -> re.Match | None:
    """A prose assignment at the start of a sentence: 'Sở X chủ trì …', 'Sở Y có trách nhiệm …'."""
    return pattern.search(_one_line(sentence))


def _one_line(text: str) -> str:
    """Line breaks of a hard-wrapped sentence as spaces (same length: positions still hold)."""
    return re.sub(r"\s", " ", text)


def _activities(plan: Plan, root: Section) -> list[Activity]:
    groups: dict[int, tuple[Section, dict[str, tuple[str, Span]], list]] = {}
    for node in root.walk():
        owner = _owner(node)
        if owner is None:
            continue
        _item, found, content = groups.setdefault(id(owner), (owner, {}, []))
        got = _labelled(plan, node)
        if got:
            kind, value, span = got
            found.setdefault(kind, (value, span))
        elif node.kind == "letter" and fields().content.search(fold(node.title)) and not content:
            content.append(_span(plan, node.start, node.end, node.path_text))
    out = []
    for item, found, content in groups.values():
        if "lead" not in found and not _in_role(item, "implementation"):
            _prose_lead(plan, item, found)
            lead, impl = found.get("lead"), found.get("implement")
            if lead and impl and impl[1].start <= lead[1].start and lead[1].end <= impl[1].end:
                del found["implement"]  # "b) Đơn vị thực hiện" holding "Sở X chủ trì, …" sentences
        if not found:
            continue

        def units(kind: str, found=found) -> tuple[str, ...]:
            return split_units(found[kind][0]) if kind in found else ()

        def span(kind: str, found=found) -> Span | None:
            return found[kind][1] if kind in found else None

        out.append(
            Activity(
                plan=plan.id,
                province=plan.province,
                title=_title(item),
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
                content_span=content[0] if content else None,
            )
        )
    return out


def _prose_lead(plan: Plan, item: Section, found: dict) -> None:
    """'Sở X chủ trì, phối hợp với Y thực hiện.' anywhere in the item: its lead and partners."""
    for node in item.walk():
        if node is not item and node.kind in _OWNERS:
            continue
        start, end = own_text(plan.text, node)
        for s, e in sentence_spans(plan.text, start, end):
            sentence = plan.text[s:e]
            m = _prose(fields().prose_lead, sentence)
            if not m:
                continue
            span = _span(plan, s, e, node.path_text)
            found["lead"] = (sentence[m.start("units") : m.end("units")], span)
            if m.group("coord"):
                found["coordinate"] = (sentence[m.start("coord") : m.end("coord")], span)
            return


def _duties(plan: Plan, root: Section) -> list[AgencyDuty]:
    out = []
    for part in root.children:
        if part_role(part.label) != "implementation":
            continue
        for item in (c for c in part.children if c.kind == "item"):
            heading = _body(plan, item).rstrip(":").strip()
            lines = [c for c in item.children if c.kind in ("dash", "subdash", "para", "star")]
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


def _assignments(plan: Plan, root: Section, headed: list[AgencyDuty]) -> list[tuple[str, Span]]:
    """(unit, sentence) for every prose sentence that gives a unit work, outside its own entry."""
    inside = [(d.span.start, d.span.end) for d in headed]
    out = []
    for s, e, node in node_sentences(plan.text, root):
        if any(a <= s and e <= b for a, b in inside):
            continue
        sentence = plan.text[s:e]
        m = _prose(fields().prose_assign, sentence) or _prose(fields().prose_lead, sentence)
        if m:
            span = _span(plan, s, e, node.path_text)
            out.extend((u, span) for u in split_units(sentence[m.start("units") : m.end("units")]))
    return out


def _gather(plan: Plan, root: Section, activities: list[Activity], headed: list[AgencyDuty]):
    """Each agency's duties from every section: prose assignments and activities it leads are
    added to its own entry (`elsewhere`); a unit with no entry of its own gets one."""
    extra: dict[int, list[Span]] = {}
    new: dict[str, list[Span]] = {}
    names: dict[str, str] = {}

    def entry_for(unit: str) -> int | None:
        ids = set(agency_ids(unit))
        for i, d in enumerate(headed):
            if fold_words(d.heading) == fold_words(unit) or (ids and ids <= set(d.agencies)):
                return i
        return None

    pairs = _assignments(plan, root, headed)
    for a in activities:
        if a.lead_span is not None:
            pairs.extend((u, a.span) for u in a.leads)
    for unit, span in pairs:
        i = entry_for(unit)
        if i is not None:
            if span not in extra.setdefault(i, []) and not (
                headed[i].span.start <= span.start and span.end <= headed[i].span.end
            ):
                extra[i].append(span)
        elif span.text and any(
            span.start >= x.start and span.end <= x.end for x in (a.span for a in activities)
        ):
            continue  # an activity's lead without an entry stays with the activity
        else:
            key = fold_words(unit)
            names.setdefault(key, unit)
            if span not in new.setdefault(key, []):
                new[key].append(span)
    duties = [replace(d, elsewhere=tuple(extra.get(i, ()))) for i, d in enumerate(headed)]
    for key, spans in new.items():
        unit = names[key]
        duties.append(
            AgencyDuty(plan.id, plan.province, unit, tuple(agency_ids(unit)), spans[0], tuple(spans))
        )
    return duties


def _laws(sentence: str) -> list[tuple[int, int]]:
    """(start, end) of each law or code named in a sentence: 'Bộ luật Lao động năm 2019'."""
    f = fields()
    out = []
    for m in f.law_name.finditer(sentence):
        words = list(re.finditer(r"[^\s,;.()]+|[,;.()]", sentence[m.end() :]))
        end, count, i = m.end(), 0, 0
        while i < len(words) and count < f.law_max_words:
            w = words[i].group()
            if w == ",":
                # "Luật An toàn, vệ sinh lao động": a lower-case tail that ends the clause
                j = i + 1
                while j < len(words) and j - i <= 4 and words[j].group()[:1].islower():
                    if words[j].group() in f.law_stops:
                        break
                    j += 1
                closes = j == len(words) or words[j].group() in ";.)" or words[j].group() in f.law_stops
                if j > i + 1 and closes:
                    end = m.end() + words[j - 1].end()
                break
            if w in ";.()" or w in f.law_stops or (count and w[:1].isdigit()):
                break
            end = m.end() + words[i].end()
            count += 1
            i += 1
        if count:
            d = _LAW_DATE.match(sentence, end)
            out.append((m.start(), d.end() if d else end))
    return out


def _statements(plan: Plan, root: Section) -> list[Statement]:
    f = fields()
    out: list[Statement] = []
    for s, e, node in node_sentences(plan.text, root):
        section = node.path_text
        sentence = plan.text[s:e]
        folded = _one_line(fold(sentence))
        for m in f.deadlines.finditer(folded):
            out.append(
                Statement(plan.id, "deadline", _span(plan, s, e, section), sentence[m.start() : m.end()])
            )
        number = _TARGET_NUMBER.search(sentence)
        goal = _TARGET_GOAL.search(sentence)
        counted = _COUNTED.search(sentence)
        if (number and _TARGET_WORDS.search(sentence)) or goal or counted:
            number = number or counted
            value = number.group(0) if number else goal.group(0)
            out.append(Statement(plan.id, "target", _span(plan, s, e, section), value))
        top = section.split(" › ")[0]
        if part_role(top) == "funding" and section.count("›") <= 1:
            out.append(Statement(plan.id, "funding", _span(plan, s, e, section)))
        refs = [(m.start(), m.end()) for m in f.legal.finditer(sentence)]
        refs += [r for r in _laws(sentence) if not any(a <= r[0] < b for a, b in refs)]
        for a, b in sorted(refs):
            ref = sentence[a:b].rstrip(" ,")
            kind = "basis" if part_role(top) == "preamble" else "legal_ref"
            ref_span = _span(plan, s + a, s + a + len(ref), section)
            out.append(
                Statement(plan.id, kind, ref_span, " ".join(ref.split()), context=_span(plan, s, e, section))
            )
    # issuer: the sentence that says who makes the plan; signer: the signature block
    issuer_re = re.compile(
        rf"(?:{f.issuer_units}) (?:{f.issuer_levels}) {re.escape(plan.province)} (?:{f.issuer_verbs})"
    )
    for node in root.walk():
        text = node.head_text(plan.text)
        top = node.path[0] if node.path else ""
        m = issuer_re.search(text)
        if m and part_role(top) == "preamble" and node.kind == "para":
            span = _span(plan, node.line_start + m.start(), node.line_end, node.path_text)
            out.append(Statement(plan.id, "issuer", span, plan.issuer))
        if node.label == "Người ký":
            out.append(
                Statement(plan.id, "signer", _span(plan, node.start, node.end, node.path_text), plan.signer)
            )
        head = fold(text)
        if head.startswith("(kem theo quyet dinh so"):
            span = _span(plan, node.start, node.line_end, node.path_text)
            out.append(Statement(plan.id, "issuer", span, plan.decision_number))
        if head.startswith("chu tich uy ban nhan dan") and text.isupper():
            out.append(
                Statement(
                    plan.id, "issuer", _span(plan, node.start, node.line_end, node.path_text), plan.issuer
                )
            )
    return out


def extract_facts(plan: Plan, root: Section | None = None) -> PlanFacts:
    """All structured facts of one plan."""
    root = root or parse_plan(plan.text)
    activities = _activities(plan, root)
    duties = _gather(plan, root, activities, _duties(plan, root))
    return PlanFacts(plan, activities, duties, _statements(plan, root))


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
