"""The plans assistant's web app: chat with cited passages, responsibilities, comparison, the plans.

`python app.py` builds the model and the index on first run, then serves on 127.0.0.1:7860
(PLANS_HOST / PLANS_PORT or --host / --port). Serving beyond this machine needs a password
(PLANS_AUTH_USER / PLANS_AUTH_PASSWORD) unless PLANS_ALLOW_NO_AUTH=1 or --no-auth says otherwise.

`build_app(assistant)` makes the interface; the handlers are module-level functions of plain
values (the assistant first), so they are tested without a server. Every piece of document or
user text is escaped before it is shown: nothing from a plan or a question becomes live HTML.
"""

from __future__ import annotations

import argparse
import csv
import functools
import html
import ipaddress
import json
import logging
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Before gradio is imported: no analytics, no version check against the internet.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

import gradio as gr
import pandas as pd

from assistant.text import fold, fold_words

if TYPE_CHECKING:
    from assistant import Assistant, Session
    from assistant.types import Answer, Citation

log = logging.getLogger("plans.app")

ROOT = Path(__file__).resolve().parent
STRINGS: dict[str, Any] = json.loads((ROOT / "app_strings.json").read_text(encoding="utf-8"))
LANGS = ("vi", "en")
LANG_CHOICES = [("Tiếng Việt", "vi"), ("English", "en")]
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860

# Columns of the responsibilities table (row keys of `responsibility_rows`), and those the CSV adds.
TABLE_COLUMNS = ("province", "topic", "lead", "coordinating", "timing", "funding", "source", "section")
CSV_COLUMNS = ("province", "kind", *TABLE_COLUMNS[1:], "plan", "start", "end")


def s(lang: str | None, key: str) -> Any:
    """The UI string `key` in `lang` ("vi" by default)."""
    return STRINGS[lang if lang in LANGS else "vi"][key]


def _lang(lang: str | None) -> str:
    return lang if lang in LANGS else "vi"


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


# -- chat ----------------------------------------------------------------------------------------


def _new_session() -> Session:
    from assistant import Session

    return Session()


def _plan_ids(assistant: Assistant) -> list[str]:
    return [p.id for p in assistant.plans()]


def province_choices(assistant: Assistant) -> list[tuple[str, str]]:
    return [(p.province, p.id) for p in assistant.plans()]


def scope(provinces: Sequence[str] | None, all_ids: Sequence[str]) -> list[str] | None:
    """The plans to pass to `ask`: None when none or all are selected (no filter)."""
    chosen = [p for p in all_ids if p in set(provinces or ())]
    if not chosen or len(chosen) == len(all_ids):
        return None
    return chosen


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


def _ask(assistant: Assistant, question: str, lang: str, **kwargs) -> tuple[Answer | None, str]:
    """(answer, "") or (None, a message for the user)."""
    try:
        return assistant.ask(question, **kwargs), ""
    except Exception as exc:
        if type(exc).__name__ == "IndexMissingError":
            return None, s(lang, "index_missing")
        log.exception("ask failed for %r", question)
        return None, s(lang, "error").format(error=str(exc) or type(exc).__name__)


def respond(
    assistant: Assistant,
    message: str,
    history: list[dict] | None,
    session: Session | None,
    provinces: Sequence[str] | None,
    lang: str,
    sources: list[str | None] | None,
) -> tuple[list[dict], Session | None, str, list[str | None], str]:
    """One chat turn: (history, session, passages panel, per-message passages, cleared input).

    `sources` runs alongside `history`: the passages panel of each assistant message (None for
    the user's), so clicking an earlier answer shows its passages again."""
    lang = _lang(lang)
    history, sources = list(history or []), list(sources or [])
    sources += [None] * (len(history) - len(sources))
    if not (message or "").strip():
        return history, session, panel_message(s(lang, "empty_question"), "notice"), sources, ""
    if session is None:
        session = _new_session()
    answer, problem = _ask(
        assistant, message, lang, session=session, provinces=scope(provinces, _plan_ids(assistant))
    )
    history.append({"role": "user", "content": md_text(message)})
    if answer is None:
        history.append({"role": "assistant", "content": md_text(problem)})
        panel = panel_message(problem, "notice")
    else:
        history.append({"role": "assistant", "content": answer_markdown(answer, lang)})
        panel = passages_html(answer, lang)
    sources += [None, panel]
    return history, session, panel, sources, ""


