"""A server process on loopback: a free port, the wait until it answers, the stop. Shared by the
load test and the tests that drive real servers (the app in Chromium, an LLM endpoint)."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(proc: subprocess.Popen, url: str, timeout: float, log_path: Path, name: str) -> float:
    """Seconds until `url` answers 200; a one-line RuntimeError naming `name` and its log if the
    process stops first or `timeout` seconds pass."""
    started = time.perf_counter()
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode} before serving: see {log_path}")
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"{name} did not serve within {timeout:.0f}s: see {log_path}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.25)


def stop(proc: subprocess.Popen, timeout: float = 15) -> None:
    """Terminate, and kill what does not end within `timeout` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)
