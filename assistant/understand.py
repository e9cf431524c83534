"""Read a question: language, provinces, intent, topics, agencies, aspects and search terms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from assistant.agencies import agency_by_id, find_agencies
from assistant.claims import Value, claimed, concept
from assistant.shapes import counted_words, numbered_path, vocabulary
from assistant.shapes import detect as detect_shape
from assistant.shapes import pick as pick_of
from assistant.text import fold, has_diacritics
from assistant.types import ListedItem

INTENT_ORDER = ("issuer", "legal_basis", "coordinate", "lead", "agency_duty", "funding", "timing", "target")

_EN_WORDS = set(
    "who what which when where why how does do did is are was were the of in on for to and or a an "
    "by with under plan plans province provinces must should have has about compare between leads "
    "lead department departments responsible its their it they that this these those any all no not yes i".split()
)
_VI_WORDS = set(
    "ai gi nao bao nhieu the sao khong co la cua o va thi con phai lam duoc nhung cac ke hoach tinh so "
    "chu tri phoi hop nhiem vu trach nhiem kinh phi thoi gian muc tieu quyet dinh ve cho den nam voi "
    "hoat dong thuc hien giua ra khac nhau nhu".split()
)
_STOP = _EN_WORDS | set(
    "ai gi nao bao nhieu the sao khong co la cua o va thi con phai lam duoc nhung cac ke hoach tinh "
    "cho den voi nhu ra giua vay nay do kia day hay hoac tu trong tren duoi theo ve can duoc bi "
    "vao len xuong moi mot hai ba cung da dang se van rat lai chi minh toi ban nhe a u oi dau nua "
    "viec gi sao vi boi nen neu khi luc nao muon "
    "what whats please tell me give list show does doing done be been being can could would will shall "
    "under over at as from into than then there here i we you he she me us our your his her".split()
)
_FOLLOWUP = re.compile(
    r"^(?:con|the con|vay con|con ve|con o|con voi|con tai|and|what about|how about|is it(?! (?:true|correct|right|so|the case) that)|same|also|va|roi)\b"
    r"|\b(?:thi sao|the nao|thi the nao|sao\s*\??$|nua\s*\??$|what about|how about|is it the same|the same)\b"
)


@lru_cache(maxsize=2)
def _reference(lang: str) -> re.Pattern:
    """Words pointing back at the previous answer's agency (data/followups.yaml): "sở đó",
    "it"; in a Vietnamese question also "nó" ("no" without diacritics, a word in English)."""
    raw = _data("followups.yaml")
    words = raw["reference"] + (f"|{raw['reference_vi']}" if lang == "vi" else "")
    return re.compile(rf"\b(?:{words})\b")


@lru_cache(maxsize=1)
def _activity_object() -> re.Pattern:
    """A pronoun after a verb of doing ("who coordinates it?"): the activity (data/followups.yaml)."""
    return re.compile(rf"\b(?:{_data('followups.yaml')['activity_object']})\b")


@lru_cache(maxsize=1)
def doers() -> tuple[re.Pattern, re.Pattern, frozenset[str], re.Pattern, re.Pattern]:
    """Asking which body does something (data/doers.yaml): its words, the lead words, the
    intents it turns into "lead", the verbs of doing that are not content, and the words that
    ask for a source instead ("who pays for it?")."""
    raw = _data("doers.yaml")
    return (
        re.compile(raw["ask"]),
        re.compile(raw["lead"]),
        frozenset(raw["intents"]),
        re.compile(raw["actions"]),
        re.compile(raw["sources"]),
    )


#: "hoạt động đó", "that activity": the activity of the last answer.
_ACTIVITY_REF = re.compile(
    r"\b(?:hoat dong|noi dung|linh vuc) (?:do|nay|ay|tren)\b|\b(?:that|this|the same) (?:activity|area|field)\b"
    r"|\b(?:for|of|on|in|from) (?:it|that|this)\b(?! (?:department|agency|body|unit|plan|province))"
    r"|\b(?:is|are|was|were) (?:it|this|that|they) (?:funded|financed|paid|carried out|done|implemented|held|run)\b"
)
_ASPECTS = {
    "signer": r"\bai ky\b|nguoi ky|(?<!theo chu )\bky\b(?! nao| bao cao)|\bsign|chuc vu|position|title of the signer|put (?:their|his|her) name",
    "number": r"so hieu|so quyet dinh|quyet dinh so|quyet dinh(?:\s+\w+){0,6}\s+so\s+(?:bao nhieu|may|gi|nao)\b|\bnumber\b|ngay ban hanh|ngay ky|\bdate\b|ban hanh ngay|ngay nao|kem theo (?:mot |mot ban )?quyet dinh(?! so)|(?:issued|adopted|promulgated|enacted) (?:with|by|under|through|together with|as an annex to) (?:a|an|its own) decision|(?:attached|annexed) to (?:a|an) decision",
    "amount": r"bao nhieu tien|bao nhieu ty|ty dong|trieu dong|nghin dong|\bvnd\b|how much money|\bamount\b|tong kinh phi|how much .*(fund|money|budget)|bao nhieu kinh phi|muc ho tro|so tien",
    "report_deadline": r"bao cao|report",
    "review": r"so ket|tong ket|review|evaluat",
    "effect": r"hieu luc|in effect|take effect|effective",
    "proposer": r"de nghi|propos|recommend|submitted by",
    "overall": r"\boverall\b|as a whole|the whole plan|entire plan|toan bo ke hoach|ke hoach chung|chung ca ke hoach|ca ke hoach|thuc hien ke hoach",
}
#: a yes/no question claiming a value of this kind, and no intent word, asks this intent
_CLAIM_INTENTS = (("date", "timing"), ("cycle", "timing"), ("fund", "funding"), ("percent", "target"))
_YEAR = re.compile(r"\b(20\d{2})\b")
#: "ngoài …", "besides …": the agencies named after it, up to the clause's end, are not asked about.
_EXCEPT = re.compile(r"\b(?:ngoai|besides|other than|apart from|except(?: for)?|aside from)\b[^,;?.]*$")
_GOAL_WORDS = re.compile(
    r"\b(?:dat|phan dau|muc tieu|chi tieu|ty le|trinh do|target\w*|goals?|aims?|reach\w*|level)\b"
)


#: "đặt hạn", "dat thoi han": "dat" that sets a time (đặt), not one that reaches a goal (đạt)
_SETS = re.compile(r"\s+(?:ra\s+)?(?:han|thoi han|moc|lich|ngay|thoi gian)\b")


def _sets_not_reaches(m: re.Match, rest: str, question: str) -> bool:
    """A goal word "dat" that is "đặt" (to set): written so, or followed by a time it sets."""
    if m.group(0) != "dat":
        return False
    if _SETS.match(rest, m.end()):
        return True
    written = {w for w in re.findall(r"\w+", question.lower()) if fold(w) == "dat"}
    return bool(written) and written <= {"đặt"}


@dataclass(frozen=True)
class Province:
    """A provincial-level unit as questions name it, with the plans held for it."""

    name: str
    en: str
    plan: str | None  # the first plan held for it (see `plans`)
    patterns: tuple[re.Pattern, ...]
    full: str = ""  # "Tỉnh Kiên Giang", "Thành phố Hải Phòng"
    now: str = ""  # the unit it has been part of since the 2025 reorganisation
    merged: tuple[str, ...] = ()  # for a unit of the 34: the earlier units it took in
    plans: tuple[str, ...] = ()  # plans whose own metadata names this unit


@dataclass(frozen=True)
class Topic:
    id: str
    label_vi: str
    label_en: str
    vi: tuple[str, ...]
    en: tuple[str, ...]
    asks: str = ""  # the intent whose own words name the topic ("kinh phí": funding)


@dataclass
class Query:
    """What a question asks, as far as words tell."""

    text: str
    lang: str
    provinces: list[str] = field(default_factory=list)  # plan ids
    successors: dict[str, str] = field(default_factory=dict)  # plan id → the unit named, now holding it
    unknown_provinces: list[str] = field(default_factory=list)  # names of provinces without a plan here
    # an unknown province merged into a unit whose plans are held: (its name, that unit, those plans)
    absorbed: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    intent: str | None = None  # None when no intent word was found
    compare: bool = False
    topics: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    aspects: set[str] = field(default_factory=set)
    years: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # folded content words
    expansions: list[str] = field(default_factory=list)  # folded Vietnamese phrases for English words
    followup: bool = False
    refers_back: bool = False
    refers_activity: bool = False  # "hoạt động đó": the last turn's activity (its topics are kept)
    shape: str = ""  # "", social, count, yesno, summary, section, multi, agency_role (assistant.shapes)
    section: str = ""  # the part of the plan the question names (data/shapes.yaml `sections`)
    asks: tuple[str, ...] = ()  # the intents of a multi-part question
    across: bool = False  # "which provinces …": every plan answers, the silent ones too
    role: str = ""  # agency_role: lead, partner or both ("")
    ordinal: int = 0  # section: the place of the one item asked for ("giải pháp thứ 5" → 5)
    within: str = ""  # count of documents: the part they are cited in ("" the whole plan)
    rest: str = ""  # the folded question with places and agencies masked (what it is about)
    yesno: bool = False  # framed as a yes/no question (shape yesno, or a count it claims)
    claims: tuple[Value, ...] = ()  # yes/no: the values it claims ("31/12", "hằng quý", "5 giải pháp")
    concept: str = ""  # yes/no: the kind of value it asks the plan to state ("a specific date": date)
    pick: int = 0  # the place of an item picked from the last answer's list ("cái thứ hai"), -1 the last
    focus: ListedItem | None = None  # that item, when the session resolved it (assistant.session)
    listed: int = 0  # how many items that list had (set with `focus`; `focus` None: out of range)
    doer: bool = False  # asks which body does something, not who leads it (data/doers.yaml)
    doer_from: str = ""  # the intent its words gave before it was read as asking a body

    @property
    def effective_intent(self) -> str:
        return self.intent or "general"


def _compile_words(phrases) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(rf"(?<![a-z0-9]){re.escape(p)}(?![a-z0-9])") for p in phrases)


def _data(name: str):
    return yaml.safe_load(resources.files("assistant").joinpath(f"data/{name}").read_text(encoding="utf-8"))


def plan_holdings(plans=None) -> tuple[tuple[str, str], ...]:
    """(province as the plan's metadata names it, plan id) for every plan held."""
    if plans is None:
        from corpus import load_plans

        try:
            plans = load_plans()
        except FileNotFoundError:
            plans = []
    return tuple((p.province, p.id) for p in plans)


def provinces(holdings: tuple[tuple[str, str], ...] | None = None) -> tuple[Province, ...]:
    """The 63 earlier and 34 current units (data/admin_units.yaml), each with the plans held
    for it; a plan whose metadata names a unit not in the data still gets its own entry."""
    return _provinces(plan_holdings() if holdings is None else tuple(holdings))


@lru_cache(maxsize=8)
def _provinces(holdings: tuple[tuple[str, str], ...]) -> tuple[Province, ...]:
    units = _data("admin_units.yaml")
    names = {fold(e["name"]): e for e in _data("provinces.yaml")}
    info: dict[str, dict] = {}
    for e in units["old"]:
        info.setdefault(e["name"], {"full": e["full"], "merged": []})["now"] = e["now"]
    for e in units["new"]:
        info.setdefault(e["name"], {"full": e["full"], "merged": []})["full"] = e["full"]
    for e in units["old"]:
        if e["now"] != e["name"] or e["name"] in info:
            info[e["now"]]["merged"].append(e["name"])
    held: dict[str, list[str]] = {}
    known = {fold(n) for n in info}
    for province, plan_id in holdings:
        key = fold(" ".join(province.split()))
        held.setdefault(key, []).append(plan_id)
        if key not in known:
            info[" ".join(province.split())] = {"full": "", "merged": []}
            known.add(key)
    out = []
    for name, e in info.items():
        extra = names.get(fold(name), {})
        en = extra.get("en") or fold(name).title()
        spellings = {fold(name), fold(en), *[fold(a) for a in extra.get("aliases", [])]}
        spellings |= {s.replace(" - ", " ").replace("-", " ") for s in spellings}
        plans = tuple(held.get(fold(name), ()))
        out.append(
            Province(
                name,
                en,
                plans[0] if plans else None,
                _compile_words(sorted(spellings, key=len, reverse=True)),
                full=e["full"],
                now=e.get("now", ""),
                merged=tuple(m for m in e["merged"] if m != name),
                plans=plans,
            )
        )
    # longer names first: "Hà Nam" must not hide inside another name, "Bà Rịa - Vũng Tàu" before "Vũng Tàu"
    return tuple(sorted(out, key=lambda p: -len(p.name)))


_TOKEN = re.compile(r"[a-z0-9]+")
_LEAD, _TAIL = "(?<![a-z0-9])", "(?![a-z0-9])"  # around each of a unit's patterns (`_compile_words`)


@lru_cache(maxsize=8)
def _spelled(
    holdings: tuple[tuple[str, str], ...],
) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...], int]:
    """For finding the units a question names without trying every unit's patterns: the units
    (positions in `provinces(holdings)`) by the words of each of their spellings ("thu nghiem
    0123"), those a spelling of which has no word (tried always), and the most words a spelling has."""
    by_words: dict[str, set[int]] = {}
    always: list[int] = []
    for i, prov in enumerate(_provinces(holdings)):
        for pattern in prov.patterns:
            body = pattern.pattern.removeprefix(_LEAD).removesuffix(_TAIL)
            words = _TOKEN.findall(body)  # re.escape leaves letters and digits as they are
            if not words or len(body) != len(pattern.pattern) - len(_LEAD) - len(_TAIL):
                always.append(i)
            else:  # a match is these words of the folded question, one after another
                by_words.setdefault(" ".join(words), set()).add(i)
    longest = max((key.count(" ") + 1 for key in by_words), default=1)
    return {k: tuple(sorted(ids)) for k, ids in by_words.items()}, tuple(sorted(set(always))), longest


