"""Escaping, highlighting and the HTML/Markdown of answers, passages and the plans.

Every piece of document or user text is escaped before it is shown: nothing from a plan or a
question becomes live HTML.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from assistant.citations import MARKER
from assistant.guard import strip_bidi
from ui.strings import _lang, s
from ui.viewer import source_href

if TYPE_CHECKING:
    from assistant import Assistant
    from assistant.types import Answer, Citation

log = logging.getLogger("plans.app")


# -- escaping and highlighting -------------------------------------------------------------------

_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_MD_IMAGE = re.compile(r"!\[")


def md_text(text: str) -> str:
    """Text for a Markdown message (the chat), shown as written: no HTML tag, entity or image
    in it takes effect. `&` is left alone unless it would read as an entity, so "Sở KH&ĐT"
    copies as written."""
    text = _ENTITY_LIKE.sub("&amp;", strip_bidi(text or ""))
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return _MD_IMAGE.sub("!\\[", text)


def esc(text: Any) -> str:
    """Text for HTML: everything escaped."""
    return html.escape("" if text is None else strip_bidi(str(text)), quote=True)


# -- answers and passages ----------------------------------------------------------------------

SUPPORT_LEVELS = ("supported", "partial", "not_found")
CONTEXT_CHARS = 240  # readable text shown around a cited span, at most this much on each side


def support_of(answer: Answer) -> str:
    """How well the plans back the answer: the answerer's `support` when it gives one,
    else "not_found" for an abstention and "supported" otherwise."""
    level = getattr(answer, "support", None)
    if level in SUPPORT_LEVELS:
        return level
    return "not_found" if answer.abstained else "supported"


def support_html(answer: Answer, lang: str) -> str:
    level = support_of(answer)
    key = "support_related" if level == "not_found" and answer.citations else f"support_{level}"
    return f'<p class="pa-support pa-support-{level}" data-support="{level}">{esc(s(lang, key))}</p>'


def shown_citations(answer: Answer) -> list[Citation]:
    """The citations the answer's text shows; the rest of `citations` it leaves out (`hidden`)."""
    hidden = getattr(answer, "hidden", 0) or 0
    return list(answer.citations[: len(answer.citations) - hidden])


def _unique_citations(citations: Iterable[Citation]) -> list[Citation]:
    seen, out = set(), []
    for c in citations:
        if c.marker not in seen:
            seen.add(c.marker)
            out.append(c)
    return out


def _cite_link(c: Citation) -> str:
    return f"[\\[{c.marker}\\]]({source_href(c.plan, c.start, c.end)})"


def linked_markers(text: str, citations: Iterable[Citation]) -> str:
    """Markdown of an answer with each known [n] a link that opens the plan at its passage."""
    by_marker = {c.marker: c for c in citations}

    def link(m: re.Match) -> str:
        c = by_marker.get(int(m.group(1)))
        return _cite_link(c) if c else m.group(0)

    return MARKER.sub(link, md_text(text))


def linked_markers_html(text: str, citations: Iterable[Citation]) -> str:
    """An answer as escaped HTML with each known [n] a link that opens the plan at its passage."""
    by_marker = {c.marker: c for c in citations}

    def link(m: re.Match) -> str:
        c = by_marker.get(int(m.group(1)))
        if c is None:
            return m.group(0)
        return f'<a class="pa-marker" href="{esc(source_href(c.plan, c.start, c.end))}">[{c.marker}]</a>'

    return MARKER.sub(link, esc(text))


def _short_path(section: str, levels: int = 2) -> str:
    """The last heading levels of a path (the passages panel shows it whole)."""
    parts = [p for p in section.split(" › ") if p]
    return " › ".join(parts[-levels:]) if parts else section


