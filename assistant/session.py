"""Conversation state: what the last turns established, so follow-ups inherit it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from assistant.types import ListedItem
from assistant.understand import Query, topic_by_id

#: Turns kept in `Session.history` (only the last turn's state is used to resolve follow-ups).
MAX_HISTORY = 50
#: What a pronoun ("nó", "it") asks of the agency the last answer named: its partners, its duties.
AGENCY_ASKS = ("coordinate", "agency_duty")


@dataclass
class Session:
    """Keeps the resolved query of the last turn. A new explicit question starts fresh."""

    state: Query | None = None
    history: list[tuple[str, str]] = field(default_factory=list)  # (question, answer text)
    listed: tuple[ListedItem, ...] = ()  # the items of the list an answer last gave, in order
    listed_kind: str = ""  # the part that list was asked as (Query.section: "tasks", "solutions")
    subject: tuple[str, ...] = ()  # agency ids the last answer named as its subject (a pronoun's)
    of_activity: bool = False  # the subject leads the activity the last answer was about

    def reset(self) -> None:
        self.state = None
        self.history.clear()
        self.listed, self.listed_kind, self.subject, self.of_activity = (), "", (), False

    def resolve(self, q: Query) -> Query:
        """The question with what it leaves unsaid taken from the previous turn."""
        prev = self.state
        if prev is None:
            return q
        picked = self._picked(q)
        if picked is not None:
            return picked
        if _explicit(q):
            return q
        if not _continues(q):
            if q.shape == "social" or q.across or q.compare or not prev.provinces or len(q.terms) < 2:
                return q  # noise ("alert(1)") or a turn about all plans
            # "Who appraises the estimates?" in a talk about one plan: asked of that plan
            return replace(q, provinces=list(prev.provinces), successors=dict(prev.successors))
        merged = replace(
            q,
            provinces=list(q.provinces),
            topics=list(q.topics),
            agencies=list(q.agencies),
            aspects=set(q.aspects),
            terms=list(q.terms),
            expansions=list(q.expansions),
        )
        if not q.provinces and not q.unknown_provinces:
            merged.provinces = list(prev.provinces)
            merged.successors = dict(prev.successors)  # still named by the unit it is part of now
            merged.unknown_provinces = list(prev.unknown_provinces)
            merged.absorbed = list(prev.absorbed)
        inherit_subject = q.intent is None or q.followup or q.refers_back or not (q.topics or q.agencies)
        if (
            q.intent is not None
            and q.agencies
            and set(q.agencies) != set(prev.agencies)
            and not q.refers_back
        ):
            inherit_subject = False  # "And what do the district committees do?": a new subject
        if q.intent is None:
            merged.intent = prev.intent
            merged.aspects = set(prev.aspects) | set(q.aspects)
        if not q.topics and inherit_subject:
            merged.topics = list(prev.topics)
            merged.expansions = list(prev.expansions) + list(q.expansions)
        elif q.refers_activity or _asks_only(q):
            # "kinh phí cho hoạt động đó", "And the funding?": that activity, and what is asked of it
            merged.topics = list(dict.fromkeys([*prev.topics, *q.topics]))
            merged.expansions = list(prev.expansions) + list(q.expansions)
        bare = not (q.topics or q.provinces or q.unknown_provinces or q.years)
        if not q.agencies and (
            q.refers_back
            or q.intent is None
            or (q.followup and prev.intent == "agency_duty")
            or (bare and q.intent == "coordinate")  # "Phối hợp với sở nào?" after "Sở X làm gì?"
        ):
            merged.agencies = list(prev.agencies)
        own_subject = bool(q.topics) and not (q.refers_activity or q.refers_back or _asks_only(q))
        if inherit_subject and not own_subject:
            # ("And what about children's participation?" names its own subject: not the last one's words)
            merged.terms = list(prev.terms) + [w for w in q.terms if w not in prev.terms]
            merged.rest = f"{prev.rest} | {q.rest}"
        if not q.shape and q.intent is None and prev.shape not in ("social", "multi"):
            # "còn Cà Mau?" after "how many solutions …?" asks the same of another plan
            merged.shape, merged.section, merged.role = prev.shape, prev.section, prev.role
        if not q.shape and q.intent is None and prev.shape == "multi":
            merged.shape, merged.asks = prev.shape, prev.asks
        own_topics = q.topics and not _asks_only(q)
        if prev.focus is not None and not (own_topics or q.agencies or q.provinces or q.section or q.pick):
            # "Kinh phí thì sao?" after "Ai chủ trì cái thứ hai?": still that item
            merged.focus, merged.pick, merged.listed = prev.focus, prev.pick, prev.listed
            merged.shape, merged.section = "", ""
        if (
            q.refers_back
            and not q.refers_activity
            and not q.agencies
            and not prev.agencies
            and self.subject
            and merged.intent in AGENCY_ASKS
            and not (merged.intent == "coordinate" and self.of_activity)  # "who works with them on it"
        ):  # "Nó phối hợp với ai?" after an answer naming the agency that leads: asked of it
            merged.agencies = list(self.subject)
            merged.topics, merged.terms, merged.expansions = list(q.topics), list(q.terms), list(q.expansions)
            merged.rest = q.rest
        return merged

    def _picked(self, q: Query) -> Query | None:
        """The question as one about the item it picks by its place from the list the last
        answer gave ("Nhiệm vụ thứ hai là gì?", "who leads the last one?"); None when it picks
        none, or names a subject, a place or another part of its own."""
        if not (q.pick and self.listed) or q.topics or q.agencies or q.years or q.unknown_provinces:
            return None
        if q.section and q.section != self.listed_kind:
            return None  # "giải pháp thứ 5" after a list of tasks asks of the solutions
        plans = [x.plan for x in self.listed]
        if q.provinces and not set(q.provinces) & set(plans):
            return None
        n = len(self.listed)
        k = n if q.pick < 0 else q.pick
        focus = self.listed[k - 1] if 0 < k <= n else None
        structural = q.shape in ("section", "count", "summary")
        provinces = [focus.plan] if focus else list(dict.fromkeys(plans))
        held = self.state.successors if self.state else {}
        return replace(
            q,
            provinces=provinces,
            successors={p: held[p] for p in provinces if p in held},  # "An Giang" asked: still so
            focus=focus,
            listed=n,
            pick=k,
            shape="" if structural else q.shape,
            section="",
            ordinal=0,
        )

    def record(
        self,
        q: Query,
        answer_text: str,
        listed: tuple[ListedItem, ...] = (),
        subject: tuple[str, ...] = (),
        of_activity: bool = False,
    ) -> None:
        """Keep the turn: its resolved query, the list its answer gave (a turn that picked an
        item of the last list keeps that list) and the agencies its answer is about."""
        self.state = q
        if not q.listed:
            self.listed, self.listed_kind = tuple(listed), q.section
        self.subject, self.of_activity = tuple(subject), of_activity
        self.history.append((q.text, answer_text))
        del self.history[:-MAX_HISTORY]


def _asks_only(q: Query) -> bool:
    """The question's only topics are what its intent asks ("kinh phí" asking a funding)."""
    return bool(q.topics) and all(topic_by_id(x).asks == q.intent for x in q.topics)


def _continues(q: Query) -> bool:
    """A follow-up says something the last turn can be continued with: a place, an intent,
    a topic, an agency, a year, or a follow-up word ("còn", "and", "sở đó")."""
    return bool(
        q.followup
        or q.refers_back
        or q.provinces
        or q.unknown_provinces
        or q.intent
        or q.topics
        or q.agencies
        or q.years
        or q.aspects
        or q.section  # "giải pháp thứ 5 là gì?" after "how many solutions does Cà Mau have?"
    )


def _explicit(q: Query) -> bool:
    """A question complete on its own: an intent, a place and a subject, and no follow-up words."""
    if q.followup or q.refers_back:
        return False
    has_place = bool(q.provinces or q.unknown_provinces)
    has_subject = bool(q.topics or q.agencies or len(q.terms) >= 3)
    return (q.intent is not None and has_place and has_subject) or (has_place and len(q.terms) >= 4)
