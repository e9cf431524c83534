"""The answer per intent, for one province's plan: who (lead, coordinate, agency duty), what
(timing, funding, target), documents (legal basis, issuer) and the general extractive answer."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.types import ListedItem


@dataclass
class Part:
    """What one province's plan says for the question."""

    lines: list[str] = field(default_factory=list)
    found: bool = False
    missing: str = ""  # what the plan does not state (when not found)
    score: float = 0.0  # how well the best line covers the question
    gaps: list[str] = field(default_factory=list)  # parts of a multi-part question not stated
    structural: bool = False  # read from the outline (a part, a count): no content gate
    extractive: bool = False  # the best-matching sentences, not a fact: the stricter content gate
    number: int | None = None  # a count's number (compared across plans in the lead sentence)
    own_lines: int = 0  # the first lines are of the part the question is about: a claim is judged there first
    unstated: bool = False  # a yes/no "No": the plan states nothing of the kind asked (nearest line shown)
    verdict: str = ""  # a yes/no question read from the facts: "yes" or "no" ("" not decided here)
    pinned: tuple[int, ...] = ()  # lines always shown (each asked part's answer), beside a part's items
    listed: list[ListedItem] = field(default_factory=list)  # the items its lines list, in order
    subject: tuple[str, ...] = ()  # the agencies it answers with (what a follow-up's "it", "họ" is)
    of_activity: bool = False  # those agencies are an activity's leads (its partners work "with them")
    extra: list[str] = field(default_factory=list)  # cited lines kept among the passages not shown
