"""Number the passages an answer rests on; each citation is a verbatim span of its plan."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from assistant.types import Citation
from corpus import Plan
from index.chunking import Chunk

#: A citation marker in an answer's text, "[2]" (group 1: its number).
MARKER = re.compile(r"\[(\d+)\]")


class CitationSet:
    """Markers [1], [2], … for spans, the same span always getting the same marker."""

    def __init__(self, plans: dict[str, Plan], chunks: Mapping[str, Sequence[Chunk]] | Sequence[Chunk]):
        """`chunks`: plan id -> its chunks (e.g. `LexicalIndex.by_plan`), or a list of chunks."""
        self.plans = plans
        if isinstance(chunks, Mapping):
            self.chunks_by_plan = chunks
        else:
            self.chunks_by_plan = {}
            for c in chunks:
                self.chunks_by_plan.setdefault(c.plan, []).append(c)
        self._items: list[Citation] = []
        self._keys: dict[tuple[str, int, int], int] = {}

    def _chunk_id(self, plan: str, start: int, end: int) -> str:
        best, best_overlap = "", 0
        for c in self.chunks_by_plan.get(plan, ()):
            overlap = min(end, c.end) - max(start, c.start)
            if overlap > best_overlap:
                best, best_overlap = c.id, overlap
        return best

    def cite(self, plan: str, start: int, end: int, section: str) -> str:
        """The marker for plan_text[start:end], e.g. '[2]'."""
        text = self.plans[plan].text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        key = (plan, start, end)
        if key not in self._keys:
            marker = len(self._items) + 1
            self._keys[key] = marker
            self._items.append(
                Citation(
                    marker=marker,
                    chunk_id=self._chunk_id(plan, start, end),
                    plan=plan,
                    province=self.plans[plan].province,
                    section=section,
                    text=text[start:end],
                    start=start,
                    end=end,
                )
            )
        return f"[{self._keys[key]}]"

    def cite_span(self, span) -> str:
        """Cite a facts.Span or anything with plan/start/end/section."""
        return self.cite(span.plan, span.start, span.end, span.section)

    @property
    def citations(self) -> list[Citation]:
        return list(self._items)
