"""The plan reader: a whole plan with its outline as a table of contents, a cited span marked.

A source reference is "plan-id" (read the plan) or "plan-id:start-end" (read it at that span);
the chat, the passages and the tables link to it as `#pa-src=<reference>`, and a click opens
the reader there (ui/layout.py wires the click to `open_source`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from index.structure import Section, parse_plan
from ui.strings import _lang, s

if TYPE_CHECKING:
    from corpus import Plan

#: Outline levels listed in the table of contents (bullets and paragraphs are not).
TOC_KINDS = ("part", "article", "item", "letter")
_REF = re.compile(r"(?P<plan>[a-z0-9][a-z0-9_-]{0,63})(?::(?P<start>\d{1,9})-(?P<end>\d{1,9}))?")


@dataclass(frozen=True)
class SourceRef:
    """A plan, and optionally the span `start:end` of its text to show marked."""

    plan: str
    start: int | None = None
    end: int | None = None

    def text(self) -> str:
        return self.plan if self.start is None else f"{self.plan}:{self.start}-{self.end}"


def source_href(plan: str, start: int | None = None, end: int | None = None) -> str:
    """The link that opens the reader (the plan, or the span of it)."""
    return "#pa-src=" + SourceRef(plan, start, end).text()


def parse_ref(text: str | None) -> SourceRef | None:
    """A reference as written in a link ("ca-mau:120-340", "#pa-src=ca-mau"), or None."""
    raw = (text or "").strip()
    raw = raw.split("#pa-src=", 1)[-1]
    m = _REF.fullmatch(raw)
    if not m:
        return None
    if m.group("start") is None:
        return SourceRef(m.group("plan"))
    start, end = int(m.group("start")), int(m.group("end"))
    return SourceRef(m.group("plan"), start, end) if start < end else None


@lru_cache(maxsize=16)
def _outline(text: str) -> Section:
    return parse_plan(text)


def heading_path(text: str, start: int) -> str:
    """The heading path of the deepest outline node holding position `start`."""
    node = _outline(text)
    while True:
        inner = [c for c in node.children if c.start <= start < max(c.end, c.start + 1)]
        if not inner:
            break
        node = inner[0]
    return node.path_text


def _deepest_heading(root: Section, start: int) -> Section | None:
    """The innermost table-of-contents heading whose section holds position `start`."""
    found, node = None, root
    while True:
        inner = [c for c in node.children if c.start <= start < max(c.end, c.start + 1)]
        if not inner:
            return found
        node = inner[0]
        if node.kind in TOC_KINDS:
            found = node


def _esc(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def _headings(root: Section) -> list[Section]:
    return [n for n in root.walk() if n.kind in TOC_KINDS and n.label]


def plan_view_html(plan: Plan, ref: SourceRef | None, lang: str) -> str:
    """The whole plan as escaped HTML: header, heading path of the span, a table of contents,
    and the text line by line with exactly `text[start:end]` wrapped in <mark>."""
    lang = _lang(lang)
    text = plan.text
    start, end = (ref.start, ref.end) if ref and ref.start is not None else (None, None)
    if start is not None and not (0 <= start < end <= len(text)):
        start = end = None
    root = _outline(text)
    heads = {n.line_start: n for n in _headings(root)}

    here = _deepest_heading(root, start) if start is not None else None
    toc = "".join(
        f'<li class="pa-toc-{n.kind}{" pa-here" if n is here else ""}">'
        f'<a href="#pa-h-{n.line_start}">{_esc(n.label)}</a></li>'
        for n in heads.values()
    )
    lines, pos, first_hit = [], 0, True
    for raw in text.splitlines(keepends=True):
        line_start, line_end = pos, pos + len(raw.rstrip("\r\n"))
        pos += len(raw)
        body = text[line_start:line_end]
        classes, attrs = ["pa-line"], ""
        node = heads.get(line_start + (len(body) - len(body.lstrip())))
        if node is not None:
            classes += ["pa-h", f"pa-h-{node.kind}"]
            attrs = f' id="pa-h-{node.line_start}"'
        if start is not None and line_start < end and start < max(line_end, line_start + 1):
            a, b = max(start, line_start), min(end, line_end)
            inner = _esc(text[line_start:a]) + f"<mark>{_esc(text[a:b])}</mark>" + _esc(text[b:line_end])
            classes.append("pa-hit")
            if first_hit:
                attrs += ' data-target="1"'
                first_hit = False
        else:
            inner = _esc(body)
        lines.append(f'<div class="{" ".join(classes)}"{attrs}>{inner or "&#8203;"}</div>')

    where = ""
    if start is not None:
        path = heading_path(text, start)
        where = (
            f'<p class="pa-view-path"><span class="pa-label">{_esc(s(lang, "viewer_at"))}:</span> '
            f"{_esc(path) or _esc(s(lang, 'viewer_no_heading'))}</p>"
        )
    return (
        f'<div class="pa-viewer" data-plan="{_esc(plan.id)}">'
        f'<header class="pa-view-head"><h3>{_esc(plan.province)} — {_esc(plan.title)}</h3>{where}</header>'
        '<div class="pa-view-body">'
        f'<details class="pa-toc" open><summary>{_esc(s(lang, "viewer_toc"))}</summary><ol>{toc}</ol></details>'
        f'<div class="pa-view-text" lang="vi">{"".join(lines)}</div>'
        "</div></div>"
    )
