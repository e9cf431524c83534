"""Is this a plan the assistant can index? One clear reason when it is not.

The character checks count over the text's distinct characters (C-speed `Counter`, one regex),
not in a Python loop per character; the outline check parses the plan. The verdict is kept by
content hash (`Verdicts`), so a start-up over many plans checks none of them again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections import Counter
from pathlib import Path

#: below this many letters a text is not a plan
MIN_LETTERS = 400
_WORD = re.compile(r"\w+")
#: category Cc except the line breaks and tab a text may hold
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


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
    controls = len(_CONTROL.findall(text))
    if controls > max(3, len(text) // 1000):
        raise ValueError(f"{name}: binary file ({controls} control characters), not text")
    return text


def character_problem(text: str) -> str | None:
    """Why the text's characters are not those of a Vietnamese plan, or None (no parsing)."""
    counts = Counter(text)
    letters = sum(n for c, n in counts.items() if c.isalpha())
    if letters < MIN_LETTERS:
        return f"empty or near-empty text ({letters} letters; a plan has at least {MIN_LETTERS})"
    if not unicodedata.is_normalized("NFC", text):
        return "text is not in Unicode NFC form (run `python -m corpus add` to convert it)"
    words = len(_WORD.findall(text))
    marks = "".join(c for c in counts if c.isalpha() and unicodedata.decomposition(c))
    marked = len(re.findall(rf"\w*[{re.escape(marks)}]\w*", text)) if marks else 0
    if words and marked / words < 0.15:
        return f"not Vietnamese prose ({marked} of {words} words carry Vietnamese diacritics)"
    return None


def outline_problem(text: str) -> str | None:
    """Why the text has no outline of a plan of the genre, or None (parses the text)."""
    from index.structure import parse_plan

    parts = [n for n in parse_plan(text).children if n.kind == "part"]
    if len(parts) < 2:
        return "no outline of parts found (I./II., PHẦN I, or part headings): not a plan of the genre"
    return None


def text_problem(text: str, verdicts: Verdicts | None = None) -> str | None:
    """Why this text is not a plan of the genre, or None; `verdicts` recalls earlier verdicts."""
    if verdicts is not None:
        return verdicts.check(text)
    return character_problem(text) or outline_problem(text)


class Verdicts:
    """`text_problem`'s verdicts by the text's content hash, kept in a JSON file (e.g. in the
    index folder): a text checked once, at `index build` or `corpus add`, is not checked again.
    `save()` writes the verdicts of the texts seen since loading (atomically; a read-only
    folder just keeps them in memory)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = {}
        self._stored: dict[str, str] = stored if isinstance(stored, dict) else {}
        self._seen: dict[str, str] = {}
        self.checked = 0  # texts this instance had to check (for tests and reports)

    def check(self, text: str) -> str | None:
        key = hashlib.sha1(text.encode("utf-8")).hexdigest()
        if key in self._seen:
            verdict = self._seen[key]
        elif isinstance(self._stored.get(key), str):
            verdict = self._seen[key] = self._stored[key]
        else:
            self.checked += 1
            verdict = self._seen[key] = character_problem(text) or outline_problem(text) or ""
        return verdict or None

    def save(self) -> None:
        """Keep the verdicts of the texts seen (those of texts gone are dropped)."""
        if self._seen == self._stored:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.tmp{os.getpid()}")
            tmp.write_text(json.dumps(self._seen, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.path)
            self._stored = dict(self._seen)
        except OSError:
            pass
