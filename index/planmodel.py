"""The plan model: what parsing extracts from one plan (outline, facts, sentences, agency
mentions), built at index time, stored beside the index keyed by the plan's content hash and
the vocabularies that shaped it, and loaded when a question needs that plan instead of
re-parsing (a bounded cache keeps the plans last used).

Beside each model the build writes its summary (the sentence count, in how many sentences each
token stands, the Responsibilities rows), and from the summaries two corpus-wide files keyed by
the set of model keys: the counts for sentence scoring (read at start-up) and the rows of the
Responsibilities table (read when the table is first shown). Start-up reads no plan's model.

A changed plan (or a changed vocabulary) gets a new key: only its own artefacts are rebuilt.
Artefacts are pickles this program wrote itself into its own index folder.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import threading
from collections import Counter, OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from corpus import Plan

#: bump when the shape of what is stored changes
FORMAT = 2  # 2: summaries count the marked tokens too
#: the data files that change what parsing extracts
_VOCABULARIES = (
    ("index", "data/outline.yaml"),
    ("assistant", "data/fields.yaml"),
    ("assistant", "data/agencies.yaml"),
)
FOLDER = "planmodel"
SUMMARY = "summary"  # suffix of a model's summary
STATS = "stats"  # suffix of the corpus-wide sentence counts
ROWS = "rows"  # suffix of the corpus-wide Responsibilities rows
#: plans whose models are kept in memory (PLANS_PLAN_CACHE)
MAX_CACHED = 64


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


def _path(folder: Path, plan: Plan, key: str, suffix: str = "pkl") -> Path:
    return folder / f"{plan.id}.{key}.{suffix}"


def _corpus_path(folder: Path, keys: dict[str, str], suffix: str) -> Path:
    """The corpus-wide file for exactly this set of models."""
    h = hashlib.sha1("".join(f"{pid}\0{key}\n" for pid, key in sorted(keys.items())).encode())
    return folder / f"corpus.{h.hexdigest()[:20]}.{suffix}"


def _write(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    with open(tmp, "wb") as fh:
        pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)  # a reader never sees half a file


def _load(path: Path, kind: type):
    try:
        with open(path, "rb") as fh:
            data = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None
    return data if isinstance(data, kind) else None


def _read(path: Path) -> PlanModel | None:
    return _load(path, PlanModel)


@dataclass(frozen=True)
class Summary:
    """What the corpus-wide files need of one plan, so they are made without reading its model."""

    sentences: int
    df: dict[str, int]  # token -> sentences of the plan it stands in
    rows: list[dict]  # its Responsibilities rows (assistant.facts.responsibility_rows)


def summarise(plan: Plan, model: PlanModel) -> Summary:
    from assistant.facts import responsibility_rows
    from assistant.text import marked_tokens

    df: Counter = Counter()
    for s in model.sentences:
        df.update(s.tokens)
        df.update(marked_tokens(s.text))  # kept apart by assistant.sentences.idf_weights
    return Summary(len(model.sentences), dict(df), responsibility_rows({plan.id: model.facts(plan)}))


@dataclass(frozen=True)
class SentenceStats:
    """Corpus-wide counts for sentence scoring: sentences, and per token how many hold it."""

    sentences: int
    df: dict[str, int]


def _aggregate(summaries: list[Summary]) -> tuple[SentenceStats, list[dict]]:
    df: Counter = Counter()
    rows: list[dict] = []
    for s in summaries:
        df.update(s.df)
        rows += s.rows
    return SentenceStats(sum(s.sentences for s in summaries), dict(df)), rows


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
    """Write the model and summary of every plan whose key changed, then the corpus-wide files;
    drop artefacts of plans gone or changed."""
    folder = Path(index_dir) / FOLDER
    vocab = _vocabulary_hash()
    keys = {p.id: model_key(p, vocab) for p in plans}
    built, kept, wanted = [], [], set()
    fresh: dict[str, Summary] = {}
    for plan in plans:
        key = keys[plan.id]
        path, summary = _path(folder, plan, key), _path(folder, plan, key, SUMMARY)
        wanted |= {path.name, summary.name}
        if path.exists() and summary.exists():  # the summary is written last: both there, both whole
            kept.append(plan.id)
            continue
        model = build_model(plan, key)
        _write(path, model)
        fresh[plan.id] = summarise(plan, model)
        _write(summary, fresh[plan.id])
        built.append(plan.id)
    stats, rows = _corpus_path(folder, keys, STATS), _corpus_path(folder, keys, ROWS)
    wanted |= {stats.name, rows.name}
    if not (stats.exists() and rows.exists()):
        summaries = []
        for plan in plans:
            got = fresh.get(plan.id) or _load(_path(folder, plan, keys[plan.id], SUMMARY), Summary)
            if got is None:  # damaged: made again from the model
                got = summarise(plan, _read(_path(folder, plan, keys[plan.id])) or build_model(plan))
            summaries.append(got)
        counts, table = _aggregate(summaries)
        _write(stats, counts)
        _write(rows, table)
    removed = []
    if folder.is_dir():
        for stale in folder.iterdir():
            if stale.is_file() and stale.name not in wanted:
                stale.unlink(missing_ok=True)
                if stale.suffix == ".pkl":
                    removed.append(stale.name)
    return ModelReport(built, kept, removed)


def models_current(plans: list[Plan], index_dir: Path | str) -> bool:
    """Whether the index folder holds the corpus-wide files of exactly these plans' current
    models (else a start-up would parse every plan to count its sentences: ~1 minute at 1,000)."""
    folder = Path(index_dir) / FOLDER
    vocab = _vocabulary_hash()
    keys = {p.id: model_key(p, vocab) for p in plans}
    return all(_corpus_path(folder, keys, suffix).exists() for suffix in (STATS, ROWS))


@dataclass
class _Loaded:
    """One plan's model with what the answerer derives from it, made once per load."""

    model: PlanModel
    facts: object  # assistant.facts.PlanFacts
    lines: list


