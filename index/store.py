"""The chunk index in Chroma: incremental builds by content hash, atomic switch, typed reads.

Each build writes a new collection (reusing the vectors of unchanged chunks) and only then
points the `plans_meta` collection at it; a build that dies half-way leaves the pointer,
and so the previous index, untouched. Vectors of two models are never mixed.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus import Plan, load_plans
from index.chunking import Chunk, chunk_plan
from index.client import get_client
from index.settings import Settings, get_settings

META_COLLECTION = "plans_meta"
CHUNK_PREFIX = "chunks-"
BATCH = 32


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


def _chunk(chunk_id: str, document: str, meta: dict) -> Chunk:
    return Chunk(
        id=chunk_id,
        plan=meta["plan"],
        province=meta["province"],
        section=meta["section"],
        item=meta["item"],
        start=int(meta["start"]),
        end=int(meta["end"]),
        text=document,
        ordinal=int(meta["ordinal"]),
    )


class PlanIndex:
    """Build and read the chunk index. Cheap to construct; Chroma and the model load on use."""

    def __init__(self, settings: Settings | None = None, embedder=None, plans_dir: Path | str | None = None):
        self.settings = settings or get_settings()
        self._embedder = embedder
        self.plans_dir = Path(plans_dir) if plans_dir else self.settings.corpus_dir

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

    def _meta(self):
        return self.client.get_or_create_collection(META_COLLECTION)

    def active_name(self) -> str | None:
        """Name of the collection the index points at, or None before the first build."""
        return (self._meta().metadata or {}).get("active")

    def active_model(self) -> str | None:
        return (self._meta().metadata or {}).get("embed_model")

    def exists(self) -> bool:
        return self.active_name() is not None

    def _active(self):
        name = self.active_name()
        if name is None:
            raise IndexMissingError(
                f"no index at {self.settings.index_dir}: build it with `python -m index build`"
            )
        return self.client.get_collection(name)

    # -- building ------------------------------------------------------------------------
    def plans(self) -> list[Plan]:
        return load_plans(self.plans_dir)

    def chunks(self, plans: Iterable[Plan] | None = None) -> list[Chunk]:
        """Chunks of every plan, fitted to the embedding model's token limit."""
        count = self.embedder.count_tokens
        return [c for plan in (plans or self.plans()) for c in chunk_plan(plan, model_tokens=count)]

    def build(self, progress: bool = True) -> BuildReport:
        """Bring the index up to date with the corpus, embedding only new or changed chunks."""
        started = time.perf_counter()
        chunks = self.chunks()
        model_id = self.embedder.model_id
        old_name = self.active_name()
        reuse: dict[str, list[float]] = {}
        rebuilt_for_model = False
        if old_name is not None:
            old = self.client.get_collection(old_name)
            if (old.metadata or {}).get("embed_model") == model_id:
                got = old.get(include=["embeddings", "metadatas"])
                for emb, meta in zip(got["embeddings"], got["metadatas"], strict=True):
                    reuse[meta["content_hash"]] = np.asarray(emb, dtype=np.float32).tolist()
                desired = {c.id: _metadata(c) for c in chunks}
                current = dict(zip(got["ids"], got["metadatas"], strict=True))
                if desired == current:
                    return BuildReport(
                        old_name,
                        len(chunks),
                        0,
                        len(chunks),
                        0,
                        True,
                        model_id,
                        time.perf_counter() - started,
                    )
            else:
                rebuilt_for_model = True
                if progress:
                    print(
                        f"index was built with {(old.metadata or {}).get('embed_model')!r}; "
                        f"the configured model is {model_id!r}: re-embedding every chunk"
                    )
        todo = [c for c in chunks if c.content_hash not in reuse]
        vectors = dict(reuse)
        if todo:
            fresh = self._embed([c.embed_text for c in todo], progress)
            for c, v in zip(todo, fresh, strict=True):
                vectors[c.content_hash] = v.tolist()
        name = f"{CHUNK_PREFIX}{time.time_ns()}"
        new = self.client.create_collection(
            name,
            metadata={"embed_model": model_id, "chunks": len(chunks)},
            configuration={"hnsw": {"space": "cosine"}},
        )
        for i in range(0, len(chunks), 256):
            batch = chunks[i : i + 256]
            new.add(
                ids=[c.id for c in batch],
                embeddings=[vectors[c.content_hash] for c in batch],
                documents=[c.text for c in batch],
                metadatas=[_metadata(c) for c in batch],
            )
        self._activate(name, model_id)
        removed = 0
        if old_name is not None:
            kept = {c.id for c in chunks}
            old_ids = self.client.get_collection(old_name).get(include=[])["ids"]
            removed = len(set(old_ids) - kept)
        self._drop_inactive()
        return BuildReport(
            name,
            len(chunks),
            len(todo),
            len(chunks) - len(todo),
            removed,
            False,
            model_id,
            time.perf_counter() - started,
            rebuilt_for_model,
        )

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

    def _activate(self, name: str, model_id: str) -> None:
        """The switch: one metadata write makes the new collection the index."""
        self._meta().modify(metadata={"active": name, "embed_model": model_id})

    def _drop_inactive(self) -> None:
        """Remove collections of earlier builds and of builds that died half-way."""
        active = self.active_name()
        for col in self.client.list_collections():
            name = col if isinstance(col, str) else col.name
            if name.startswith(CHUNK_PREFIX) and name != active:
                self.client.delete_collection(name)

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
        got = self._active().get(include=["documents", "metadatas"])
        chunks = [
            _chunk(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]
        return sorted(chunks, key=lambda c: (c.plan, c.start))

    def count(self) -> int:
        return self._active().count()

    def search(
        self, query_vector: np.ndarray, k: int = 10, plans: Sequence[str] | None = None
    ) -> list[ScoredChunk]:
        """The k chunks nearest the query vector, optionally within some plans."""
        if k <= 0:
            raise ValueError(f"k must be greater than 0. Currently, k is {k}")
        where = None
        if plans:
            where = {"plan": plans[0]} if len(plans) == 1 else {"plan": {"$in": list(plans)}}
        col = self._active()
        got = col.query(
            query_embeddings=[np.asarray(query_vector, dtype=np.float32).tolist()],
            n_results=min(k, col.count()),
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        return [
            ScoredChunk(_chunk(i, d, m), 1.0 - float(dist))
            for i, d, m, dist in zip(
                got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0], strict=True
            )
        ]
