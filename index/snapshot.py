"""Read-only serving: answer from a private copy of the index, because Chroma writes while it reads.

Opening a persistent Chroma collection rewrites `chroma.sqlite3` and the vector files even for
queries, so a read-only index could not be read and readers would race builders. `reading_settings`
copies the index (under the build lock, so never half-written), checks the copy's database, and
returns settings that point at the copy; the copy is removed at exit, and copies left by processes
that died are removed by the next one.
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import shutil
import tempfile
from pathlib import Path

from index.faults import check_sqlite, explain
from index.lock import reading_lock
from index.settings import Settings

#: Said once at start-up by the app (Chroma cannot open an index without writing to it).
NOTICE = "Chroma writes to an index while reading it: answering from a private copy of {index}"

_ORIGINS: dict[str, Path] = {}


def snapshots_root() -> Path:
    return Path(tempfile.gettempdir()) / "plans-index-snapshots"


def origin(index_dir: Path | str) -> Path:
    """The index a snapshot was copied from (the folder itself when it is no snapshot)."""
    return _ORIGINS.get(str(index_dir), Path(index_dir))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale(root: Path) -> None:
    for old in root.glob("*-*"):
        pid = old.name.split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)


def reading_settings(settings: Settings) -> Settings:
    """Settings for answering: the same, pointing at a checked private copy of the index.
    A Chroma server, or no index yet, needs no copy."""
    source = Path(settings.index_dir)
    if settings.chroma_host or not (source / "chroma.sqlite3").is_file():
        return settings
    root = snapshots_root()
    root.mkdir(parents=True, exist_ok=True)
    _remove_stale(root)
    dest = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root))
    atexit.register(shutil.rmtree, dest, True)
    try:
        with reading_lock(source):
            shutil.copytree(source, dest, dirs_exist_ok=True, copy_function=shutil.copyfile)
    except OSError as exc:
        shutil.rmtree(dest, ignore_errors=True)
        raise (explain(exc, source) or exc) from exc
    for folder, _dirs, files in os.walk(dest):  # the copy is ours to write, whatever the source's modes
        os.chmod(folder, 0o700)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o600)
    check_sqlite(dest / "chroma.sqlite3", source)
    _ORIGINS[str(dest)] = source
    return dataclasses.replace(settings, index_dir=dest)
