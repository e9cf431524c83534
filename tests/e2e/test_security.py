"""The served app's door, in the real app and a real Chromium: security headers on every response,
a Content-Security-Policy the page works under, uploads and oversized bodies refused."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 60_000


def _request(url: str, data: bytes | None = None, headers: dict | None = None):
    req = urllib.request.Request(
        url, data=data, headers=headers or {}, method="POST" if data is not None else "GET"
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, dict(resp.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)


@pytest.mark.parametrize("path", ["", "gradio_api/info", "config", "no-such-route"])
def test_every_response_has_security_headers(app_url, path):
    _, headers = _request(app_url + path)
    lower = {k.lower(): v for k, v in headers.items()}
    assert lower["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in lower["content-security-policy"]
    assert lower["referrer-policy"] == "no-referrer"


def test_uploads_and_oversized_bodies_are_refused(app_url):
    status, _ = _request(
        app_url + "gradio_api/upload",
        data=b"--x--\r\n",
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    assert status == 403
    # a body announced as 13 MB is refused from its headers, before any of it is read
    host = urlparse(app_url)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    conn.putrequest("POST", "/gradio_api/queue/join")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(13 * 1024 * 1024))
    conn.endheaders()
    resp = conn.getresponse()
    status = resp.status
    conn.close()
    assert status == 413


def test_the_page_works_under_its_content_security_policy(browser_context, app_url):
    page = browser_context.new_page()
    violations: list[str] = []
    page.on(
        "console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.goto(app_url)
    page.wait_for_selector("#question textarea", timeout=TIMEOUT_MS)
    page.fill("#question textarea", "Ai chủ trì đào tạo nghề?")
    page.click("#send")
    page.wait_for_function(
        "() => document.querySelectorAll(\"#chatbot [data-testid='bot']\").length >= 1", timeout=TIMEOUT_MS
    )
    page.wait_for_selector("#pa-passages-panel .pa-cite", timeout=TIMEOUT_MS)
    violations += page.evaluate("window.__csp")
    page.close()
    assert violations == []
