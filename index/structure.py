"""Parse a plan's text into a tree of sections, each with its heading path and exact span."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Levels of the outline. A line's kind decides where it hangs in the tree.
LEVELS = {"document": 0, "part": 1, "article": 2, "item": 2, "letter": 3, "star": 4, "dash": 5, "para": 6}

_ROMAN = re.compile(r"(?P<marker>[IVX]{1,5})\.\s+(?P<rest>\S.*)")
_ITEM = re.compile(r"(?P<marker>\d{1,2})\.\s+(?P<rest>\S.*)")
_LETTER = re.compile(r"(?P<marker>[a-gđ])[\.\)]\s+(?P<rest>\S.*)")
_ARTICLE = re.compile(r"(?P<marker>Điều\s+\d+)\.\s+(?P<rest>\S.*)")
_DASH = re.compile(r"(?P<marker>-)\s*(?P<rest>\S.*)")
_STAR = re.compile(r"(?P<marker>\*)\s*(?P<rest>\S.*)")

#: Lines that open a part of their own, outside the numbered outline.
_DECISION_OPEN = re.compile(r"QUYẾT ĐỊNH\s*$")
_PLAN_OPEN = re.compile(r"KẾ HOẠCH\s*$")
_CLOSING_OPEN = re.compile(r"Trên đây là\b")
_RECIPIENTS_OPEN = re.compile(r"Nơi nhận\s*:")
_SIGNATURE_OPEN = re.compile(r"(KT\.\s*)?CHỦ TỊCH\s*$|TM\.\s")

#: The outline marker at the start of a line ("II. ", "3. ", "b) ", "Điều 1. ", "- ", "* ").
LINE_MARKER = re.compile(r"(?:[IVX]+|\d+|[a-gđ]|Điều \d+)[\.\)]\s+|[-*]\s*")
_SENTENCE_BREAK = re.compile(r"(?<=[.;!?])\s+(?=\S)")

#: A heading label longer than this is shortened in heading paths.
MAX_LABEL_CHARS = 90


@dataclass
class Section:
    """A node of the outline: `start:end` spans the node and all it contains in the plan text."""

    kind: str
    marker: str
    label: str  # short heading text shown in paths, e.g. "3. Hội nhập về giáo dục nghề nghiệp"
    line_start: int  # span of the node's own first line
    line_end: int
    start: int
    end: int
    children: list[Section] = field(default_factory=list)
    parent: Section | None = field(default=None, repr=False)

    @property
    def level(self) -> int:
        return LEVELS[self.kind]

    @property
    def path(self) -> list[str]:
        """Heading labels from the top part down to this node (bullets and paragraphs excluded)."""
        labels: list[str] = []
        node: Section | None = self
        while node is not None and node.kind != "document":
            if node.kind not in ("dash", "para"):
                labels.append(node.label)
            node = node.parent
        return labels[::-1]

    @property
    def path_text(self) -> str:
        return " › ".join(self.path)

    def walk(self):
        """This node and every descendant, in text order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def text(self, plan_text: str) -> str:
        return plan_text[self.start : self.end]

    def head_text(self, plan_text: str) -> str:
        return plan_text[self.line_start : self.line_end]


@dataclass(frozen=True)
class _Line:
    start: int
    end: int  # end of the text, trailing whitespace excluded
    text: str


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lead = len(body) - len(body.lstrip())
        stripped = body.strip()
        if stripped:
            start = pos + lead
            out.append(_Line(start, start + len(stripped), stripped))
        pos += len(raw)
    return out


