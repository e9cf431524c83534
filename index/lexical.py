"""The lexical side of the index: a bm25s sparse index and the chunk table of one index version.

Written by the index build next to the Chroma index (one folder per version), read back
memory-mapped: a query touches the postings of its own terms only, a plan filter is a range
of document ids (chunks are stored in plan and text order), and a chunk is parsed from the
table when a hit needs it. Nothing here holds the corpus in Python objects.
"""

from __future__ import annotations

import itertools
import json
import mmap
import shutil
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from index.chunking import Chunk

#: BM25 of the earlier hand-written scorer: Lucene's idf, Robertson's saturation with (k1 + 1).
K1, B = 1.2, 0.75
TABLE = "chunks.jsonl"
ROWS = "rows.txt"
OFFSETS = "offsets.npy"
META = "meta.json"
FORMAT = 1


def lexical_tokens(text: str) -> list[str]:
    """Folded syllables plus syllable bigrams ("dao_tao", "tao_nghe")."""
    from assistant.text import syllables  # here: the assistant package imports this module

    syl = syllables(text)
    return syl + [f"{a}_{b}" for a, b in itertools.pairwise(syl)]


@dataclass(frozen=True)
class LexicalHit:
    doc: int  # position in the table
    score: float  # BM25


class LexicalIndex:
    """Read one version's folder: BM25 over `lexical_tokens(chunk.embed_text)` plus the chunks."""

    def __init__(self, folder: Path | str):
        import bm25s

        self.folder = Path(folder)
        meta = json.loads((self.folder / META).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(
                f"lexical index format {meta.get('format')!r} at {self.folder}; expected {FORMAT}"
            )
        self.version: str = meta["version"]
        self.plan_ranges: dict[str, tuple[int, int]] = {p: (lo, hi) for p, (lo, hi) in meta["plans"].items()}
        self._plan_ids = sorted(self.plan_ranges, key=self.plan_ranges.__getitem__)
        self._starts = np.asarray([self.plan_ranges[p][0] for p in self._plan_ids], dtype=np.int64)
        self.plan_digests: dict[str, str] = meta.get("digests", {})
        self.count: int = meta["chunks"]
        bm = bm25s.BM25.load(str(self.folder), mmap=True)
        self._vocab: dict[str, int] = bm.vocab_dict
        self._data = bm.scores["data"]
        self._indices = bm.scores["indices"]
        self._indptr = bm.scores["indptr"]
        self._offsets = np.load(self.folder / OFFSETS, mmap_mode="r")
        with open(self.folder / TABLE, "rb") as fh:
            self._table = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if self.count else b""
        self._rows = None
        self.chunk = lru_cache(maxsize=8192)(self._read)
        self.plan_chunks = lru_cache(maxsize=256)(self._plan_chunks)
        self.by_plan = _ByPlan(self)

    # -- writing (at index time) -------------------------------------------------------------
    @staticmethod
    def write(
        folder: Path,
        version: str,
        chunks: Sequence[Chunk],
        rows: Sequence[str],
        digests: dict[str, str] | None = None,
        extra: dict[str, object] | None = None,
    ) -> None:
        """Write the folder for `chunks` (in plan and text order) and their Chroma row ids;
        written aside and renamed into place, so a reader never sees half a folder. `extra`:
        more JSON files to keep with this version (name -> data)."""
        import bm25s

        if len(rows) != len(chunks):
            raise ValueError(f"{len(rows)} row ids for {len(chunks)} chunks")
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        plans: dict[str, list[int]] = {}
        for i, c in enumerate(chunks):
            lo_hi = plans.setdefault(c.plan, [i, i])
            if lo_hi[1] != i:
                raise ValueError(f"chunks of plan {c.plan!r} are not contiguous (chunk {i})")
            lo_hi[1] = i + 1
        bm = bm25s.BM25(k1=K1, b=B, method="atire", idf_method="lucene", csc_backend="numpy")
        corpus = [lexical_tokens(c.embed_text) for c in chunks] or [[""]]
        bm.index(corpus, show_progress=False)
        bm.save(str(tmp), show_progress=False)
        offsets = [0]
        with open(tmp / TABLE, "wb") as fh:
            for c in chunks:
                line = json.dumps(asdict(c), ensure_ascii=False).encode("utf-8") + b"\n"
                fh.write(line)
                offsets.append(offsets[-1] + len(line))
        (tmp / ROWS).write_text("".join(f"{r}\n" for r in rows), encoding="utf-8")
        np.save(tmp / OFFSETS, np.asarray(offsets, dtype=np.int64))
        meta = {"format": FORMAT, "version": version, "chunks": len(chunks), "plans": plans}
        meta["digests"] = digests or {}
        for name, data in (extra or {}).items():
            (tmp / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        (tmp / META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)

    # -- reading -------------------------------------------------------------------------------
    def extra(self, name: str):
        """A JSON file kept with this version by `write(extra=...)`, or None."""
        path = self.folder / name
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None

    def _read(self, doc: int) -> Chunk:
        return Chunk(**json.loads(self._table[int(self._offsets[doc]) : int(self._offsets[doc + 1])]))

    @property
    def rows(self) -> frozenset[str]:
        """The Chroma row ids of this version (read once, on first use)."""
        if self._rows is None:
            self._rows = frozenset((self.folder / ROWS).read_text(encoding="utf-8").split())
        return self._rows

    def _plan_chunks(self, plan: str) -> tuple[Chunk, ...]:
        """One plan's chunks in text order (the last plans asked for are kept)."""
        lo, hi = self.plan_ranges.get(plan, (0, 0))
        return tuple(self._read(i) for i in range(lo, hi))

    def chunks(self) -> Iterable[Chunk]:
        return (self._read(i) for i in range(self.count))

    def _ranges(self, plans: Collection[str] | None) -> list[tuple[int, int]] | None:
        if not plans:
            return None
        return sorted(self.plan_ranges[p] for p in plans if p in self.plan_ranges)

    def _scores(self, ids: list[int]) -> np.ndarray:
        out = np.zeros(self.count, dtype=np.float32)
        for t in ids:
            s, e = int(self._indptr[t]), int(self._indptr[t + 1])
            out += np.bincount(self._indices[s:e], weights=self._data[s:e], minlength=self.count)
        return out

    def rank_plans(self, tokens: Iterable[str], floor: float = 0.5) -> list[str]:
        """Plans whose best passage scores at least `floor` times the best plan's, best first
        (vectorised over the postings and the plans' document ranges)."""
        ids = sorted({self._vocab[t] for t in tokens if t in self._vocab and t})
        if not ids or not self.count:
            return []
        best = np.maximum.reduceat(self._scores(ids), self._starts)
        top = float(best.max())
        if top <= 0:
            return []
        keep = np.flatnonzero(best >= floor * top)
        keep = keep[np.lexsort((keep, -best[keep]))]
        return [self._plan_ids[i] for i in keep]

    def search(self, tokens: Iterable[str], k: int, plans: Collection[str] | None = None) -> list[LexicalHit]:
        """The k best documents with a positive score, within `plans` (a set of plan ids) if given.

        Only the postings of the query's terms are read; with a plan filter, only their part
        inside the plans' document ranges (found by binary search)."""
        if k <= 0:
            raise ValueError(f"k must be greater than 0. Currently, k is {k}")
        ids = sorted({self._vocab[t] for t in tokens if t in self._vocab and t})
        ranges = self._ranges(plans)
        if not ids or ranges == []:
            return []
        docs: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        for t in ids:
            s, e = int(self._indptr[t]), int(self._indptr[t + 1])
            posting = self._indices[s:e]
            if ranges is None:
                docs.append(posting)
                weights.append(self._data[s:e])
                continue
            for lo, hi in ranges:
                a, b = np.searchsorted(posting, (lo, hi))
                if b > a:
                    docs.append(posting[a:b])
                    weights.append(self._data[s + a : s + b])
        if not docs:
            return []
        all_docs = np.concatenate(docs).astype(np.int64)
        all_weights = np.concatenate(weights).astype(np.float32)
        base = int(all_docs.min())
        summed = np.bincount(all_docs - base, weights=all_weights).astype(np.float32)
        found = np.flatnonzero(summed > 0)
        if len(found) > k:
            cut = np.argpartition(-summed[found], k - 1)[:k]
            kth = summed[found[cut]].min()
            found = found[summed[found] >= kth]  # keep ties at the cut, ordered below
        order = np.lexsort((found, -summed[found]))[:k]
        return [LexicalHit(int(found[i]) + base, float(summed[found[i]])) for i in order]


class _ByPlan(Mapping):
    """Plan id -> its chunks, read from the table when asked for."""

    def __init__(self, lexical: LexicalIndex):
        self._lexical = lexical

    def __getitem__(self, plan: str) -> tuple[Chunk, ...]:
        if plan not in self._lexical.plan_ranges:
            raise KeyError(plan)
        return self._lexical.plan_chunks(plan)

    def __iter__(self):
        return iter(self._lexical.plan_ranges)

    def __len__(self) -> int:
        return len(self._lexical.plan_ranges)
