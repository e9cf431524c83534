"""The app served by `python app.py` on a free loopback port, and Debian's Chromium driven by playwright."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ui.localserver import free_port, stop, wait_until_serving

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "e2e"
CHROMIUM = Path("/usr/bin/chromium")
# The first run converts the model and builds the index before serving.
SERVE_TIMEOUT_S = float(os.environ.get("PLANS_E2E_SERVE_TIMEOUT", "600"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def app_url(artifacts, built_index):
    """Start `python app.py` as a user would (own process, loopback, free port); stop it after."""
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} (`make browser` installs it)")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLANS_AUTH_", "PLANS_ALLOW_NO_AUTH"))}
    env.update(PLANS_HOST="127.0.0.1", PLANS_PORT=str(port), PYTHONUNBUFFERED="1")
    # the session's index in a temp dir (already built): the app opens it, the project's index is untouched
    env.update(
        PLANS_INDEX_DIR=str(built_index.settings.index_dir),
        PLANS_CACHE_DIR=str(built_index.settings.cache_dir),
        PLANS_CORPUS_DIR=str(built_index.settings.corpus_dir),
    )
    log_path = artifacts / "app.log"
    log = open(log_path, "w", encoding="utf-8")
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "app.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        try:
            wait_until_serving(proc, url, SERVE_TIMEOUT_S, log_path, "app.py")
        except RuntimeError as exc:
            pytest.fail(f"{exc}\n{log_path.read_text()[-3000:]}")
        served_after = time.perf_counter() - started
        print(f"\napp.py served {url} after {served_after:.1f}s")
        (artifacts / "startup.txt").write_text(f"served after {served_after:.1f}s\n", encoding="utf-8")
        yield url
    finally:
        stop(proc)
        log.close()


@pytest.fixture(scope="session")
def browser(app_url):
    """Debian's headless Chromium (nothing is downloaded)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def browser_context(browser):
    """A desktop-sized page context (1440×900, Vietnamese locale)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="vi-VN")
    try:
        yield context
    finally:
        context.close()
