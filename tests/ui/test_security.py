"""The app's door on a real ASGI stack (Starlette, over HTTP in-process): body cap, no uploads,
sign-in slowdown, security headers; and the chat kept small and free of errnos and bidi tricks."""

from __future__ import annotations

import json
import os
import time

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from assistant.guard import MAX_CHARS, check_question
from corpus import load_plans
from ui.chat import finish_turn, start_turn
from ui.security import (
    EXPORT_TTL,
    FREE_LOGIN_FAILURES,
    MAX_MESSAGES,
    LoginThrottle,
    SecurityMiddleware,
    bounded,
    failure_message,
    prune_exports,
)

CALLS: list[str] = []


async def _echo(request):
    body = await request.body()
    CALLS.append(request.url.path)
    return PlainTextResponse(f"{len(body)} bytes")


async def _login(request):
    form = await request.form()
    if form.get("password") == "right":
        return JSONResponse({"success": True})
    return JSONResponse({"detail": "Incorrect credentials."}, status_code=400)


def _client(max_body=1024, throttle=None) -> TestClient:
    app = Starlette(
        routes=[
            Route("/echo", _echo, methods=["GET", "POST"]),
            Route("/login", _login, methods=["POST"]),
            Route("/gradio_api/upload", _echo, methods=["POST"]),
        ],
        middleware=[Middleware(SecurityMiddleware, max_body=max_body, throttle=throttle)],
    )
    return TestClient(app)


def _has_security_headers(resp) -> bool:
    csp = resp.headers.get("content-security-policy", "")
    return (
        resp.headers.get("x-frame-options") == "DENY"
        and "frame-ancestors 'none'" in csp
        and "default-src 'self'" in csp
        and resp.headers.get("referrer-policy") == "no-referrer"
        and resp.headers.get("x-content-type-options") == "nosniff"
    )


def test_every_response_carries_the_security_headers():
    client = _client()
    for resp in (client.get("/echo"), client.get("/nowhere"), client.post("/echo", content=b"x" * 2000)):
        assert _has_security_headers(resp), resp.headers


def test_a_body_over_the_cap_is_refused_before_the_app_reads_it():
    CALLS.clear()
    client = _client(max_body=1024)
    assert client.post("/echo", content=b"x" * 1024).text == "1024 bytes"
    resp = client.post("/echo", content=b"x" * 1025)
    assert resp.status_code == 413 and "too large" in resp.json()["detail"]
    assert CALLS == ["/echo"]


def test_a_streamed_body_over_the_cap_is_refused():
    def chunks():
        for _ in range(10):
            yield b"x" * 512

    resp = _client(max_body=1024).post("/echo", content=chunks())
    assert resp.status_code == 413


def test_uploads_are_refused():
    resp = _client().post("/gradio_api/upload", files={"files": ("a.txt", b"hello")})
    assert resp.status_code == 403 and _has_security_headers(resp)


def test_failed_sign_ins_are_spaced_per_client():
    throttle = LoginThrottle(free=FREE_LOGIN_FAILURES, base=0.5)
    client = _client(throttle=LoginThrottle(free=2, base=0.01))
    for _ in range(4):
        assert client.post("/login", data={"username": "u", "password": "wrong"}).status_code == 400
    waits = []
    for _ in range(FREE_LOGIN_FAILURES + 3):
        waits.append(throttle.reserve("10.0.0.1"))
        throttle.failed("10.0.0.1")
    assert waits[:FREE_LOGIN_FAILURES] == [0.0] * FREE_LOGIN_FAILURES
    gaps = [throttle.delay(n) for n in range(FREE_LOGIN_FAILURES, FREE_LOGIN_FAILURES + 3)]
    assert gaps == [0.5, 1.0, 2.0]  # each further failure doubles the spacing
    assert waits[-1] > waits[-2] > 0
    assert throttle.reserve("10.0.0.2") == 0.0  # another client is not slowed
    throttle.succeeded("10.0.0.1")
    assert throttle.reserve("10.0.0.1") == 0.0


def test_the_throttle_counts_what_the_login_route_answers():
    throttle = LoginThrottle(free=0, base=0.01)
    client = _client(throttle=throttle)
    client.post("/login", data={"username": "u", "password": "wrong"})
    assert throttle.delay(len(throttle._failures.get("testclient", []))) > 0
    client.post("/login", data={"username": "u", "password": "right"})
    assert "testclient" not in throttle._failures


def test_history_is_bounded_to_whole_turns():
    history = [{"role": r, "content": str(i)} for i in range(50) for r in ("user", "assistant")]
    sources = [None, "p"] * 50
    kept, kept_sources = bounded(history, sources)
    assert len(kept) == MAX_MESSAGES and kept[0]["role"] == "user" and kept[-1] == history[-1]
    assert len(kept_sources) == len(kept)


def test_bidi_controls_are_removed_from_questions():
    got = check_question("Ai chủ trì ở \u202euaM aC\u202c?")
    assert "\u202e" not in got.text and "\u202c" not in got.text


def test_a_huge_question_is_cut_before_history_and_answer(assistant):
    plans = [p.id for p in load_plans(assistant.index.plans_dir)]
    question = "Ai chủ trì đào tạo nghề? " + "x" * 10_000_000
    shown, pending, _ = start_turn(question, [], "vi")
    history, session, panel, _, _ = finish_turn(assistant, pending, shown, None, plans, "vi", [])
    assert len(history[0]["content"]) <= MAX_CHARS
    assert len(json.dumps(history, ensure_ascii=False)) + len(panel) < 100_000
    assert "quá dài (10000025" in history[1]["content"]  # the notice says it was cut, and from what
    assert all(len(q) <= MAX_CHARS for q, _ in session.history)


def test_a_store_that_is_down_reads_as_a_sentence(monkeypatch):
    monkeypatch.setenv("PLANS_CHROMA_HOST", "127.0.0.1")
    error = httpx.ConnectError("[Errno 111] Connection refused")
    for lang, word in (("vi", "Kho dữ liệu"), ("en", "search store")):
        message = failure_message(error, lang)
        assert word in message and "Errno" not in message and "/" not in message.split("`")[0]


def test_an_unexpected_failure_shows_no_detail():
    message = failure_message(OSError(2, "No such file or directory", "/root/secret/path"), "en")
    assert "/root" not in message and "Errno" not in message


def test_old_exports_are_removed_and_the_served_one_kept(tmp_path):
    old, served, recent = tmp_path / "old", tmp_path / "served", tmp_path / "recent"
    for folder in (old, served, recent):
        folder.mkdir()
    stale = time.time() - EXPORT_TTL - 60
    os.utime(old, (stale, stale))
    os.utime(served, (stale, stale))
    prune_exports(tmp_path, keep=served)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recent", "served"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_fault_strings_exist_in_both_languages(lang):
    for kind in ("store_down", "index_damaged", "index_missing", "error"):
        assert failure_message(RuntimeError(kind), lang)