def passages_for_message(sources: Sequence[str | None] | None, index: Any) -> Any:
    """The passages panel of the clicked message (a question shows its answer's passages)."""
    if isinstance(index, (list, tuple)):
        index = index[0] if index else None
    sources = list(sources or [])
    if not isinstance(index, int) or not 0 <= index < len(sources):
        return gr.skip()
    for i in (index, index + 1):
        if i < len(sources) and sources[i]:
            return sources[i]
    return gr.skip()


def clear_chat(session: Session | None, lang: str) -> tuple[list, Session | None, str, list, str]:
    if session is not None:
        session.reset()
    return [], session, empty_passages(lang), [], ""


# -- responsibilities ----------------------------------------------------------------------------


def _agency_ids(text: str) -> set[str]:
    try:
        from assistant.agencies import agency_ids

        return set(agency_ids(text))
    except Exception:
        return set()


def filter_rows(
    rows: Iterable[dict],
    provinces: Sequence[str] | None = None,
    agency: str = "",
    text: str = "",
    kind: str = "all",
) -> list[dict]:
    """Rows of the chosen provinces (plan ids; none = all) and kind ("all", "activity", "agency")
    whose lead or coordinating units name `agency` and whose text has every word of `text`;
    both matched without diacritics or case, and agencies also by name or abbreviation in
    the registry ("Department of Finance", "Sở LĐTBXH")."""
    wanted = set(provinces or ())
    agency_q = fold_words(agency or "")
    agency_named = _agency_ids(agency) if agency_q else set()
    words = fold_words(text or "").split()
    out = []
    for row in rows:
        if wanted and row["plan"] not in wanted:
            continue
        if kind in ("activity", "agency") and row["kind"] != kind:
            continue
        if agency_q:
            units = f"{row['lead']} ; {row['coordinating']}"
            if agency_q not in fold_words(units) and not (agency_named & _agency_ids(units)):
                continue
        if words:
            hay = fold_words(" ".join(str(row[k]) for k in (*TABLE_COLUMNS, "kind")))
            if not all(w in hay for w in words):
                continue
        out.append(row)
    return out


def _cell(row: dict, key: str, lang: str) -> Any:
    value = row.get(key, "")
    if key == "kind":
        return s(lang, f"kind_{value}_short") if value in ("activity", "agency") else value
    if key == "topic" and row.get("kind") == "agency" and lang == "en":
        return re.sub(r"^Nhiệm vụ:\s*", "Duties: ", str(value))
    return value


def table_frame(rows: Sequence[dict], lang: str, columns: Sequence[str] = TABLE_COLUMNS) -> pd.DataFrame:
    lang = _lang(lang)
    headers = [s(lang, f"col_{c}") for c in columns]
    return pd.DataFrame([[_cell(r, c, lang) for c in columns] for r in rows], columns=headers)


def responsibilities(
    assistant: Assistant,
    provinces: Sequence[str] | None,
    agency: str,
    text: str,
    kind: str,
    lang: str,
) -> tuple[pd.DataFrame, str]:
    """(the filtered table, "n of total rows")."""
    rows = assistant.responsibility_rows()
    kept = filter_rows(rows, provinces, agency, text, kind)
    return table_frame(kept, lang), s(lang, "resp_count").format(n=len(kept), total=len(rows))


def export_csv(
    assistant: Assistant,
    provinces: Sequence[str] | None,
    agency: str,
    text: str,
    kind: str,
    lang: str,
    out_dir: str | Path | None = None,
) -> str:
    """Write the filtered rows to a CSV (UTF-8 with BOM, so spreadsheet programs read the
    Vietnamese correctly) in a fresh temporary folder; return its path."""
    lang = _lang(lang)
    kept = filter_rows(assistant.responsibility_rows(), provinces, agency, text, kind)
    folder = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix="plans-csv-"))
    folder.mkdir(parents=True, exist_ok=True)
    name = "trach-nhiem.csv" if lang == "vi" else "responsibilities.csv"
    path = folder / name
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([s(lang, f"col_{c}") for c in CSV_COLUMNS])
        for row in kept:
            writer.writerow([_cell(row, c, lang) for c in CSV_COLUMNS])
    return str(path)


