"""The evaluation CLI.

  python -m eval answer   --questions Q.jsonl --out A.jsonl
  python -m eval run      [--questions Q.jsonl ...] [--out DIR]
                          [--min-accuracy X] [--min-citation-hit Y] [--min-verbatim Z]
  python -m eval score    --questions Q.jsonl --answers A.jsonl [--out DIR] [floors as for run]
  python -m eval generate [--out eval/questions/generated.jsonl]   (from the extractor: a smoke test)
  python -m eval independent [--out eval/questions/independent.jsonl]   (from an independent parse)
  python -m eval probes --out FILE   (answerability probes from a simple parse of the plans)
  python -m eval sweep    [--questions Q.jsonl ...]   (accuracy, abstention P/R per answerability threshold)

``run`` answers and scores (default questions: the gold set; default out: eval/out/). With several question
files each gets its own folder ``DIR/<file stem>/``. Floors are fractions (0.8) or percentages (80); when a
metric falls below its floor the command prints one line per breach and exits 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from cli_errors import one_line_errors

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_QUESTIONS = ROOT / "eval" / "questions" / "gold.jsonl"
DEFAULT_OUT = ROOT / "eval" / "out"


def _fraction(text: str) -> float:
    value = float(text)
    if value < 0 or value > 100:
        raise argparse.ArgumentTypeError(f"a floor must be between 0 and 1 (or 0 and 100). Got {text}")
    return value / 100 if value > 1 else value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m eval", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    answer = sub.add_parser("answer", help="answer every item of a question file")
    answer.add_argument("--questions", type=Path, required=True)
    answer.add_argument("--out", type=Path, required=True, help="answers JSONL to write")

    run = sub.add_parser("run", help="answer and score; write report.md, results.json and charts")
    run.add_argument("--questions", type=Path, nargs="+", default=[DEFAULT_QUESTIONS])
    run.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    run.add_argument(
        "--strip-diacritics",
        action="store_true",
        help="ask every question without its Vietnamese diacritics (a robustness check; the report is <set>-plain)",
    )

    score = sub.add_parser("score", help="score an existing answers file")
    score.add_argument("--questions", type=Path, required=True)
    score.add_argument("--answers", type=Path, required=True)
    score.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")

    for p in (answer, run):
        p.add_argument("--limit", type=int, default=None, help="only the first N items")
        p.add_argument("--quiet", action="store_true", help="no progress bar")
    for p in (run, score):
        p.add_argument("--min-accuracy", type=_fraction, default=None)
        p.add_argument("--min-citation-hit", type=_fraction, default=None)
        p.add_argument("--min-verbatim", type=_fraction, default=None)

    sw = sub.add_parser("sweep", help="accuracy and abstention precision/recall per answerability threshold")
    sw.add_argument("--questions", type=Path, nargs="+", default=[DEFAULT_QUESTIONS])

    gen = sub.add_parser("generate", help="generate the templated question set from the plans' facts")
    gen.add_argument("--out", type=Path, default=None)
    ind = sub.add_parser("independent", help="write the question set of an independent simple parse")
    ind.add_argument("--out", type=Path, default=None)
    probes = sub.add_parser("probes", help="write the answerability probes (stated and not stated)")
    probes.add_argument("--out", type=Path, required=True)
    return parser


def _load(path: Path, limit: int | None, plain: bool = False) -> list[dict]:
    from eval.runner import load_questions, without_diacritics

    items = load_questions(path)
    items = [without_diacritics(x) for x in items] if plain else items
    return items[:limit] if limit else items


def _corpus(plans_dir: Path | None = None) -> dict[str, str]:
    """Plan id -> text of the plans the answers quote (the assistant's corpus folder)."""
    from corpus import load_plans
    from index.settings import get_settings

    return {p.id: p.text for p in load_plans(plans_dir or get_settings().corpus_dir)}


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _evaluate(
    items, rows, questions: Path, out_dir: Path, args, meta: dict, rss: float | None, plans_dir=None
) -> list[str]:
    """Score, write the report, print the summary; the floor breaches."""
    from eval.metrics import aggregate, baseline_rows, check_floors
    from eval.report import summary_line, write_report

    corpus = _corpus(plans_dir)
    metrics, scores = aggregate(items, rows, corpus, peak_rss_mb=rss)
    if any(r.retrieved for r in rows):
        base, _ = aggregate(items, baseline_rows(rows), corpus)
        meta = {
            **meta,
            "baseline": {k: getattr(base, k) for k in ("accuracy", "citation_hit", "abstention_accuracy")},
        }
    meta = {
        "questions": _display(questions),
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        **meta,
    }
    paths = write_report(out_dir, metrics, scores, meta)
    print(summary_line(metrics, questions.stem))
    if "baseline" in meta:
        b = meta["baseline"]
        print(
            f"  retrieval-only baseline: accuracy {b['accuracy']:.1%}, citation hit {b['citation_hit']:.1%}"
        )
    print(f"  report: {_display(paths['report'])}")
    breaches = check_floors(metrics, args.min_accuracy, args.min_citation_hit, args.min_verbatim)
    return [f"{questions.stem}: {b}" for b in breaches]


@one_line_errors
def main(argv: list[str] | None = None, assistant=None) -> int:
    """Run the CLI; tests may pass a warmed-up ``assistant`` to reuse."""
    args = _parser().parse_args(argv)

    if args.command == "generate":
        from eval.generate import DEFAULT_OUT as GEN_OUT
        from eval.generate import main as generate_main

        return generate_main(args.out or GEN_OUT)

    if args.command == "probes":
        from eval.probes import main as probes_main

        return probes_main(args.out)

    if args.command == "independent":
        from eval.independent import DEFAULT_OUT as IND_OUT
        from eval.independent import main as independent_main

        return independent_main(args.out or IND_OUT)

    if args.command == "sweep":
        from eval.sweep import main as sweep_main

        return sweep_main(args.questions, assistant)

    from eval.metrics import peak_rss_mb
    from eval.runner import answer_items, make_assistant, read_answers, write_answers

    if args.command == "score":
        items = _load(args.questions, None)
        rows = read_answers(args.answers)
        meta = {"answers": _display(args.answers)}
        breaches = _evaluate(items, rows, args.questions, args.out, args, meta, None)
        for line in breaches:
            print(line)
        return 1 if breaches else 0

    warm_ms = None
    if assistant is None:
        assistant, warm_ms = make_assistant()

    if args.command == "answer":
        items = _load(args.questions, args.limit)
        rows = answer_items(items, assistant, progress=not args.quiet, desc=args.questions.stem)
        write_answers(rows, args.out)
        errors = sum(1 for r in rows if r.error)
        print(f"{_display(args.out)}: {len(rows)} answers ({errors} errors)")
        return 0

    breaches: list[str] = []
    several = len(args.questions) > 1
    plain = getattr(args, "strip_diacritics", False)
    for questions in args.questions:
        name = questions.stem + ("-plain" if plain else "")
        out_dir = args.out / name if several or plain else args.out
        items = _load(questions, args.limit, plain)
        rows = answer_items(items, assistant, progress=not args.quiet, desc=questions.stem)
        answers = write_answers(rows, out_dir / "answers.jsonl")
        meta = {"answers": _display(answers), "warm_up_ms": warm_ms}
        if hasattr(assistant, "info"):
            try:
                meta["assistant"] = assistant.info()
            except Exception as exc:  # the info is a nicety; the report still matters
                meta["assistant"] = f"unavailable: {exc}"
        plans_dir = getattr(getattr(assistant, "index", None), "plans_dir", None)
        shown = questions.with_name(name + questions.suffix) if plain else questions
        breaches += _evaluate(items, rows, shown, out_dir, args, meta, peak_rss_mb(), plans_dir)
    for line in breaches:
        print(line)
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main())
