"""Is this a plan the assistant can index? One clear reason when it is not."""

from __future__ import annotations

import re
import unicodedata

#: below this many letters a text is not a plan
MIN_LETTERS = 400
_WORD = re.compile(r"\w+")


def decode(data: bytes, name: str) -> str:
    """UTF-8 text of a plan file; a ValueError says why it is not one."""
    if not data.strip():
        raise ValueError(f"{name}: empty file")
    if b"\x00" in data:
        raise ValueError(f"{name}: binary file (NUL bytes), not UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{name}: not UTF-8 text (undecodable byte at {exc.start})") from None
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t")
    if controls > max(3, len(text) // 1000):
        raise ValueError(f"{name}: binary file ({controls} control characters), not text")
    return text


def text_problem(text: str) -> str | None:
    """Why this text is not a plan of the genre, or None."""
    from index.structure import parse_plan

    letters = sum(c.isalpha() for c in text)
    if letters < MIN_LETTERS:
        return f"empty or near-empty text ({letters} letters; a plan has at least {MIN_LETTERS})"
    if unicodedata.normalize("NFC", text) != text:
        return "text is not in Unicode NFC form (run `python -m corpus add` to convert it)"
    words = _WORD.findall(text)
    marked = sum(1 for w in words if any(unicodedata.decomposition(c) for c in w if c.isalpha()))
    if words and marked / len(words) < 0.15:
        return f"not Vietnamese prose ({marked} of {len(words)} words carry Vietnamese diacritics)"
    parts = [n for n in parse_plan(text).children if n.kind == "part"]
    if len(parts) < 2:
        return "no outline of parts found (I./II., PHẦN I, or part headings): not a plan of the genre"
    return None
