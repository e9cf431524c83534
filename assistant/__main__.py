"""`python -m assistant ask "…" [--json] [--province ca-mau]` and `python -m assistant chat`."""

from __future__ import annotations

import argparse
import json
import sys

from assistant.types import Answer
from cli_errors import one_line_errors

#: how well the plans back an answer, as the app words it (Answer.support)
SUPPORT = {
    "supported": "Có căn cứ / Supported by the plans",
    "partial": "Căn cứ một phần / Partly supported",
    "not_found": "Các kế hoạch không nêu / Not stated in the plans",
}


def render(answer: Answer) -> str:
    """The answer and its sources as plain text."""
    lines = [answer.text, "", f"{SUPPORT[answer.support]} ({answer.support})"]
    if answer.notice:
        lines.insert(0, f"({answer.notice})")
    if answer.citations:
        lines.append("")
        lines.append("Nguồn / Sources:")
        for c in answer.citations:
            passage = " ".join(c.text.split())
            lines.append(f"[{c.marker}] {c.province} — {c.section}")
            lines.append(f"    “{passage}”")
    return "\n".join(lines)


def _assistant(args):
    from assistant import Assistant
    from assistant.llm import phraser_from_env
    from index.settings import get_settings
    from index.snapshot import reading_settings

    settings = reading_settings(get_settings())  # answering never writes to the index
    return Assistant(settings, phraser=None if args.no_llm else phraser_from_env())


def _ask(args) -> int:
    assistant = _assistant(args)
    answer = assistant.ask(" ".join(args.question), provinces=args.province or None)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render(answer))
    return 0


def _chat(args) -> int:
    from assistant import Session

    assistant = _assistant(args)
    session = Session()
    print(
        "Hỏi về các kế hoạch (Ctrl-D để thoát, 'moi' / 'new' để bắt đầu lại). Ask in Vietnamese or English."
    )
    while True:
        try:
            line = input("> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if line.strip().lower() in ("moi", "mới", "new", "reset"):
            session.reset()
            print("(cuộc hội thoại mới / new conversation)")
            continue
        if not line.strip():
            continue
        print(render(assistant.ask(line, session=session, provinces=args.province or None)))
        print()


@one_line_errors
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer one question")
    ask.add_argument("question", nargs="+")
    ask.add_argument("--json", action="store_true", help="print the Answer as JSON")
    chat = sub.add_parser("chat", help="an interactive conversation that keeps context")
    for p in (ask, chat):
        p.add_argument(
            "--province", action="append", help="limit to a plan id (repeatable): ca-mau, hai-duong, …"
        )
        p.add_argument("--no-llm", action="store_true", help="never use the LLM endpoint even if configured")
    ask.set_defaults(func=_ask)
    chat.set_defaults(func=_chat)
    parser.epilog = "--debug shows the traceback of an error"
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