def kind_choices(lang: str) -> list[tuple[str, str]]:
    return [
        (s(lang, "kind_all"), "all"),
        (s(lang, "kind_activity"), "activity"),
        (s(lang, "kind_agency"), "agency"),
    ]


# -- comparison ----------------------------------------------------------------------------------


def compare_topic_labels(lang: str) -> list[str]:
    lang = _lang(lang)
    return [t[lang] for t in STRINGS["compare_topics"]]


def compare_question(topic: str, province: str, lang: str) -> str:
    """The question asked of one province: a listed topic's own question, else the free text."""
    lang = _lang(lang)
    key = fold_words(topic)
    for t in STRINGS["compare_topics"]:
        for tl in LANGS:
            if fold_words(t[tl]) == key:
                return t[f"{lang}_q"].format(province=province)
    if "{province}" in topic:
        return topic.replace("{province}", province)
    return s(lang, "compare_free_question").format(topic=topic.strip().rstrip("?"), province=province)


def compare(assistant: Assistant, topic: str, provinces: Sequence[str] | None, lang: str) -> str:
    """One `ask` per chosen province, scoped to its plan, side by side with the passages."""
    lang = _lang(lang)
    topic = (topic or "").strip()
    plans = [p for p in assistant.plans() if p.id in set(provinces or ())]
    if not topic:
        return panel_message(s(lang, "compare_need_topic"), "notice")
    if len(plans) < 2:
        return panel_message(s(lang, "compare_need_two"), "notice")
    columns = []
    for plan in plans:
        question = compare_question(topic, plan.province, lang)
        answer, problem = _ask(assistant, question, lang, provinces=[plan.id])
        parts = [
            f'<section class="pa-col" data-plan="{esc(plan.id)}">',
            f"<h3>{esc(plan.province)}</h3>",
            f'<p class="pa-col-question">{esc(question)}</p>',
        ]
        if answer is None:
            parts.append(f'<p class="pa-notice">{esc(problem)}</p>')
        else:
            css_class = "pa-answer pa-abstained" if answer.abstained else "pa-answer"
            parts.append(f'<div class="{css_class}">{esc(answer.text)}</div>')
            parts.extend(citation_card(c, answer.text) for c in _unique_citations(answer.citations))
        parts.append("</section>")
        columns.append("".join(parts))
    return f'<div class="pa-compare">{"".join(columns)}</div>'


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


# -- the interface -------------------------------------------------------------------------------

THEME = gr.themes.Soft(
    primary_hue="teal",
    secondary_hue="slate",
    # System fonts only: nothing is fetched from the internet.
    font=[
        "system-ui",
        "-apple-system",
        "Segoe UI",
        "Roboto",
        "Noto Sans",
        "Helvetica Neue",
        "Arial",
        "sans-serif",
    ],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace"],
)

