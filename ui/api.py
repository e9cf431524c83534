"""The named API (`/ask`, `/responsibilities`, `/compare`) for gradio_client callers.

Plain typed functions over the assistant, the same handlers the tabs use; `register(assistant)`
adds them to the Blocks being built. (No `from __future__ import annotations` here: Gradio
reads these signatures to describe the endpoints.)
"""

import gradio as gr

from ui.chat import _ask, scope
from ui.render import support_of
from ui.responsibilities import responsibility_table
from ui.strings import _lang


def _plan_ids(assistant) -> list:
    return [p.id for p in assistant.plans()]


def _checked_provinces(assistant, provinces: list | None) -> list | None:
    known = _plan_ids(assistant)
    bad = [p for p in provinces or () if p not in known]
    if bad:
        raise gr.Error(f"unknown plan ids {bad}; known: {known}")
    return scope(provinces, known)


def make_endpoints(assistant) -> dict:
    """The three endpoint functions, by api_name."""

    def ask(question: str, provinces: list | None = None) -> dict:
        """Answer one question from the plans (optionally only those plan ids); the answer
        text with its [n] markers, how well the plans back it, and each cited verbatim span."""
        answer, problem = _ask(assistant, question, "vi", provinces=_checked_provinces(assistant, provinces))
        if answer is None:
            raise gr.Error(problem)
        out = answer.to_dict()
        out.pop("retrieved", None)
        out["support"] = support_of(answer)
        return out

    def responsibilities(
        agency: str = "",
        provinces: list | None = None,
        text: str = "",
        kind: str = "all",
        lang: str = "vi",
    ) -> dict:
        """The responsibilities table as shown in the app: with an agency, one row per plan
        (what it leads, coordinates, its duties, or "không nêu"); headers and rows as text."""
        _checked_provinces(assistant, provinces)
        table, _, _ = responsibility_table(assistant, provinces, agency, text, kind, _lang(lang))
        return {
            "headers": list(table.headers),
            "rows": [[table.cell_text(c) for c in row] for row in table.rows],
            "plans": list(table.row_plans),
        }

    def compare(topic: str, provinces: list, lang: str = "vi") -> list:
        """The same topic asked of each plan id given (two or more), one answer per plan."""
        known = _plan_ids(assistant)
        if len([p for p in provinces or () if p in known]) < 2:
            raise gr.Error(f"give two or more plan ids of {known}")
        from ui.compare import compare_question

        out = []
        for plan in (p for p in assistant.plans() if p.id in set(provinces)):
            question = compare_question(topic, plan.province, _lang(lang))
            answer, problem = _ask(assistant, question, _lang(lang), provinces=[plan.id])
            if answer is None:
                raise gr.Error(problem)
            item = answer.to_dict()
            item.pop("retrieved", None)
            out.append({"plan": plan.id, "support": support_of(answer), **item})
        return out

    return {"ask": ask, "responsibilities": responsibilities, "compare": compare}


def register(assistant) -> None:
    """Add the named endpoints to the Blocks being built (API only, no component)."""
    for name, fn in make_endpoints(assistant).items():
        gr.api(fn, api_name=name, concurrency_id="ask" if name != "responsibilities" else None)
