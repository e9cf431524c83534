"""The agency registry (data/agencies.yaml): find agencies named in plan text or questions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from assistant.text import fold


@dataclass(frozen=True)
class Agency:
    id: str
    vi: str
    en: str
    abbr: str
    patterns: tuple[re.Pattern, ...]
    group: bool = False  # a kind of body (schools, mass organisations), not one agency with duties

    def bilingual(self) -> str:
        """'Department of Finance (Sở Tài chính)'."""
        return f"{self.en} ({self.vi})"


@dataclass(frozen=True)
class AgencyMention:
    agency: Agency
    start: int
    end: int


@lru_cache(maxsize=1)
def registry() -> tuple[Agency, ...]:
    raw = yaml.safe_load(
        resources.files("assistant").joinpath("data/agencies.yaml").read_text(encoding="utf-8")
    )
    return tuple(
        Agency(
            id=e["id"],
            vi=e["vi"],
            en=e["en"],
            abbr=e.get("abbr") or "",
            patterns=tuple(re.compile(p) for p in (*_own_names(e), *e["patterns"])),
            group=bool(e.get("group", False)),
        )
        for e in raw
    )


def _own_names(entry: dict) -> list[str]:
    """The agency's own names, Vietnamese and English, as patterns: "Department of Labour,
    Invalids and Social Affairs" is one mention, not "Department of Labour" and leftover words."""
    names = [fold(entry[k]).strip() for k in ("en", "vi") if entry.get(k)]
    return [rf"(?<![a-z0-9]){re.escape(n)}(?![a-z0-9])" for n in names if len(n) > 3]


def agency_by_id(agency_id: str) -> Agency:
    for agency in registry():
        if agency.id == agency_id:
            return agency
    raise KeyError(f"unknown agency id {agency_id!r}")


def find_agencies(text: str) -> list[AgencyMention]:
    """Agencies named in `text`, leftmost-longest, without overlaps; positions index `text`."""
    folded = fold(text)
    found: list[AgencyMention] = []
    for agency in registry():
        for pattern in agency.patterns:
            for m in pattern.finditer(folded):
                if m.end() > m.start():
                    found.append(AgencyMention(agency, m.start(), m.end()))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out: list[AgencyMention] = []
    taken_until = -1
    for mention in found:
        if mention.start >= taken_until:
            out.append(mention)
            taken_until = mention.end
        elif (
            out
            and mention.start == out[-1].start
            and mention.end == out[-1].end
            and all(m.agency.id != mention.agency.id for m in out if m.start == mention.start)
        ):
            out.append(mention)  # one phrase naming two agencies ("Sở Văn hóa"): keep both
    return out


def agency_ids(text: str) -> list[str]:
    """Distinct agency ids named in `text`, in order of first mention."""
    seen: dict[str, None] = {}
    for mention in find_agencies(text):
        seen.setdefault(mention.agency.id, None)
    return list(seen)
