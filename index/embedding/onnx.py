"""The fast query path: the model's transformer exported once to ONNX and run by onnxruntime,
with the folder's own tokenizer, mean pooling and normalisation. Torch (sentence-transformers)
stays the reference and embeds the documents; a test checks cosine ≥ 0.999 against it on every
chunk and gold question, and the same top 5 on the gold set.

Why not sentence-transformers' `backend="onnx"`: it needs `optimum-onnx`, which requires an
older transformers than the one pinned here. This is the same computation without it, and it
needs neither torch nor the model's weights in memory to answer (the app's start-up and RSS).
The export sits in the model folder (`onnx/model.onnx`, its weights in `onnx/model.onnx.data`,
which onnxruntime memory-maps), stamped with the weights it came from; it is made the first
time it is needed (at set-up, `python -m index.embedding`, or the first start).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import numpy as np

ONNX_DIR = "onnx"
ONNX_FILE = "model.onnx"
WEIGHTS_FILE = "model.onnx.data"  # the weights beside the graph, memory-mapped by onnxruntime
STAMP = "export.json"
EXPORT_VERSION = 2
_TRANSFORMER = "sentence_transformers.base.modules.transformer.Transformer"
_POOLING = "sentence_transformers.sentence_transformer.modules.pooling.Pooling"
_NORMALIZE = "sentence_transformers.base.modules.normalize.Normalize"


class Pipeline:
    """What a sentence-transformers folder computes, when it is transformer → mean pooling
    (→ normalise): read from its modules.json and configs; None otherwise."""

    def __init__(self, folder: Path, normalize: bool, max_tokens: int, prompts: dict[str, str]):
        self.folder = folder
        self.normalize = normalize
        self.max_tokens = max_tokens
        self.prompts = prompts

    @classmethod
    def of(cls, folder: Path) -> Pipeline | None:
        try:
            modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
            types = [m["type"] for m in modules]
            if types[:2] != [_TRANSFORMER, _POOLING] or types[2:] not in ([], [_NORMALIZE]):
                return None
            pooling = json.loads((folder / modules[1]["path"] / "config.json").read_text(encoding="utf-8"))
            if pooling.get("pooling_mode", "mean") != "mean" or not pooling.get("include_prompt", True):
                return None
            bert = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
            if bert.get("do_lower_case"):
                return None
            st = json.loads((folder / "config_sentence_transformers.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, IndexError):
            return None
        return cls(folder, len(types) == 3, int(bert.get("max_seq_length", 512)), st.get("prompts") or {})

    @property
    def onnx_path(self) -> Path:
        return self.folder / ONNX_DIR / ONNX_FILE

    def stamp(self, version: int = EXPORT_VERSION) -> str:
        weights = self.folder / "model.safetensors"
        stat = weights.stat() if weights.exists() else None
        key = f"{version}:{stat.st_size if stat else 0}:{stat.st_mtime_ns if stat else 0}"
        return hashlib.sha1(key.encode()).hexdigest()

    def _stamped(self) -> str:
        try:
            return json.loads((self.folder / ONNX_DIR / STAMP).read_text(encoding="utf-8"))["stamp"]
        except (OSError, ValueError, KeyError):
            return ""

    def exported(self) -> bool:
        weights = self.onnx_path.with_name(WEIGHTS_FILE)
        return self._stamped() == self.stamp() and self.onnx_path.exists() and weights.exists()

    def export(self, model) -> Path:
        """Export the transformer of `model` (the SentenceTransformer loaded from this folder, or
        a function that loads it), its weights in a file of their own (`_split`); written aside,
        then renamed, so a half-written file is never loaded; one process at a time. An export
        of the first version (weights inside the graph) from these very weights is only split."""
        if self.exported():
            return self.onnx_path
        from filelock import FileLock

        out = self.onnx_path.parent
        out.mkdir(parents=True, exist_ok=True)
        with FileLock(str(out / "export.lock")):  # one process exports, the others wait for it
            if self.exported():
                return self.onnx_path
            if self._stamped() == self.stamp(1) and self.onnx_path.exists():
                return self._split(self.onnx_path)
            return self._export(model)

    def _export(self, model) -> Path:
        import torch

        if not hasattr(model, "tokenizer"):  # a function that loads the model, called only now
            model = model()
        out = self.onnx_path.parent
        sample = model.tokenizer(["query: xin chào"], return_tensors="pt")
        names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in sample]

        class _Hidden(torch.nn.Module):
            def __init__(self, inner):
                super().__init__()
                self.inner = inner

            def forward(self, *args):
                return self.inner(**dict(zip(names, args, strict=True))).last_hidden_state

        axes = {n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]}
        tmp = out / f"{ONNX_FILE}.tmp"
        with torch.inference_mode():
            torch.onnx.export(
                _Hidden(model[0].auto_model.eval()),
                tuple(sample[n] for n in names),
                str(tmp),
                input_names=names,
                output_names=["last_hidden_state"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
        return self._split(tmp)

    def _split(self, source: Path) -> Path:
        """Save the graph at `source` as the export with its weights in `WEIGHTS_FILE`:
        onnxruntime then maps the weights instead of copying them, so a session costs the
        pages it reads (the embedding rows of a question's tokens, the layers), not the
        whole matrix twice over while it loads."""
        import onnx

        out = self.onnx_path.parent
        work = out / f"tmp-{os.getpid()}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        onnx.save_model(
            onnx.load(str(source)),
            str(work / ONNX_FILE),
            save_as_external_data=True,
            all_tensors_to_one_file=True,
            location=WEIGHTS_FILE,
            size_threshold=1024,
        )
        (work / WEIGHTS_FILE).replace(out / WEIGHTS_FILE)
        (work / ONNX_FILE).replace(self.onnx_path)
        shutil.rmtree(work, ignore_errors=True)
        if source != self.onnx_path:
            source.unlink(missing_ok=True)
        (out / STAMP).write_text(json.dumps({"stamp": self.stamp()}), encoding="utf-8")
        return self.onnx_path


class FastTokenizer:
    """The folder's `tokenizer.json` run by the `tokenizers` library alone: the same ids as the
    transformers fast tokenizer built on that file, without importing transformers or torch
    (seconds of start-up). Called as the encoder calls a transformers tokenizer."""

    def __init__(self, folder: Path):
        from tokenizers import Tokenizer

        config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_truncation()
        pad = config.get("pad_token")
        pad = pad.get("content") if isinstance(pad, dict) else pad
        self.pad_id = self.tokenizer.token_to_id(pad) if pad else None
        if self.pad_id is None:
            raise ValueError(f"{folder}: tokenizer_config.json names no pad token the tokenizer knows")
        self.side = config.get("truncation_side", "right")

    @classmethod
    def of(cls, folder: Path) -> FastTokenizer | None:
        """The folder's fast tokenizer, or None when it has no tokenizer.json to run alone."""
        try:
            config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
            if not (folder / "tokenizer.json").is_file() or config.get("padding_side", "right") != "right":
                return None
            return cls(folder)
        except (OSError, ValueError):
            return None

    def __call__(self, texts: list[str], max_length: int, **_ignored) -> dict[str, np.ndarray]:
        """input_ids, attention_mask and token_type_ids (int64), padded right to the longest."""
        self.tokenizer.enable_truncation(max_length, strategy="longest_first", direction=self.side)
        encodings = self.tokenizer.encode_batch(texts, add_special_tokens=True)
        width = max((len(e.ids) for e in encodings), default=0)
        out = {n: np.zeros((len(encodings), width), dtype=np.int64) for n in _INPUTS}
        out["input_ids"][:] = self.pad_id
        for i, e in enumerate(encodings):
            n = len(e.ids)
            out["input_ids"][i, :n] = e.ids
            out["attention_mask"][i, :n] = 1
            out["token_type_ids"][i, :n] = e.type_ids
        return out


_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class OnnxEncoder:
    """Embeds texts as the sentence-transformers folder does, the transformer run by onnxruntime."""

    def __init__(self, pipeline: Pipeline, tokenizer, threads: int):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # one question at a time: no arena holding the largest batch's buffers for good
        options.enable_cpu_mem_arena = False
        self.session = ort.InferenceSession(
            str(pipeline.onnx_path), options, providers=["CPUExecutionProvider"]
        )
        self.inputs = [i.name for i in self.session.get_inputs()]
        self.pipeline = pipeline
        self.tokenizer = tokenizer

    def encode(self, texts: list[str], prompt: str = "") -> np.ndarray:
        """L2-normalised (when the folder normalises) float32 embeddings, shape (len(texts), dim)."""
        batch = self.tokenizer(
            [(prompt + t).strip() for t in texts],
            padding=True,
            truncation="longest_first",
            max_length=self.pipeline.max_tokens,
            return_tensors="np",
        )
        feeds = {n: np.asarray(batch[n], dtype=np.int64) for n in self.inputs}
        hidden = self.session.run(None, feeds)[0]
        mask = feeds["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        if self.pipeline.normalize:
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return pooled.astype(np.float32)
