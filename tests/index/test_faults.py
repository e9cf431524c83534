"""Damaged, read-only and contended indexes, through the real CLI on copies in temp dirs: each case
is one line on stderr and exit code 1, nothing on disk changes, and the index still answers."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from corpus import load_plans
from index.lock import index_lock
from index.settings import PROJECT_ROOT
from index.store import CHUNK_PREFIX, PlanIndex

DAMAGED = "is damaged: rebuild it with `python -m index build --rebuild`"


def _corpus(folder: Path, plans) -> Path:
    folder.mkdir(parents=True)
    for plan in plans:
        shutil.copy(plan.path, folder / plan.path.name)
        shutil.copy(plan.path.with_suffix(".json"), folder / f"{plan.path.stem}.json")
    return folder


@pytest.fixture(scope="module")
def base(tmp_path_factory, e5_settings):
    """A built index of the first two plans found; tests work on copies of it."""
    root = tmp_path_factory.mktemp("faults")
    settings = dataclasses.replace(
        e5_settings,
        index_dir=root / "index",
        corpus_dir=_corpus(root / "plans", load_plans()[:2]),
        chroma_host="",
    )
    PlanIndex(settings).build(progress=False)
    return settings


@pytest.fixture
def copy(base, tmp_path):
    """A private copy of the built index and of its corpus."""
    shutil.copytree(base.index_dir, tmp_path / "index")
    shutil.copytree(base.corpus_dir, tmp_path / "plans")
    return dataclasses.replace(base, index_dir=tmp_path / "index", corpus_dir=tmp_path / "plans")


def _env(settings, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANS_")}
    env.update(
        PLANS_CACHE_DIR=str(settings.cache_dir),
        PLANS_INDEX_DIR=str(settings.index_dir),
        PLANS_CORPUS_DIR=str(settings.corpus_dir),
        **extra,
    )
    return env


def _run(settings, *args, prefix=(), **extra) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*prefix, sys.executable, "-m", *args],
        cwd=PROJECT_ROOT,
        env=_env(settings, **extra),
        capture_output=True,
        text=True,
        timeout=600,
    )


def _files(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _one_error_line(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, proc.stderr
    return errors[0]


def _truncate(db: Path) -> None:
    os.truncate(db, db.stat().st_size // 2)


def _zero_header(db: Path) -> None:
    with open(db, "r+b") as fh:
        fh.write(b"\0" * 100)


def _garbage(db: Path) -> None:
    with open(db, "r+b") as fh:
        fh.seek(db.stat().st_size // 2)
        fh.write(hashlib.sha256(b"seed").digest() * 2048)  # 64 KB, the same every run


@pytest.mark.parametrize(
    "damage", [_truncate, _zero_header, _garbage], ids=["half-truncated", "header-zeroed", "64KB-garbage"]
)
def test_damaged_database_is_one_line_and_untouched(copy, damage):
    damage(copy.index_dir / "chroma.sqlite3")
    before = _files(copy.index_dir)
    for command in (["index", "info"], ["assistant", "ask", "--no-llm", "Ai chủ trì?"]):
        line = _one_error_line(_run(copy, *command))
        assert line == f"error: the index at {copy.index_dir} {DAMAGED}"
    assert _files(copy.index_dir) == before


def test_debug_flag_shows_the_traceback(copy):
    _zero_header(copy.index_dir / "chroma.sqlite3")
    proc = _run(copy, "index", "info", "--debug")
    assert proc.returncode == 1 and "Traceback" in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].endswith(DAMAGED)


def test_rebuild_replaces_a_damaged_index_and_it_answers(copy):
    _truncate(copy.index_dir / "chroma.sqlite3")
    proc = _run(copy, "index", "build", "--rebuild", "--quiet")
    assert proc.returncode == 0, proc.stderr
    info = _run(copy, "index", "info")
    assert info.returncode == 0 and "chunks: " in info.stdout
    assert not [p for p in copy.index_dir.parent.iterdir() if p.name.startswith(".index.")]  # no leftovers
    index = PlanIndex(copy)
    assert index.count() == len(index.chunks()) > 0


def _read_only(settings) -> tuple:
    """Make the copy read-only for the child; as root, drop the capabilities that ignore modes."""
    for path in [settings.index_dir, *settings.index_dir.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a read-only index cannot be simulated")
    caps = "-dac_override,-dac_read_search,-fowner"
    return (setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}", "--")


def test_read_only_index_answers_and_refuses_to_build(copy):
    before = _files(copy.index_dir)
    prefix = _read_only(copy)
    try:
        info = _run(copy, "index", "info", prefix=prefix)
        assert info.returncode == 0 and "chunks: " in info.stdout, info.stderr
        ask = _run(copy, "assistant", "ask", "--no-llm", "--json", "Ai chủ trì đào tạo nghề?", prefix=prefix)
        assert ask.returncode == 0, ask.stderr
        assert json.loads(ask.stdout)["citations"]
        line = _one_error_line(_run(copy, "index", "build", "--quiet", prefix=prefix))
        assert line.startswith(f"error: the index at {copy.index_dir} is read-only")
    finally:
        for path in [copy.index_dir, *copy.index_dir.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    assert _files(copy.index_dir) == before


def test_a_plan_without_a_required_field_is_named_and_skipped(copy):
    meta = sorted(copy.corpus_dir.glob("*.json"))[0]
    data = json.loads(meta.read_text(encoding="utf-8"))
    del data["id"]
    meta.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    proc = _run(copy, "index", "build", "--quiet")
    assert "Traceback" not in proc.stderr, proc.stderr
    assert [line for line in proc.stderr.splitlines() if meta.name in line], proc.stderr
    info = _run(copy, "index", "info")
    assert info.returncode == 0 and "chunks: " in info.stdout  # the other plans still answer


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty file"), (hashlib.sha256(b"seed").digest() * 64 + b"\0", "binary file")],
    ids=["empty", "binary"],
)
def test_a_full_build_names_a_bad_plan_on_one_line_skips_it_and_indexes_the_others(copy, content, reason):
    bad = sorted(copy.corpus_dir.glob("*.txt"))[0]
    bad.write_bytes(content)
    shutil.rmtree(copy.index_dir)
    proc = _run(copy, "index", "build", "--quiet")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    named = [line for line in proc.stderr.splitlines() if bad.stem in line]
    assert len(named) == 1 and named[0].startswith("skipped ") and reason in named[0], proc.stderr
    others = load_plans(copy.corpus_dir)
    assert len(others) == 1 and others[0].path.name != bad.name
    info = _run(copy, "index", "info")
    assert info.returncode == 0, info.stderr
    assert f"chunks: {len(PlanIndex(copy).chunks(others))}" in info.stdout  # the other plan, whole


def test_a_build_waits_for_the_lock_or_says_why_it_stops(copy):
    with index_lock(copy.index_dir):
        line = _one_error_line(_run(copy, "index", "build", "--quiet", "--wait", "0"))
        assert "another build of the index at" in line and "is running" in line
        line = _one_error_line(_run(copy, "index", "build", "--quiet", "--wait", "1"))
        assert "still running after 1 s" in line


def _collections(settings) -> list[str]:
    db = sqlite3.connect(f"file:{settings.index_dir / 'chroma.sqlite3'}?mode=ro", uri=True)
    try:
        return sorted(row[0] for row in db.execute("SELECT name FROM collections"))
    finally:
        db.close()


def _vector_dirs(settings) -> set[str]:
    return {p.name for p in settings.index_dir.iterdir() if p.is_dir()}


def test_two_builds_at_once_end_on_the_last_completed_build(copy):
    dropped = sorted(copy.corpus_dir.glob("*.json"))[-1]  # both builds have work: a plan is gone
    dropped.with_suffix(".txt").unlink()
    dropped.unlink()
    env = _env(copy)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "index", "build", "--quiet"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert not any("Traceback" in err for _, err in outs)
    named = {out.split("(collection ")[1].split(",")[0] for out, _ in outs}
    index = PlanIndex(copy)
    assert named == {index.active_name()}  # both name the collection that is active
    chunk_collections = [c for c in _collections(copy) if c.startswith(CHUNK_PREFIX)]
    assert chunk_collections == [index.active_name()]
    # one version left, the one the manifest points at, and it holds the corpus as it now is
    assert [p.name for p in index.lexical_root.iterdir()] == [index.version()]
    assert index.count() == len(index.chunks()) == len(index.all_chunks())


def test_next_build_removes_orphan_collections_and_files(copy):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(
        str(copy.index_dir), settings=ChromaSettings(anonymized_telemetry=False)
    )
    orphan = client.create_collection(f"{CHUNK_PREFIX}1", configuration={"hnsw": {"space": "cosine"}})
    orphan.add(ids=["x"], embeddings=[[0.5] * 384], documents=["x"])
    del client, orphan
    stray = copy.index_dir / "00000000-0000-4000-8000-000000000000"
    stray.mkdir()
    (stray / "data_level0.bin").write_bytes(b"\0" * 16)
    before = _vector_dirs(copy)
    proc = _run(copy, "index", "build", "--quiet")
    assert proc.returncode == 0, proc.stderr
    active = PlanIndex(copy).active_name()
    assert [c for c in _collections(copy) if c.startswith(CHUNK_PREFIX)] == [active]
    assert stray.name not in _vector_dirs(copy) and len(_vector_dirs(copy)) < len(before)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_chroma_server_that_is_down_is_one_line(copy):
    port = _free_port()
    line = _one_error_line(
        _run(copy, "index", "info", PLANS_CHROMA_HOST="127.0.0.1", PLANS_CHROMA_PORT=str(port))
    )
    assert line == (
        f"error: the Chroma server at 127.0.0.1:{port} does not answer: start it, "
        "or unset PLANS_CHROMA_HOST to use the index on disk"
    )
    assert "Errno" not in line
