"""The build entry point shared by `python -m index build` and the app: one build at a time
(the folder's lock), store failures in one line, and the vector folders Chroma leaves behind
removed (the store itself drops leftover collections and lexical versions).

`--rebuild` makes a fresh index for a damaged one: it is built beside the old one and swapped in
only when complete, so a rebuild that fails or is killed leaves the old folder as it was.
"""

from __future__ import annotations

import dataclasses
import os
import shutil

from index.cleanup import remove_orphan_files
from index.faults import explain
from index.lock import DEFAULT_WAIT, index_lock
from index.settings import Settings


def build_index(
    settings: Settings,
    progress: bool = True,
    wait: float = DEFAULT_WAIT,
    fresh: bool = False,
    embedder=None,
):
    """Build (or with `fresh`, rebuild) the index and the plan models under its lock; the
    index's BuildReport."""
    from corpus import load_plans
    from index.store import VERDICTS, PlanIndex

    load_plans(
        settings.corpus_dir, settings.index_dir / VERDICTS
    )  # a bad plan file stops the build before the index is opened
    with index_lock(settings.index_dir, wait=wait):
        try:
            if fresh:
                report = rebuild(settings, progress=progress, embedder=embedder)
            else:
                report = PlanIndex(settings, embedder=embedder).build(progress=progress)
        except Exception as exc:
            server = f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else ""
            raise (explain(exc, settings.index_dir, server) or exc) from exc
        if not settings.chroma_host:
            remove_orphan_files(settings.index_dir)
        from index.planmodel import build_models

        # what parsing extracts, stored for the app to read per question (index.planmodel)
        report = dataclasses.replace(
            report, models=build_models(PlanIndex(settings).plans(), settings.index_dir)
        )
    return report


def _forget_clients() -> None:
    """Chroma caches clients by path; after a swap the cached ones would point at moved files."""
    from chromadb.api.shared_system_client import SharedSystemClient

    from index.client import _client

    _client.cache_clear()
    SharedSystemClient.clear_system_cache()


def rebuild(settings: Settings, progress: bool = True, embedder=None):
    """Build a new index from scratch and put it in place of the configured one."""
    from index.store import CHUNK_PREFIX, META_COLLECTION, PlanIndex

    if settings.chroma_host:  # a server: drop our collections there, then build anew
        index = PlanIndex(settings, embedder=embedder)
        for col in index.client.list_collections():
            name = col if isinstance(col, str) else col.name
            if name == META_COLLECTION or name.startswith(CHUNK_PREFIX):
                index.client.delete_collection(name)
        return index.build(progress=progress)
    target = settings.index_dir
    fresh = target.with_name(f".{target.name}.rebuild-{os.getpid()}")
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        report = PlanIndex(dataclasses.replace(settings, index_dir=fresh), embedder=embedder).build(
            progress=progress
        )
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    _forget_clients()
    if target.exists():
        os.replace(target, old)
    os.replace(fresh, target)
    shutil.rmtree(old, ignore_errors=True)
    return report
