"""The plan model: what parsing extracts from one plan (outline, facts, sentences, agency
mentions), built at index time, stored beside the index keyed by the plan's content hash and
the vocabularies that shaped it, and loaded at start-up instead of re-parsing.

A changed plan (or a changed vocabulary) gets a new key: only its own artefact is rebuilt.
Artefacts are pickles this program wrote itself into its own index folder.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections import OrderedDict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from corpus import Plan

#: bump when the shape of what is stored changes
FORMAT = 1
#: the data files that change what parsing extracts
_VOCABULARIES = (
    ("index", "data/outline.yaml"),
    ("assistant", "data/fields.yaml"),
    ("assistant", "data/agencies.yaml"),
)
FOLDER = "planmodel"


@dataclass
class PlanModel:
    """Everything extracted from one plan, ready for the answerer."""

    plan_id: str
    key: str
    outline: object  # index.structure.Section
    activities: list
    duties: list
    statements: list
    sentences: list  # assistant.sentences.Sentence, in text order
    mentions: list[tuple[str, int, int]] = field(default_factory=list)  # (agency id, start, end)

    def facts(self, plan: Plan):
        from assistant.facts import PlanFacts

        return PlanFacts(plan, list(self.activities), list(self.duties), list(self.statements))


def _vocabulary_hash() -> str:
    h = hashlib.sha1(str(FORMAT).encode())
    for package, name in _VOCABULARIES:
        h.update(resources.files(package).joinpath(name).read_bytes())
    return h.hexdigest()


def model_key(plan: Plan, vocab: str | None = None) -> str:
    """The plan's content hash with the vocabularies' (and its id and province, which facts carry)."""
    h = hashlib.sha1((vocab or _vocabulary_hash()).encode())
    h.update(f"{plan.id}\0{plan.province}\0{plan.issuer}\0{plan.signer}\0{plan.decision_number}\0".encode())
    h.update(plan.text.encode("utf-8"))
    return h.hexdigest()[:20]


def build_model(plan: Plan, key: str | None = None) -> PlanModel:
    """Parse one plan and extract its facts, sentences and agency mentions."""
    from assistant.agencies import find_agencies
    from assistant.facts import extract_facts
    from assistant.sentences import plan_sentences
    from index.structure import parse_plan

    root = parse_plan(plan.text)
    facts = extract_facts(plan, root)
    mentions = [(m.agency.id, m.start, m.end) for m in find_agencies(plan.text)]
    return PlanModel(
        plan.id,
        key or model_key(plan),
        root,
        facts.activities,
        facts.duties,
        facts.statements,
        plan_sentences(plan, root),
        mentions,
    )


def _path(folder: Path, plan: Plan, key: str) -> Path:
    return folder / f"{plan.id}.{key}.pkl"


def _write(path: Path, model: PlanModel) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    with open(tmp, "wb") as fh:
        pickle.dump(model, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)  # a reader never sees half a file


def _read(path: Path) -> PlanModel | None:
    try:
        with open(path, "rb") as fh:
            model = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return model if isinstance(model, PlanModel) else None


@dataclass(frozen=True)
class ModelReport:
    built: list[str]
    kept: list[str]
    removed: list[str]

    def summary(self) -> str:
        return (
            f"plan models: {len(self.built)} built, {len(self.kept)} unchanged, {len(self.removed)} removed"
        )


def build_models(plans: list[Plan], index_dir: Path | str) -> ModelReport:
    """Write the model of every plan whose key changed; drop artefacts of plans gone or changed."""
    folder = Path(index_dir) / FOLDER
    vocab = _vocabulary_hash()
    built, kept, wanted = [], [], set()
    for plan in plans:
        key = model_key(plan, vocab)
        path = _path(folder, plan, key)
        wanted.add(path.name)
        if path.exists() and _read(path) is not None:
            kept.append(plan.id)
            continue
        _write(path, build_model(plan, key))
        built.append(plan.id)
    removed = []
    if folder.is_dir():
        for stale in folder.glob("*.pkl"):
            if stale.name not in wanted:
                stale.unlink(missing_ok=True)
                removed.append(stale.name)
    return ModelReport(built, kept, removed)


class PlanModels:
    """The models of a set of plans, read from the index folder on first use of each (a plan
    without a stored model is parsed then), at most `max_cached` kept in memory."""

    def __init__(self, plans: list[Plan], index_dir: Path | str | None, max_cached: int = 64):
        self.plans = {p.id: p for p in plans}
        self.folder = Path(index_dir) / FOLDER if index_dir else None
        self.max_cached = max_cached
        self._cache: OrderedDict[str, PlanModel] = OrderedDict()
        self._vocab: str | None = None
        self.parsed: list[str] = []  # plans that had no stored model (for reports)

    def get(self, plan_id: str) -> PlanModel:
        if plan_id in self._cache:
            self._cache.move_to_end(plan_id)
            return self._cache[plan_id]
        plan = self.plans[plan_id]
        self._vocab = self._vocab or _vocabulary_hash()
        key = model_key(plan, self._vocab)
        model = _read(_path(self.folder, plan, key)) if self.folder else None
        if model is None:
            model = build_model(plan, key)
            self.parsed.append(plan_id)
        self._cache[plan_id] = model
        while len(self._cache) > self.max_cached:
            self._cache.popitem(last=False)
        return model

    def facts(self) -> dict:
        return {pid: self.get(pid).facts(plan) for pid, plan in self.plans.items()}

    def sentences(self) -> dict[str, list]:
        return {pid: self.get(pid).sentences for pid in self.plans}
