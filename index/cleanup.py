"""What earlier builds left behind, removed by the next one: chunk collections that are not the
active one, and vector folders no collection refers to (Chroma leaves them when a collection is
deleted; a build killed half-way never registers them)."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def referenced_segments(index_dir: Path) -> set[str]:
    """Ids of the segments Chroma's database knows (read-only)."""
    db = sqlite3.connect(f"file:{Path(index_dir) / 'chroma.sqlite3'}?mode=ro", uri=True)
    try:
        return {row[0] for row in db.execute("SELECT id FROM segments")}
    finally:
        db.close()


def drop_orphan_collections(index) -> list[str]:
    """Delete chunk collections other than the active one (left by builds that died or lost a race)."""
    from index.store import CHUNK_PREFIX

    active = index.active_name()
    if active is None:
        return []
    dropped = []
    for col in index.client.list_collections():
        name = col if isinstance(col, str) else col.name
        if name.startswith(CHUNK_PREFIX) and name != active:
            index.client.delete_collection(name)
            dropped.append(name)
    return dropped


def remove_orphan_files(index_dir: Path) -> list[str]:
    """Delete vector folders of segments that no longer exist; the names of those removed."""
    index_dir = Path(index_dir)
    if not (index_dir / "chroma.sqlite3").is_file():
        return []
    known = referenced_segments(index_dir)
    removed = []
    for child in sorted(index_dir.iterdir()):
        if child.is_dir() and _UUID.match(child.name) and child.name not in known:
            shutil.rmtree(child)
            removed.append(child.name)
    return removed
