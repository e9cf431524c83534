"""The chat tab's handlers: one turn, the passages of a clicked message, clearing, the province filter."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import gradio as gr

from ui.render import answer_markdown, empty_passages, md_text, panel_message, passages_html
from ui.strings import _lang, s

if TYPE_CHECKING:
    from assistant import Assistant, Session
    from assistant.types import Answer

log = logging.getLogger("plans.app")


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
