"""The ONNX query path against the torch reference: same vectors (cosine ≥ 0.999) on every
chunk and gold question, same top 5 passages on the gold set."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from index.embedding.model import Embedder
from index.embedding.onnx import WEIGHTS_FILE, FastTokenizer, Pipeline
from index.settings import PROJECT_ROOT

GOLD = PROJECT_ROOT / "eval" / "questions" / "gold.jsonl"


@pytest.fixture(scope="module")
def embedder(e5_settings):
    e = Embedder(dataclasses.replace(e5_settings, query_backend="onnx"))
    e.warm_up()
    assert e.query_backend == "onnx"
    return e


def _gold() -> list[str]:
    items = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [t for item in items for t in (item.get("turns") or [item["question"]])]


def test_the_export_is_stamped_and_reused(embedder):
    pipeline = Pipeline.of(embedder.settings.converted_model_dir)
    assert pipeline is not None and pipeline.exported() and pipeline.normalize
    assert pipeline.export(None) == pipeline.onnx_path  # up to date: no model needed, nothing redone
    weights = pipeline.onnx_path.with_name(WEIGHTS_FILE)  # mapped by onnxruntime, not copied
    assert weights.stat().st_size > 50 * pipeline.onnx_path.stat().st_size


def test_every_chunk_matches_torch(embedder, built_index):
    chunks = built_index.all_chunks()
    texts = [c.embed_text for c in chunks]
    reference = embedder.embed_documents(texts)
    prompt = embedder.model.prompts["passage"]
    fast = np.vstack(
        [embedder._query_encoder().encode(texts[i : i + 16], prompt) for i in range(0, len(texts), 16)]
    )
    cosines = (reference * fast).sum(axis=1)
    assert len(cosines) == len(chunks) and cosines.min() >= 0.999, cosines.min()


def test_every_gold_question_matches_torch_with_the_same_top5(embedder, built_index):
    for question in _gold():
        torch_vec = embedder.embed_query_torch(question)
        onnx_vec = embedder.embed_query(question)
        assert float(torch_vec @ onnx_vec) >= 0.999, question
        top_torch = [h.chunk.id for h in built_index.search(torch_vec, k=5)]
        top_onnx = [h.chunk.id for h in built_index.search(onnx_vec, k=5)]
        assert top_torch == top_onnx, question


def test_torch_backend_setting_uses_torch(e5_settings):
    e = Embedder(dataclasses.replace(e5_settings, query_backend="torch"))
    assert e.query_backend == "torch"
    v = e.embed_query("Ai chủ trì?")
    assert v.shape == (384,) and abs(float(np.linalg.norm(v)) - 1) < 1e-4


def test_the_tokenizer_run_alone_gives_the_transformers_ids(embedder, built_index):
    from transformers import AutoTokenizer

    folder = embedder.settings.converted_model_dir
    fast = FastTokenizer.of(folder)
    reference = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    texts = [f"query: {q}" for q in _gold()] + [f"passage: {c.embed_text}" for c in built_index.all_chunks()]
    texts.append("rất dài " * 600)  # truncated at the model's limit
    for i in range(0, len(texts), 7):
        batch = texts[i : i + 7]
        got = fast(batch, max_length=512)
        want = reference(batch, padding=True, truncation="longest_first", max_length=512, return_tensors="np")
        for name in ("input_ids", "attention_mask", "token_type_ids"):
            assert np.array_equal(got[name], want[name]), (name, batch[0][:60])
    assert isinstance(embedder._query_encoder().tokenizer, FastTokenizer)
