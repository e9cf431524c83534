"""The chunk index in Chroma: incremental builds by content hash, a versioned switch, typed reads.

One collection per embedding model holds the rows; a row's id names its chunk and a hash of
everything stored with it, so an unchanged chunk keeps its row and a changed one gets a new
row. A build adds the new rows (vectors of unchanged text reused, the rest embedded), writes
the lexical index of the new version (`index.lexical`), and only then switches the manifest
(the `plans_meta` collection's metadata) to the new version; rows of the old version are
deleted after the switch. A build that dies at any point leaves the manifest, the old
version's lexical folder and every old row in place, so the previous index keeps answering;
the rows it had added are not in that version and are filtered out of results, and the
next build removes them. Vectors of two models are never mixed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus import Plan, load_plans
from index.chunking import Chunk, chunk_plan
from index.client import get_client
from index.lexical import LexicalIndex
from index.settings import Settings, get_settings

META_COLLECTION = "plans_meta"
CHUNK_PREFIX = "chunks-"
LEXICAL_DIR = "lexical"
RESTORER = "restorer.json"
VERDICTS = "checks.json"
FORMAT = 2
BATCH = 32
WRITE_BATCH = 256
#: Sources whose change changes how a plan is cut into chunks (part of each plan's digest).
_CHUNKER_SOURCES = ("chunking.py", "structure.py", "tokens.py")


class IndexMissingError(RuntimeError):
    """No index has been built at the configured location."""


class ModelMismatchError(RuntimeError):
    """The index was built with another embedding model than the one configured."""


@dataclass(frozen=True)
class BuildReport:
    collection: str
    chunks: int
    embedded: int
    reused: int
    removed: int
    unchanged: bool
    model: str
    seconds: float
    rebuilt_for_model: bool = False
    models: object = None  # index.planmodel.ModelReport, when the plan models were built too

    def summary(self) -> str:
        if self.unchanged:
            return f"index up to date: {self.chunks} chunks, nothing embedded ({self.seconds:.1f}s)"
        extra = " (new model: every chunk re-embedded)" if self.rebuilt_for_model else ""
        return (
            f"index built: {self.chunks} chunks, {self.embedded} embedded, {self.reused} reused, "
            f"{self.removed} removed in {self.seconds:.1f}s{extra}"
        )


@dataclass(frozen=True)
class ScoredChunk:
    chunk: Chunk
    score: float  # cosine similarity


def _metadata(chunk: Chunk) -> dict:
    return {
        "plan": chunk.plan,
        "province": chunk.province,
        "section": chunk.section,
        "item": chunk.item,
        "start": chunk.start,
        "end": chunk.end,
        "ordinal": chunk.ordinal,
        "content_hash": chunk.content_hash,
    }


def row_id(chunk: Chunk) -> str:
    """The chunk's id and a hash of all that is stored with it: a new row when anything changes."""
    digest = hashlib.sha1(json.dumps(_metadata(chunk), sort_keys=True).encode("utf-8")).hexdigest()
    return f"{chunk.id}@{digest[:12]}"


def _chunk_id(row: str) -> str:
    return row.rsplit("@", 1)[0]


def _chunk(chunk_id: str, document: str, meta: dict) -> Chunk:
    return Chunk(
        id=_chunk_id(chunk_id),
        plan=meta["plan"],
        province=meta["province"],
        section=meta["section"],
        item=meta["item"],
        start=int(meta["start"]),
        end=int(meta["end"]),
        text=document,
        ordinal=int(meta["ordinal"]),
    )


def collection_name(model_id: str) -> str:
    return CHUNK_PREFIX + hashlib.sha1(model_id.encode("utf-8")).hexdigest()[:16]


def _chunker_fingerprint(model_id: str) -> str:
    here = Path(__file__).resolve().parent
    h = hashlib.sha1(model_id.encode("utf-8"))
    for name in _CHUNKER_SOURCES:
        h.update((here / name).read_bytes())
    return h.hexdigest()


def plan_digest(plan: Plan, fingerprint: str) -> str:
    """Changes when the plan's text, its id or province, or the chunker changes."""
    h = hashlib.sha1(f"{fingerprint}\n{plan.id}\n{plan.province}\n".encode())
    h.update(plan.text.encode("utf-8"))
    return h.hexdigest()


