"""One build of an index folder at a time: a file lock beside the folder (it survives `--rebuild`).

A second build waits for the first (the active collection is then always the last build that
completed) or, past its wait, stops with one line. Snapshots for reading take the same lock so
they never copy a half-written index.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

#: How long a build waits for another one by default (seconds).
DEFAULT_WAIT = 600.0


class BuildLockedError(RuntimeError):
    """Another build of the same index folder holds the lock past our wait."""


def lock_path(index_dir: Path) -> Path:
    """The lock file of an index folder: `<folder>.lock` next to it."""
    index_dir = Path(index_dir)
    return index_dir.with_name(index_dir.name + ".lock")


@contextmanager
def index_lock(index_dir: Path, wait: float = DEFAULT_WAIT) -> Iterator[None]:
    """Hold the index folder's lock; say once that we wait, and give up after `wait` seconds."""
    path = lock_path(index_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if wait <= 0:
            raise BuildLockedError(
                f"another build of the index at {index_dir} is running (lock {path}): "
                "try again when it has finished"
            ) from None
        print(
            f"another build of the index at {index_dir} is running: waiting for it (up to {wait:.0f} s)…",
            file=sys.stderr,
            flush=True,
        )
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise BuildLockedError(
                f"another build of the index at {index_dir} is still running after {wait:.0f} s "
                f"(lock {path}): try again when it has finished"
            ) from None
    try:
        yield
    finally:
        lock.release()


@contextmanager
def reading_lock(index_dir: Path, wait: float = DEFAULT_WAIT) -> Iterator[None]:
    """The build lock while a snapshot is copied; none when the lock cannot be created
    (a read-only place is not being built either)."""
    try:
        lock_path(index_dir).parent.mkdir(parents=True, exist_ok=True)
        lock_path(index_dir).touch(exist_ok=True)
    except OSError:
        yield
        return
    with index_lock(index_dir, wait=wait):
        yield
