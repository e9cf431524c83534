"""The shape of a question beyond its intent: a part of the plan, a count, yes/no, a summary,
several questions in one, a question over all plans, a social turn (data/shapes.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from assistant.claims import claimed

_WH = re.compile(
    r"\b(?:ai|gi|nao|bao nhieu|khi nao|bao gio|o dau|the nao|nhu the nao|ra sao|sao|who|what|which|when|where|how|why)\b"
)
#: "… có … việc gì / cơ quan nào không?": the question word is an indefinite ("any") before the tag
_INDEFINITE = re.compile(r"(?<=\s)(?:gi|nao)(?=\s+(?:khong|ko)\s*[?.!]*\s*$)")
_FIGURE = re.compile(r"bao nhieu|ty le|phan tram|%|how many|how much|percent\w*|share|rate\b|\d")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»")
_FILLER = r"(?:(?:cac|nhung|nhom|loai|dau|the|main|key|major|specific|different|separate|muc)\s+)*"
_ACTIVITY_LIST = re.compile(
    r"hoat dong nao|nhung hoat dong|cac hoat dong|noi dung nao|nhung viec|viec gi|activities|which activit|what activit|what does .* (lead|coordinate|take part)|nhung gi"
)
_PARTNER = re.compile(r"tham gia|phoi hop|take part|takes part|participat\w*|involved|coordinat\w*|partner")


@dataclass(frozen=True)
class SectionKind:
    id: str
    heading: tuple[str, ...]
    fallback: tuple[str, ...]
    ask: re.Pattern
    intent: str = ""  # the intent the part's words also name (funding)
    strong: bool = False  # the part's words win over intent words


@dataclass(frozen=True)
class Vocabulary:
    social: tuple[re.Pattern, ...]
    thanks: re.Pattern
    social_en: re.Pattern
    yesno_vi: re.Pattern
    yesno_en: re.Pattern
    yesno_statement: frozenset[str]
    request_en: re.Pattern
    count: re.Pattern
    countables: dict[str, re.Pattern]
    count_nouns: dict[str, re.Pattern]  # the nouns alone ("giai phap"), matched at the start
    summary: re.Pattern
    about: re.Pattern  # "what is the plan about?": a summary led by the plan's purpose
    about_not: re.Pattern  # … unless another document is named ("what is Decision 145 about?")
    multi_intents: tuple[str, ...]
    conjunction: re.Pattern
    content_asks: re.Pattern  # a clause asking of content ("which groups …", "… những gì")
    content_intents: tuple[str, ...]  # intents whose words such a clause may hold
    time_asks: re.Pattern
    across: re.Pattern
    own_heading: re.Pattern
    own_heading_one: re.Pattern
    has_plan: re.Pattern
    cues: dict[str, re.Pattern]
    sections: dict[str, SectionKind]
    ordinal: re.Pattern
    numbered_dotted: re.Pattern
    numbered_nouns: re.Pattern  # group `noun`, group `marker`
    numbered_kinds: dict[str, str]  # noun → the kind of marker it takes
    ordinal_words: dict[str, int]
    ordinal_last: re.Pattern
    count_units: re.Pattern
    count_compare: re.Pattern
    qualifiers: dict[str, str]
    qualifier_lead: re.Pattern
    part_groups: dict[str, dict]  # "tung linh vuc" → {vi, en, also}
    heading_en: dict[str, re.Pattern]  # "muc dich" → the English words for it ("purpose")
    list_documents: re.Pattern
    asking: re.Pattern
    in_full: re.Pattern  # "liệt kê tất cả", "list all": every passage shown, none left out
    basis_words: re.Pattern
    list_asks: re.Pattern  # "liệt kê …", "what are all the …": the part a counted noun names
    list_nouns: dict[str, re.Pattern]  # the counted nouns (`countables`) without a count word
    list_agencies: re.Pattern  # "which agencies have responsibilities …": the bodies assigned work
    activities_word: re.Pattern  # "… lead the activities": the bodies asked by their role in them
    duty_words: re.Pattern  # "what are Sở X's tasks?": its duties as such, every line of its entry
    article_named: re.Pattern  # "Điều 4": one article of the decision
    decision_named: re.Pattern  # "Quyết định 1234": the plan it issues
    document_number: re.Pattern  # "80/KH-UBND": a document named by its number
    effect_from: re.Pattern  # "kể từ ngày ký": when a decision takes effect, not its signer or date
    effect_line: re.Pattern  # "… có hiệu lực thi hành …": the line saying when it takes effect


def _words(pattern: str) -> re.Pattern:
    return re.compile(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])")


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    raw = yaml.safe_load(
        resources.files("assistant").joinpath("data/shapes.yaml").read_text(encoding="utf-8")
    )
    countables = {
        k: re.compile(rf"{raw['count_words']}\s+{_FILLER}(?:{v})(?![a-z0-9])")
        for k, v in raw["countables"].items()
    }
    sections = {
        k: SectionKind(
            k,
            tuple(v["heading"]),
            tuple(v.get("fallback") or ()),
            _words(v["ask"]),
            str(v.get("intent") or ""),
            bool(v.get("strong")),
        )
        for k, v in raw["sections"].items()
    }
    _any = "|".join(f"(?:{p})" for p in raw["social"])
    return Vocabulary(
        article_named=_words(raw["article_named"]),
        decision_named=_words(raw["decision_named"]),
        document_number=re.compile(raw["document_number"]),
        effect_from=_words(raw["effect_from"]),
        effect_line=_words(raw["effect_line"]),
        social=(  # each kind alone, or several in one turn ("cảm ơn nhé, tạm biệt")
            *(re.compile(rf"^(?:{p})(?:\s+(?:{p}))*$") for p in raw["social"]),
            re.compile(rf"^(?:{_any})(?:\s+(?:{_any}))*$"),
        ),
        thanks=_words(raw["thanks"]),
        social_en=_words(raw["social_en"]),
        yesno_vi=re.compile(raw["yesno_vi"]),
        yesno_en=re.compile(raw["yesno_en"]),
        yesno_statement=frozenset(raw["yesno_statement_kinds"]),
        request_en=re.compile(raw["request_en"]),
        count=_words(raw["count_words"]),
        countables=countables,
        count_nouns={k: re.compile(rf"{_FILLER}(?:{v})(?![a-z0-9])") for k, v in raw["countables"].items()},
        summary=_words(raw["summary"]),
        about=_words(raw["about"]),
        about_not=_words(raw["about_not"]),
        multi_intents=tuple(raw["multi_intents"]),
        conjunction=re.compile(raw["conjunction"]),
        content_asks=_words(raw["content_asks"]),
        content_intents=tuple(raw["content_intents"]),
        time_asks=_words(raw["time_asks"]),
        across=_words(raw["across"]),
        own_heading=_words(raw["own_heading"]),
        own_heading_one=_words(raw["own_heading_one"]),
        has_plan=re.compile(raw["has_plan"]),
        cues={k: re.compile(v) for k, v in raw["evidence_cues"].items()},
        sections=sections,
        ordinal=_ordinal_pattern(raw),
        numbered_dotted=_words(raw["numbered_dotted"]),
        numbered_nouns=_words(
            rf"(?P<noun>{'|'.join(sorted(raw['numbered_nouns'], key=len, reverse=True))})\s+(?P<marker>[ivx]+|\d{{1,2}}|[a-z])"
        ),
        numbered_kinds={str(k): str(v) for k, v in raw["numbered_nouns"].items()},
        ordinal_words={str(k): int(v) for k, v in raw["ordinal_words"].items()},
        ordinal_last=_words(raw["ordinal_last"]),
        count_units=_words(raw["count_units"]),
        count_compare=_words(raw["count_compare"]),
        qualifiers={str(k): str(v) for k, v in raw["part_qualifiers"].items()},
        qualifier_lead=re.compile(rf"^(?:{raw['qualifier_lead']})$"),
        part_groups={str(k): dict(v) for k, v in raw["part_groups"].items()},
        heading_en={str(k): _words(v) for k, v in raw["heading_en"].items()},
        list_documents=_words(raw["list_documents"]),
        asking=_words(raw["asking"]),
        in_full=_words(raw["in_full"]),
        basis_words=_words(raw["basis_words"]),
        list_asks=_words(raw["list_asks"]),
        list_nouns={k: _words(v) for k, v in raw["countables"].items()},
        list_agencies=_words(raw["list_agencies"]),
        activities_word=_words(raw["activities_word"]),
        duty_words=_words(raw["duty_words"]),
    )


def _ordinal_pattern(raw: dict) -> re.Pattern:
    """'thứ 5', 'thứ năm', 'số 5', '5th', 'the fifth', 'item 5' (group 1: the number or its word)."""
    words = "|".join(sorted(map(str, raw["ordinal_words"]), key=len, reverse=True))
    return _words(
        rf"(?:{raw['ordinal_vi']})\s+(\d+|{words})|(?:{raw['ordinal_en']})\s*(\d+)|(\d+)(?:st|nd|rd|th)|(?:the\s+)({words})"
    )


def numbered_item(folded: str) -> tuple[str, int]:
    """The item a question names by its numbers ("mục II.2" → ("II", 2)); ("", 0) when none."""
    path = numbered_path(folded)
    if len(path) < 2 or not path[1].isdigit():
        return "", 0
    return path[0], int(path[1])


_ROMAN = re.compile(r"[ivx]+")
#: the marker kinds each noun's kind accepts, and the order of the kinds in a path
_ACCEPTS = {
    "roman": ("roman",),
    "any": ("roman", "number"),
    "number": ("number",),
    "letter": ("letter", "number"),
}
_DEPTH = {"roman": 0, "number": 1, "letter": 2}


def _marker_kind(marker: str) -> str:
    return "number" if marker.isdigit() else ("roman" if _ROMAN.fullmatch(marker) else "letter")


def numbered_path(folded: str) -> tuple[str, ...]:
    """The outline node a question names by its markers, from the Roman part down: "III.2.b"
    → ("III", "2", "b"), "khoản 3 mục V" → ("V", "3"), "point b of section III.2" → ("III", "2",
    "b"); a path without its Roman part ("điểm b") is () — it names no node on its own."""
    v = vocabulary()
    found: dict[tuple[int, str], int] = {}  # (depth, marker) → where it is first named
    taken: list[tuple[int, int]] = []
    for m in v.numbered_dotted.finditer(folded):
        taken.append(m.span())
        for i, marker in enumerate(re.split(r"\s*\.\s*", m.group(0))):
            depth = _DEPTH[_marker_kind(marker) if i else "roman"]
            found.setdefault((depth, marker), m.start() + i)
    for m in v.numbered_nouns.finditer(folded):
        if any(a <= m.start("marker") < b for a, b in taken):
            continue
        marker, accepts = m.group("marker"), _ACCEPTS[v.numbered_kinds[m.group("noun")]]
        kind = _marker_kind(marker)
        if kind == "roman" and "roman" not in accepts and len(marker) == 1:
            kind = "letter"  # "điểm i", "point v": a letter
        if kind in accepts:
            found.setdefault((_DEPTH[kind], marker), m.start())
    if sum(depth == 0 for depth, _ in found) != 1:
        return ()
    ordered = sorted(found, key=lambda k: (k[0], found[k]))
    return tuple(marker.upper() if depth == 0 else marker for depth, marker in ordered)


def ordinal(folded: str) -> int:
    """The place of the item a question asks for ("giải pháp thứ 5" → 5), 0 when none."""
    v = vocabulary()
    m = v.ordinal.search(folded)
    if not m:
        return 0
    word = next(g for g in m.groups() if g)
    if word.isdigit():
        return int(word) if 0 < int(word) <= 50 else 0
    return v.ordinal_words.get(word, 0)


def pick(folded: str) -> int:
    """The place of the item a follow-up picks from the last answer's list ("cái thứ hai" → 2,
    "the 9th" → 9), -1 for the last one ("cái cuối cùng"), 0 when it names no place."""
    return ordinal(folded) or (-1 if vocabulary().ordinal_last.search(folded) else 0)


@dataclass
class Shape:
    """What `detect` read: the shape, the part named, the intents of a multi-part question."""

    kind: str = ""  # "", social, count, yesno, summary, section, multi, agency_role, heading, plan_held
    section: str = ""  # a key of shapes.yaml `sections` ("solutions"), or "parts"/"agencies"/"documents"
    asks: tuple[str, ...] = ()  # intents of a multi-part question, in order
    across: bool = False  # "which provinces …": every plan answers, the silent ones included
    role: str = ""  # agency_role: "lead", "partner" or "" (both)
    ordinal: int = 0  # section: the place of the one item asked for ("giải pháp thứ 5" → 5)
    within: str = ""  # count of documents: the part they are cited in ("" the whole plan)
    yesno: bool = False  # framed as a yes/no question (also a count it claims: "có 5 giải pháp không?")


def yesno_framed(folded: str, lang: str, followup: bool = False) -> bool:
    """The question asks for a verdict ("Có phải …không?", "Is …?"), not for a value or a list."""
    v = vocabulary()
    folded = _INDEFINITE.sub(" ", folded)  # "có giao việc gì không?": "anything", not "what"
    if _WH.search(folded) or followup or v.request_en.search(folded):
        return False
    if lang == "en":
        return bool(v.yesno_en.search(folded))
    if v.yesno_vi.search(folded):
        return True
    # a statement of a claimed value asked with only "?"
    return folded.rstrip().endswith("?") and any(x.kind in v.yesno_statement for x in claimed(folded))


def counted_words() -> re.Pattern:
    """The nouns a claimed count is of ("5 giải pháp", "six tasks"): the countables and units."""
    v = vocabulary()
    return re.compile("|".join([*(p.pattern for p in v.count_nouns.values()), v.count_units.pattern]))


def _claimed_count(folded: str) -> str:
    """The part a yes/no question claims a number of ("Kế hoạch có 5 giải pháp không?" →
    solutions), "" when it claims none."""
    for value in claimed(folded, counted_words()):
        if value.kind != "number":
            continue
        after = folded[value.end :].lstrip()
        for kind, pattern in vocabulary().count_nouns.items():
            if kind not in ("agencies", "documents") and pattern.match(after):
                return kind
    return ""


def _social(folded: str) -> bool:
    words = re.sub(r"[^a-z0-9 ]+", " ", folded).split()
    text = " ".join(words)
    if not text:
        return False
    return any(p.match(text) for p in vocabulary().social)


def section_named(rest: str) -> str:
    """The part of a plan the question names ("giải pháp" → solutions), most specific first;
    an item named by its numbers ("mục II.2 'Hoàn thiện thể chế'") before any part's name."""
    if len(numbered_path(rest)) > 1:
        return "numbered"
    for kind in vocabulary().sections.values():
        if kind.ask.search(rest):
            return kind.id
    return ""


