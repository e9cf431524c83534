"""The sentences the deterministic answerer writes, per language: data/templates.yaml and `t()`."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def _templates() -> dict[str, dict[str, str]]:
    return yaml.safe_load(
        resources.files("assistant").joinpath("data/templates.yaml").read_text(encoding="utf-8")
    )


def t(lang: str, key: str, **kw) -> str:
    return _templates()[lang][key].format(**kw)
