"""What went wrong with the store, in one line: a damaged or read-only index, a Chroma server that is down.

Chroma reports these as generic errors whose text carries SQLite's or the network's words;
`explain` turns them into errors that name the index and say what to do.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

REBUILD = "python -m index build --rebuild"

_DAMAGED = (
    "database disk image is malformed",
    "file is not a database",
    "malformed",
    "no such table",
    "hnsw",
    "error loading",
    "corrupt",
    "unexpected end of file",
    "failed to fill whole buffer",
)
_READ_ONLY = ("readonly database", "read-only file system", "read only file system")
_DOWN = (
    "could not connect to a chroma server",
    "connection refused",
    "connecterror",
    "name or service not known",
)


class IndexDamagedError(RuntimeError):
    """The index files cannot be read: rebuild them."""


class IndexReadOnlyError(RuntimeError):
    """The index cannot be written (a build needs write access; answering does not)."""


class StoreUnavailableError(RuntimeError):
    """The configured Chroma server does not answer."""


def damaged(index_dir: Path | str) -> IndexDamagedError:
    return IndexDamagedError(f"the index at {index_dir} is damaged: rebuild it with `{REBUILD}`")


def explain(exc: BaseException, index_dir: Path | str, server: str = "") -> RuntimeError | None:
    """A one-line error for a store failure, or None when `exc` is something else."""
    if isinstance(exc, IndexDamagedError | IndexReadOnlyError | StoreUnavailableError):
        return exc
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        if exc.filename and str(exc.filename).startswith(str(index_dir)):
            return _read_only(index_dir)
    text = f"{type(exc).__name__}: {exc}".lower()
    if server and (any(w in text for w in _DOWN) or type(exc).__name__ in ("ConnectError", "ConnectTimeout")):
        return StoreUnavailableError(
            f"the Chroma server at {server} does not answer: start it, or unset PLANS_CHROMA_HOST "
            "to use the index on disk"
        )
    if not _from_store(exc):
        return None
    if any(w in text for w in _READ_ONLY):
        return _read_only(index_dir)
    if isinstance(exc, sqlite3.DatabaseError) or any(w in text for w in _DAMAGED):
        return damaged(index_dir)
    return None


def _from_store(exc: BaseException) -> bool:
    """Raised by Chroma, SQLite or the HTTP client Chroma uses (not, say, a bad plan file)."""
    module = type(exc).__module__ or ""
    return isinstance(exc, sqlite3.Error) or module.split(".")[0] in ("chromadb", "httpx", "httpcore")


def _read_only(index_dir: Path | str) -> IndexReadOnlyError:
    return IndexReadOnlyError(
        f"the index at {index_dir} is read-only: building needs write access to it (answering does not)"
    )


def check_sqlite(path: Path, index_dir: Path | str) -> None:
    """Raise IndexDamagedError unless SQLite's quick check passes on the index's database file."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = db.execute("PRAGMA quick_check").fetchall()
            db.execute("SELECT id FROM segments").fetchall()
        finally:
            db.close()
    except sqlite3.DatabaseError:
        raise damaged(index_dir) from None
    if rows != [("ok",)]:
        raise damaged(index_dir)