def answer_markdown(answer: Answer, lang: str) -> str:
    """The chat message of an answer: the scope or input notice, the text with its [n] links,
    then one line per source (province and the last two headings of its path)."""
    lang = _lang(answer.lang or lang)
    parts = []
    if answer.notice:
        parts.append(f"_{md_text(answer.notice)}_")
    parts.append(linked_markers(answer.text, answer.citations))
    cites = _unique_citations(shown_citations(answer))
    if cites:
        lines = [f"**{s(lang, 'sources')}:**"]
        lines += [
            f"- {_cite_link(c)} {md_text(c.province)} — {md_text(_short_path(c.section))}" for c in cites
        ]
        more = len(_unique_citations(answer.citations)) - len(cites)
        if more > 0:
            lines.append(f"- _{md_text(s(lang, 'more_sources').format(n=more))}_")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _context(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the readable context around `text[start:end]` begins and ends: the line before
    and the line after, each cut to CONTEXT_CHARS."""
    before = text.rfind("\n", 0, max(0, text.rfind("\n", 0, start)))
    lo = max(before + 1, start - CONTEXT_CHARS, 0)
    nxt = text.find("\n", end + 1)
    after = text.find("\n", nxt + 1) if nxt != -1 else -1
    hi = min(len(text) if after == -1 else after, end + CONTEXT_CHARS)
    return lo, hi


def citation_card(c: Citation, plan_text: str | None = None, lang: str = "vi") -> str:
    """A cited passage: marker (a link to the plan), province, heading path, and the text around
    it with exactly the cited span marked."""
    href = esc(source_href(c.plan, c.start, c.end))
    if plan_text is not None and plan_text[c.start : c.end] == c.text:
        lo, hi = _context(plan_text, c.start, c.end)
        before, after = plan_text[lo : c.start].lstrip(), plan_text[c.end : hi].rstrip()
        body = (
            (f'<span class="pa-ctx">…{esc(before)}</span>' if before.strip() else "")
            + f"<mark>{esc(c.text)}</mark>"
            + (f'<span class="pa-ctx">{esc(after)}…</span>' if after.strip() else "")
        )
    else:
        body = f"<mark>{esc(c.text)}</mark>"
    return (
        f'<article class="pa-cite" data-marker="{c.marker}" data-plan="{esc(c.plan)}">'
        f'<header><a class="pa-marker" href="{href}" title="{esc(s(lang, "open_in_plan"))}">[{c.marker}]</a> '
        f'<span class="pa-province">{esc(c.province)}</span>'
        f'<span class="pa-section">{esc(c.section)}</span>'
        f'<a class="pa-open" href="{href}">{esc(s(lang, "open_in_plan"))}</a></header>'
        f'<div class="pa-text">{body}</div>'
        "</article>"
    )


def cards_html(citations: Iterable[Citation], plan_texts: Mapping[str, str] | None, lang: str) -> str:
    """The cards, grouped per province (with a heading per group when there are several)."""
    cites = _unique_citations(citations)
    groups: dict[str, list[Citation]] = {}
    for c in cites:
        groups.setdefault(c.plan, []).append(c)
    texts = plan_texts or {}
    if len(groups) <= 1:
        return "".join(citation_card(c, texts.get(c.plan), lang) for c in cites)
    return "".join(
        f'<section class="pa-group" data-plan="{esc(plan)}">'
        f'<h4 class="pa-group-title">{esc(group[0].province)} <span>({len(group)})</span></h4>'
        + "".join(citation_card(c, texts.get(c.plan), lang) for c in group)
        + "</section>"
        for plan, group in groups.items()
    )


def more_plans_html(answer: Answer, lang: str, provinces: Mapping[str, str] | None = None) -> str:
    """The other plans that mention what a province-less question asks, beyond the few it was
    answered from: a list to open (each plan in the reader), and how to get each one's answer."""
    if not answer.more_plans:
        return ""
    names = provinces or {}
    items = "".join(
        f'<li><a class="pa-read" href="{esc(source_href(pid))}">{esc(names.get(pid, pid))}</a></li>'
        for pid in answer.more_plans
    )
    summary = s(lang, "more_plans_summary").format(n=len(answer.more_plans))
    return (
        f'<details class="pa-more" data-count="{len(answer.more_plans)}">'
        f"<summary>{esc(summary)}</summary>"
        f'<p class="pa-empty">{esc(s(lang, "more_plans_hint"))}</p>'
        f'<ol class="pa-more-list">{items}</ol></details>'
    )


def passages_html(
    answer: Answer,
    lang: str,
    plan_texts: Mapping[str, str] | None = None,
    provinces: Mapping[str, str] | None = None,
) -> str:
    """The panel beside the chat: the question, how well the plans back the answer, any scope
    notice, then the cited passages grouped per province, and the other plans that mention it
    (`provinces`: plan id -> province, to name them)."""
    lang = _lang(lang)
    parts = [
        '<div class="pa-passages">',
        f'<div class="pa-question"><span class="pa-label">{esc(s(lang, "question"))}:</span> '
        f"{esc(answer.question)}</div>",
        support_html(answer, lang),
    ]
    if answer.notice:
        parts.append(f'<p class="pa-notice">{esc(answer.notice)}</p>')
    if answer.citations:
        shown = shown_citations(answer)
        parts.append(cards_html(shown, plan_texts, lang))
        rest = answer.citations[len(shown) :]
        if rest:  # the passages the answer's text leaves out, one click away
            n = len(_unique_citations(answer.citations))
            parts.append(
                f'<details class="pa-more-passages" data-more="{len(_unique_citations(rest))}">'
                f"<summary>{esc(s(lang, 'show_more').format(n=n))}</summary>"
                f"{cards_html(rest, plan_texts, lang)}</details>"
            )
    else:
        parts.append(f'<p class="pa-empty">{esc(s(lang, "no_citations"))}</p>')
    parts.append(more_plans_html(answer, lang, provinces))
    timings = answer.timings_ms or {}
    total = timings.get("total_ms", timings.get("total"))
    if total is not None:
        parts.append(f'<p class="pa-timing">{esc(s(lang, "answer_time").format(ms=round(total)))}</p>')
    parts.append("</div>")
    return "".join(parts)


def panel_message(text: str, kind: str = "empty") -> str:
    return f'<div class="pa-passages"><p class="pa-{kind}">{esc(text)}</p></div>'


def empty_passages(lang: str) -> str:
    return panel_message(s(lang, "passages_empty"))


# -- about ---------------------------------------------------------------------------------------


def _shown_name(value: Any) -> str:
    """A model name as shown: a local folder by its last two parts, never its absolute path."""
    text = "" if value is None else str(value)
    if text.startswith(("/", "~")) or re.match(r"^[A-Za-z]:[\\/]", text):
        return "/".join(text.replace("\\", "/").rstrip("/").split("/")[-2:])
    return text


def about_html(assistant: Assistant, lang: str) -> str:
    """Which plans are loaded, what they state about themselves, the index, and how to ask."""
    lang = _lang(lang)
    missing = f'<span class="pa-missing">{esc(s(lang, "about_not_stated"))}</span>'
    rows = []
    for p in assistant.plans():
        decision = ", ".join(x for x in (p.decision_number, p.decision_date) if x)
        signer = ", ".join(x for x in (p.signer, p.signer_title) if x)
        implements = "<br>".join(
            esc(" ".join(x for x in (d.get("number", ""), d.get("date", ""), "—", d.get("issuer", "")) if x))
            for d in p.implements
        )
        rows.append(
            "<tr>"
            f"<td><b>{esc(p.province)}</b><br>"
            f'<a class="pa-read" href="{esc(source_href(p.id))}">{esc(s(lang, "about_read"))}</a></td>'
            f"<td>{esc(p.title)}</td>"
            f"<td>{esc(p.issuer) if p.issuer else missing}</td>"
            f"<td>{esc(decision) if decision else missing}</td>"
            f"<td>{esc(signer) if signer else missing}</td>"
            f"<td>{implements or missing}</td>"
            "</tr>"
        )
    head = "".join(
        f"<th>{esc(s(lang, k))}</th>"
        for k in (
            "about_province",
            "about_title",
            "about_issuer",
            "about_decision",
            "about_signer",
            "about_implements",
        )
    )
    try:
        info = assistant.info() or {}
    except Exception as exc:
        log.warning("info() failed: %s", exc)
        info = {}
    na = esc(s(lang, "about_unavailable"))
    info = {**info, "model": _shown_name(info.get("model"))}
    info_rows = "".join(
        f"<tr><th>{esc(s(lang, label))}</th><td><code>{esc(info[key]) if info.get(key) not in (None, '') else na}</code></td></tr>"
        for label, key in (
            ("about_model", "model"),
            ("about_chunks", "chunks"),
            ("about_collection", "collection"),
        )
    )
    tips = "".join(f"<li>{esc(t)}</li>" for t in s(lang, "about_tips"))
    return (
        '<div class="pa-about">'
        f"<h3>{esc(s(lang, 'about_plans'))}</h3>"
        f'<div class="pa-table-wrap"><table class="pa-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
        f"<h3>{esc(s(lang, 'about_index'))}</h3>"
        f'<table class="pa-table pa-info">{info_rows}</table>'
        f"<h3>{esc(s(lang, 'about_howto'))}</h3><ul>{tips}</ul>"
        "</div>"
    )
