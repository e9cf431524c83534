"""End to end in a real headless Chromium: ask, follow up, check the passages, filter the
responsibilities, switch to English, compare. Screenshots of each step go to artifacts/e2e/."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.e2e

LABOUR_DEPT = "Sở Lao động - Thương binh và Xã hội"
TIMEOUT_MS = 60_000


def _bots(page):
    return page.locator("#chatbot [data-testid='bot']")


def _wait_bot_count(page, n: int) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll(\"#chatbot [data-testid='bot']\").length >= n",
        arg=n,
        timeout=TIMEOUT_MS,
    )


def _table_rows(page) -> list[str]:
    rows = page.locator("#resp-table [role='row']").all_inner_texts()
    return rows[1:]  # the first row is the header


def test_ask_follow_up_passages_and_responsibilities(browser_context, app_url, artifacts):
    app_host = urlparse(app_url).netloc
    outside: list[str] = []
    page_errors: list[str] = []
    page = browser_context.new_page()

    def on_request(request):
        url = request.url
        if not url.startswith(("data:", "blob:", "about:")) and urlparse(url).netloc != app_host:
            outside.append(url)

    page.on("request", on_request)
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))

    def shot(name: str) -> None:
        page.wait_for_timeout(300)  # let transitions settle
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)

    page.goto(app_url)
    page.wait_for_selector("#question textarea", timeout=TIMEOUT_MS)
    assert "Trợ lý" in page.title()
    page.get_by_role("tab", name="Trách nhiệm").wait_for(timeout=TIMEOUT_MS)
    shot("01-loaded")

    # 1. a question in English about Cà Mau: the answer names the department, the passage is Cà Mau's
    page.fill("#question textarea", "who leads vocational training in Cà Mau?")
    page.click("#send")
    _wait_bot_count(page, 1)
    page.wait_for_selector("#pa-passages-panel .pa-cite", timeout=TIMEOUT_MS)
    first = _bots(page).nth(0).inner_text()
    assert LABOUR_DEPT in first
    assert re.search(r"\[1\]", first)
    panel = page.locator("#pa-passages-panel")
    assert panel.locator(".pa-cite[data-plan='ca-mau']").count() >= 1
    assert "Cà Mau" in panel.locator(".pa-province").first.inner_text()
    assert LABOUR_DEPT in panel.locator(".pa-cite mark").all_inner_texts()
    assert page.input_value("#question textarea") == ""
    # the copy button copies the answer as plain text
    browser_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url.rstrip("/"))
    page.locator("#chatbot button[aria-label='Copy message']").nth(1).click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert LABOUR_DEPT in copied and "[1]" in copied and "<" not in copied
    shot("02-answer-ca-mau")

    # 2. a follow-up keeps the subject (vocational training) and moves to Hải Dương
    page.fill("#question textarea", "and in Hải Dương?")
    page.press("#question textarea", "Enter")
    _wait_bot_count(page, 2)
    page.wait_for_selector("#pa-passages-panel .pa-cite[data-plan='hai-duong']", timeout=TIMEOUT_MS)
    second = _bots(page).nth(1).inner_text()
    assert LABOUR_DEPT in second
    assert "Hải Dương" in second
    assert "nghề nghiệp" in panel.inner_text()  # still about vocational education
    assert panel.locator(".pa-cite[data-plan='ca-mau']").count() == 0
    shot("03-follow-up-hai-duong")

    # 3. clicking the first answer shows its passages again
    _bots(page).nth(0).click()
    page.wait_for_selector("#pa-passages-panel .pa-cite[data-plan='ca-mau']", timeout=TIMEOUT_MS)

    # 4. markup typed by a user is shown as text, never run
    page.fill(
        "#question textarea",
        '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> ${7*7} {{7*7}}'
        " ai chu tri dao tao nghe o ca mau",
    )
    page.click("#send")
    _wait_bot_count(page, 3)
    users = page.locator("#chatbot [data-testid='user']").all_inner_texts()
    assert "<script>window.__pwned=2</script>" in users[-1]
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("#chatbot img[src='x']").count() == 0
    # the passages panel shows the question as typed text: no template evaluation either
    page.wait_for_function(
        "() => document.querySelector('#pa-passages-panel .pa-question').innerText.includes('${7*7} {{7*7}}')",
        timeout=TIMEOUT_MS,
    )
    _bots(page).nth(2).scroll_into_view_if_needed()
    shot("04-markup-escaped")

    # 5. clear the conversation, then ask by clicking an example question
    page.click("#clear")
    page.wait_for_function(
        "() => document.querySelectorAll(\"#chatbot [data-testid='bot']\").length === 0", timeout=TIMEOUT_MS
    )
    page.locator("#examples").get_by_text("Sở Tài chính Quảng Ngãi phải làm gì?").click()
    _wait_bot_count(page, 1)
    page.wait_for_selector("#pa-passages-panel .pa-cite[data-plan='quang-ngai']", timeout=TIMEOUT_MS)
    assert "Sở Tài chính" in _bots(page).nth(0).inner_text()
    shot("05-example-question")

    # 6. the responsibilities table, filtered by an agency typed without diacritics, then by province
    page.get_by_role("tab", name="Trách nhiệm").click()
    page.wait_for_selector("#resp-table [role='row']", timeout=TIMEOUT_MS)
    total = len(_table_rows(page))
    page.fill("#resp-agency textarea", "so tai chinh")
    page.wait_for_function(
        "t => document.querySelectorAll(\"#resp-table [role='row']\").length - 1 < t",
        arg=total,
        timeout=TIMEOUT_MS,
    )
    rows = _table_rows(page)
    assert rows and all("Sở Tài chính" in r for r in rows)
    provinces_seen = {
        p for p in ("Cà Mau", "Hải Dương", "Quảng Ngãi", "Kiên Giang") if any(p in r for r in rows)
    }
    assert len(provinces_seen) >= 2
    page.locator("#resp-provinces").get_by_label("Cà Mau").check()
    page.wait_for_function(
        "() => { const r = [...document.querySelectorAll(\"#resp-table [role='row']\")].slice(1);"
        " return r.length > 0 && r.every(x => x.innerText.includes('Cà Mau')); }",
        timeout=TIMEOUT_MS,
    )
    assert "/" in page.inner_text("#resp-count")
    page.click("#resp-export")
    link = page.locator("#resp-file a[download]")
    link.wait_for(timeout=TIMEOUT_MS)
    assert link.get_attribute("download").endswith(".csv")
    shot("06-responsibilities-filtered")

    # 7. English interface: the main components are relabelled
    page.locator("#pa-lang").get_by_label("English").check()
    page.get_by_role("tab", name="Responsibilities").wait_for(timeout=TIMEOUT_MS)
    page.get_by_role("tab", name="Compare").wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => document.querySelector('#resp-table').innerText.includes('Source text')", timeout=TIMEOUT_MS
    )
    shot("07-english-responsibilities")

    # 8. comparison side by side
    page.get_by_role("tab", name="Compare").click()
    page.click("#compare-run")
    page.wait_for_selector("#compare-out .pa-col", timeout=TIMEOUT_MS)
    cols = page.locator("#compare-out .pa-col")
    assert cols.count() == 2
    assert {cols.nth(i).get_attribute("data-plan") for i in range(2)} == {"hai-duong", "ca-mau"}
    shot("08-compare")

    page.get_by_role("tab", name="About the plans").click()
    page.wait_for_selector("#about .pa-table", timeout=TIMEOUT_MS)
    assert "1247/QĐ-UBND" in page.inner_text("#about")
    shot("09-about")

    assert not page_errors, page_errors
    assert not outside, f"the page fetched from outside the app: {outside}"
