"""Vector folders no collection refers to: Chroma leaves them on disk when a collection is
deleted, and a build killed half-way may never register them. The next build removes them
(the store's own `_drop_leftovers` removes the collections and lexical versions)."""

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
