"""Load the provincial plans (text + metadata) from the corpus folder.

Every plan is checked as it is read (corpus.checks, corpus.schema): a bad plan is named in
`plan_problems()` and left out, never loaded half-way, and never takes the other plans down.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from corpus.checks import Verdicts, decode, text_problem
from corpus.schema import validate_meta

PLANS_DIR = Path(__file__).resolve().parent / "plans"


@dataclass(frozen=True)
class Plan:
    """One provincial plan: its verbatim text and what its text states about itself."""

    id: str
    province: str
    province_en: str
    title: str
    issuer: str
    document_type: str
    decision_number: str
    decision_date: str
    signer: str
    signer_title: str
    implements: tuple[dict, ...]
    text: str = field(repr=False)
    path: Path = field(repr=False)

    @property
    def sha1(self) -> str:
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Problem:
    """Why a file of the corpus folder is not loaded."""

    file: str
    reason: str

    def line(self) -> str:
        return f"{self.file}: {self.reason}"


def _load(meta_path: Path, verdicts: Verdicts | None = None) -> Plan:
    """One plan; a ValueError gives the reason it cannot be used."""
    try:
        raw = json.loads(meta_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"metadata is not valid JSON ({exc.__class__.__name__})") from None
    meta = validate_meta(raw)
    text_path = meta_path.with_name(meta.file)
    if not text_path.is_file():
        raise ValueError(f"text file {meta.file!r} named by the metadata does not exist")
    # decode from bytes: no \r translation, so spans are exact
    text = decode(text_path.read_bytes(), text_path.name)
    problem = text_problem(text, verdicts)
    if problem:
        raise ValueError(f"{text_path.name}: {problem}")
    return Plan(
        id=meta.id,
        province=meta.province,
        province_en=meta.province_en,
        title=meta.title,
        issuer=meta.issuer,
        document_type=meta.document_type,
        decision_number=meta.decision_number,
        decision_date=meta.decision_date,
        signer=meta.signer,
        signer_title=meta.signer_title,
        implements=tuple(i.model_dump() for i in meta.implements),
        text=text,
        path=text_path,
    )


def corpus_dir(plans_dir: Path | str | None = None) -> Path:
    """The folder given, else $PLANS_CORPUS_DIR, else corpus/plans."""
    return Path(plans_dir) if plans_dir else Path(os.environ.get("PLANS_CORPUS_DIR") or PLANS_DIR)


def _stamp(folder: Path) -> tuple:
    if not folder.is_dir():
        raise FileNotFoundError(f"plans folder not found: {folder}")
    # the files' sizes and times are part of the key: an edited plan is read again
    return tuple(
        (f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in sorted(folder.iterdir()) if f.is_file()
    )


def scan(
    plans_dir: Path | str | None = None, verdicts: Path | str | None = None
) -> tuple[list[Plan], list[Problem]]:
    """(the good plans sorted by id, a problem for each file left out); `verdicts`: a file
    keeping the outline check's verdicts by content hash (`corpus.checks.Verdicts`)."""
    folder = corpus_dir(plans_dir)
    return _cached(str(folder.resolve()), _stamp(folder), str(verdicts) if verdicts else "")


def load_plans(plans_dir: Path | str | None = None, verdicts: Path | str | None = None) -> list[Plan]:
    """Every good plan in the folder, sorted by id (see `plan_problems` for the others)."""
    plans, problems = scan(plans_dir, verdicts)
    if not plans:
        why = f": {problems[0].line()}" if problems else ""
        raise FileNotFoundError(f"no usable plan in {corpus_dir(plans_dir)}{why}")
    return plans


def plan_problems(plans_dir: Path | str | None = None, verdicts: Path | str | None = None) -> list[Problem]:
    """The files of the folder that are not loaded, each with its reason."""
    return scan(plans_dir, verdicts)[1]


@lru_cache(maxsize=8)
def _cached(folder: str, _stamp: tuple, verdicts_path: str = "") -> tuple[list[Plan], list[Problem]]:
    verdicts = Verdicts(verdicts_path) if verdicts_path else None
    plans: list[Plan] = []
    problems: list[Problem] = []
    by_id: dict[str, str] = {}
    by_text: dict[str, str] = {}
    texts_named: set[str] = set()
    for meta_path in sorted(Path(folder).glob("*.json")):
        try:
            named = json.loads(meta_path.read_text(encoding="utf-8"))
            texts_named.update(str(named.get(k)) for k in ("file", "source_file"))
        except (ValueError, AttributeError, UnicodeDecodeError):
            pass
        try:
            plan = _load(meta_path, verdicts)
        except ValueError as exc:
            problems.append(Problem(meta_path.name, str(exc)))
            continue
        if plan.id in by_id:
            problems.append(
                Problem(meta_path.name, f"duplicate plan id {plan.id!r} (also in {by_id[plan.id]})")
            )
            continue
        if plan.sha1 in by_text:
            problems.append(Problem(meta_path.name, f"duplicate text: same as {by_text[plan.sha1]}"))
            continue
        by_id[plan.id] = meta_path.name
        by_text[plan.sha1] = meta_path.name
        plans.append(plan)
    for text_path in sorted(Path(folder).glob("*.txt")):
        if text_path.name not in texts_named:
            problems.append(
                Problem(text_path.name, f"no metadata file names it (expected {text_path.stem}.json)")
            )
    if verdicts is not None:
        verdicts.save()
    return sorted(plans, key=lambda p: p.id), problems


def plan_by_id(plan_id: str) -> Plan:
    """The plan with this id; the error lists the ids that exist."""
    plans = load_plans()
    for plan in plans:
        if plan.id == plan_id:
            return plan
    known = ", ".join(p.id for p in plans)
    raise KeyError(f"unknown plan id {plan_id!r}; known: {known}")
