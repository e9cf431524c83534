"""The chat tab's handlers: a turn in two steps (the question shows at once, then the answer),
the passages of a clicked message, suggested follow-ups, clearing, the province filter."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.guard import MAX_CHARS, cut
from ui.render import answer_markdown, empty_passages, md_text, panel_message, passages_html
from ui.security import bounded, failure_message
from ui.strings import STRINGS, _lang, s

if TYPE_CHECKING:
    from assistant import Assistant, Session
    from assistant.types import Answer

log = logging.getLogger("plans.app")

MAX_FOLLOWUPS = 4


def _new_session() -> Session:
    from assistant import Session

    return Session()


def _plan_ids(assistant: Assistant) -> list[str]:
    return [p.id for p in assistant.plans()]


def plan_texts(assistant: Assistant) -> dict[str, str]:
    return {p.id: p.text for p in assistant.plans()}


def plan_provinces(assistant: Assistant) -> dict[str, str]:
    return {p.id: p.province for p in assistant.plans()}


def panel_html(assistant: Assistant, answer: Answer, lang: str) -> str:
    """The passages panel of an answer (its passages with their context, the other plans named)."""
    return passages_html(answer, lang, plan_texts(assistant), plan_provinces(assistant))


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
        log.exception("ask failed for %r", question[:200])
        return None, failure_message(exc, lang)


def _loading(lang: str) -> dict:
    return {"role": "assistant", "content": f"_{s(lang, 'loading')}_"}


def _text_of(message: dict) -> str:
    """A chat message's text, whether given as a string or as Gradio's content blocks."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return ""


def _is_loading(message: dict) -> bool:
    return message.get("role") == "assistant" and _text_of(message) in {
        _loading(lang)["content"] for lang in ("vi", "en")
    }


def start_turn(message: str, history: list[dict] | None, lang: str) -> tuple[list[dict], str, str]:
    """Step one, at once: the question in the chat with a loading line under it.
    Returns (history, the question waiting for its answer, the passages panel)."""
    lang = _lang(lang)
    history = list(history or [])
    if not (message or "").strip():
        return history, "", panel_message(s(lang, "empty_question"), "notice")
    # cut at the door: a huge input never enters the history, the session or a response
    history += [{"role": "user", "content": md_text(message[:MAX_CHARS])}, _loading(lang)]
    return history, cut(message), panel_message(s(lang, "loading"), "empty")


def finish_turn(
    assistant: Assistant,
    pending: str,
    history: list[dict] | None,
    session: Session | None,
    provinces: Sequence[str] | None,
    lang: str,
    answers: list[Answer | None] | None,
) -> tuple[list[dict], Session | None, str, list[Answer | None], list[str]]:
    """Step two: answer the waiting question in place of its loading line.
    Returns (history, session, passages panel, per-message answers, suggested follow-ups).

    `answers` runs alongside `history`: the Answer of each assistant message (None for the
    user's), so clicking an earlier answer shows its passages again, in the current language."""
    lang = _lang(lang)
    history, answers = list(history or []), list(answers or [])
    if not (pending or "").strip():
        return history, session, panel_message(s(lang, "empty_question"), "notice"), answers, []
    if history and _is_loading(history[-1]):
        history.pop()
    else:
        history.append({"role": "user", "content": md_text(pending[:MAX_CHARS])})
    answers = answers[: len(history) - 1] + [None] * max(0, len(history) - 1 - len(answers))
    if session is None:
        session = _new_session()
    answer, problem = _ask(
        assistant, pending, lang, session=session, provinces=scope(provinces, _plan_ids(assistant))
    )
    if answer is None:
        history.append({"role": "assistant", "content": md_text(problem)})
        history, answers = bounded(history, [*answers, None, None])
        return history, session, panel_message(problem, "notice"), answers, []
    history.append({"role": "assistant", "content": answer_markdown(answer, lang)})
    history, answers = bounded(history, [*answers, None, answer])
    panel = panel_html(assistant, answer, lang)
    return history, session, panel, answers, followups(assistant, answer)


def followups(assistant: Assistant, answer: Answer) -> list[str]:
    """Questions worth asking next, from what the plan states about the cited activity (who
    coordinates, when, with what funding) and the other plans; none after an abstention."""
    if answer.abstained or not answer.citations:
        return []
    lang = _lang(answer.lang)
    asks = STRINGS["followups"][lang]
    from ui.responsibilities import row_index

    cited = {(c.plan, c.start) for c in answer.citations}
    index = row_index(assistant.responsibility_rows())
    mine = sorted({i for c in answer.citations for i in index.by_plan.get(c.plan, ())})  # cited plans' rows
    activity = next(
        (
            r
            for r in (index.rows[i] for i in mine)
            if r["kind"] == "activity"
            and any(p == r["plan"] and r["start"] <= x < r["end"] for p, x in cited)
        ),
        None,
    )
    intent = answer.intent.split(":")[-1]
    out = []
    if activity is not None:
        for field, intents in (
            ("lead", ("lead",)),
            ("coordinating", ("coordinate",)),
            ("timing", ("timing", "deadline")),
            ("funding", ("funding",)),
        ):
            if activity.get(field) and intent not in intents:
                out.append(asks[field])
    others = [p for p in assistant.plans() if p.id not in set(answer.provinces)]
    if len(set(answer.provinces)) == 1 and others:
        out.append(asks["other_province"].format(province=others[0].province))
    return out[:MAX_FOLLOWUPS]


def followups_update(questions: Sequence[str]) -> Any:
    return gr.update(samples=[[q] for q in questions], visible=bool(questions))


def passages_for_message(
    answers: Sequence[Answer | None] | None,
    index: Any,
    lang: str = "vi",
    texts: dict | None = None,
    provinces: dict | None = None,
) -> Any:
    """The passages panel of the clicked message (a question shows its answer's passages)."""
    if isinstance(index, (list, tuple)):
        index = index[0] if index else None
    answers = list(answers or [])
    if not isinstance(index, int) or not 0 <= index < len(answers):
        return gr.skip()
    for i in (index, index + 1):
        if i < len(answers) and answers[i] is not None:
            return passages_html(answers[i], lang, texts, provinces)
    return gr.skip()


def clear_chat(session: Session | None, lang: str) -> tuple[list, Session | None, str, list, Any]:
    if session is not None:
        session.reset()
    return [], session, empty_passages(lang), [], followups_update([])