def _shorten(label: str) -> str:
    label = " ".join(label.split())
    if len(label) <= MAX_LABEL_CHARS:
        return label
    cut = label[:MAX_LABEL_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _heading_label(marker_text: str, rest: str) -> str:
    """The heading part of a line: text before a colon if short, else the line, shortened."""
    head, sep, _tail = rest.partition(":")
    if sep and len(head) <= 70:
        rest = head
    return _shorten(f"{marker_text} {rest.rstrip(':').strip()}")


def _classify(line: str) -> tuple[str, str, str] | None:
    """(kind, marker, label) for an outline line, or None for a plain paragraph line."""
    for kind, pattern, fmt in (
        ("part", _ROMAN, "{}."),
        ("article", _ARTICLE, "{}."),
        ("item", _ITEM, "{}."),
        ("letter", _LETTER, None),
        ("star", _STAR, "*"),
        ("dash", _DASH, "-"),
    ):
        m = pattern.match(line)
        if not m:
            continue
        marker, rest = m.group("marker"), m.group("rest")
        if kind == "letter":
            # keep the plan's own punctuation: "a)" or "a."
            marker_text = line[: len(marker) + 1]
        else:
            marker_text = fmt.format(marker)
        if kind in ("star", "dash"):
            return kind, marker, _shorten(rest)
        return kind, marker, _heading_label(marker_text, rest)
    return None


def parse_plan(text: str) -> Section:
    """The section tree of one plan. The root spans the whole text."""
    root = Section("document", "", "", 0, 0, 0, len(text))
    lines = _lines(text)
    stack: list[Section] = [root]
    in_decision = False

    def open_node(kind: str, marker: str, label: str, line: _Line) -> Section:
        level = LEVELS[kind]
        while stack[-1].level >= level:
            stack.pop()
        parent = stack[-1]
        node = Section(kind, marker, label, line.start, line.end, line.start, line.end, parent=parent)
        parent.children.append(node)
        stack.append(node)
        return node

    def extend(line: _Line) -> None:
        for node in stack:
            node.end = max(node.end, line.end)

    for i, line in enumerate(lines):
        t = line.text
        if i == 0 and _DECISION_OPEN.match(t):
            in_decision = True
            open_node("part", "QĐ", "QUYẾT ĐỊNH", line)
            extend(line)
            continue
        if in_decision and _PLAN_OPEN.match(t):
            in_decision = False
            open_node("part", "KH", "KẾ HOẠCH", line)
            extend(line)
            continue
        if i == 0:
            open_node("part", "", _shorten(t), line)
            extend(line)
            continue
        if _CLOSING_OPEN.match(t):
            open_node("part", "", "Kết luận (Trên đây là …)", line)
            extend(line)
            continue
        if _RECIPIENTS_OPEN.match(t):
            open_node("item" if in_decision else "part", "", "Nơi nhận", line)
            extend(line)
            continue
        if in_decision and _SIGNATURE_OPEN.match(t):
            open_node("item", "", "Người ký", line)
            extend(line)
            continue
        kind_marker_label = _classify(t)
        if kind_marker_label is None:
            node = stack[-1]
            if node.kind in ("dash", "star", "document"):
                extend(line)  # a continuation line of a bullet
            else:
                # a paragraph under a heading: a node of its own so chunks can split there
                open_node("para", "", _shorten(t), line)
                extend(line)
            continue
        kind, marker, label = kind_marker_label
        if kind == "article" and not in_decision:
            kind = "item"
        open_node(kind, marker, label, line)
        extend(line)
    return root


def own_text(text: str, node: Section) -> tuple[int, int]:
    """The span of the node's own words: its line(s) before its first child, marker and
    trailing space excluded ("3. Sở Tài chính" → "Sở Tài chính")."""
    end = node.children[0].start if node.children else node.end
    while end > node.start and text[end - 1].isspace():
        end -= 1
    marker = LINE_MARKER.match(text, node.start, end)
    return (marker.end() if marker else node.start), end


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence (or ';'-clause) in text[start:end], trimmed."""
    spans, pos = [], start
    for m in _SENTENCE_BREAK.finditer(text, start, end):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, end))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def node_sentences(text: str, root: Section):
    """(start, end, node) for every sentence of every node's own text, in text order."""
    for node in root.walk():
        if node.kind != "document":
            start, end = own_text(text, node)
            for s, e in sentence_spans(text, start, end):
                yield s, e, node


def find_sections(root: Section, label_prefix: str) -> list[Section]:
    """Every node whose label starts with `label_prefix` (case-sensitive)."""
    return [n for n in root.walk() if n.label.startswith(label_prefix)]
