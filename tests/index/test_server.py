"""Server mode end to end: `chroma run` (shipped by the chromadb package) on a free loopback
port, the index built into it, questions answered from it, `index info` naming the server."""

from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from corpus import load_plans
from index.settings import PROJECT_ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    chroma = Path(sys.executable).with_name("chroma")
    if not chroma.exists():
        pytest.skip(f"no `chroma` command next to {sys.executable} (install chromadb)")
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"chroma run did not start on 127.0.0.1:{port}")
            time.sleep(0.3)
    yield port
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def settings(server, e5_settings, tmp_path_factory):
    root = tmp_path_factory.mktemp("server-corpus")
    plan = load_plans()[0]
    plans = root / "plans"
    plans.mkdir()
    shutil.copy(plan.path, plans / plan.path.name)
    shutil.copy(plan.path.with_suffix(".json"), plans / f"{plan.path.stem}.json")
    return dataclasses.replace(
        e5_settings,
        index_dir=root / "index",
        corpus_dir=plans,
        chroma_host="127.0.0.1",
        chroma_port=server,
    )


def test_build_answer_and_info_against_a_chroma_server(settings, server):
    from assistant import Assistant
    from index.store import PlanIndex

    index = PlanIndex(settings)
    report = index.build(progress=False)
    assert report.chunks > 30 and report.embedded == report.chunks
    assert not (settings.index_dir / "chroma.sqlite3").exists()  # the vectors live in the server
    assert index.build(progress=False).unchanged
    # another machine: the same server, no lexical folder yet; its build writes only that folder
    elsewhere = PlanIndex(dataclasses.replace(settings, index_dir=settings.index_dir.with_name("elsewhere")))
    again = elsewhere.build(progress=False)
    assert again.unchanged and elsewhere.version() == index.version()
    assert elsewhere.lexical().rows == index.lexical().rows

    assistant = Assistant(settings, index=index)
    plan = load_plans(settings.corpus_dir)[0]
    answer = assistant.ask(f"Ai chủ trì giáo dục nghề nghiệp ở {plan.province}?")
    assert not answer.abstained and answer.citations
    assert all(plan.text[c.start : c.end] == c.text for c in answer.citations)
    assert any(r.plan == plan.id for r in answer.retrieved)

    env = {
        **os.environ,
        "PLANS_CACHE_DIR": str(settings.cache_dir),
        "PLANS_INDEX_DIR": str(settings.index_dir),
        "PLANS_CORPUS_DIR": str(settings.corpus_dir),
        "PLANS_CHROMA_HOST": "127.0.0.1",
        "PLANS_CHROMA_PORT": str(server),
    }
    out = subprocess.run(
        [sys.executable, "-m", "index", "info"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert f"index: chroma server http://127.0.0.1:{server}" in out.stdout
    assert f"chunks: {report.chunks}" in out.stdout
