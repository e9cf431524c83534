"""`python -m index build [--rebuild]` builds or updates the index; `python -m index info` describes it."""

from __future__ import annotations

import argparse
import sys
import time

from cli_errors import one_line_errors
from index.lock import DEFAULT_WAIT


def _where(settings) -> str:
    """The configured index (never the private copy it is read from)."""
    from index.store import PlanIndex

    return PlanIndex(settings).location


def _build(args: argparse.Namespace) -> int:
    from corpus import plan_problems
    from index.building import build_index
    from index.settings import get_settings
    from index.store import VERDICTS

    started = time.perf_counter()
    settings = get_settings()
    # the corpus check runs first: a bad plan is named and skipped, the others are indexed
    for problem in plan_problems(settings.corpus_dir, settings.index_dir / VERDICTS):
        print(f"skipped {problem.line()}", file=sys.stderr)
    report = build_index(settings, progress=not args.quiet, wait=args.wait, fresh=args.rebuild)
    print(report.summary())
    print(report.models.summary())
    print(f"index: {_where(settings)} (collection {report.collection}, model {report.model})")
    print(f"total {time.perf_counter() - started:.1f}s")
    return 0


def _info(_args: argparse.Namespace) -> int:
    from index.settings import get_settings
    from index.snapshot import reading_settings
    from index.store import PlanIndex

    settings = get_settings()
    index = PlanIndex(reading_settings(settings))
    if not index.exists():
        print(f"no index at {_where(settings)}: run `python -m index build`")
        return 1
    print(f"index: {_where(settings)}")
    print(f"collection: {index.active_name()}  model: {index.active_model()}  chunks: {index.count()}")
    lexical = PlanIndex(settings).lexical_root / str(index.version())
    print(f"version: {index.version()}  lexical index: {lexical}")
    return 0


@one_line_errors
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index", description=__doc__)
    parser.epilog = "--debug shows the traceback of an error"
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build or update the index (embeds only changed chunks)")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.add_argument(
        "--rebuild", action="store_true", help="build a fresh index and swap it in (for a damaged one)"
    )
    b.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_WAIT,
        metavar="SECONDS",
        help=f"how long to wait for another build of the same index (default {DEFAULT_WAIT:.0f}; 0: do not wait)",
    )
    b.set_defaults(func=_build)
    i = sub.add_parser("info", help="where the index is and what it holds")
    i.set_defaults(func=_info)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
