"""Load the provincial plans (text + metadata) from corpus/plans/."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

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


def _load(meta_path: Path) -> Plan:
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    text_path = meta_path.with_name(meta["file"])
    # newline="" keeps the text byte-for-byte (no \r translation) so spans are exact.
    with open(text_path, encoding="utf-8", newline="") as fh:
        text = fh.read()
    return Plan(
        id=meta["id"],
        province=meta["province"],
        province_en=meta.get("province_en") or "",
        title=meta.get("title") or "",
        issuer=meta.get("issuer") or "",
        document_type=meta.get("document_type") or "",
        decision_number=meta.get("decision_number") or "",
        decision_date=meta.get("decision_date") or "",
        signer=meta.get("signer") or "",
        signer_title=meta.get("signer_title") or "",
        implements=tuple(meta.get("implements", ())),
        text=text,
        path=text_path,
    )


def load_plans(plans_dir: Path | str | None = None) -> list[Plan]:
    """Every plan in the folder, sorted by id."""
    folder = Path(plans_dir) if plans_dir else Path(os.environ.get("PLANS_CORPUS_DIR") or PLANS_DIR)
    if not folder.is_dir():
        raise FileNotFoundError(f"plans folder not found: {folder}")
    # the files' sizes and times are part of the key: an edited plan is read again
    stamp = tuple(
        (f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in sorted(folder.iterdir()) if f.is_file()
    )
    return _cached(str(folder.resolve()), stamp)


@lru_cache(maxsize=8)
def _cached(folder: str, _stamp: tuple) -> list[Plan]:
    plans = [_load(p) for p in sorted(Path(folder).glob("*.json"))]
    if not plans:
        raise FileNotFoundError(f"no plan metadata (*.json) in {folder}")
    return plans


def plan_by_id(plan_id: str) -> Plan:
    """The plan with this id; the error lists the ids that exist."""
    plans = load_plans()
    for plan in plans:
        if plan.id == plan_id:
            return plan
    known = ", ".join(p.id for p in plans)
    raise KeyError(f"unknown plan id {plan_id!r}; known: {known}")
