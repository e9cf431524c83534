"""The bm25s lexical index and chunk table of one index version, over the real corpus."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from corpus import load_plans
from index.chunking import chunk_plan
from index.lexical import K1, B, LexicalIndex, lexical_tokens
from index.store import row_id


@pytest.fixture(scope="module")
def chunks():
    return [c for plan in load_plans() for c in chunk_plan(plan)]


@pytest.fixture(scope="module")
def lexical(chunks, tmp_path_factory):
    folder = tmp_path_factory.mktemp("lexical") / "v1"
    LexicalIndex.write(folder, "v1", chunks, [row_id(c) for c in chunks], {"p": "d"}, {"extra.json": [1, 2]})
    return LexicalIndex(folder)


def _okapi(chunks, query):
    """Okapi BM25 written out (Lucene idf, (k1 + 1) saturation), every document scored."""
    docs = [Counter(lexical_tokens(c.embed_text)) for c in chunks]
    lengths = [sum(d.values()) for d in docs]
    avg = sum(lengths) / len(docs)
    out = []
    for d, n in zip(docs, lengths, strict=True):
        score = 0.0
        for term in set(query):
            df = sum(1 for x in docs if term in x)
            if term in d:
                idf = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
                f = d[term]
                score += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * n / avg))
        out.append(score)
    return out


def test_scores_are_okapi_bm25_on_the_same_tokens(lexical, chunks):
    query = lexical_tokens("cơ quan chủ trì đào tạo nghề kinh phí")
    expected = _okapi(chunks, query)
    hits = lexical.search(query, k=10)
    best = sorted(range(len(chunks)), key=lambda i: (-expected[i], i))[:10]
    assert [h.doc for h in hits] == best
    assert all(h.score == pytest.approx(expected[h.doc], rel=1e-4) for h in hits)


def test_plan_filter_reads_only_the_plans_ranges_and_keeps_their_scores(lexical, chunks):
    plan = chunks[-1].plan
    query = lexical_tokens("Sở Tài chính tổng hợp dự toán")
    everywhere = {h.doc: h.score for h in lexical.search(query, k=len(chunks))}
    inside = lexical.search(query, k=5, plans={plan})
    assert inside and all(chunks[h.doc].plan == plan for h in inside)
    ranked = sorted((d for d in everywhere if chunks[d].plan == plan), key=lambda d: (-everywhere[d], d))
    assert [h.doc for h in inside] == ranked[:5]
    assert lexical.search(query, k=5, plans={"no-such-plan"}) == []


def test_table_gives_back_each_chunk_its_row_and_its_plan(lexical, chunks):
    assert lexical.count == len(chunks)
    assert [lexical.chunk(i) for i in range(len(chunks))] == chunks
    assert lexical.rows == {row_id(c) for c in chunks}
    for plan, (lo, hi) in lexical.plan_ranges.items():
        assert list(lexical.by_plan[plan]) == [c for c in chunks if c.plan == plan] == chunks[lo:hi]
    assert lexical.extra("extra.json") == [1, 2] and lexical.extra("none.json") is None


def test_unknown_terms_and_bad_k(lexical):
    assert lexical.search(["zzqqxx"], k=3) == []
    with pytest.raises(ValueError, match="k must be greater than 0. Currently, k is 0"):
        lexical.search(["dao"], k=0)


def test_chunks_of_a_plan_must_be_contiguous(chunks, tmp_path):
    shuffled = [chunks[0], chunks[-1], chunks[1]]
    with pytest.raises(ValueError, match="not contiguous"):
        LexicalIndex.write(tmp_path / "v", "v", shuffled, [row_id(c) for c in shuffled])
