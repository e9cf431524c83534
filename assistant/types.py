"""The typed results the assistant returns: citations and answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Citation:
    """A cited passage: `text` is exactly `plan_text[start:end]` of plan `plan`."""

    marker: int  # the number shown in the answer as [marker]
    chunk_id: str
    plan: str  # plan id, e.g. "ca-mau"
    province: str  # "Cà Mau"
    section: str  # heading path, e.g. "II. NỘI DUNG › 3. Hội nhập về giáo dục nghề nghiệp"
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class ListedItem:
    """One item of a list an answer gave (an outline node), kept so that a follow-up can pick
    it by its place ("cái thứ hai", "the last one"): `start:end` is the whole node in plan `plan`."""

    plan: str
    start: int  # the item's first line
    end: int  # the end of the item with everything under it
    section: str  # heading path of the item
    title: str  # the item as the list showed it


@dataclass(frozen=True)
class RetrievedPassage:
    """A passage the retriever found, with its rank score (for retrieval metrics)."""

    chunk_id: str
    plan: str
    province: str
    section: str
    text: str
    start: int
    end: int
    score: float


@dataclass
class Answer:
    """What `Assistant.ask` returns."""

    question: str
    text: str
    lang: str  # "vi" or "en"
    abstained: bool
    intent: str
    provinces: list[str] = field(default_factory=list)  # plan ids the answer covers
    citations: list[Citation] = field(default_factory=list)
    retrieved: list[RetrievedPassage] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    notice: str = ""  # a message about the input (rejected, truncated), shown to the user
    more_plans: list[str] = field(default_factory=list)  # plan ids that also match, beyond `provinces`
    support: str = "supported"  # how well the cited lines answer: supported | partial | not_found
    coverage: float = 1.0  # share of the question's content the cited lines cover (assistant.answerability)
    gate: str = ""  # the threshold that share was held to ("answer" or "answer_facts"; "": none)
    hidden: int = 0  # the last this many citations are passages the text leaves out ("show all")

    @property
    def shown(self) -> list[Citation]:
        """The citations the text shows ([n] markers); the others follow them in `citations`."""
        return self.citations[: len(self.citations) - self.hidden]

    def to_dict(self) -> dict:
        return asdict(self)
