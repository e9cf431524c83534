"""`python -m corpus add FILE [--province NAME] [--id ID]` adds a plan (.txt, .docx, .pdf with a
text layer); `python -m corpus check` validates every plan in the corpus folder."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from cli_errors import one_line_errors
from corpus.checks import text_problem
from corpus.convert import to_text
from corpus.loader import _load, corpus_dir, scan
from corpus.metadata import find_province, read_metadata, slug, unit_names
from corpus.normal import canonical_text, fold_words
from corpus.schema import validate_meta


def coverage(plan) -> dict[str, int]:
    """How much of the plan the extraction found: what the coverage report prints."""
    from assistant.facts import extract_facts
    from index.structure import parse_plan

    root = parse_plan(plan.text)
    f = extract_facts(plan, root)
    return {
        "parts": sum(1 for n in root.children if n.kind == "part"),
        "activities with a lead": sum(1 for a in f.activities if a.leads or a.implementers),
        "agencies with duties": sum(1 for d in f.duties if d.duties),
        "deadlines": len(f.of_kind("deadline")),
        "targets": len(f.of_kind("target")),
        "legal references": len(f.of_kind("legal_ref")) + len(f.of_kind("basis")),
    }


def _report(plan) -> str:
    return ", ".join(f"{k} {v}" for k, v in coverage(plan).items())


def _province(text: str, given: str | None, name: str) -> str:
    if given:
        for unit in unit_names():
            if fold_words(unit) == fold_words(given):
                return unit
        raise ValueError(
            f"unknown province {given!r}: name one of the 63 earlier or 34 current provincial units"
        )
    found = find_province(text)
    if not found:
        raise ValueError(f"{name}: cannot tell which province the plan is of: pass --province NAME")
    return found


def add(path: Path, province: str | None, plan_id: str | None, folder: Path) -> str:
    """Add one plan file; returns the report line. ValueError: refused, nothing written."""
    text = to_text(path)
    problem = text_problem(text)
    if problem:
        raise ValueError(f"{path.name}: {problem}")
    unit = _province(text, province, path.name)
    plan_id = plan_id or slug(unit)
    plans, _problems = scan(folder) if folder.is_dir() else ([], [])
    for p in plans:
        if canonical_text(p.text) == text:  # the same words, whatever the line ends
            raise ValueError(f"{path.name}: duplicate text: same as plan {p.id!r} ({p.path.name})")
    for p in plans:
        if p.id == plan_id:
            raise ValueError(f"{path.name}: duplicate plan id {plan_id!r} (already {p.path.name}); pass --id")
    folder.mkdir(parents=True, exist_ok=True)
    text_path, meta_path = folder / f"{plan_id}.txt", folder / f"{plan_id}.json"
    source = folder / f"{plan_id}.source{path.suffix.lower()}"
    if any(x.exists() for x in (text_path, meta_path, source)):
        raise ValueError(f"{path.name}: {text_path.name} or {meta_path.name} already exists in {folder}")
    meta = {"id": plan_id, "file": text_path.name, **read_metadata(text, unit), "source_file": source.name}
    validate_meta(meta)
    written = []
    try:
        text_path.write_text(text, encoding="utf-8", newline="")
        written.append(text_path)
        shutil.copyfile(path, source)
        written.append(source)
        meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(meta_path)
        plan = _load(meta_path)
    except (OSError, ValueError) as exc:
        for w in written:
            w.unlink(missing_ok=True)
        raise ValueError(f"{path.name}: {exc}") from None
    return f"added {plan.id} ({plan.province}) from {path.name}: {_report(plan)}"


def check(folder: Path) -> tuple[list[str], list[str]]:
    """(a line per good plan, a line per problem)."""
    plans, problems = scan(folder)
    return [f"ok {p.id} ({p.province}): {_report(p)}" for p in plans], [p.line() for p in problems]


@one_line_errors
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus", description=__doc__)
    parser.epilog = "--debug shows the traceback of an error"
    parser.add_argument("--dir", help="the corpus folder (default $PLANS_CORPUS_DIR or corpus/plans)")
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("add", help="convert and add a plan file (.txt, .docx, .pdf)")
    a.add_argument("file")
    a.add_argument("--province", help="the province, when the text does not make it clear")
    a.add_argument("--id", help="the plan id (default: from the province name)")
    sub.add_parser("check", help="validate every plan in the corpus folder")
    args = parser.parse_args(argv)
    folder = corpus_dir(args.dir)
    try:
        if args.command == "add":
            print(add(Path(args.file), args.province, args.id, folder))
            return 0
        good, bad = check(folder)
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for line in good:
        print(line)
    for line in bad:
        print(f"bad {line}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