def sections_named(rest: str) -> list[str]:
    """Every part the question names, in the order of `sections`, each by words no earlier one
    took: "the purposes and requirements" → [objective_general, requirements]."""
    taken: list[tuple[int, int]] = []
    out = []
    for kind in vocabulary().sections.values():
        for m in kind.ask.finditer(rest):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                taken.append(m.span())
                if kind.id not in out:
                    out.append(kind.id)
    return out


def qualifier(rest: str, kind: str, lang: str) -> str:
    """The words after the part's name that may name a group inside it: "giải pháp chung" →
    "chung", "the general solutions" → "chung" (folded Vietnamese; "" when nothing)."""
    spec = vocabulary().sections.get(kind)
    # the last time the part is named: a follow-up's own words come after the last turn's
    m = ([None, *spec.ask.finditer(rest)] if spec else [None])[-1]
    if not m:
        return ""
    v = vocabulary()
    if lang == "en":  # "the sectoral solutions", else "the solutions for each field"
        before = re.findall(r"[a-z]+", rest[: m.start()])[-1:]
        after = re.split(r"[^a-z ]", rest[m.end() :])[0].split()[:4]
        return next((v.qualifiers[w] for w in before + after if w in v.qualifiers), "")
    words = []
    for w in re.findall(r"[0-9a-z]+|[^\sa-z0-9]", rest[m.end() :]):
        if not words and v.qualifier_lead.match(w):
            continue  # "giải pháp cho từng lĩnh vực"
        if not w[0].isalnum() or len(words) == 5 or (not words and w in _NOT_QUALIFIER):
            break
        words.append(w)
    said = " ".join(words)
    for key, group in v.part_groups.items():  # "mỗi lĩnh vực" is "từng lĩnh vực"
        for other in group.get("also") or ():
            if said == other or said.startswith(other + " "):
                return key + said[len(other) :]
    return said


