"""The comparison tab: one question per chosen province, answered side by side."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.text import fold_words
from ui.chat import _ask
from ui.render import (
    _unique_citations,
    cards_html,
    esc,
    linked_markers_html,
    panel_message,
    support_html,
    support_of,
)
from ui.strings import LANGS, STRINGS, _lang, s
from ui.tables import Item, Table, write_exports
from ui.viewer import source_href

if TYPE_CHECKING:
    from assistant import Assistant


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


def compare(
    assistant: Assistant, topic: str, provinces: Sequence[str] | None, lang: str, out_dir=None
) -> tuple[str, str | None, str | None]:
    """One `ask` per chosen province, scoped to its plan, side by side with the passages;
    and the same comparison as CSV and .xlsx files (None when there is nothing to compare)."""
    lang = _lang(lang)
    topic = (topic or "").strip()
    plans = [p for p in assistant.plans() if p.id in set(provinces or ())]
    if not topic:
        return panel_message(s(lang, "compare_need_topic"), "notice"), None, None
    if len(plans) < 2:
        return panel_message(s(lang, "compare_need_two"), "notice"), None, None
    texts = {p.id: p.text for p in plans}
    columns, rows = [], []
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
            rows.append(((Item(plan.province),), (Item(question),), (Item(problem),), (), ()))
        else:
            css_class = "pa-answer pa-abstained" if answer.abstained else "pa-answer"
            parts.append(support_html(answer, lang))
            parts.append(
                f'<div class="{css_class}">{linked_markers_html(answer.text, answer.citations)}</div>'
            )
            parts.append(cards_html(answer.citations, texts, lang))
            level = support_of(answer)
            key = "support_related" if level == "not_found" and answer.citations else f"support_{level}"
            cites = tuple(
                Item(f"[{c.marker}] {c.section}: {c.text}", source_href(c.plan, c.start, c.end))
                for c in _unique_citations(answer.citations)
            )
            rows.append(
                (
                    (Item(plan.province),),
                    (Item(question),),
                    (Item(answer.text),),
                    (Item(s(lang, key)),),
                    cites,
                )
            )
        parts.append("</section>")
        columns.append("".join(parts))
    table = Table(
        tuple(s(lang, f"col_{c}") for c in ("province", "question", "answer", "support", "marker")),
        tuple(rows),
        tuple(p.id for p in plans),
    )
    csv_path, xlsx_path = write_exports(table, s(lang, "file_compare"), s(lang, "tab_compare"), out_dir)
    return f'<div class="pa-compare">{"".join(columns)}</div>', csv_path, xlsx_path
