"""The UI strings in both languages (ui/app_strings.json) and the helpers that pick one."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

STRINGS: dict[str, Any] = json.loads(
    files(__package__).joinpath("app_strings.json").read_text(encoding="utf-8")
)
LANGS = ("vi", "en")
LANG_CHOICES = [("Tiếng Việt", "vi"), ("English", "en")]


def s(lang: str | None, key: str) -> Any:
    """The UI string `key` in `lang` ("vi" by default)."""
    return STRINGS[lang if lang in LANGS else "vi"][key]


def _lang(lang: str | None) -> str:
    return lang if lang in LANGS else "vi"