def group_named(rest: str, kind: str, lang: str) -> str:
    """The common group of a part the question names ("giải pháp cho từng lĩnh vực" →
    "tung linh vuc", a key of data/shapes.yaml `part_groups`), or ""."""
    said = qualifier(rest, kind, lang)
    return next((k for k in vocabulary().part_groups if said == k or said.startswith(k + " ")), "")


#: Words that do not start a qualifier: "giải pháp của …", "giải pháp nào".
_NOT_QUALIFIER = frozenset("cua nao gi la o tai thi ma nay do cho duoc co khong va hay the nhu".split())


def detect(q, rest: str, matched_intents: list[str], actor: bool) -> Shape:
    """The question's shape. `rest` is the folded question with places and agencies masked;
    `matched_intents` every intent whose words occur in it; `actor`: a single agency is named."""
    v = vocabulary()
    folded = " ".join(_QUOTED.sub(" ", rest).split())  # a quoted title is content, not the question's shape
    shape = Shape(across=bool(v.across.search(folded)) and not q.provinces)
    if not q.provinces and not q.topics and not actor and _social(folded):
        shape.kind = "social"
        return shape
    shape.yesno = yesno_framed(folded, q.lang, q.followup)
    if shape.yesno and q.provinces and not q.topics and not actor and v.has_plan.search(folded.strip()):
        shape.kind = "plan_held"  # "Does An Giang have a plan?": the plan held for it, by its title
        return shape
    for kind, pattern in v.countables.items():
        if not q.topics and pattern.search(folded):
            shape.kind, shape.section = "count", kind
            return shape
    article = v.article_named.search(folded)
    if article and not shape.yesno and not actor:  # "Điều 4 nói gì?": that article of the decision
        shape.kind, shape.section, shape.ordinal = "section", "article", int(article.group("n"))
        return shape
    claimed_count = _claimed_count(folded) if shape.yesno and not q.topics else ""
    if claimed_count:  # "Kế hoạch có 5 giải pháp không?": the part counted, the number judged
        shape.kind, shape.section = "count", claimed_count
        return shape
    named = section_named(folded)
    own = v.own_heading.search(folded) if shape.across else shape.yesno and v.own_heading_one.search(folded)
    if own and q.topics and not named:
        shape.kind = "heading"  # "which plans have a section of their own on ASEAN integration?"
        return shape
    if not q.topics and v.list_documents.search(folded) and not v.basis_words.search(folded):
        shape.kind, shape.section, shape.within = "count", "documents", named
        return shape
    if not actor and not q.topics and v.list_agencies.search(folded) and named != "numbered":
        # "list the organisations named in section V.8" asks of that item, not the plan's bodies
        intents = set(matched_intents)
        roles = intents & {"lead", "coordinate"}
        if roles and not intents - roles and v.activities_word.search(folded):
            # "which agencies lead the activities …": the bodies the activities name in that role
            shape.kind, shape.section = "count", "agencies"
            shape.role = "lead" if roles == {"lead"} else ("partner" if roles == {"coordinate"} else "")
            return shape
        if not intents - {"agency_duty", "coordinate", *(("lead",) if "agency_duty" in intents else ())}:
            # "which agencies have responsibilities …": the bodies the plan assigns work to, counted
            shape.kind, shape.section = "count", "agencies"
            return shape
    if named and not q.topics and not actor:
        # "giải pháp chung gồm mấy mục?" counts the part named; "which plan has more solutions?"
        # counts it in every plan named
        counted = re.search(rf"{v.count.pattern}\s+{_FILLER}(?:{v.count_units.pattern})", folded)
        if counted or (q.compare and v.count_compare.search(folded)):
            shape.kind, shape.section = "count", named
            return shape
    if shape.yesno:
        shape.kind = "yesno"
    if shape.kind == "yesno" and actor and ("lead" in matched_intents or "coordinate" in matched_intents):
        # "Is X the lead of …?" / "Does X take part in …?": judged from who the plan names
        shape.role = "lead" if "lead" in matched_intents else "partner"
    about = None
    if shape.kind != "yesno" and not actor and not v.about_not.search(folded):
        about = v.about.search(folded)
    if about:
        # "what does the plan aim to do?": the words that ask what it is about name no part
        outside = f"{folded[: about.start()]} {about.group('what') or ''} {folded[about.end() :]}"
        asked = section_named(" ".join(outside.split()))
        shape.kind, shape.section = "summary", asked or ("content" if q.topics else "")
        return shape
    if shape.kind != "yesno" and v.summary.search(folded):
        # "tóm tắt hoạt động ASEAN" summarises the part that treats the topic
        shape.kind, shape.section = "summary", named or ("content" if q.topics else "")
        return shape
    if actor and ("lead" in matched_intents or "coordinate" in matched_intents or _PARTNER.search(folded)):
        if shape.across and q.topics and shape.kind != "yesno":
            # "Tỉnh nào giao Sở X chủ trì hoạt động về …?": in each plan, is X the lead of it
            shape.role = "lead" if "lead" in matched_intents else "partner"
            return shape
        # "Tỉnh nào giao Sở X chủ trì?", "In which plans does X coordinate?": X's roles in each plan
        elif (
            _ACTIVITY_LIST.search(folded)
            or re.search(r"\b(what|which|nhung gi|gi)\b.*\b(lead|chu tri)", folded)
            or (shape.across and not q.topics)
        ):
            if shape.kind != "yesno":
                lead_words = "lead" in matched_intents
                partner_words = bool(_PARTNER.search(folded))
                shape.kind = "agency_role"
                shape.role = (
                    "lead"
                    if lead_words and not partner_words
                    else ("partner" if partner_words and not lead_words else "")
                )
                return shape
    if not named and not q.topics and not actor and v.list_asks.search(folded):
        # "liệt kê các hoạt động", "what are all the activities": the part the listed noun names
        listed = next(
            (k for k, p in v.list_nouns.items() if k in (*v.sections, "parts") and p.search(folded)), ""
        )
        if listed == "parts" and not matched_intents:  # "liệt kê các phần": the parts, counted
            shape.kind, shape.section = "count", "parts"
            return shape
        named = "" if listed == "parts" else listed
    if named and shape.kind != "yesno" and not actor:
        figure = bool(_FIGURE.search(folded))
        spec = v.sections[named]
        own = ("target", "agency_duty", spec.intent)
        other = [] if spec.strong else [i for i in matched_intents if i not in own]
        objective = named.startswith("objective")
        if (
            not other
            and not (objective and figure and not named == "objective_general")
            and not (named == "tasks" and actor)
        ):
            shape.kind, shape.section = "section", named
            shape.ordinal = 0 if len(numbered_path(folded)) > 1 else ordinal(folded)
            if _own_clause(
                q, content_clause(folded, (), before=spec.ask)
            ):  # "the general objective, and who …?"
                shape.kind, shape.asks = "multi", ("section", "content")
            return shape
    if shape.kind != "yesno":
        asked = [
            i
            for i in matched_intents
            if i in v.multi_intents and (i != "timing" or v.time_asks.search(folded))
        ]
        if v.countables["agencies"].search(folded):  # "how many units lead …" counts the leads
            asked = [i for i in asked if i != "target"]
        if not q.agencies:  # "what does it say about …" asks no agency's duties
            asked = [i for i in asked if i != "agency_duty"]
        groups = list(dict.fromkeys("lead" if i == "coordinate" else i for i in asked))
        if len(groups) >= 2 and v.conjunction.search(folded):
            shape.kind, shape.asks = "multi", tuple(asked)
        elif groups and _own_clause(q, content_clause(folded, asked)):  # "who leads X and which groups get …"
            shape.kind, shape.asks = "multi", (*asked, "content")
    return shape