def _named_units(folded: str, holdings: tuple[tuple[str, str], ...]) -> list[Province]:
    """The units whose patterns may match `folded` (the words of one of their spellings stand
    in it one after another), in `provinces` order: the others cannot match, so are not tried."""
    units = _provinces(holdings)
    by_words, always, longest = _spelled(holdings)
    ids = set(always)
    words = _TOKEN.findall(folded)
    for n in range(1, longest + 1):
        for i in range(len(words) - n + 1):
            ids.update(by_words.get(" ".join(words[i : i + n]), ()))
    return [units[i] for i in sorted(ids)]


def reorganised_on() -> str:
    """The date the 34 units took over from the 63 (ISO, from data/admin_units.yaml)."""
    return str(_data("admin_units.yaml")["effective"])


def unit_plans(p: Province, holdings: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The plans held for a unit: its own and, for a unit of the 34, those of the earlier
    units it took in."""
    by_name = _by_name(holdings)
    return tuple(
        dict.fromkeys([*p.plans, *(pid for old in p.merged if old in by_name for pid in by_name[old].plans)])
    )


def province_named(name: str, holdings=None) -> Province | None:
    """The unit called `name` (any case, with or without diacritics)."""
    key = fold(" ".join(name.split()))
    return next((p for p in provinces(holdings) if fold(p.name) == key or fold(p.full) == key), None)


def unit_phrase(p: Province) -> str:
    """'tỉnh Kiên Giang', 'thành phố Hải Phòng' (from the unit's full name)."""
    if p.full and p.full.endswith(p.name):
        return p.full[: -len(p.name)].lower() + p.name
    return p.name


@lru_cache(maxsize=1)
def topics() -> tuple[Topic, ...]:
    raw = yaml.safe_load(
        resources.files("assistant").joinpath("data/topics.yaml").read_text(encoding="utf-8")
    )
    return tuple(
        Topic(
            e["id"],
            e["label_vi"],
            e["label_en"],
            tuple(e["vi"]),
            tuple(x.lower() for x in e["en"]),
            str(e.get("asks") or ""),
        )
        for e in raw
    )


def topic_by_id(topic_id: str) -> Topic:
    for t in topics():
        if t.id == topic_id:
            return t
    raise KeyError(f"unknown topic {topic_id!r}")


@lru_cache(maxsize=1)
def intent_patterns() -> dict[str, re.Pattern]:
    raw = yaml.safe_load(
        resources.files("assistant").joinpath("data/intents.yaml").read_text(encoding="utf-8")
    )
    # each phrase matches whole words only: "ai lam" must not match inside "phai lam"
    return {
        intent: re.compile("|".join(f"(?<![a-z0-9])(?:{p})(?![a-z0-9])" for p in phrases))
        for intent, phrases in raw.items()
    }


_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»")
#: a title in quotes, single ones too ("'coordination activities'", not the "'s" of "what's")
_TITLED = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»|‘[^’]*’|(?<![a-z0-9])'[^']+'(?![a-z0-9])")
#: "2nd", "9th", "second": English however short the question ("the 9th").
_EN_ORDINAL = re.compile(
    r"\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|one"
)


def detect_lang(text: str) -> str:
    """'vi' or 'en'. Place and agency names and quoted titles do not count: "Who leads
    “Hội nhập về giáo dục nghề nghiệp” in Cà Mau?" is English."""
    text = _QUOTED.sub(" ", text)
    folded = fold(text)
    spans = [m.span() for prov in _provinces(()) for p in prov.patterns for m in p.finditer(folded)]
    spans += [(m.start, m.end) for m in find_agencies(text)]
    rest = "".join(" " if any(s <= i < e for s, e in spans) else ch for i, ch in enumerate(text))
    words = re.findall(r"\w+", rest.lower())
    en = sum(w in _EN_WORDS or bool(_EN_ORDINAL.fullmatch(w)) for w in words)
    marked = sum(has_diacritics(w) for w in words)
    vi = marked + sum(fold(w) in _VI_WORDS and not has_diacritics(w) for w in words)
    if marked == 0:
        return "en" if en > vi else "vi"
    return "en" if en >= 3 and en > 2 * marked else "vi"


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(s, e):
            chars[i] = " "
    return "".join(chars)


@lru_cache(maxsize=8)
def _by_name(holdings: tuple[tuple[str, str], ...]) -> dict[str, Province]:
    return {p.name: p for p in _provinces(holdings)}


@lru_cache(maxsize=1)
def _merged_into() -> re.Pattern:
    return re.compile(rf"(?<![a-z])(?:{_data('shapes.yaml')['merged_into']})\s*$")


@lru_cache(maxsize=1)
def _merged_cue() -> re.Pattern:
    return re.compile(rf"(?<![a-z])(?:{_data('shapes.yaml')['merged_into']})(?![a-z])")


def understand(question: str, holdings: tuple[tuple[str, str], ...] | None = None) -> Query:
    """Parse one question (no conversation context). `holdings` are (province, plan id) of the
    plans held (default: the corpus folder's)."""
    folded = fold(question)
    q = Query(text=question, lang=detect_lang(question))
    masked_spans: list[tuple[int, int]] = []
    holdings = plan_holdings() if holdings is None else tuple(holdings)
    named: set[str] = set()
    as_home: set[str] = set()
    for prov in _named_units(folded, holdings):  # per question: the units it may name, not all
        for pattern in prov.patterns:
            m = pattern.search(folded)
            if not m or any(s <= m.start() < e for s, e in masked_spans):
                continue
            masked_spans.append(m.span())
            for again in pattern.finditer(folded, m.end()):  # "hai duong …, ke hoach hai duong cu"
                if not any(s <= again.start() < e for s, e in masked_spans):
                    masked_spans.append(again.span())
            found = list(prov.plans)
            if _merged_into().search(folded[max(0, m.start() - 32) : m.start()]):
                as_home.update(found)  # named as where another province went
            else:
                named.update(found)
            # a unit of the 34 that took in earlier provinces: their plans are its plans now
            by_name = _by_name(holdings) if prov.merged else {}
            for old in prov.merged:
                for pid in by_name[old].plans if old in by_name else ():
                    found.append(pid)
                    q.successors.setdefault(pid, prov.name)
            for pid in found:
                if pid not in q.provinces:
                    q.provinces.append(pid)
            if not found and prov.name not in q.unknown_provinces:
                q.unknown_provinces.append(prov.name)
                now = _by_name(holdings).get(prov.now) if prov.now != prov.name else None
                held = unit_plans(now, holdings) if now is not None else ()
                if held:  # "Kon Tum", now part of a unit whose earlier plan is held: not that plan
                    q.absorbed.append((prov.name, now.name, held))
            break
    if q.successors or q.absorbed:  # "… giờ thuộc Hải Phòng": the merger is context, not content
        masked_spans += [m.span() for m in _merged_cue().finditer(folded)]
    absorbed_into = {pid for _, _, held in q.absorbed for pid in held}
    for pid in as_home - named:  # "Kon Tum has merged into Quảng Ngãi": its plan is not Kon Tum's
        if pid in absorbed_into and pid in q.provinces:
            q.provinces.remove(pid)
            q.successors.pop(pid, None)
    # "kể tên các sở, ngành …", "các sở ngành nào …": the bodies asked for, not an agency named
    asked_bodies = [m.span() for m in vocabulary().list_agencies.finditer(folded)]
    for mention in find_agencies(question):
        if any(a < mention.end and mention.start < b for a, b in asked_bodies):
            continue
        if not mention.agency.group:  # "vocational schools" also names a topic
            masked_spans.append((mention.start, mention.end))
        if _EXCEPT.search(folded[max(0, mention.start - 48) : mention.start]):
            continue  # "ngoài các sở ngành và UBND huyện, còn ai …": not the bodies asked about
        if mention.agency.id not in q.agencies and mention.agency.id not in ("ubnd-tinh",):
            q.agencies.append(mention.agency.id)
    rest = _mask(folded, masked_spans)
    q.rest = rest
    reference = _reference(q.lang)
    patterns = intent_patterns()
    q.compare = bool(patterns["compare"].search(rest)) or len(q.provinces) + len(q.unknown_provinces) > 1
    # "section II.6 'coordination activities'": the title quoted beside a node's markers names
    # the node, it does not ask for its coordinators
    asking = _TITLED.sub(" ", rest) if len(numbered_path(rest)) > 1 else rest
    for intent in INTENT_ORDER:
        if patterns[intent].search(asking):
            actor_named = any(not agency_by_id(a).group for a in q.agencies)
            if intent == "agency_duty" and not actor_named and not reference.search(rest):
                continue
            q.intent = intent
            break
    goal = [m for m in _GOAL_WORDS.finditer(rest) if not _sets_not_reaches(m, rest, question)]
    if q.intent == "timing" and goal and not re.search(_ASPECTS["review"], rest):
        q.intent = "target"  # "what level must it reach, by which year?" asks for a goal with its year
    actors = [a for a in q.agencies if not agency_by_id(a).group]
    if q.intent is None and actors:
        q.intent = "agency_duty"  # "compare what Sở X must do in A and B" too
    if (
        q.intent == "agency_duty"
        and patterns["timing"].search(rest)
        and re.search(_ASPECTS["report_deadline"], rest)
    ):
        q.intent = "timing"  # "by what date must reports reach Sở X?" asks a deadline, not X's duties
    if q.intent == "lead" and actors and not q.compare:
        q.intent = "agency_duty"  # "what does Sở X lead?" is a question about the agency
    # "có hiệu lực kể từ ngày ký?": the moment it takes effect from names no signer, no date
    plain = vocabulary().effect_from.sub(" ", rest) if re.search(_ASPECTS["effect"], rest) else rest
    asks_body, lead_words, body_intents, _, sources = doers()
    asking_body = asks_body.search(rest) and not lead_words.search(rest) and not sources.search(rest)
    if asking_body and q.intent in body_intents:
        q.doer_from = q.intent
        # "Ai lập dự toán kinh phí?" asks a body, not a funding source; "at district level, who
        # allocates money?" asks what that body is given to do
        q.intent = "agency_duty" if actors else "lead"
    q.doer = bool(asking_body) and not actors and q.intent == "lead"
    for aspect, pattern in _ASPECTS.items():
        if re.search(pattern, plain):
            q.aspects.add(aspect)
    q.years = _YEAR.findall(folded)
    for topic in topics():
        hit = any(re.search(rf"(?<![a-z]){re.escape(p)}(?![a-z])", rest) for p in topic.vi + topic.en)
        if hit:
            q.topics.append(topic.id)
            if q.lang == "en" or not has_diacritics(question):
                q.expansions.extend(topic.vi)
    # "sở đó", "cơ quan này" point back at an agency: not content words
    words = re.findall(r"[0-9a-z]+(?:[/.-][0-9a-z]+)*", reference.sub(" ", rest))
    if q.lang == "en":  # "focal-point", "follow-up": the English words, each looked up
        words = [p for w in words for p in ([w] if any(c.isdigit() for c in w) else re.split(r"[/.-]", w))]
    q.terms = [w for w in words if w not in _STOP and len(w) > 1]
    if q.lang == "vi":  # "lập kế hoạch": the plans' "xây dựng" searched too
        from assistant.matching import synonyms_vi  # (matching imports this module)

        q.expansions.extend(p for w in q.terms for p in synonyms_vi().get(w, ()))
    q.followup = bool(_FOLLOWUP.search(folded.strip()))
    q.refers_back = bool(reference.search(rest))
    q.pick = pick_of(" ".join(_QUOTED.sub(" ", rest).split()))
    q.refers_activity = bool(_ACTIVITY_REF.search(rest) or _activity_object().search(rest))
    matched = [i for i in INTENT_ORDER if patterns[i].search(asking)]
    shape = detect_shape(q, rest, matched, bool(actors))
    q.shape, q.section, q.asks, q.across, q.role, q.ordinal, q.within = (
        shape.kind,
        shape.section,
        shape.asks,
        shape.across,
        shape.role,
        shape.ordinal,
        shape.within,
    )
    q.yesno = shape.yesno
    if q.yesno and not q.role:
        q.claims, q.concept = tuple(claimed(rest, counted_words())), concept(folded)
        kinds = {v.kind for v in q.claims}
        if q.intent is None and q.shape == "yesno":  # "Is the deadline 31 December?" asks a time
            q.intent = next((i for k, i in _CLAIM_INTENTS if k in kinds), None)
    # "liệt kê đầy đủ", "walk me through" say how to answer, not what about; so does "đặt"
    q.rest = vocabulary().asking.sub(" ", q.rest)
    for m in reversed([m for m in _GOAL_WORDS.finditer(q.rest) if _sets_not_reaches(m, q.rest, question)]):
        q.rest = q.rest[: m.start()] + " " * len(m.group(0)) + q.rest[m.end() :]
    q.rest = reference.sub(" ", q.rest)  # "họ", "sở này", "its": whom it asks about, not what
    if q.across and actors and q.intent == "legal_basis":
        q.intent = "agency_duty"  # "which plans give Sở X tasks?" asks about the agency, not a document
    return q
