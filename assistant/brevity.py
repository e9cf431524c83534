"""Fit an answer over several plans into a character budget: each plan gets an equal share,
its lines are kept in order while they fit, and quotes are shortened at a word (ending "…");
what a plan's part leaves out stays one click away (its citations, the Compare tab)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.citations import MARKER

#: a quote of the plan's words in an answer line
QUOTE = re.compile(r"“([^“”]*)”")
#: a quote is never cut shorter than this
MIN_QUOTE = 120


def clip_to(text: str, limit: int) -> str:
    """The text, or its first words within `limit` characters and "…"."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 1)]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def shorten(line: str, limit: int) -> str:
    """The line with each quote longer than `limit` clipped to it."""
    return QUOTE.sub(lambda m: f"“{clip_to(m.group(1), max(limit, MIN_QUOTE))}”", line)


def _quoted(line: str) -> int:
    return sum(len(m.group(1)) for m in QUOTE.finditer(line))


def fit_blocks(
    lines: Sequence[str], blocks: Sequence[tuple[int, int, int]], budget: int, reserve: int = 0
) -> list[str]:
    """`lines` with each block (start, body start, end: a plan's header lines, then its body)
    cut to an equal share of `budget` less `reserve` (what is added after); unchanged when the
    whole fits. Every block keeps its header and first body line."""
    if not blocks or len("\n".join(lines)) + reserve <= budget:
        return list(lines)
    inside = {i for start, _, end in blocks for i in range(start, end)}
    outside = sum(len(line) + 1 for i, line in enumerate(lines) if i not in inside)
    share = max((budget - reserve - outside) // len(blocks), MIN_QUOTE)
    kept: dict[int, list[str]] = {}
    for start, body, end in blocks:
        room = share - sum(len(line) + 1 for line in lines[start:body])
        out = list(lines[start:body])
        for i in range(body, end):
            line = lines[i]
            if len(line) + 1 > room:
                line = shorten(line, _quoted(line) - (len(line) + 1 - room))
            if i > body and len(line) + 1 > room:
                break
            out.append(line)
            room -= len(line) + 1
        kept[start] = out
    result: list[str] = []
    starts = {start: end for start, _, end in blocks}
    i = 0
    while i < len(lines):
        if i in starts:
            result += kept[i]
            i = starts[i]
        else:
            result.append(lines[i])
            i += 1
    return result


def quote_groups(lines: Sequence[str]) -> list[tuple[bool, list[str]]]:
    """The lines as groups: (cited, lines) — each cited line with the uncited "- " lines that
    list under it; any other uncited line (a lead, an introduction, "… and 3 more") on its own."""
    groups: list[tuple[bool, list[str]]] = []
    for line in lines:
        if MARKER.search(line):
            groups.append((True, [line]))
        elif groups and groups[-1][0] and line.lstrip().startswith("- "):
            groups[-1][1].append(line)
        else:
            groups.append((False, [line]))
    return groups


def cap_quotes(
    lines: Sequence[str],
    keep: int,
    score,
    skip: int = 0,
    pinned: frozenset[int] = frozenset(),
    own: int | None = None,
) -> tuple[list[str], list[str]]:
    """At most `keep` cited groups of `lines` past the first `skip` lines (a lead), the ones
    `score` rates highest (a group's lines -> a number; ties keep the plan's order), in the
    plan's order; returns (the lines shown, the lines left out). Unchanged when no more.
    A group that starts at a `pinned` line (an item the lead counts, the answer to one part of
    a multi-part question) is always shown and takes no place; the indented groups under it
    ("  - " the items of a group) show their first `own` (default `keep`)."""
    groups = quote_groups(lines[skip:])
    starts, at = [], skip
    for _, g in groups:
        starts.append(at)
        at += len(g)
    pools: dict[int, list[int]] = {}  # owner (a pinned group, or -1 for the answer) → cited groups
    owner = -1
    for i, (is_cited, g) in enumerate(groups):
        if starts[i] in pinned:
            owner = i
            continue
        if not g[0].startswith(" "):
            owner = -1  # past the items of the last pinned group
        if is_cited:
            pools.setdefault(owner, []).append(i)
    hidden_ids: set[int] = set()
    for pool, cited in pools.items():
        if pool < 0:
            ranked = sorted(cited, key=lambda i: (-score(groups[i][1]), i))
            hidden_ids.update(ranked[keep:])
        else:  # a group's own items: its first ones, as the plan lists them
            hidden_ids.update(cited[keep if own is None else own :])
    if not hidden_ids:
        return list(lines), []
    shown = list(lines[:skip]) + [x for i, (_, g) in enumerate(groups) if i not in hidden_ids for x in g]
    hidden = [x for i, (_, g) in enumerate(groups) if i in hidden_ids for x in g]
    return shown, hidden
