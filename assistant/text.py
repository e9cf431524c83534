"""Vietnamese text helpers: diacritic folding (length-preserving), syllables, sentences."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[0-9a-z]+(?:[/.-][0-9a-z]+)*")
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=\S)")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    low = ch.lower()
    if len(low) != 1:
        low = ch
    base = unicodedata.normalize("NFD", low)[0]
    return base


def fold(text: str) -> str:
    """Lowercase, Vietnamese diacritics removed (đ→d); one output char per input char."""
    return "".join(_fold_char(c) for c in unicodedata.normalize("NFC", text))


def fold_words(text: str) -> str:
    """`fold` with whitespace collapsed: for comparing phrases."""
    return " ".join(fold(text).split())


def syllables(text: str) -> list[str]:
    """Folded syllables; a compound like 145/qd-ttg or asean-6 is kept whole and also split."""
    out: list[str] = []
    for word in _WORD.findall(fold(text)):
        out.append(word)
        if not word.isalnum():
            out.extend(p for p in re.split(r"[/.-]", word) if p)
    return out


def has_diacritics(text: str) -> bool:
    return any(unicodedata.normalize("NFD", c) != c or c in "đĐ" for c in text)


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence in text[start:end], trimmed."""
    spans = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, end))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out
