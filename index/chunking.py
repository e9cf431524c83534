"""Cut a plan into chunks that follow its sections and fit the token budgets.

Budget: 256 tokens of tiktoken's o200k_base (about 850 characters of Vietnamese, two to four
bullets). Small enough that a chunk speaks of one activity and a citation points at the
lines that matter; large enough to keep a heading with its bullets. Eight chunks fit a
2,000-token LLM evidence budget. The embedding model's own limit (510 tokens, heading path
included) is checked separately when its tokenizer is given.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from corpus import Plan
from index.structure import Section, parse_plan
from index.tokens import count_tokens

CHUNK_TOKEN_BUDGET = 256
MODEL_TOKEN_LIMIT = 510
_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+|\n+")
_CLAUSE_END = re.compile(r"(?<=[,])\s+")
_WORD_END = re.compile(r"\s+")
_GROUPING_KINDS = ("item", "article")


@dataclass(frozen=True)
class Chunk:
    """A passage of a plan: `text == plan.text[start:end]`."""

    id: str
    plan: str
    province: str
    section: str  # heading path, " › "-joined
    item: str  # the top two levels of the path (part › numbered item), for grouping
    start: int
    end: int
    text: str
    ordinal: int

    @property
    def content_hash(self) -> str:
        """Changes when the text or its heading context changes (what the embedding sees)."""
        return hashlib.sha1(self.embed_text.encode("utf-8")).hexdigest()

    @property
    def embed_text(self) -> str:
        """What is embedded and searched: the province and heading path give the passage context."""
        return f"{self.province} › {self.section}\n{self.text}"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class _Chunker:
    def __init__(self, plan: Plan, budget: int, model_tokens: Callable[[str], int] | None):
        self.plan = plan
        self.text = plan.text
        self.budget = budget
        self.model_tokens = model_tokens
        self.spans: list[tuple[int, int, Section]] = []

    def fits(self, start: int, end: int, node: Section) -> bool:
        piece = self.text[start:end]
        if count_tokens(piece) > self.budget:
            return False
        if self.model_tokens is not None:
            context = f"passage: {self.plan.province} › {node.path_text}\n{piece}"
            if self.model_tokens(context) > MODEL_TOKEN_LIMIT:
                return False
        return True

    def emit(self, start: int, end: int, node: Section) -> None:
        start, end = _trim(self.text, start, end)
        if start < end:
            self.spans.append((start, end, node))

    def node(self, node: Section) -> None:
        items = [c for c in node.children if c.kind in _GROUPING_KINDS]
        whole_ok = len(items) <= 1 or node.kind in _GROUPING_KINDS
        if whole_ok and self.fits(node.start, node.end, node):
            self.emit(node.start, node.end, node)
            return
        if not node.children:
            self.leaf(node.start, node.end, node)
            return
        self.split(node)

    def split(self, node: Section) -> None:
        """Pack the node's head and children into chunks; numbered items never share one."""
        has_items = any(c.kind in _GROUPING_KINDS for c in node.children)
        head_start, head_end = _trim(self.text, node.start, node.children[0].start)
        bare_head = (head_start, head_end) == (node.line_start, node.line_end)
        pieces: list[tuple[int, int, Section | None]] = []
        if head_start < head_end and not (bare_head and has_items):
            pieces.append((head_start, head_end, None))
        pieces += [(c.start, c.end, c) for c in node.children]
        group: list[tuple[int, int, Section | None]] = []
        head_piece = pieces[0] if pieces and pieces[0][2] is None and bare_head else None

        def flush() -> None:
            if group and group != [head_piece]:  # a bare heading alone is no passage
                only = group[0][2] if len(group) == 1 else None
                self.emit(group[0][0], group[-1][1], only or node)
            group.clear()

        for piece in pieces:
            start, end, child = piece
            if child is not None and child.kind in _GROUPING_KINDS:
                flush()
                self.node(child)
            elif group and self.fits(group[0][0], end, node):
                group.append(piece)
            else:
                flush()
                if self.fits(start, end, child or node):
                    group.append(piece)
                elif child is not None:
                    self.node(child)
                else:
                    self.leaf(start, end, node)
        flush()

    def leaf(self, start: int, end: int, node: Section) -> None:
        """Split an oversized run of text at sentence, then clause, then word boundaries."""
        for pattern in (_SENTENCE_END, _CLAUSE_END, _WORD_END):
            cuts = [m.end() for m in pattern.finditer(self.text, start, end)]
            bounds = [start, *[c for c in cuts if start < c < end], end]
            if len(bounds) > 2:
                break
        group_start = bounds[0]
        prev = bounds[0]
        for cut in bounds[1:]:
            if not self.fits(group_start, cut, node):
                if prev == group_start:  # a single unsplittable piece: fall to a finer pattern
                    if pattern is _WORD_END:
                        raise ValueError(f"cannot fit text at {start}:{end} of {self.plan.id} in the budget")
                    self.leaf(group_start, cut, node)
                    group_start = prev = cut
                    continue
                self.emit(group_start, prev, node)
                group_start = prev
            prev = cut
        if group_start < end:
            if self.fits(group_start, end, node):
                self.emit(group_start, end, node)
            else:
                self.leaf(group_start, end, node)


def chunk_plan(
    plan: Plan,
    budget: int = CHUNK_TOKEN_BUDGET,
    model_tokens: Callable[[str], int] | None = None,
) -> list[Chunk]:
    """The chunks of one plan, in text order. `model_tokens` counts the embedding model's tokens."""
    if budget < 16:
        raise ValueError(f"budget must be at least 16 tokens. Currently, budget is {budget}")
    root = parse_plan(plan.text)
    chunker = _Chunker(plan, budget, model_tokens)
    for part in root.children:
        chunker.node(part)
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for ordinal, (start, end, node) in enumerate(sorted(chunker.spans, key=lambda s: s[0])):
        path = node.path
        section = " › ".join(path)
        text = plan.text[start:end]
        digest = hashlib.sha1(f"{section}\n{text}".encode()).hexdigest()[:16]
        n = seen.get(digest, 0)
        seen[digest] = n + 1
        chunk_id = f"{plan.id}:{digest}" + (f"-{n}" if n else "")
        chunks.append(
            Chunk(
                id=chunk_id,
                plan=plan.id,
                province=plan.province,
                section=section,
                item=" › ".join(path[:2]),
                start=start,
                end=end,
                text=text,
                ordinal=ordinal,
            )
        )
    return chunks