CSS = """
.pa-passages, .pa-compare, .pa-about { font-size: 0.95rem; line-height: 1.5; }
.pa-question { margin-bottom: .6rem; color: var(--body-text-color-subdued); }
.pa-label { font-weight: 600; }
.pa-cite { border: 1px solid var(--border-color-primary); border-left: 4px solid var(--color-accent);
  border-radius: 8px; padding: .55rem .75rem; margin: 0 0 .7rem 0; background: var(--background-fill-secondary); }
.pa-cite header { display: flex; flex-wrap: wrap; gap: .35rem .5rem; align-items: baseline; margin-bottom: .35rem; }
.pa-marker { font-weight: 700; color: var(--color-accent); }
.pa-province { font-weight: 700; }
.pa-section { font-size: .85rem; color: var(--body-text-color-subdued); }
.pa-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.pa-text mark { background: #fde68a; color: #1f2937; padding: 0 .1em; border-radius: 3px; }
.pa-notice { color: #9a3412; font-weight: 500; }
.pa-empty, .pa-timing { color: var(--body-text-color-subdued); font-size: .85rem; }
.pa-compare { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 1rem; }
.pa-col { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: .75rem; }
.pa-col h3 { margin: 0 0 .25rem 0; }
.pa-col-question { color: var(--body-text-color-subdued); font-size: .85rem; margin: 0 0 .5rem 0; }
.pa-answer { white-space: pre-wrap; margin-bottom: .7rem; font-weight: 500; }
.pa-answer.pa-abstained { font-weight: 400; font-style: italic; color: var(--body-text-color-subdued); }
.pa-table-wrap { overflow-x: auto; }
.pa-table { border-collapse: collapse; width: 100%; margin-bottom: 1rem; }
.pa-table th, .pa-table td { border: 1px solid var(--border-color-primary); padding: .4rem .5rem;
  vertical-align: top; text-align: left; }
.pa-info th { width: 14rem; }
.pa-missing { color: var(--body-text-color-subdued); font-style: italic; }
#pa-passages-panel { max-height: 640px; overflow-y: auto; }
/* the table in the body font: monospace fonts lack Vietnamese precomposed letters */
#resp-table, #resp-table table, #resp-table td, #resp-table th, #resp-table span,
#resp-table input, #resp-table textarea { font-family: var(--font) !important; }
#send { align-self: end; min-height: 42px; }
/* keep the first message clear of the chat's floating label and toolbar */
#chatbot .bubble-wrap { margin-top: 2.8rem; height: calc(100% - 2.8rem); }
"""


def relabel(lang: str) -> list[Any]:
    """Updates of the labelled components (in `build_app`'s order) for the interface language."""
    lang = _lang(lang)
    return [
        gr.update(value=s(lang, "header")),
        gr.update(label=s(lang, "tab_chat")),
        gr.update(label=s(lang, "tab_resp")),
        gr.update(label=s(lang, "tab_compare")),
        gr.update(label=s(lang, "tab_about")),
        gr.update(label=s(lang, "province_filter"), info=s(lang, "province_filter_info")),
        gr.update(label=s(lang, "chatbot_label"), placeholder=s(lang, "chatbot_placeholder")),
        gr.update(label=s(lang, "input_label"), placeholder=s(lang, "input_placeholder")),
        gr.update(value=s(lang, "send")),
        gr.update(value=s(lang, "clear")),
        gr.update(label=s(lang, "examples_label")),
        gr.update(value=s(lang, "passages_title")),
        gr.update(value=s(lang, "resp_intro")),
        gr.update(label=s(lang, "resp_provinces"), info=s(lang, "resp_provinces_info")),
        gr.update(label=s(lang, "resp_agency"), placeholder=s(lang, "resp_agency_placeholder")),
        gr.update(label=s(lang, "resp_text"), placeholder=s(lang, "resp_text_placeholder")),
        gr.update(label=s(lang, "resp_kind"), choices=kind_choices(lang)),
        gr.update(value=s(lang, "resp_export")),
        gr.update(label=s(lang, "resp_file")),
        gr.update(value=s(lang, "compare_intro")),
        gr.update(
            label=s(lang, "compare_topic"),
            info=s(lang, "compare_topic_info"),
            choices=compare_topic_labels(lang),
        ),
        gr.update(label=s(lang, "compare_provinces")),
        gr.update(value=s(lang, "compare_button")),
    ]


def _translate_topic(topic: str, lang: str) -> str:
    """A listed compare topic in the other language; free text stays as typed."""
    key = fold_words(topic or "")
    for t in STRINGS["compare_topics"]:
        if key in (fold_words(t["vi"]), fold_words(t["en"])):
            return t[_lang(lang)]
    return topic


def _passages_on_lang(sources: list | None, lang: str) -> Any:
    """Swap the empty-panel hint to the new language; keep a shown answer's passages."""
    if not sources or all(x is None for x in sources):
        return empty_passages(lang)
    return gr.skip()


