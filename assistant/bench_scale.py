"""Scale benchmark: `python -m assistant.bench_scale [--sizes 4 100 1000] [--work DIR]`.

For each size N it writes a synthetic corpus of N plans made from the real ones (the real
plans first, then copies whose province name and id are changed: "Thử Nghiệm 0123",
`synth-0123`), builds its index, rebuilds it unchanged, then measures a fresh process
that loads the assistant and answers a fixed question mix (the gold set's first turns:
questions naming a province, comparisons of named provinces, questions naming none). One
JSON line per size:

    {"plans", "chunks", "build_s", "rebuild_s", "startup_s", "rss_mb", "p50_ms", "p95_ms",
     "answer_chars_p95", "no_province_chars_max", "embed_p50_ms", ..., "resp_filter_ms", "load_1m"}

(`resp_filter_ms`: the Responsibilities table shown after one keystroke, median over typing an
agency and a phrase.)

and, for the smallest size, a line for concurrent sessions (threads sharing one assistant).
The copies' chunk texts differ from the real ones only by the names, so their vectors are the
real chunks' vectors, looked up by the text with the names put back (each distinct real
passage is embedded once): the build then costs chunking and writing, not embedding.
Synthetic corpora are for timing only, never for accuracy. Times depend on what else runs
on the machine; compare sizes within one run.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

QUESTIONS = Path(__file__).resolve().parent.parent / "eval" / "questions" / "gold.jsonl"
SYNTHETIC = "Thử Nghiệm {:04d}"
_SYNTHETIC = re.compile(r"Thử Nghiệm (\d{4})")


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _peak_rss_mb() -> int:
    """This process's peak RSS (VmHWM: reset by exec, unlike ru_maxrss, which a child inherits)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def synthesize(n: int, folder: Path) -> list[str]:
    """Write n plans into `folder`; returns the real province each plan was made from."""
    from corpus import load_plans

    real = load_plans()
    folder.mkdir(parents=True, exist_ok=True)
    origins = []
    for i in range(n):
        src = real[i % len(real)]
        origins.append(src.province)
        meta = json.loads(src.path.with_suffix(".json").read_text(encoding="utf-8"))
        text = src.text
        if i >= len(real):
            name = SYNTHETIC.format(i)
            text = text.replace(src.province, name)
            meta = {k: v.replace(src.province, name) if isinstance(v, str) else v for k, v in meta.items()}
            meta.update(id=f"synth-{i:04d}", province=name, province_en=name, file=f"synth-{i:04d}.txt")
        with open(folder / meta["file"], "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        (folder / f"{Path(meta['file']).stem}.json").write_text(
            json.dumps(meta, ensure_ascii=False), encoding="utf-8"
        )
    return origins


class ReusingEmbedder:
    """The real embedder, except that a synthetic passage gets the vector of the real passage it
    was made from (names put back), each real passage embedded once per run."""

    def __init__(self, embedder):
        self.embedder = embedder
        self.origins: list[str] = []
        self.cache: dict[str, object] = {}

    def __getattr__(self, name):
        return getattr(self.embedder, name)

    def _original(self, text: str) -> str:
        return _SYNTHETIC.sub(lambda m: self.origins[int(m.group(1))], text)

    def embed_documents(self, texts, **kwargs):
        import numpy as np

        originals = [self._original(t) for t in texts]
        todo = sorted({o for o in originals if o not in self.cache})
        if todo:
            self.cache.update(zip(todo, self.embedder.embed_documents(todo, **kwargs), strict=True))
        return np.vstack([self.cache[o] for o in originals])


def _build(n: int, work: Path, embedder: ReusingEmbedder) -> dict:
    from index.planmodel import build_models
    from index.settings import get_settings
    from index.store import PlanIndex

    root = work / f"plans-{n}"
    embedder.origins = synthesize(n, root / "plans")
    settings = dataclasses.replace(
        get_settings(), index_dir=root / "index", corpus_dir=root / "plans", chroma_host=""
    )

    def build():  # what `python -m index build` does: the chunk index, then the plan models
        index = PlanIndex(settings, embedder=embedder)
        report = index.build(progress=False)
        build_models(index.plans(), settings.index_dir)
        return report

    started = time.perf_counter()
    report = build()
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    again = build()
    rebuild_s = time.perf_counter() - started
    assert again.unchanged, again
    return {
        "plans": n,
        "chunks": report.chunks,
        "build_s": round(build_s, 1),
        "rebuild_s": round(rebuild_s, 2),
        "dirs": (str(root / "plans"), str(root / "index")),
    }


def _questions() -> list[str]:
    items = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(item.get("turns") or [item["question"]])[0] for item in items]


