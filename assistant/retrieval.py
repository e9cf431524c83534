"""Hybrid retrieval: dense vectors from the Chroma index + BM25 over folded syllables and
syllable bigrams, fused by reciprocal rank, filtered by province, nudged by intent."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.text import fold, has_diacritics, syllables
from index.chunking import Chunk

RRF_K = 60
#: Phrases (folded) whose presence in a passage fits an intent.
INTENT_CUES = {
    "lead": re.compile(r"chu tri|co quan thuc hien|don vi thuc hien"),
    "coordinate": re.compile(r"phoi hop"),
    "timing": re.compile(r"thoi gian thuc hien|truoc ngay|so ket|tong ket|hang nam|hang nam|giai doan"),
    "funding": re.compile(r"kinh phi|ngan sach|nguon luc tai chinh|nguon von"),
    "legal_basis": re.compile(r"quyet dinh so|chi thi so|nghi quyet|ke hoach so|can cu|luat "),
    "target": re.compile(r"\d+\s*%|phan dau|muc tieu|chi tieu|ty le"),
    "issuer": re.compile(r"ban hanh|chu tich|ky|uy ban nhan dan tinh"),
    "agency_duty": re.compile(r"to chuc thuc hien"),
}


def lexical_tokens(text: str) -> list[str]:
    """Folded syllables plus syllable bigrams ("dao_tao", "tao_nghe")."""
    syl = syllables(text)
    return syl + [f"{a}_{b}" for a, b in itertools.pairwise(syl)]


class BM25:
    """Okapi BM25 over a fixed list of documents (token lists)."""

    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self.tf = [Counter(d) for d in docs]
        self.len = np.array([len(d) for d in docs], dtype=np.float32)
        self.avg = float(self.len.mean()) if len(docs) else 0.0
        df: Counter = Counter()
        for tf in self.tf:
            df.update(tf.keys())
        n = len(docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def scores(self, query: Sequence[str]) -> np.ndarray:
        out = np.zeros(len(self.tf), dtype=np.float32)
        norm = self.k1 * (1 - self.b + self.b * self.len / max(self.avg, 1e-9))
        for term in set(query):
            idf = self.idf.get(term)
            if idf is None:
                continue
            for i, tf in enumerate(self.tf):
                f = tf.get(term)
                if f:
                    out[i] += idf * f * (self.k1 + 1) / (f + norm[i])
        return out


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # fused score
    dense: float  # cosine similarity (0 when not among dense results)
    lexical: float  # BM25 score


class HybridRetriever:
    """Ranks the index's chunks for a question. Built once from the chunks; cheap per query."""

    def __init__(self, chunks: Sequence[Chunk], index=None, embedder=None, restorer=None):
        self.chunks = list(chunks)
        self.restorer = restorer  # puts diacritics back for the dense side (assistant.text.DiacriticRestorer)
        self.index = index
        self.embedder = embedder
        self.bm25 = BM25([lexical_tokens(c.embed_text) for c in self.chunks])
        self._folded = [fold(c.text) for c in self.chunks]
        self._pos = {c.id: i for i, c in enumerate(self.chunks)}

    def search(
        self,
        query: str,
        k: int = 8,
        plans: Sequence[str] | None = None,
        intent: str | None = None,
        extra_terms: Sequence[str] = (),
        query_vector: np.ndarray | None = None,
        dense_query: str | None = None,
        lang: str | None = None,
    ) -> list[Hit]:
        """The k best chunks; `extra_terms` are folded phrases added to the lexical query;
        `dense_query` is what is embedded (default: the query). Vietnamese typed without
        diacritics is embedded with them restored, and the dense ranks count half."""
        if k <= 0:
            raise ValueError(f"k must be greater than 0. Currently, k is {k}")
        dense_query = dense_query or query
        dense_weight = 1.0
        if lang == "vi" and not has_diacritics(dense_query):
            dense_weight = 0.5
            if self.restorer is not None:
                dense_query = self.restorer.restore(dense_query)
        allowed = np.array([not plans or c.plan in plans for c in self.chunks])
        if not allowed.any():
            return []
        tokens = lexical_tokens(query)
        for phrase in extra_terms:
            tokens += lexical_tokens(phrase)
        lex = self.bm25.scores(tokens)
        lex[~allowed] = -1.0
        lex_order = [i for i in np.argsort(-lex) if allowed[i] and lex[i] > 0][: 4 * k]
        dense_scores: dict[int, float] = {}
        if self.index is not None and (query_vector is not None or self.embedder is not None):
            vec = (
                query_vector if query_vector is not None else self.embedder.embed_query(dense_query or query)
            )
            for hit in self.index.search(vec, k=4 * k, plans=plans):
                pos = self._pos.get(hit.chunk.id)
                if pos is not None:
                    dense_scores[pos] = hit.score
        dense_order = sorted(dense_scores, key=lambda i: -dense_scores[i])
        fused: dict[int, float] = {}
        for rank, i in enumerate(lex_order):
            fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
        for rank, i in enumerate(dense_order):
            fused[i] = fused.get(i, 0.0) + dense_weight / (RRF_K + rank + 1)
        cue = INTENT_CUES.get(intent or "")
        if cue is not None:
            for i in fused:
                if cue.search(self._folded[i]):
                    fused[i] += 0.25 / RRF_K
        order = sorted(fused, key=lambda i: -fused[i])[:k]
        return [
            Hit(self.chunks[i], fused[i], dense_scores.get(i, 0.0), float(max(lex[i], 0.0))) for i in order
        ]


def as_langchain_retriever(hybrid: HybridRetriever, k: int = 8):
    """The hybrid retriever behind langchain's `BaseRetriever` interface (Documents with spans)."""
    from langchain_core.callbacks import CallbackManagerForRetrieverRun
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever
    from pydantic import ConfigDict

    class PlansRetriever(BaseRetriever):
        model_config = ConfigDict(arbitrary_types_allowed=True)
        retriever: HybridRetriever
        k: int = 8
        plans: list[str] | None = None

        def _get_relevant_documents(
            self, query: str, *, run_manager: CallbackManagerForRetrieverRun
        ) -> list[Document]:
            return [
                Document(
                    page_content=h.chunk.text,
                    id=h.chunk.id,
                    metadata={
                        "plan": h.chunk.plan,
                        "province": h.chunk.province,
                        "section": h.chunk.section,
                        "start": h.chunk.start,
                        "end": h.chunk.end,
                        "score": h.score,
                    },
                )
                for h in self.retriever.search(query, k=self.k, plans=self.plans)
            ]

    return PlansRetriever(retriever=hybrid, k=k)