def build_app(assistant: Assistant) -> gr.Blocks:
    """The interface over `assistant` (not launched: see `main`)."""
    lang0 = "vi"
    choices = province_choices(assistant)
    all_ids = [pid for _, pid in choices]
    bind = functools.partial

    with gr.Blocks(title=s(lang0, "page_title"), analytics_enabled=False, fill_width=True) as demo:
        lang = gr.State(lang0)
        session = gr.State(None)
        sources = gr.State([])

        with gr.Row(equal_height=False):
            header = gr.Markdown(s(lang0, "header"), elem_id="pa-header")
            lang_radio = gr.Radio(
                LANG_CHOICES,
                value=lang0,
                label=s(lang0, "lang_label"),
                scale=0,
                min_width=220,
                elem_id="pa-lang",
            )

        with gr.Tabs():
            with gr.Tab(s(lang0, "tab_chat"), id="chat", elem_id="tab-chat") as tab_chat:
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=360):
                        chat_provinces = gr.CheckboxGroup(
                            choices,
                            value=all_ids,
                            label=s(lang0, "province_filter"),
                            info=s(lang0, "province_filter_info"),
                            elem_id="chat-provinces",
                        )
                        chatbot = gr.Chatbot(
                            label=s(lang0, "chatbot_label"),
                            placeholder=s(lang0, "chatbot_placeholder"),
                            height=460,
                            buttons=["copy", "copy_all"],
                            feedback_options=None,
                            latex_delimiters=[],
                            elem_id="chatbot",
                        )
                        with gr.Row(equal_height=False):
                            question = gr.Textbox(
                                label=s(lang0, "input_label"),
                                placeholder=s(lang0, "input_placeholder"),
                                lines=1,
                                max_lines=4,
                                scale=5,
                                autofocus=True,
                                elem_id="question",
                            )
                            with gr.Column(scale=0, min_width=150):
                                send = gr.Button(s(lang0, "send"), variant="primary", elem_id="send")
                                clear = gr.Button(
                                    s(lang0, "clear"), variant="secondary", size="sm", elem_id="clear"
                                )
                        examples = gr.Dataset(
                            components=[gr.Textbox(visible=False)],
                            samples=[[q] for q in STRINGS["examples"]],
                            label=s(lang0, "examples_label"),
                            type="index",
                            samples_per_page=12,
                            elem_id="examples",
                        )
                    with gr.Column(scale=2, min_width=320):
                        passages_title = gr.Markdown(s(lang0, "passages_title"))
                        passages = gr.HTML(empty_passages(lang0), elem_id="pa-passages-panel")

            with gr.Tab(s(lang0, "tab_resp"), id="resp", elem_id="tab-resp") as tab_resp:
                resp_intro = gr.Markdown(s(lang0, "resp_intro"))
                with gr.Row():
                    resp_provinces = gr.CheckboxGroup(
                        choices,
                        value=[],
                        label=s(lang0, "resp_provinces"),
                        info=s(lang0, "resp_provinces_info"),
                        elem_id="resp-provinces",
                    )
                    resp_kind = gr.Radio(
                        kind_choices(lang0), value="all", label=s(lang0, "resp_kind"), elem_id="resp-kind"
                    )
                with gr.Row():
                    resp_agency = gr.Textbox(
                        label=s(lang0, "resp_agency"),
                        placeholder=s(lang0, "resp_agency_placeholder"),
                        elem_id="resp-agency",
                    )
                    resp_text = gr.Textbox(
                        label=s(lang0, "resp_text"),
                        placeholder=s(lang0, "resp_text_placeholder"),
                        elem_id="resp-text",
                    )
                frame0, count0 = responsibilities(assistant, [], "", "", "all", lang0)
                resp_count = gr.Markdown(count0, elem_id="resp-count")
                resp_table = gr.Dataframe(
                    frame0,
                    interactive=False,
                    wrap=True,
                    max_height=620,
                    show_label=False,
                    column_widths=["8%", "14%", "14%", "14%", "8%", "10%", "22%", "10%"],
                    elem_id="resp-table",
                )
                with gr.Row():
                    resp_export = gr.Button(
                        s(lang0, "resp_export"), scale=0, min_width=160, elem_id="resp-export"
                    )
                    resp_file = gr.File(
                        label=s(lang0, "resp_file"), interactive=False, height=90, elem_id="resp-file"
                    )

            with gr.Tab(s(lang0, "tab_compare"), id="compare", elem_id="tab-compare") as tab_compare:
                compare_intro = gr.Markdown(s(lang0, "compare_intro"))
                with gr.Row():
                    compare_topic = gr.Dropdown(
                        compare_topic_labels(lang0),
                        value=compare_topic_labels(lang0)[0],
                        allow_custom_value=True,
                        label=s(lang0, "compare_topic"),
                        info=s(lang0, "compare_topic_info"),
                        scale=3,
                        elem_id="compare-topic",
                    )
                    compare_provinces = gr.CheckboxGroup(
                        choices,
                        value=[pid for pid in ("hai-duong", "ca-mau") if pid in all_ids] or all_ids[:2],
                        label=s(lang0, "compare_provinces"),
                        scale=2,
                        elem_id="compare-provinces",
                    )
                compare_button = gr.Button(
                    s(lang0, "compare_button"), variant="primary", elem_id="compare-run"
                )
                compare_out = gr.HTML(panel_message(s(lang0, "compare_empty")), elem_id="compare-out")

            with gr.Tab(s(lang0, "tab_about"), id="about", elem_id="tab-about") as tab_about:
                about = gr.HTML(about_html(assistant, lang0), elem_id="about")

        # -- events ------------------------------------------------------------------------------
        chat_inputs = [question, chatbot, session, chat_provinces, lang, sources]
        chat_outputs = [chatbot, session, passages, sources, question]
        for trigger in (question.submit, send.click):
            trigger(bind(respond, assistant), chat_inputs, chat_outputs, concurrency_id="ask")

        def ask_example(index, history, sess, provinces, lang_value, srcs):
            if not isinstance(index, int) or not 0 <= index < len(STRINGS["examples"]):
                return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return respond(assistant, STRINGS["examples"][index], history, sess, provinces, lang_value, srcs)

        examples.click(
            ask_example,
            [examples, chatbot, session, chat_provinces, lang, sources],
            chat_outputs,
            concurrency_id="ask",
        )

        def on_select(srcs, evt: gr.SelectData):
            return passages_for_message(srcs, evt.index)

        chatbot.select(on_select, [sources], [passages])
        clear.click(clear_chat, [session, lang], [chatbot, session, passages, sources, question])
        chatbot.clear(clear_chat, [session, lang], [chatbot, session, passages, sources, question])

        resp_inputs = [resp_provinces, resp_agency, resp_text, resp_kind, lang]
        for component in (resp_provinces, resp_kind):
            component.change(bind(responsibilities, assistant), resp_inputs, [resp_table, resp_count])
        for component in (resp_agency, resp_text):
            component.change(
                bind(responsibilities, assistant),
                resp_inputs,
                [resp_table, resp_count],
                trigger_mode="always_last",
                show_progress="hidden",
            )
        resp_export.click(bind(export_csv, assistant), resp_inputs, [resp_file])

        compare_button.click(
            bind(compare, assistant),
            [compare_topic, compare_provinces, lang],
            [compare_out],
            concurrency_id="ask",
        )

        labelled = [
            header,
            tab_chat,
            tab_resp,
            tab_compare,
            tab_about,
            chat_provinces,
            chatbot,
            question,
            send,
            clear,
            examples,
            passages_title,
            resp_intro,
            resp_provinces,
            resp_agency,
            resp_text,
            resp_kind,
            resp_export,
            resp_file,
            compare_intro,
            compare_topic,
            compare_provinces,
            compare_button,
        ]

        def switch_language(new_lang, topic, srcs):
            new_lang = _lang(new_lang)
            updates = relabel(new_lang)
            return [
                new_lang,
                *updates,
                _passages_on_lang(srcs, new_lang),
                about_html(assistant, new_lang),
                _translate_topic(topic, new_lang),
            ]

        lang_radio.change(
            switch_language,
            [lang_radio, compare_topic, sources],
            [lang, *labelled, passages, about, compare_topic],
        ).then(bind(responsibilities, assistant), resp_inputs, [resp_table, resp_count])

    return demo


