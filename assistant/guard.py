"""Check a question before it is read: empty, binary, huge, HTML or instruction-injection input."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

MAX_CHARS = 1000
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


def check_question(raw) -> Checked:
    """Clean the input; `problem` names what was wrong with it (the text may still be usable)."""
    from assistant.text import fold

    if raw is None:
        return Checked("", "empty", 0)
    if isinstance(raw, bytes | bytearray):
        try:
            raw = bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            return Checked("", "binary", len(raw))
    if not isinstance(raw, str):
        raw = str(raw)
    length = len(raw)
    controls = sum(
        1 for ch in raw if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\n\t\r"
    )
    if "\x00" in raw or (length and controls / length > 0.1):
        return Checked("", "binary", length)
    text = "".join(
        ch for ch in raw if unicodedata.category(ch) not in ("Cc", "Cs", "Co", "Cn") or ch in "\n\t"
    )
    text = html.unescape(_TAG.sub(" ", _CODE.sub(" ", text)))
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    if not text:
        return Checked("", "empty", length)
    if len(text) > MAX_CHARS:
        return Checked(text[:MAX_CHARS], "too_long", length)
    if _INJECTION.search(fold(text)):
        return Checked(text, "injection", length)
    return Checked(text, "", length)