def _own_clause(q, clause: str) -> bool:
    """A content clause that asks of words of its own ("which directives"), not only of a year
    or the question's words ("… và 2030 là gì")."""
    words = set(re.findall(r"[0-9a-z]+", clause))
    return any(w in words and not w.isdigit() for w in q.terms)


def content_clause(rest: str, asked, before: re.Pattern | None = None) -> str:
    """The clause after a conjunction that asks of the content, not by an intent the question
    asks ("… and which directives are cited there?", "… and what does it say about rehab?"):
    it asks what the content says and names none of the `asked` intents (nor any other
    multi-part intent), after the words of an asked intent ("who leads X") or `before` (a
    part's name) asked by a question word of its own ("what is the general objective"); ""
    when there is none."""
    from assistant.understand import intent_patterns  # understand imports this module

    v = vocabulary()
    patterns = intent_patterns()
    others = [i for i in patterns if i not in v.content_intents or i in asked]
    joins = list(v.conjunction.finditer(rest))
    ends = [m.start() for m in joins[1:]] + [len(rest)]
    for a, b in zip([m.end() for m in joins], ends, strict=False):
        clause = rest[a:b].strip(" ,;?.")
        if len(clause.split()) < 3 or not v.content_asks.search(clause):
            continue
        if any(patterns[i].search(clause) for i in others) or section_named(clause):
            continue  # another intent's words, or another part of the plan ("… và yêu cầu là gì")
        first = [before] if before is not None else [patterns[i] for i in asked if i in patterns]
        if not any(p.search(rest[:a]) for p in first):  # an asked part comes first
            continue
        if before is not None and not v.content_asks.search(rest[:a]):
            continue  # "mục đích của kế hoạch về lao động và xã hội gồm những gì": one question
        return clause
    return ""
