"""The app's door: request size, uploads, sign-in attempts, security headers, and what a failure says.

`SecurityMiddleware` is plain ASGI (no buffering, so the answer stream is untouched) and is passed
to Gradio's FastAPI app through `launch_options()`. The other helpers keep the chat bounded and
keep errnos, paths and tracebacks out of what the official sees.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import threading
import time
from importlib.resources import files
from pathlib import Path
from typing import Any

#: Largest request body accepted: larger ones are refused from their headers, before any of it is
#: read (parsing a 10 MB body would hold up every other session); questions are cut at 1,000
#: characters anyway (assistant.guard).
MAX_BODY_BYTES = 1024 * 1024
#: What the question box lets a browser send (the server still cuts at the reading limit).
MAX_INPUT_CHARS = 20_000
#: Chat messages kept per session (user + assistant); older turns drop out of the history.
MAX_MESSAGES = 60
#: Failed sign-ins: the first few are free, then each waits twice as long, up to MAX_LOGIN_DELAY.
FREE_LOGIN_FAILURES = 3
LOGIN_BASE_DELAY = 0.5
MAX_LOGIN_DELAY = 30.0
LOGIN_WINDOW = 15 * 60.0
#: An export is kept this long (seconds) for its download, then removed.
EXPORT_TTL = 15 * 60.0

CSP = "; ".join(
    [
        "default-src 'self'",
        # Gradio's page config is an inline script, and its HTML component renders through
        # `new Function` (without 'unsafe-eval' the passages panel shows a CSP error)
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "media-src 'self' blob: data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", CSP.encode()),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
_OURS = {name for name, _ in HEADERS}

FAULT_STRINGS: dict[str, dict[str, str]] = json.loads(
    files(__package__).joinpath("fault_strings.json").read_text(encoding="utf-8")
)


class LoginThrottle:
    """Per-client spacing of sign-in attempts that grows with each recent failure."""

    def __init__(self, free: int = FREE_LOGIN_FAILURES, base: float = LOGIN_BASE_DELAY):
        self.free, self.base = free, base
        self._failures: dict[str, list[float]] = {}
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(client, []) if now - t < LOGIN_WINDOW]
        if kept:
            self._failures[client] = kept
        else:
            self._failures.pop(client, None)
        return kept

    def delay(self, failures: int) -> float:
        extra = failures - self.free
        return 0.0 if extra < 0 else min(self.base * 2**extra, MAX_LOGIN_DELAY)

    def reserve(self, client: str) -> float:
        """Seconds this attempt must wait (attempts of one client are spaced, even in parallel)."""
        now = time.monotonic()
        with self._lock:
            if len(self._failures) > 10_000:  # bounded memory under a spray of addresses
                for key in list(self._failures)[:5_000]:
                    self._failures.pop(key, None)
                    self._next.pop(key, None)
            gap = self.delay(len(self._recent(client, now)))
            slot = max(now, self._next.get(client, 0.0))
            self._next[client] = slot + gap
            return slot - now

    def failed(self, client: str) -> None:
        with self._lock:
            self._failures.setdefault(client, []).append(time.monotonic())

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)
            self._next.pop(client, None)


async def _reply(send, status: int, message: str) -> None:
    body = json.dumps({"detail": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class SecurityMiddleware:
    """Caps request bodies, refuses uploads, slows repeated failed sign-ins, adds security headers."""

    def __init__(self, app, max_body: int = MAX_BODY_BYTES, throttle: LoginThrottle | None = None):
        self.app = app
        self.max_body = max_body
        self.throttle = throttle or LoginThrottle()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        method = scope.get("method", "GET")
        length = next((v for k, v in scope.get("headers", []) if k == b"content-length"), b"")
        if length.isdigit() and int(length) > self.max_body:
            return await _reply(send, 413, f"request too large (limit {self.max_body // (1024 * 1024)} MB)")
        if method == "POST" and path.rstrip("/").endswith("/upload"):
            return await _reply(send, 403, "this app takes no uploads")
        login = method == "POST" and path.rstrip("/").endswith("/login")
        client = (scope.get("client") or ("?", 0))[0]
        if login:
            wait = self.throttle.reserve(client)
            if wait > MAX_LOGIN_DELAY * 2:
                return await _reply(send, 429, f"too many failed sign-ins: try again in {wait:.0f} s")
            if wait > 0:
                await asyncio.sleep(wait)

        received, too_big, started, status = 0, False, False, 0

        async def capped_receive():
            nonlocal received, too_big
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    too_big = True
                    return {"type": "http.disconnect"}
            return message

        async def send_with_headers(message):
            nonlocal started, status
            if message["type"] == "http.response.start":
                started, status = True, message["status"]
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _OURS]
                message = {**message, "headers": kept + HEADERS}
            await send(message)

        try:
            await self.app(scope, capped_receive, send_with_headers)
        except Exception:
            if not too_big:
                raise
        if too_big and not started:
            await _reply(send, 413, f"request too large (limit {self.max_body // (1024 * 1024)} MB)")
        if login:
            if status in (400, 401, 403):
                self.throttle.failed(client)
            elif 200 <= status < 400:
                self.throttle.succeeded(client)


def launch_options() -> dict[str, Any]:
    """Keyword arguments for `Blocks.launch`: the middleware, and no uploads beyond a token size."""
    from starlette.middleware import Middleware

    return {"app_kwargs": {"middleware": [Middleware(SecurityMiddleware)]}, "max_file_size": "1kb"}


#: Gradio's own cache (files it serves, such as CSV exports): checked every 5 min, kept 15 min.
DELETE_CACHE = (300, int(EXPORT_TTL))


def bounded(history: list, sources: list) -> tuple[list, list]:
    """The last MAX_MESSAGES chat messages and their passages (whole turns)."""
    if len(history) <= MAX_MESSAGES:
        return history, sources
    cut = len(history) - MAX_MESSAGES
    if cut < len(history) and history[cut].get("role") == "assistant":
        cut += 1
    return history[cut:], sources[cut:]


def prune_exports(root: Path, keep: Path) -> None:
    """Remove export folders older than EXPORT_TTL under `root`; `keep` (about to be served) is
    marked fresh. Gradio serves a copy from its own cache, which `DELETE_CACHE` empties."""
    now = time.time()
    if keep.exists():
        os.utime(keep)
    if not root.is_dir():
        return
    for old in root.iterdir():
        try:
            if old != keep and now - old.stat().st_mtime > EXPORT_TTL:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass


def failure_message(exc: BaseException, lang: str) -> str:
    """What the official reads when answering failed: the kind of failure, never an errno or a path."""
    from index.faults import IndexDamagedError, IndexReadOnlyError, StoreUnavailableError, explain
    from index.settings import get_settings

    lang = lang if lang in FAULT_STRINGS else "vi"
    if type(exc).__name__ == "IndexMissingError":
        return FAULT_STRINGS[lang]["index_missing"]
    settings = get_settings()
    server = f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else ""
    known = explain(exc, settings.index_dir, server)
    if isinstance(known, StoreUnavailableError):
        return FAULT_STRINGS[lang]["store_down"]
    if isinstance(known, IndexDamagedError | IndexReadOnlyError):
        return FAULT_STRINGS[lang]["index_damaged"]
    return FAULT_STRINGS[lang]["error"]
