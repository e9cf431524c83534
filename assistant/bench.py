"""Latency benchmark: `python -m assistant.bench [--questions Q.jsonl] [--rounds 3]`.

Prints numbers only (warm-up, per-stage median and p95, query embedding, peak memory);
speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

DEFAULT_QUESTIONS = Path(__file__).resolve().parent.parent / "eval" / "questions" / "gold.jsonl"


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.bench", description=__doc__)
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--rounds", type=int, default=3, help="times each question is asked (default 3)")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error(f"--rounds must be at least 1. Currently, it is {args.rounds}")

    from assistant import Assistant, Session
    from index.store import PlanIndex

    started = time.perf_counter()
    index = PlanIndex()
    if not index.exists():
        print(index.build(progress=True).summary())
    assistant = Assistant(index=index)
    assistant.warm_up()
    warm = time.perf_counter() - started

    items = [
        json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    stages: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        for item in items:
            session = Session()
            for turn in item.get("turns") or [item["question"]]:
                answer = assistant.ask(turn, session=session)
                for key, value in answer.timings_ms.items():
                    stages.setdefault(key, []).append(value)

    embed = []
    for item in items[:50]:
        t0 = time.perf_counter()
        assistant.index.embedder.embed_query(item["question"])
        embed.append((time.perf_counter() - t0) * 1000)

    total = stages["total_ms"]
    print(f"questions: {len(items)} × {args.rounds} rounds = {len(total)} answers")
    print(f"warm-up (model + index + facts): {warm:.1f} s")
    for key in ("understand_ms", "retrieve_ms", "compose_ms", "total_ms"):
        values = stages.get(key, [])
        if values:
            print(f"{key:14s} median {statistics.median(values):7.1f} ms   p95 {_pct(values, 95):7.1f} ms")
    print(f"{'query embed':14s} median {statistics.median(embed):7.1f} ms   p95 {_pct(embed, 95):7.1f} ms")
    print(f"peak memory (RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
