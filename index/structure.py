"""Parse a plan's text into a tree of sections, each with its heading path and exact span.

The numbering schemes, part headings and special lines of the genre are data
(index/data/outline.yaml); this module only reads them. Lines hard-wrapped inside a sentence
are joined into one logical line whose span runs across the line breaks, so every span stays an
exact slice of the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from corpus.normal import clean_line, fold, fold_words

#: A heading label longer than this is shortened in heading paths.
MAX_LABEL_CHARS = 90

_SENTENCE_BREAK = re.compile(r"(?<=[.;!?])\s+(?=\S)")


@dataclass(frozen=True)
class _Scheme:
    kind: str
    pattern: re.Pattern


@dataclass(frozen=True)
class Outline:
    """The layout vocabulary: numbering schemes, bullet classes, levels, part headings, openers."""

    schemes: tuple[_Scheme, ...]
    bullet_classes: tuple[str, ...]
    levels: dict
    part_headings: frozenset[str]
    openers: dict
    wrap: dict


@lru_cache(maxsize=1)
def outline() -> Outline:
    raw = yaml.safe_load(resources.files("index").joinpath("data/outline.yaml").read_text(encoding="utf-8"))
    return Outline(
        schemes=tuple(_Scheme(s["kind"], re.compile(s["pattern"])) for s in raw["schemes"]),
        bullet_classes=tuple(raw["bullet_classes"]),
        levels=dict(raw["levels"]),
        part_headings=frozenset(fold_words(h) for h in raw["part_headings"]),
        openers={k: re.compile(v) for k, v in raw["openers"].items()},
        wrap=dict(raw["wrap"]),
    )


#: Levels of the outline. A line's kind decides where it hangs in the tree.
LEVELS = outline().levels


def _marker_regex() -> re.Pattern:
    """Every scheme's marker part, as one regex: what `own_text` strips from a line."""
    parts = []
    for s in outline().schemes:
        p = s.pattern.pattern.split("(?P<rest>")[0].replace("(?P<marker>", "(?:")
        parts.append(f"(?:{p})")
    return re.compile(r"[ \t\xa0]*(?:" + "|".join(parts) + ")")


#: The outline marker at the start of a line ("II. ", "3) ", "b- ", "Điều 1. ", "- ", "+ ").
LINE_MARKER = _marker_regex()


@dataclass
class Section:
    """A node of the outline: `start:end` spans the node and all it contains in the plan text."""

    kind: str
    marker: str
    label: str  # short heading text shown in paths, e.g. "3. Hội nhập về giáo dục nghề nghiệp"
    line_start: int  # span of the node's own first (logical) line
    line_end: int
    start: int
    end: int
    children: list[Section] = field(default_factory=list)
    parent: Section | None = field(default=None, repr=False)
    title: str = ""  # the heading without its marker: "Hội nhập về giáo dục nghề nghiệp"
    body_start: int = -1  # where the line's words start, after the marker

    @property
    def level(self) -> int:
        return LEVELS[self.kind]

    @property
    def path(self) -> list[str]:
        """Heading labels from the top part down to this node (bullets and paragraphs excluded)."""
        labels: list[str] = []
        node: Section | None = self
        while node is not None and node.kind != "document":
            if node.kind not in ("dash", "subdash", "para"):
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
    text: str  # clean_line of the raw slice (NFC, one space between words)
    blank_before: bool = False


def _physical_lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    blank = False
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lead = len(body) - len(body.lstrip())
        stripped = body.strip()
        if stripped:
            start = pos + lead
            out.append(_Line(start, start + len(stripped), clean_line(stripped), blank))
            blank = False
        else:
            blank = True
        pos += len(raw)
    return out


def _wrap_width(lines: list[_Line]) -> int:
    """The width a hard-wrapped text was cut at, or 0 when its lines are not wrapped."""
    w = outline().wrap
    lengths = sorted(len(line.text) for line in lines)
    if len(lengths) < w["min_lines"]:
        return 0
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if width > w["max_width"]:
        return 0
    full = [n for n in lengths if n >= width * 0.75]
    if len(full) < w["full_share"] * len(lengths):
        return 0
    # where a line counts as full: most cut lines reach it (proportional fonts vary the count)
    return full[int(w["full_quantile"] * (len(full) - 1))]


def _classify_kind(line: str) -> str | None:
    for scheme in outline().schemes:
        if scheme.pattern.match(line):
            return scheme.kind
    return None


def _continues(prev: _Line, nxt: _Line, width: int) -> bool:
    """Whether `nxt` goes on with the sentence `prev` left unfinished."""
    if nxt.blank_before:
        return False
    w = outline().wrap
    ends = prev.text[-1] in w["sentence_end"]
    kind = _classify_kind(nxt.text)
    folded = fold(nxt.text)
    if any(p.search(folded) for p in outline().openers.values()):
        return False
    if kind is None and nxt.text[0].islower() and not ends:
        return True
    # the next line's first word would not have fitted on this one: the line was cut here
    first = len(nxt.text.split(" ", 1)[0])
    full = width and len(prev.text) + 1 + first > width
    # a full line goes on unless it ended a sentence (a ';' or ',' does not end one)
    return bool(full and prev.text[-1] not in ".!?:" and kind in (None, "dash"))


def _lines(text: str) -> list[_Line]:
    """Logical lines: physical lines with the hard-wrapped continuations joined in."""
    phys = _physical_lines(text)
    width = _wrap_width(phys)
    out: list[_Line] = []
    last: _Line | None = None  # the last physical line of the current logical line
    for line in phys:
        if out and last is not None and _continues(last, line, width):
            cur = out[-1]
            out[-1] = _Line(cur.start, line.end, clean_line(text[cur.start : line.end]), cur.blank_before)
        else:
            out.append(line)
        last = line
    return out


