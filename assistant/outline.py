"""A plan's outline as the answers use it: its parts, a part found by what its heading means
(data/shapes.yaml `sections`), and the items of a part, each with the verbatim span to cite."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.shapes import vocabulary
from assistant.text import fold
from corpus import Plan
from index.structure import LINE_MARKER, Section, own_text, parse_plan, sentence_spans

#: Node kinds that are items of a part when they hang directly under it.
ITEM_KINDS = ("item", "letter", "article", "star", "dash", "para")
#: A node's own text shorter than this, with children below it, is a heading.
HEADING_CHARS = 140
#: Bullets that a paragraph ending with ':' introduces when they follow it at its level.
BULLET_KINDS = ("star", "dash", "subdash")


@dataclass(frozen=True)
class Item:
    """One item of a part: `text` is shown (a heading or the first sentence), `start:end` is cited."""

    plan: str
    text: str
    start: int
    end: int
    section: str
    children: int  # items below it (a heading of a group)
    node: Section
    full: str = ""  # the item's whole own text


@dataclass(frozen=True)
class Part:
    """A part of the plan: its heading as written and its items."""

    plan: str
    heading: str
    start: int  # the heading line, to cite
    end: int
    section: str
    items: tuple[Item, ...]
    exact: bool  # found by its own heading words, not by a fallback heading
    node: Section


def heading_words(node: Section, text: str) -> str:
    """The folded heading without its marker and punctuation: "ii. noi dung thuc hien"→"noi dung thuc hien"."""
    line = text[node.line_start : node.line_end]
    m = LINE_MARKER.match(line)
    head = line[m.end() :] if m else line
    head = head.split(":")[0] if len(head.split(":")[0]) <= 90 else head
    return " ".join(re.sub(r"[^0-9a-z ]+", " ", fold(head)).split())


def opening(text: str, start: int, end: int, lines: int = 3, content: int = 80) -> int:
    """The end of a heading's opening lines: the heading, its first labels ("a) Nội dung hoạt
    động") and the first line of content, so one passage shows what the group is about."""
    at = start
    for _ in range(lines):
        nl = text.find("\n", at, end)
        stop = nl if nl >= 0 else end
        long = len(text[at:stop].strip()) > content
        at = stop
        if long or nl < 0:
            break
        at += 1
    return min(max(at, start), end)


def _first_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    spans = sentence_spans(text, start, end)
    return spans[0] if spans else (start, end)


class Outline:
    """The outline of one plan (parsed once; cheap to query)."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.root = parse_plan(plan.text)

    # -- parts -----------------------------------------------------------------------------
    def body_parts(self) -> list[Section]:
        """The numbered top parts of the plan (I., II., …), not its title, decision or recipients."""
        return [
            c for c in self.root.children if c.kind == "part" and c.marker and c.marker not in ("QĐ", "KH")
        ]

    def part(self, node: Section, exact: bool = True) -> Part:
        text = self.plan.text
        return Part(
            plan=self.plan.id,
            heading=text[node.line_start : node.line_end].rstrip(":").strip(),
            start=node.line_start,
            end=node.line_end,
            section=node.path_text,
            items=tuple(self.items(node)),
            exact=exact,
            node=node,
        )

    def find(self, kind: str) -> list[Part]:
        """The parts whose heading means `kind` (shallowest first; nested matches dropped)."""
        spec = vocabulary().sections.get(kind)
        if spec is None:
            return []
        for phrases, exact in ((spec.heading, True), (spec.fallback, False)):
            for phrase in phrases:
                found = self._matching(phrase)
                if found:
                    return [self.part(n, exact) for n in found]
        return []

    def _matching(self, phrase: str) -> list[Section]:
        """Nodes whose heading starts with the phrase, at the shallowest level they occur."""
        text = self.plan.text
        hits = [
            n
            for n in self.root.walk()
            if n.kind in ("part", "item", "letter") and heading_words(n, text).startswith(phrase)
        ]
        if not hits:
            return []
        top = min(n.level for n in hits)
        out: list[Section] = []
        for n in (n for n in hits if n.level == top):
            # a combined heading ("MỤC ĐÍCH, YÊU CẦU") gives way to its own matching children
            inner = [c for c in n.children if c in hits]
            out.extend(inner if inner and ("," in n.label or " và " in n.label) else [n])
        return out

    def at(self, path: tuple[str, ...]) -> Section | None:
        """The node a path of markers names ("III", "2", "b"): the top part with that Roman
        numeral, then at each step the node under it with that marker; None when one is missing."""
        node = (
            next((n for n in self.body_parts() if n.marker.upper() == path[0].upper()), None)
            if path
            else None
        )
        for marker in path[1:]:
            if node is None:
                return None
            node = next(
                (c for c in node.children if c.kind in ITEM_KINDS and c.marker.lower() == marker.lower()),
                None,
            )
        return node

    def within(self, part: Part, words: list[tuple[str, ...]]) -> Section | None:
        """The node under the part whose heading holds one phrase of every group (a topic)."""
        text = self.plan.text
        best = None
        for n in part.node.walk():
            if n is part.node or n.kind not in ("item", "letter", "star") or not n.children:
                continue
            head = heading_words(n, text)
            if all(
                any(re.search(rf"(?<![a-z]){re.escape(p)}(?![a-z])", head) for p in group) for group in words
            ):
                if best is None or n.start < best.start:
                    best = n
        return best

    def listed_under(self, start: int, end: int) -> list[Section]:
        """The items a line introduces ("… gồm:", "… như sau:" ending at `end`): the items under
        the node whose own line it is, else the bullets that follow it in its parent; [] when
        the line does not end with ':' or lists nothing."""
        text = self.plan.text
        if not text[start:end].rstrip().endswith(":"):
            return []
        node = None
        for n in self.root.walk():  # the deepest node whose own line holds the span's end
            if n.kind != "document" and n.line_start <= start < n.line_end + 1 and end <= n.line_end + 1:
                node = n
        if node is None:
            return []
        under = [c for c in node.children if c.kind in ITEM_KINDS]
        if under:
            return under
        if node.parent is None:
            return []
        siblings = node.parent.children
        out: list[Section] = []
        for c in siblings[siblings.index(node) + 1 :]:
            if c.kind not in BULLET_KINDS:
                break
            out.append(c)
        return out

    # -- items -----------------------------------------------------------------------------
    def items(self, node: Section) -> list[Item]:
        text = self.plan.text
        out = []
        for child in node.children:
            if child.kind not in ITEM_KINDS:
                continue
            start, end = own_text(text, child)
            if start >= end:
                continue
            grouped = [c for c in child.children if c.kind in ITEM_KINDS]
            if grouped and end - start <= HEADING_CHARS:
                shown = (start, end)
            else:
                shown = _first_sentence(text, start, end)
            out.append(
                Item(
                    plan=self.plan.id,
                    text=text[shown[0] : shown[1]].rstrip(":").strip(),
                    start=child.line_start,
                    end=end,
                    section=child.path_text,
                    children=len(grouped),
                    node=child,
                    full=text[start:end].rstrip(":").strip(),
                )
            )
        return out


_CACHE: dict[tuple[str, str], Outline] = {}


def outline_of(plan: Plan) -> Outline:
    """The plan's outline, parsed once per text."""
    key = (plan.id, plan.text)
    if key not in _CACHE:
        if len(_CACHE) > 256:
            _CACHE.clear()
        _CACHE[key] = Outline(plan)
    return _CACHE[key]