class PlanIndex:
    """Build and read the chunk index. Cheap to construct; Chroma and the model load on use.

    The manifest, the collection handle and the lexical index are read once and kept;
    `refresh()` reads them again (e.g. after another process rebuilt the index)."""

    def __init__(self, settings: Settings | None = None, embedder=None, plans_dir: Path | str | None = None):
        self.settings = settings or get_settings()
        self._embedder = embedder
        self.plans_dir = Path(plans_dir) if plans_dir else self.settings.corpus_dir
        self._lock = threading.Lock()
        self._manifest: dict | None = None
        self._collection = None
        self._lexical: LexicalIndex | None = None

    # -- parts loaded on first use -------------------------------------------------------
    @property
    def embedder(self):
        if self._embedder is None:
            from index.embedding.model import Embedder

            self._embedder = Embedder(self.settings)
        return self._embedder

    @property
    def client(self):
        return get_client(self.settings)

    @property
    def location(self) -> str:
        """Where the vectors live: the Chroma server's address or the embedded index's folder."""
        s = self.settings
        return f"chroma server http://{s.chroma_host}:{s.chroma_port}" if s.chroma_host else str(s.index_dir)

    @property
    def lexical_root(self) -> Path:
        return self.settings.index_dir / LEXICAL_DIR

    def _meta(self):
        return self.client.get_or_create_collection(META_COLLECTION)

    def manifest(self) -> dict:
        """The manifest: active collection, model, version, chunk count (cached)."""
        if self._manifest is None:
            with self._lock:
                if self._manifest is None:
                    self._manifest = dict(self._meta().metadata or {})
        return self._manifest

    def refresh(self) -> None:
        """Forget the cached manifest, collection handle and lexical index."""
        with self._lock:
            self._manifest = self._collection = self._lexical = None

    def active_name(self) -> str | None:
        """Name of the collection the index points at, or None before the first build."""
        return self.manifest().get("active")

    def active_model(self) -> str | None:
        return self.manifest().get("embed_model")

    def version(self) -> str | None:
        return self.manifest().get("version")

    def exists(self) -> bool:
        return self.active_name() is not None

    def _missing(self) -> IndexMissingError:
        return IndexMissingError(f"no index at {self.location}: build it with `python -m index build`")

    def _active(self):
        if self._collection is None:
            name = self.active_name()
            if name is None:
                raise self._missing()
            self._collection = self.client.get_collection(name)
        return self._collection

    def lexical(self) -> LexicalIndex:
        """The lexical index and chunk table of the active version (memory-mapped)."""
        if self._lexical is None:
            manifest = self.manifest()
            if manifest.get("active") is None:
                raise self._missing()
            folder = self.lexical_root / str(manifest.get("version"))
            if manifest.get("format") != FORMAT or not (folder / "meta.json").exists():
                raise IndexMissingError(
                    f"the index at {self.location} has no lexical index of version "
                    f"{manifest.get('version')!r} at {self.lexical_root}: run `python -m index build`"
                )
            with self._lock:
                if self._lexical is None:
                    self._lexical = LexicalIndex(folder)
        return self._lexical

    def restorer(self):
        """The diacritic restorer stored with the active version (`assistant.text.DiacriticRestorer`)."""
        from assistant.text import DiacriticRestorer

        tables = self.lexical().extra(RESTORER)
        return DiacriticRestorer.from_tables(tables) if tables is not None else None

    # -- building ------------------------------------------------------------------------
    @property
    def verdicts_path(self) -> Path:
        """Where the corpus checks' verdicts are kept by content hash (`corpus.checks.Verdicts`)."""
        return self.settings.index_dir / VERDICTS

    def plans(self) -> list[Plan]:
        return load_plans(self.plans_dir, self.verdicts_path)

    def chunks(self, plans: Iterable[Plan] | None = None) -> list[Chunk]:
        """Chunks of every plan, fitted to the embedding model's token limit."""
        count = self.embedder.count_tokens
        return [c for plan in (plans or self.plans()) for c in chunk_plan(plan, model_tokens=count)]

    def _previous(self, model_id: str) -> LexicalIndex | None:
        """The active version's lexical index when it was built for this model, else None."""
        try:
            lex = self.lexical()
        except IndexMissingError:
            return None
        return lex if self.active_model() == model_id else None

    def build(self, progress: bool = True) -> BuildReport:
        """Bring the index up to date with the corpus, embedding only new or changed chunks."""
        started = time.perf_counter()
        self.refresh()
        model_id = self.embedder.model_id
        manifest = self.manifest()
        old_name = manifest.get("active")
        rebuilt_for_model = old_name is not None and manifest.get("embed_model") != model_id
        if rebuilt_for_model and progress:
            print(
                f"index was built with {manifest.get('embed_model')!r}; "
                f"the configured model is {model_id!r}: re-embedding every chunk"
            )
        previous = self._previous(model_id)
        fingerprint = _chunker_fingerprint(model_id)
        plans = sorted(self.plans(), key=lambda p: p.id)
        digests = {p.id: plan_digest(p, fingerprint) for p in plans}
        name = collection_name(model_id)
        if previous is not None and previous.plan_digests == digests and old_name == name:
            self._drop_leftovers(name, previous.version)
            return BuildReport(
                name,
                previous.count,
                0,
                previous.count,
                0,
                True,
                model_id,
                time.perf_counter() - started,
            )
        chunks: list[Chunk] = []
        for plan in plans:
            if previous is not None and previous.plan_digests.get(plan.id) == digests[plan.id]:
                chunks += previous.plan_chunks(plan.id)
            else:
                chunks += self.chunks([plan])
        chunks.sort(key=lambda c: (c.plan, c.start))
        rows = [row_id(c) for c in chunks]
        col = self.client.get_or_create_collection(
            name, metadata={"embed_model": model_id}, configuration={"hnsw": {"space": "cosine"}}
        )
        existing = set(col.get(include=[])["ids"])
        if previous is not None:
            old_ids = {_chunk_id(r) for r in previous.rows}
        elif old_name is not None and old_name != name and not rebuilt_for_model:
            old_ids = {_chunk_id(r) for r in self.client.get_collection(old_name).get(include=[])["ids"]}
        else:
            old_ids = {_chunk_id(r) for r in existing}
        missing = [(c, r) for c, r in zip(chunks, rows, strict=True) if r not in existing]
        from assistant.text import DiacriticRestorer

        extra = {RESTORER: DiacriticRestorer(p.text for p in plans).tables()}
        if old_name == name and manifest.get("format") == FORMAT and existing == set(rows):
            # the server holds this very version, but this machine lacks its lexical folder
            LexicalIndex.write(
                self.lexical_root / manifest["version"], manifest["version"], chunks, rows, digests, extra
            )
            self.refresh()
            return BuildReport(
                name, len(chunks), 0, len(chunks), 0, True, model_id, time.perf_counter() - started
            )
        sources = [col]
        if old_name not in (None, name) and not rebuilt_for_model:
            sources.append(self.client.get_collection(old_name))  # an index of the earlier layout
        vectors = self._reusable({c.content_hash for c, _ in missing}, sources)
        todo: dict[str, Chunk] = {}
        for c, _ in missing:
            if c.content_hash not in vectors:
                todo.setdefault(c.content_hash, c)
        if todo:
            fresh = self._embed([c.embed_text for c in todo.values()], progress)
            vectors.update(zip(todo, fresh, strict=True))
        for i in range(0, len(missing), WRITE_BATCH):
            batch = missing[i : i + WRITE_BATCH]
            col.add(
                ids=[r for _, r in batch],
                embeddings=np.vstack([vectors[c.content_hash] for c, _ in batch]),
                documents=[c.text for c, _ in batch],
                metadatas=[_metadata(c) for c, _ in batch],
            )
        version = f"v{time.time_ns()}"
        LexicalIndex.write(self.lexical_root / version, version, chunks, rows, digests, extra)
        self._activate(name, model_id, version, len(chunks))
        stale = list(existing - set(rows))
        for i in range(0, len(stale), 5000):
            col.delete(ids=stale[i : i + 5000])
        self._drop_leftovers(name, version)
        embedded = sum(1 for c, _ in missing if c.content_hash in todo)
        return BuildReport(
            name,
            len(chunks),
            embedded,
            len(chunks) - embedded,
            len(old_ids - {c.id for c in chunks}),
            False,
            model_id,
            time.perf_counter() - started,
            rebuilt_for_model,
        )

    def _reusable(self, hashes: set[str], sources) -> dict[str, np.ndarray]:
        """Vectors already stored for these content hashes (any row, same model)."""
        found: dict[str, np.ndarray] = {}
        wanted = sorted(hashes)
        for col in sources:
            wanted = [h for h in wanted if h not in found]
            for i in range(0, len(wanted), 500):
                part = wanted[i : i + 500]
                where = {"content_hash": part[0]} if len(part) == 1 else {"content_hash": {"$in": part}}
                got = col.get(where=where, include=["embeddings", "metadatas"])
                for emb, meta in zip(got["embeddings"], got["metadatas"], strict=True):
                    found[meta["content_hash"]] = np.asarray(emb, dtype=np.float32)
        return found

    def _embed(self, texts: Sequence[str], progress: bool) -> np.ndarray:
        from tqdm import tqdm

        out = []
        bar = tqdm(total=len(texts), desc="embedding chunks", unit="chunk", disable=not progress)
        for i in range(0, len(texts), BATCH):
            batch = list(texts[i : i + BATCH])
            out.append(self.embedder.embed_documents(batch))
            bar.update(len(batch))
        bar.close()
        return np.vstack(out)

    def _activate(self, name: str, model_id: str, version: str, chunks: int) -> None:
        """The switch: one metadata write makes the new version the index."""
        metadata = {"active": name, "embed_model": model_id, "version": version, "chunks": chunks}
        self._meta().modify(metadata={**metadata, "format": FORMAT})
        self.refresh()

    def _drop_leftovers(self, active: str, version: str) -> None:
        """Remove collections and lexical folders of earlier builds and of builds that died."""
        for col in self.client.list_collections():
            name = col if isinstance(col, str) else col.name
            if name.startswith(CHUNK_PREFIX) and name != active:
                self.client.delete_collection(name)
        if self.lexical_root.is_dir():
            for folder in self.lexical_root.iterdir():
                if folder.name != version:
                    shutil.rmtree(folder, ignore_errors=True)

    # -- reading -------------------------------------------------------------------------
    def check_model(self) -> None:
        """Refuse to query vectors of another model than the configured one."""
        built = self.active_model()
        if built is not None and built != self.embedder.model_id:
            raise ModelMismatchError(
                f"the index was built with {built!r} but the configured model is "
                f"{self.embedder.model_id!r}: rebuild it with `python -m index build`"
            )

    def all_chunks(self) -> list[Chunk]:
        """Every chunk in the index, in plan and text order."""
        return list(self.lexical().chunks())

    def count(self) -> int:
        if not self.exists():
            raise self._missing()
        return int(self.manifest().get("chunks") or self._active().count())

    def search(
        self, query_vector: np.ndarray, k: int = 10, plans: Sequence[str] | None = None
    ) -> list[ScoredChunk]:
        """The k chunks nearest the query vector, optionally within some plans (one round trip
        to Chroma; rows of a build that has not switched yet are left out)."""
        if k <= 0:
            raise ValueError(f"k must be greater than 0. Currently, k is {k}")
        where = None
        if plans:
            plans = sorted(set(plans))
            where = {"plan": plans[0]} if len(plans) == 1 else {"plan": {"$in": plans}}
        col = self._active()
        rows = self.lexical().rows
        vector = [np.asarray(query_vector, dtype=np.float32).tolist()]
        n = k
        for _ in range(3):
            got = col.query(
                query_embeddings=vector,
                n_results=n,
                where=where,
                include=["documents", "metadatas", "distances"],
            )
            ids = got["ids"][0]
            hits = [
                ScoredChunk(_chunk(i, d, m), 1.0 - float(dist))
                for i, d, m, dist in zip(
                    ids, got["documents"][0], got["metadatas"][0], got["distances"][0], strict=True
                )
                if i in rows
            ]
            if len(hits) >= k or len(ids) < n:
                break
            n *= 4
        return hits[:k]