def _shorten(label: str) -> str:
    label = " ".join(label.split())
    if len(label) <= MAX_LABEL_CHARS:
        return label
    cut = label[:MAX_LABEL_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _heading_head(rest: str) -> str:
    """The heading part of a line: the text before a colon if short, else the line."""
    head, sep, _tail = rest.partition(":")
    if sep and len(head) <= 70:
        rest = head
    return rest.rstrip(":").strip()


def _bullet_class(symbol: str) -> str:
    for cls in outline().bullet_classes:
        if symbol in cls:
            return cls
    return symbol


@dataclass(frozen=True)
class _Classified:
    kind: str
    marker: str
    label: str
    title: str
    rest_at: int  # offset of the words after the marker in the clean line


def _classify(line: str) -> _Classified | None:
    """Kind, marker and label of an outline line, or None for a plain paragraph line."""
    for scheme in outline().schemes:
        m = scheme.pattern.match(line)
        if not m:
            continue
        kind, marker, rest = scheme.kind, m.group("marker"), m.group("rest")
        if kind in ("star", "dash"):
            return _Classified(kind, marker, _shorten(rest), rest, m.start("rest"))
        if kind == "letter":
            # keep the plan's own punctuation: "a)", "a." or "a-"
            marker_text = line[: m.start("rest")].strip()
        else:
            marker_text = f"{' '.join(marker.split())}."
        head = _heading_head(rest)
        return _Classified(kind, marker, _shorten(f"{marker_text} {head}"), head, m.start("rest"))
    return None


def _raw_offset(text: str, line: _Line, clean_offset: int) -> int:
    """The position in `text` of the clean line's `clean_offset`-th character."""
    want = line.text[:clean_offset].replace(" ", "")
    if not want:
        return line.start
    pos, got = line.start, ""
    while pos < line.end and len(got) < len(want):
        ch = text[pos]
        pos += 1
        if not ch.isspace():
            got = unicodedata.normalize("NFC", text[line.start : pos]).translate(_NO_SPACE)
    while pos < line.end and text[pos].isspace():
        pos += 1
    return pos


_NO_SPACE = {ord(c): None for c in " \t\n\r\xa0\u2007\u202f\u200b"}


def parse_plan(text: str) -> Section:
    """The section tree of one plan. The root spans the whole text."""
    root = Section("document", "", "", 0, 0, 0, len(text))
    lines = _lines(text)
    stack: list[Section] = [root]
    in_decision = False
    openers = outline().openers
    bullet_rank: list[str] = []

    def open_node(
        kind: str, marker: str, label: str, line: _Line, title: str = "", body: int = -1
    ) -> Section:
        level = LEVELS[kind]
        while stack[-1].level >= level:
            stack.pop()
        parent = stack[-1]
        node = Section(
            kind, marker, label, line.start, line.end, line.start, line.end, parent=parent, title=title
        )
        node.body_start = line.start if body < 0 else body
        parent.children.append(node)
        stack.append(node)
        return node

    def extend(line: _Line) -> None:
        for node in stack:
            node.end = max(node.end, line.end)

    def opens(role: str, folded: str) -> bool:
        return bool(openers[role].search(folded))

    for i, line in enumerate(lines):
        t = line.text
        folded = fold(t)
        if i == 0 and opens("decision", folded):
            in_decision = True
            open_node("part", "QĐ", "QUYẾT ĐỊNH", line)
        elif in_decision and opens("plan", folded):
            in_decision = False
            open_node("part", "KH", "KẾ HOẠCH", line)
        elif i == 0:
            open_node("part", "", _shorten(t), line, t)
        elif opens("closing", folded):
            open_node("part", "", "Kết luận (Trên đây là …)", line)
        elif opens("recipients", folded):
            open_node("item" if in_decision else "part", "", "Nơi nhận", line)
        elif in_decision and opens("signature", folded):
            open_node("item", "", "Người ký", line)
        else:
            c = _classify(t)
            if c is None and fold_words(t).rstrip(":. ") in outline().part_headings:
                c = _Classified("part", "", _shorten(t.rstrip(":")), t.rstrip(":"), 0)
            if c is None:
                node = stack[-1]
                if node.kind in ("dash", "subdash", "star", "document"):
                    extend(line)  # a continuation line of a bullet
                else:
                    # a paragraph under a heading: a node of its own so chunks can split there
                    open_node("para", "", _shorten(t), line, t)
                    extend(line)
                continue
            kind = c.kind
            if kind == "article" and not in_decision:
                kind = "item"
            if kind == "dash":
                cls = _bullet_class(c.marker)
                if cls not in bullet_rank:
                    bullet_rank.append(cls)
                kind = "dash" if bullet_rank.index(cls) == 0 else "subdash"
            open_node(kind, c.marker, c.label, line, c.title, _raw_offset(text, line, c.rest_at))
        extend(line)
    return root


def own_text(text: str, node: Section) -> tuple[int, int]:
    """The span of the node's own words: its line(s) before its first child, marker and
    trailing space excluded ("3. Sở Tài chính" → "Sở Tài chính")."""
    end = node.children[0].start if node.children else node.end
    while end > node.start and text[end - 1].isspace():
        end -= 1
    if node.body_start >= 0:
        return min(node.body_start, end), end
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
