"""Escaping, highlighting and the HTML/Markdown of answers, passages and the plans.

Every piece of document or user text is escaped before it is shown: nothing from a plan or a
question becomes live HTML.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from assistant.text import fold
from ui.strings import _lang, s

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
    text = _ENTITY_LIKE.sub("&amp;", text or "")
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return _MD_IMAGE.sub("!\\[", text)


def esc(text: Any) -> str:
    """Text for HTML: everything escaped."""
    return html.escape("" if text is None else str(text), quote=True)


_TOKEN = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+(?:[.,/]\d+)*(?:\s*%)?")
_ANSWER_MARKER = re.compile(r"\[\d+\]")
_NGRAM = 3  # words in a row the answer must share with the passage
_MIN_RUN = 4  # shorter shared runs ("và xã hội") are coincidence, not citation


def _significant_number(n: str) -> bool:
    return len(re.sub(r"\D", "", n)) >= 2 or "%" in n or "/" in n


def highlight_spans(passage: str, answer_text: str) -> list[tuple[int, int]]:
    """Where in `passage` the words of the answer are: runs of four or more words the answer
    shares with it, figures and dates it repeats, and agencies it names (also when the answer
    names them in English). Compared diacritic-insensitively; positions index `passage`."""
    if not passage or not answer_text:
        return []
    folded = fold(passage)
    if len(folded) != len(passage):  # fold keeps positions for NFC text only
        folded = passage.lower()
        if len(folded) != len(passage):
            return []
    answer = fold(_ANSWER_MARKER.sub(" ", answer_text))
    spans: list[tuple[int, int]] = []

    a_words = _TOKEN.findall(answer)
    grams = {tuple(a_words[i : i + _NGRAM]) for i in range(len(a_words) - _NGRAM + 1)}
    tokens = list(_TOKEN.finditer(folded))
    words = [m.group() for m in tokens]
    marked = [False] * len(tokens)
    for i in range(len(words) - _NGRAM + 1):
        if tuple(words[i : i + _NGRAM]) in grams:
            marked[i : i + _NGRAM] = [True] * _NGRAM
    i = 0
    while i < len(tokens):
        if not marked[i]:
            i += 1
            continue
        start, end = tokens[i].start(), tokens[i].end()
        j = i + 1
        while j < len(tokens) and marked[j]:
            gap = folded[end : tokens[j].start()]
            if "\n" in gap or len(gap) > 3:
                break
            end = tokens[j].end()
            j += 1
        if j - i >= _MIN_RUN:
            spans.append((start, end))
        i = j

    numbers = {
        re.sub(r"\s+", "", m.group()) for m in _NUMBER.finditer(answer) if _significant_number(m.group())
    }
    for m in _NUMBER.finditer(folded):
        if re.sub(r"\s+", "", m.group()) in numbers:
            spans.append((m.start(), m.end()))

    try:
        from assistant.agencies import agency_ids, find_agencies

        named = set(agency_ids(answer_text))
        if named:
            spans.extend((m.start, m.end) for m in find_agencies(passage) if m.agency.id in named)
    except Exception:  # the registry is a nicety here, never a reason to fail
        log.debug("agency highlighting skipped", exc_info=True)

    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight_html(passage: str, answer_text: str) -> str:
    """The passage as escaped HTML with the answer's words wrapped in <mark>."""
    out, pos = [], 0
    for start, end in highlight_spans(passage, answer_text):
        out.append(esc(passage[pos:start]))
        out.append(f"<mark>{esc(passage[start:end])}</mark>")
        pos = end
    out.append(esc(passage[pos:]))
    return "".join(out)


# -- answers and passages ----------------------------------------------------------------------


def _unique_citations(citations: Iterable[Citation]) -> list[Citation]:
    seen, out = set(), []
    for c in citations:
        if c.marker not in seen:
            seen.add(c.marker)
            out.append(c)
    return out


def answer_markdown(answer: Answer, lang: str) -> str:
    """The chat message of an answer: notice, text with its [n] markers, then its sources."""
    parts = []
    if answer.notice:
        parts.append(f"_{md_text(answer.notice)}_")
    parts.append(md_text(answer.text))
    cites = _unique_citations(answer.citations)
    if cites:
        lines = [f"{s(answer.lang or lang, 'sources')}:"]
        lines += [f"[{c.marker}] {md_text(c.province)} — {md_text(c.section)}" for c in cites]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def citation_card(c: Citation, answer_text: str) -> str:
    return (
        f'<article class="pa-cite" data-marker="{c.marker}" data-plan="{esc(c.plan)}">'
        f'<header><span class="pa-marker">[{c.marker}]</span> '
        f'<span class="pa-province">{esc(c.province)}</span>'
        f'<span class="pa-section">{esc(c.section)}</span></header>'
        f'<div class="pa-text">{highlight_html(c.text, answer_text)}</div>'
        "</article>"
    )


def passages_html(answer: Answer, lang: str) -> str:
    """The panel beside the chat: the question, then each cited passage with the answer's words marked."""
    lang = _lang(lang)
    parts = [
        '<div class="pa-passages">',
        f'<div class="pa-question"><span class="pa-label">{esc(s(lang, "question"))}:</span> '
        f"{esc(answer.question)}</div>",
    ]
    if answer.notice:
        parts.append(f'<p class="pa-notice">{esc(answer.notice)}</p>')
    cites = _unique_citations(answer.citations)
    if cites:
        parts.extend(citation_card(c, answer.text) for c in cites)
    else:
        parts.append(f'<p class="pa-empty">{esc(s(lang, "no_citations"))}</p>')
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
            f"<td><b>{esc(p.province)}</b></td>"
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
    info_rows = "".join(
        f"<tr><th>{esc(s(lang, label))}</th><td><code>{esc(info[key]) if info.get(key) not in (None, '') else na}</code></td></tr>"
        for label, key in (
            ("about_index_dir", "index_dir"),
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