# -- serving -------------------------------------------------------------------------------------


class ConfigError(Exception):
    """A setting that stops the app from starting; the message is one line for the console."""


@dataclass(frozen=True)
class ServeConfig:
    host: str
    port: int
    auth: tuple[str, str] | None
    open_without_auth: bool = False


def is_loopback(host: str) -> bool:
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python app.py", description="Serve the plans assistant.")
    parser.add_argument("--host", help=f"address to bind (env PLANS_HOST, default {DEFAULT_HOST})")
    parser.add_argument("--port", help=f"port to bind (env PLANS_PORT, default {DEFAULT_PORT})")
    parser.add_argument(
        "--no-auth",
        action="store_true",
        help="allow serving beyond localhost without a password (env PLANS_ALLOW_NO_AUTH=1)",
    )
    return parser.parse_args(argv)


def serve_config(argv: Sequence[str] | None = None, env: dict[str, str] | None = None) -> ServeConfig:
    """Host, port and authentication from flags, then PLANS_* environment, then defaults.
    Raises ConfigError when the address is open to the network without a password."""
    env = dict(os.environ if env is None else env)
    args = parse_args(argv)
    host = (args.host or env.get("PLANS_HOST") or DEFAULT_HOST).strip()
    port_text = str(args.port or env.get("PLANS_PORT") or DEFAULT_PORT).strip()
    try:
        port = int(port_text)
    except ValueError:
        raise ConfigError(
            f"PLANS_PORT / --port must be a number from 1 to 65535, not {port_text!r}."
        ) from None
    if not 0 < port < 65536:
        raise ConfigError(f"PLANS_PORT / --port must be a number from 1 to 65535, not {port}.")
    user, password = env.get("PLANS_AUTH_USER", ""), env.get("PLANS_AUTH_PASSWORD", "")
    if bool(user) != bool(password):
        raise ConfigError("set both PLANS_AUTH_USER and PLANS_AUTH_PASSWORD, or neither.")
    auth = (user, password) if user else None
    allow_open = args.no_auth or env.get("PLANS_ALLOW_NO_AUTH", "").strip().lower() in ("1", "true", "yes")
    if not is_loopback(host) and auth is None and not allow_open:
        raise ConfigError(
            f"refusing to serve on {host} (reachable from other machines) without a password: "
            "set PLANS_AUTH_USER and PLANS_AUTH_PASSWORD, or allow it explicitly with "
            "--no-auth / PLANS_ALLOW_NO_AUTH=1, or bind 127.0.0.1."
        )
    return ServeConfig(host, port, auth, open_without_auth=not is_loopback(host) and auth is None)