class PlanModels:
    """The models of a set of plans, read from the index folder on first use of each (a plan
    without a stored model is parsed then), at most `max_cached` kept in memory; safe to use
    from several threads. Corpus-wide counts and rows come from the build's files."""

    def __init__(self, plans: list[Plan], index_dir: Path | str | None, max_cached: int = MAX_CACHED):
        if max_cached < 1:
            raise ValueError(f"max_cached must be at least 1. Currently, it is {max_cached}")
        self.plans = {p.id: p for p in plans}
        self.folder = Path(index_dir) / FOLDER if index_dir else None
        self.max_cached = max_cached
        self._cache: OrderedDict[str, _Loaded] = OrderedDict()
        self._lock = threading.Lock()
        self._keys: dict[str, str] | None = None
        self.parsed: list[str] = []  # plans that had no stored model (for reports)
        self.reads = 0  # models read from disk or parsed (for tests and reports)

    def keys(self) -> dict[str, str]:
        if self._keys is None:
            vocab = _vocabulary_hash()
            self._keys = {pid: model_key(plan, vocab) for pid, plan in self.plans.items()}
        return self._keys

    def _entry(self, plan_id: str) -> _Loaded:
        with self._lock:
            if plan_id in self._cache:
                self._cache.move_to_end(plan_id)
                return self._cache[plan_id]
        plan = self.plans[plan_id]
        key = self.keys()[plan_id]
        model = _read(_path(self.folder, plan, key)) if self.folder else None
        if model is None:
            model = build_model(plan, key)
            self.parsed.append(plan_id)
        from assistant.sentences import plan_lines

        entry = _Loaded(model, model.facts(plan), plan_lines(model.sentences, plan.text))
        with self._lock:
            self.reads += 1
            entry = self._cache.setdefault(plan_id, entry)  # a thread that loaded it first wins
            self._cache.move_to_end(plan_id)
            while len(self._cache) > self.max_cached:
                self._cache.popitem(last=False)
        return entry

    def get(self, plan_id: str) -> PlanModel:
        return self._entry(plan_id).model

    def facts_of(self, plan_id: str):
        """The plan's `assistant.facts.PlanFacts`."""
        return self._entry(plan_id).facts

    def sentences_of(self, plan_id: str) -> list:
        return self._entry(plan_id).model.sentences

    def lines_of(self, plan_id: str) -> list:
        return self._entry(plan_id).lines

    def cached(self) -> list[str]:
        """The plans whose models are in memory, least recently used first."""
        with self._lock:
            return list(self._cache)

    def _stored(self, suffix: str, kind: type):
        return _load(_corpus_path(self.folder, self.keys(), suffix), kind) if self.folder else None

    def _summaries(self) -> list[Summary]:
        """Every plan's summary, made from its model (when the build's files are missing)."""
        out = []
        for pid, plan in self.plans.items():
            got = self.folder and _load(_path(self.folder, plan, self.keys()[pid], SUMMARY), Summary)
            out.append(got or summarise(plan, self.get(pid)))
        return out

    def stats(self) -> SentenceStats:
        """Corpus-wide sentence counts: the build's file, else counted from every model."""
        stored = self._stored(STATS, SentenceStats)
        return stored if stored is not None else _aggregate(self._summaries())[0]

    def responsibility_rows(self) -> list[dict]:
        """The Responsibilities rows of every plan, in plan order: the build's file, else made."""
        stored = self._stored(ROWS, list)
        return stored if stored is not None else _aggregate(self._summaries())[1]

    def facts_view(self) -> Mapping:
        """Plan id -> its facts, each read when looked up (what the answerer is given)."""
        return _FactsView(self)

    def facts(self) -> dict:
        """Every plan's facts (loads every model: for small corpora and tools)."""
        return {pid: self.facts_of(pid) for pid in self.plans}

    def sentences(self) -> dict[str, list]:
        return {pid: self.sentences_of(pid) for pid in self.plans}


class _FactsView(Mapping):
    """Plan id -> `PlanFacts`, read through the bounded cache when looked up."""

    def __init__(self, models: PlanModels):
        self._models = models

    def __getitem__(self, plan_id: str):
        if plan_id not in self._models.plans:
            raise KeyError(plan_id)
        return self._models.facts_of(plan_id)

    def __iter__(self):
        return iter(self._models.plans)

    def __len__(self) -> int:
        return len(self._models.plans)
