"""Hybrid retrieval: dense vectors from the Chroma index + BM25 (bm25s, `index.lexical`) over
folded syllables and syllable bigrams, fused by reciprocal rank, filtered by plan, nudged by intent."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from assistant.text import fold, has_diacritics
from index.chunking import Chunk
from index.lexical import LexicalIndex, lexical_tokens

__all__ = ["INTENT_CUES", "Hit", "HybridRetriever", "as_langchain_retriever", "lexical_tokens"]

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


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # fused score
    dense: float  # cosine similarity (0 when not among dense results)
    lexical: float  # BM25 score


class HybridRetriever:
    """Ranks the index's chunks for a question: the lexical index (bm25s, memory-mapped, plan
    scope as document ranges) and the dense index (Chroma, one query), fused by rank. Per query,
    work grows with the question's postings and k, not with the number of plans or chunks."""

    def __init__(self, lexical: LexicalIndex, index=None, embedder=None, restorer=None):
        self.lexical = lexical
        self.restorer = restorer  # puts diacritics back for the dense side (assistant.text.DiacriticRestorer)
        self.index = index
        self.embedder = embedder
        self._folded = lru_cache(maxsize=16384)(lambda chunk: fold(chunk.text))

    def search(
        self,
        query: str,
        k: int = 8,
        plans: Collection[str] | None = None,
        intent: str | None = None,
        extra_terms: Sequence[str] = (),
        query_vector: np.ndarray | None = None,
        dense_query: str | None = None,
        lang: str | None = None,
    ) -> list[Hit]:
        """The k best chunks within `plans` (plan ids; all when empty); `extra_terms` are folded
        phrases added to the lexical query; `dense_query` is what is embedded (default: the
        query). Vietnamese typed without diacritics is embedded with them restored, and the
        dense ranks count half."""
        if k <= 0:
            raise ValueError(f"k must be greater than 0. Currently, k is {k}")
        plans = set(plans) if plans else None
        if plans is not None and not plans & self.lexical.plan_ranges.keys():
            return []
        dense_query = dense_query or query
        dense_weight = 1.0
        if lang == "vi" and not has_diacritics(dense_query):
            dense_weight = 0.5
            if self.restorer is not None:
                dense_query = self.restorer.restore(dense_query)
        tokens = lexical_tokens(query)
        for phrase in extra_terms:
            tokens += lexical_tokens(phrase)
        chunks: dict[str, Chunk] = {}
        lex_scores: dict[str, float] = {}
        lex_order: list[str] = []
        for hit in self.lexical.search(tokens, k=4 * k, plans=plans):
            chunk = self.lexical.chunk(hit.doc)
            chunks[chunk.id] = chunk
            lex_scores[chunk.id] = hit.score
            lex_order.append(chunk.id)
        dense_scores: dict[str, float] = {}
        if self.index is not None and (query_vector is not None or self.embedder is not None):
            vec = query_vector if query_vector is not None else self.embedder.embed_query(dense_query)
            for hit in self.index.search(vec, k=4 * k, plans=sorted(plans) if plans else None):
                chunks.setdefault(hit.chunk.id, hit.chunk)
                dense_scores[hit.chunk.id] = hit.score
        dense_order = sorted(dense_scores, key=lambda i: -dense_scores[i])
        fused: dict[str, float] = {}
        for rank, i in enumerate(lex_order):
            fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
        for rank, i in enumerate(dense_order):
            fused[i] = fused.get(i, 0.0) + dense_weight / (RRF_K + rank + 1)
        cue = INTENT_CUES.get(intent or "")
        if cue is not None:
            for i in fused:
                if cue.search(self._folded(chunks[i])):
                    fused[i] += 0.25 / RRF_K
        order = sorted(fused, key=lambda i: -fused[i])[:k]
        return [Hit(chunks[i], fused[i], dense_scores.get(i, 0.0), lex_scores.get(i, 0.0)) for i in order]

    def rank_plans(self, query: str, hits: Sequence[Hit], extra_terms: Sequence[str] = ()) -> list[str]:
        """Plans that match the query, best first: those of `hits` (by their best hit), then the
        others whose best passage the lexical index scores near the best plan's."""
        order = list(dict.fromkeys(h.chunk.plan for h in hits))
        seen = set(order)
        tokens = lexical_tokens(query)
        for phrase in extra_terms:
            tokens += lexical_tokens(phrase)
        return order + [p for p in self.lexical.rank_plans(tokens) if p not in seen]


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
