"""The comparison tab: one question per chosen province, answered side by side."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.text import fold_words
from ui.chat import _ask
from ui.render import _unique_citations, citation_card, esc, panel_message
from ui.strings import LANGS, STRINGS, _lang, s

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
