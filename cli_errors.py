"""One-line errors for every command line (`assistant`, `index`, `corpus`, `eval`).

`@one_line_errors` wraps a `main(argv) -> int`: an expected failure prints one line naming the
file or setting and what to do, and exits 1; `--debug` (or PLANS_DEBUG=1) shows the traceback.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence

DEBUG_FLAG = "--debug"


def describe(exc: BaseException) -> str:
    """The one line for an error: the store's own words when it is the store, else the error's."""
    try:
        from index.faults import explain
        from index.settings import get_settings

        settings = get_settings()
        server = f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else ""
        from index.snapshot import origin

        store = explain(exc, origin(settings.index_dir), server)
    except Exception:  # the settings themselves may be what is wrong
        store = None
    if store is not None:
        return str(store)
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    if isinstance(exc, FileNotFoundError) and exc.filename:
        return f"file not found: {exc.filename}"
    if isinstance(exc, PermissionError) and exc.filename:
        return f"permission denied: {exc.filename}"
    if isinstance(exc, OSError) and exc.strerror:
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror.lower()}{where}"
    if isinstance(exc, KeyError):
        return f"missing key {exc.args[0]!r}" if exc.args else "missing key"
    text = " ".join(str(exc).split())
    if isinstance(exc, RuntimeError | ValueError) and text:
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _expected(exc: BaseException) -> bool:
    return isinstance(exc, RuntimeError | ValueError | OSError | KeyError | LookupError)


def report(exc: BaseException, debug: bool, stream=None) -> int:
    """Print the error (its traceback too with `debug`); the exit code."""
    stream = stream or sys.stderr
    if debug:
        traceback.print_exception(exc, file=stream)
    line = describe(exc)
    hint = "" if debug or _expected(exc) else f" (run with {DEBUG_FLAG} for the traceback)"
    print(f"error: {line}{hint}", file=stream)
    return 1


def one_line_errors(main: Callable[..., int]) -> Callable[..., int]:
    """Decorate a CLI's `main(argv=None, ...)`: one-line errors, exit code 1, `--debug` for tracebacks."""

    @functools.wraps(main)
    def wrapper(argv: Sequence[str] | None = None, *args, **kwargs) -> int:
        argv = list(sys.argv[1:] if argv is None else argv)
        debug = DEBUG_FLAG in argv or os.environ.get("PLANS_DEBUG", "") in ("1", "true", "yes")
        argv = [a for a in argv if a != DEBUG_FLAG]
        try:
            return main(argv, *args, **kwargs)
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return 130
        except BrokenPipeError:
            return 1
        except Exception as exc:
            return report(exc, debug)

    return wrapper
