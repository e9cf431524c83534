"""The sentences the deterministic answerer writes, per language: data/templates.yaml and `t()`."""

from __future__ import annotations

import re
import string
from functools import lru_cache
from importlib import resources

import yaml

#: what may stand between a count and its noun ("1 more plan", "1 other agency")
_NOUN_AFTER = re.compile(r"^(\s+(?:(?:more|other)\s+)?)([A-Za-z]+)")


@lru_cache(maxsize=1)
def _templates() -> dict[str, dict[str, str]]:
    return yaml.safe_load(
        resources.files("assistant").joinpath("data/templates.yaml").read_text(encoding="utf-8")
    )


def t(lang: str, key: str, **kw) -> str:
    """The template `key` of `lang` filled in; a count of 1 takes the template's `<key>_one`
    form when there is one, and in English the singular of the noun after it."""
    table = _templates()[lang]
    if kw.get("n") == 1 and f"{key}_one" in table:
        key = f"{key}_one"
    template = table[key]
    singular = _templates().get(f"{lang}_singular") or {}
    if not singular or not any(v == 1 for v in kw.values() if isinstance(v, int)):
        return template.format(**kw)
    pieces = list(string.Formatter().parse(template))
    out: list[str] = []
    one = False  # the field just filled in was a count of 1
    for literal, name, spec, conv in pieces:
        if one and literal and not literal.strip() and name and isinstance(kw.get(name), str):
            kw = {**kw, name: _singular(kw[name], singular, lead="")}
        elif one and literal:
            literal = _singular(literal, singular)
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if name is not None:
            out.append("{" + name + ("!" + conv if conv else "") + (":" + spec if spec else "") + "}")
        one = name is not None and kw.get(name) == 1 and not isinstance(kw.get(name), bool)
    return "".join(out).format(**kw)


def _singular(text: str, singular: dict[str, str], lead: str | None = None) -> str:
    """`text` with its first noun (after the words a count may stand before) in the singular."""
    if lead is not None:  # a filled-in noun phrase: its first word
        word, sep, tail = text.partition(" ")
        return singular.get(word, word) + sep + tail
    m = _NOUN_AFTER.match(text)
    if not m or m.group(2) not in singular:
        return text
    return m.group(1) + singular[m.group(2)] + text[m.end() :]
