"""`python -m index build` builds or updates the index; `python -m index info` describes it."""

from __future__ import annotations

import argparse
import sys
import time


def _build(args: argparse.Namespace) -> int:
    from corpus import plan_problems
    from index.planmodel import build_models
    from index.store import PlanIndex

    started = time.perf_counter()
    index = PlanIndex()
    # the corpus check runs first: a bad plan is named and skipped, the others are indexed
    for problem in plan_problems(index.plans_dir):
        print(f"skipped {problem.line()}", file=sys.stderr)
    report = index.build(progress=not args.quiet)
    print(report.summary())
    print(build_models(index.plans(), index.settings.index_dir).summary())
    print(f"index: {index.location} (collection {report.collection}, model {report.model})")
    print(f"total {time.perf_counter() - started:.1f}s")
    return 0


def _info(_args: argparse.Namespace) -> int:
    from index.store import PlanIndex

    index = PlanIndex()
    if not index.exists():
        print(f"no index at {index.location}: run `python -m index build`")
        return 1
    print(f"index: {index.location}")
    print(f"collection: {index.active_name()}  model: {index.active_model()}  chunks: {index.count()}")
    print(f"version: {index.version()}  lexical index: {index.lexical_root / str(index.version())}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build or update the index (embeds only changed chunks)")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.set_defaults(func=_build)
    i = sub.add_parser("info", help="where the index is and what it holds")
    i.set_defaults(func=_info)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (RuntimeError, ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