def measure(concurrent: bool) -> dict:
    """In a fresh process: start the assistant, answer the question mix, report numbers."""
    started = time.perf_counter()
    from assistant import Assistant, Session
    from assistant.understand import understand

    assistant = Assistant()
    assistant.warm_up()
    startup_s = time.perf_counter() - started
    questions = _questions()
    kinds = {}
    for question in questions:
        q = understand(question)
        kinds[question] = "compare" if q.compare and q.provinces else "named" if q.provinces else "none"
    times: dict[str, list[float]] = {"named": [], "compare": [], "none": []}
    chars: dict[str, list[int]] = {"named": [], "compare": [], "none": []}
    for question in questions:
        t0 = time.perf_counter()
        answer = assistant.ask(question, session=Session())
        times[kinds[question]].append((time.perf_counter() - t0) * 1000)
        chars[kinds[question]].append(len(answer.text))
    embed = []
    for question in questions[:50]:
        t0 = time.perf_counter()
        assistant.index.embedder.embed_query(question)
        embed.append((time.perf_counter() - t0) * 1000)
    every = [v for vs in times.values() for v in vs]
    out = {
        "startup_s": round(startup_s, 1),
        "rss_mb": _peak_rss_mb(),
        "p50_ms": round(statistics.median(every), 1),
        "p95_ms": round(_pct(every, 95), 1),
        "answer_chars_p95": round(_pct([c for cs in chars.values() for c in cs], 95)),
        "no_province_chars_p95": round(_pct(chars["none"], 95)),
        "no_province_chars_max": max(chars["none"], default=0),
        "embed_p50_ms": round(statistics.median(embed), 1),
    }
    for kind, values in times.items():
        out[f"{kind}_p95_ms"] = round(_pct(values, 95), 1)
        out[f"{kind}_questions"] = len(values)
    out.update(_responsibilities(assistant))
    if concurrent:
        out["concurrent"] = _concurrent(assistant, questions)
    return out


#: what is typed into the Responsibilities tab, one keystroke at a time (agency, then text)
TYPED = (("agency", "Sở Tài chính"), ("text", "đào tạo nghề"))


def _responsibilities(assistant) -> dict:
    """The Responsibilities tab: its rows indexed once (`resp_index_ms`), then the table shown
    after each keystroke of TYPED (`resp_filter_ms`: median, and the slowest)."""
    from ui.responsibilities import responsibilities_view, row_index

    t0 = time.perf_counter()
    row_index(assistant.responsibility_rows())
    index_ms = (time.perf_counter() - t0) * 1000
    times = []
    for field, typed in TYPED:
        for i in range(1, len(typed) + 1):
            agency, text = (typed[:i], "") if field == "agency" else ("", typed[:i])
            t0 = time.perf_counter()
            responsibilities_view(assistant, None, agency, text, "all", "vi")
            times.append((time.perf_counter() - t0) * 1000)
    return {
        "resp_index_ms": round(index_ms),
        "resp_filter_ms": round(statistics.median(times), 1),
        "resp_filter_max_ms": round(max(times), 1),
    }


def _concurrent(assistant, questions: list[str], sessions: int = 20, each: int = 10) -> dict:
    """`sessions` threads, each a conversation of `each` questions, all at once."""
    from assistant import Session

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def run(s: int) -> None:
        session = Session()
        for j in range(each):
            question = questions[(s * each + j) % len(questions)]
            t0 = time.perf_counter()
            try:
                assistant.ask(question, session=session)
            except Exception as exc:  # counted, never raised: the figure is the error count
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            with lock:
                latencies.append((time.perf_counter() - t0) * 1000)

    threads = [threading.Thread(target=run, args=(s,)) for s in range(sessions)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "sessions": sessions,
        "questions": sessions * each,
        "errors": len(errors),
        "wall_s": round(time.perf_counter() - t0, 1),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(_pct(latencies, 95), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m assistant.bench_scale", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[4, 100, 1000])
    parser.add_argument(
        "--work", type=Path, default=None, help="where the corpora and indexes go (default: a temp dir)"
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--concurrent", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.concurrent)))
        return 0
    bad = [n for n in args.sizes if n < 1]
    if bad:
        parser.error(f"--sizes must be at least 1. Currently, they include {bad[0]}")

    import os

    from index.embedding.model import Embedder

    base = Embedder()
    base.warm_up()  # the ONNX export (and its int8 copy) is made at set-up, never inside a timing
    embedder = ReusingEmbedder(base)
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        work = args.work or Path(tmp)
        for n in sorted(args.sizes):
            row = _build(n, work, embedder)
            plans, index = row.pop("dirs")
            env = {**os.environ, "PLANS_CORPUS_DIR": plans, "PLANS_INDEX_DIR": index, "PLANS_CHROMA_HOST": ""}
            cmd = [sys.executable, "-m", "assistant.bench_scale", "--measure"]
            if n == min(args.sizes):
                cmd.append("--concurrent")
            got = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if got.returncode != 0:
                print(
                    f"error: measuring {n} plans failed: {got.stderr.strip().splitlines()[-1:]}",
                    file=sys.stderr,
                )
                return 1
            measured = json.loads(got.stdout.strip().splitlines()[-1])
            concurrent = measured.pop("concurrent", None)
            load = round(os.getloadavg()[0], 1)  # what else ran: times grow with it
            print(json.dumps({**row, **measured, "load_1m": load}), flush=True)
            if concurrent:
                print(json.dumps({"plans": n, **concurrent}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
