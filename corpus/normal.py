"""Text normal forms shared by the corpus and the parser (no heavy imports)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: characters that stand for a space in pasted or converted text
_SPACES = {"\xa0": " ", "\u2007": " ", "\u202f": " ", "\t": " ", "\u200b": ""}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    low = ch.lower()
    if len(low) != 1:
        low = ch
    return unicodedata.normalize("NFD", low)[0]


class _FoldTable(dict):
    """str.translate table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower case, Vietnamese diacritics removed (đ→d), NFC first: for comparing words."""
    return unicodedata.normalize("NFC", text).translate(_FOLD)


def fold_words(text: str) -> str:
    """`fold` with whitespace collapsed."""
    return " ".join(fold(text).split())


def clean_line(text: str) -> str:
    """One line as the parser reads it: NFC, NBSP and tabs as spaces, spaces collapsed."""
    text = unicodedata.normalize("NFC", text)
    for ch, rep in _SPACES.items():
        text = text.replace(ch, rep)
    return " ".join(text.split())


def canonical_text(text: str) -> str:
    """The corpus form of a plan's text: NFC, '\\n' line ends, NBSP as space, no trailing spaces."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    for ch, rep in _SPACES.items():
        if ch != "\t":
            text = text.replace(ch, rep)
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n") + "\n"
