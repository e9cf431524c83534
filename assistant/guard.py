"""Check a question before it is read: empty, binary, huge, HTML or instruction-injection input."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

MAX_CHARS = 1000
#: Input past this many characters is not even scanned (its length is still reported).
SCAN_CHARS = 4 * MAX_CHARS
#: Bidirectional controls: they make text display in another order than it is read ("uaM aC").
BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
_BIDI = re.compile("[" + "".join(map(chr, BIDI_CONTROLS)) + "]")
_TAG = re.compile(r"<[^>]{0,200}>")
_CODE = re.compile(r"<(script|style)\b[^>]*>.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_INJECTION = re.compile(
    r"ignore (all |the )?(previous|above|prior) (instructions|prompts?)|disregard (the|all|previous)|system prompt|"
    r"you are now|act as|jailbreak|bo qua (moi |cac |tat ca )?(huong dan|chi dan|lenh)|quen (het )?(huong dan|chi dan)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Checked:
    text: str  # the question to read ("" when nothing usable is left)
    problem: str  # "", "empty", "binary", "too_long", "injection"
    length: int


class CutText(str):
    """Input cut at the door (`cut`) that remembers its full length, for the notice."""

    full_length: int = 0


def cut(text: str, limit: int = SCAN_CHARS) -> str:
    """At most `limit` characters of `text` (what `check_question` would scan anyway)."""
    text = "" if text is None else str(text)
    if len(text) <= limit:
        return text
    short = CutText(text[:limit])
    short.full_length = len(text)
    return short


def strip_bidi(text: str) -> str:
    """The text without bidirectional control characters (found by a regex first: `translate`
    with a table walks every character through the table, ~0.1 ms per 1,000 Vietnamese ones)."""
    return text.translate(BIDI_CONTROLS) if _BIDI.search(text) else text


def check_question(raw) -> Checked:
    """Clean the input; `problem` names what was wrong with it (the text may still be usable)."""
    from assistant.text import fold

    if raw is None:
        return Checked("", "empty", 0)
    if isinstance(raw, bytes | bytearray):
        try:
            raw = bytes(raw[: SCAN_CHARS * 4]).decode(
                "utf-8", errors="strict" if len(raw) <= SCAN_CHARS * 4 else "ignore"
            )
        except UnicodeDecodeError:
            return Checked("", "binary", len(raw))
    if not isinstance(raw, str):
        raw = str(raw)
    length = max(len(raw), getattr(raw, "full_length", 0))
    raw = strip_bidi(raw[:SCAN_CHARS])
    controls = sum(
        1 for ch in raw if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\n\t\r"
    )
    if "\x00" in raw or (raw and controls / len(raw) > 0.1):
        return Checked("", "binary", length)
    text = "".join(
        ch for ch in raw if unicodedata.category(ch) not in ("Cc", "Cs", "Co", "Cn") or ch in "\n\t"
    )
    text = html.unescape(_TAG.sub(" ", _CODE.sub(" ", text)))
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    if not text:
        return Checked("", "empty", length)
    if len(text) > MAX_CHARS or length > SCAN_CHARS:
        return Checked(text[:MAX_CHARS], "too_long", length)
    if _INJECTION.search(fold(text)):
        return Checked(text, "injection", length)
    return Checked(text, "", length)