def prepare_assistant(progress: bool = True) -> Assistant:
    """Build the model and the index if missing (with progress on the console), then load them."""
    from assistant import Assistant
    from index.store import ModelMismatchError, PlanIndex

    started = time.perf_counter()
    index = PlanIndex()
    if not index.exists():
        print(
            f"No index at {index.settings.index_dir}: building it now "
            "(first run: converting the model and embedding the plans takes a minute or two)…",
            flush=True,
        )
        print(index.build(progress=progress).summary(), flush=True)
    assistant = Assistant(index=index)  # one embedding model for both
    print("Loading the model and the index…", flush=True)
    try:
        assistant.warm_up()
    except ModelMismatchError as exc:
        print(f"{exc}: rebuilding the index…", flush=True)
        print(index.build(progress=progress).summary(), flush=True)
        assistant = Assistant(index=index)
        assistant.warm_up()
    print(f"Ready in {time.perf_counter() - started:.1f}s.", flush=True)
    return assistant


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        config = serve_config(argv)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        assistant = prepare_assistant()
    except Exception as exc:  # a clear line rather than a traceback for the usual problems
        log.debug("startup failed", exc_info=True)
        print(f"error: could not load the assistant: {exc}", file=sys.stderr)
        return 1
    if config.open_without_auth:
        print(f"warning: serving on {config.host} without a password (--no-auth).", file=sys.stderr)
    demo = build_app(assistant)
    demo.queue(default_concurrency_limit=1)
    try:
        demo.launch(
            server_name=config.host,
            server_port=config.port,
            auth=config.auth,
            auth_message="Trợ lý kế hoạch — đăng nhập / sign in",
            theme=THEME,
            css=CSS,
            ssr_mode=False,
            mcp_server=False,
            pwa=False,
            inbrowser=False,
            show_error=False,
            footer_links=["settings"],
        )
    except OSError as exc:
        print(f"error: cannot serve on {config.host}:{config.port}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
