"""End to end in a real headless Chromium against `python app.py`: ask and follow up, open a
citation in the plan, scroll every passage card, the phone layout, the responsibilities table
and its .xlsx download, English, compare, and the named API. Screenshots go to artifacts/e2e/."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from corpus import load_plans
from ui.responsibilities import TABLE_COLUMNS

pytestmark = pytest.mark.e2e

LABOUR_DEPT = "Sở Lao động - Thương binh và Xã hội"
TIMEOUT_MS = 60_000


def _bots(page):
    return page.locator("#chatbot [data-testid='bot']")


def _shot(page, artifacts, name: str, full_page: bool = True) -> None:
    page.wait_for_timeout(300)  # let transitions settle
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=full_page)


def _ask(page, question: str, n_before: int | None = None) -> None:
    """Type a question, press Enter, wait for its answer's passages."""
    n = page.locator("#chatbot [data-testid='bot']").count() if n_before is None else n_before
    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")
    page.wait_for_function(
        """n => { const b = document.querySelectorAll("#chatbot [data-testid='bot']");
                  const last = b.length > n ? b[b.length - 1].innerText : 'Searching';
                  return !last.includes('Đang tìm') && !last.includes('Searching')
                    && !document.querySelector('#pa-passages-panel').innerText.includes('Đang tìm')
                    && !document.querySelector('#pa-passages-panel').innerText.includes('Searching'); }""",
        arg=n,
        timeout=TIMEOUT_MS,
    )


@pytest.fixture
def page(browser_context, app_url):
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(app_url)
    page.wait_for_selector("#question textarea", timeout=TIMEOUT_MS)
    yield page
    page.close()
    assert not errors, errors


def test_ask_follow_up_and_markup_is_text(page, browser_context, app_url, artifacts):
    app_host = urlparse(app_url).netloc
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(("data:", "blob:", "about:")) and urlparse(r.url).netloc != app_host
            else None
        ),
    )
    assert "Trợ lý" in page.title()
    _shot(page, artifacts, "01-loaded")

    # the question shows at once with a loading line; what is typed next is kept
    page.fill("#question textarea", "who leads vocational training in Cà Mau?")
    page.press("#question textarea", "Enter")
    page.wait_for_timeout(100)  # a person starts typing the next question ~100 ms after Enter
    page.keyboard.type("next")
    page.wait_for_selector("#chatbot [data-testid='user']", timeout=5_000)
    page.wait_for_function(
        "() => document.querySelector('#pa-passages-panel .pa-cite') !== null", timeout=TIMEOUT_MS
    )
    assert page.input_value("#question textarea") == "next"
    first = _bots(page).nth(0).inner_text()
    assert LABOUR_DEPT in first and re.search(r"\[1\]", first)
    panel = page.locator("#pa-passages-panel")
    assert panel.locator(".pa-support").count() == 1
    assert "Cà Mau" in panel.locator(".pa-province").first.inner_text()
    # the copy button copies the answer as plain text
    browser_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url.rstrip("/"))
    page.locator("#chatbot button[aria-label='Copy message']").nth(1).click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert LABOUR_DEPT in copied and "<" not in copied
    _shot(page, artifacts, "02-answer", full_page=False)

    # a follow-up keeps the subject and moves to another province; suggestions are offered
    page.fill("#question textarea", "")
    _ask(page, "and in Hải Dương?", 1)
    second = _bots(page).nth(1).inner_text()
    assert LABOUR_DEPT in second and "Hải Dương" in second
    assert panel.locator(".pa-cite[data-plan='ca-mau']").count() == 0
    assert page.locator("#followups").is_visible()

    # markup typed by a user is shown as text, never run
    _ask(
        page,
        '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> ai chu tri dao tao nghe o ca mau',
        2,
    )
    users = page.locator("#chatbot [data-testid='user']").all_inner_texts()
    assert "<script>window.__pwned=2</script>" in users[-1]
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("#chatbot img[src='x']").count() == 0
    _shot(page, artifacts, "03-follow-up-and-markup", full_page=False)
    assert not outside, f"the page fetched from outside the app: {outside}"


def test_clicking_a_citation_opens_the_plan_at_the_highlighted_span(page, artifacts):
    _ask(page, "Ai chủ trì đào tạo nghề ở Cà Mau?", 0)
    card = page.locator("#pa-passages-panel .pa-cite").first
    plan, cited = card.get_attribute("data-plan"), card.locator("mark").inner_text()
    _bots(page).nth(0).locator("a", has_text="[1]").first.click()
    page.wait_for_selector(f"#pa-viewer .pa-viewer[data-plan='{plan}']", timeout=TIMEOUT_MS)
    assert page.locator("#tab-source-button").get_attribute("aria-selected") == "true"
    marked = "\n".join(page.locator("#pa-viewer mark").all_inner_texts())
    assert marked.split() == cited.split()  # exactly the cited span, nothing else
    hit = page.locator("#pa-viewer [data-target]")
    page.wait_for_timeout(500)
    assert hit.is_visible() and hit.bounding_box()["y"] < 900
    assert page.locator("#pa-viewer .pa-view-path").inner_text().strip()
    _shot(page, artifacts, "04-citation-in-plan", full_page=False)
    # every plan reads in full from About, with its outline
    page.get_by_role("tab", name="Về các kế hoạch").click()
    page.locator("#about a.pa-read").last.click()
    page.wait_for_selector(f"#pa-viewer .pa-viewer[data-plan='{load_plans()[-1].id}']", timeout=TIMEOUT_MS)
    assert page.locator("#pa-viewer .pa-toc li").count() >= 5


def test_every_card_of_a_long_multi_province_answer_can_be_scrolled_into_view(page, artifacts):
    _ask(page, "Sở Tài chính phải làm gì?", 0)
    panel = page.locator("#pa-passages-panel")
    assert panel.locator(".pa-group").count() >= 2
    cards = panel.locator(".pa-cite")
    last = cards.nth(cards.count() - 1)
    last.scroll_into_view_if_needed()
    box, frame = last.bounding_box(), panel.locator(".pa-passages").bounding_box()
    assert box["y"] + box["height"] <= frame["y"] + frame["height"] + 1  # inside the scrolling box
    assert box["y"] >= frame["y"] - 1 and box["y"] < 900
    assert last.is_visible()
    _shot(page, artifacts, "05-last-card-in-view", full_page=False)


def test_phone_layout_full_width_question_and_every_tab(browser, app_url, artifacts):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    try:
        page.goto(app_url)
        page.wait_for_selector("#question textarea", timeout=TIMEOUT_MS)
        question = page.locator("#question").bounding_box()
        assert question["width"] >= 0.8 * 390
        _ask(page, "Ai chủ trì đào tạo nghề ở Cà Mau?", 0)
        _shot(page, artifacts, "06-phone-chat", full_page=False)
        for tab in ("tab-resp", "tab-compare", "tab-source", "tab-about", "tab-chat"):
            button = page.locator(f"#{tab}-button")
            box = button.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, tab
            button.click()
            page.wait_for_selector(f"#{tab}", state="visible", timeout=TIMEOUT_MS)
        page.locator("#tab-resp-button").click()
        page.fill("#resp-agency textarea", "Sở Tài chính")
        page.wait_for_selector("#resp-table tbody tr", timeout=TIMEOUT_MS)
        wrap = page.locator("#resp-table .pa-table-wrap")
        assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")  # the table scrolls sideways
        _shot(page, artifacts, "07-phone-responsibilities", full_page=False)
    finally:
        phone.close()


def _cell_texts(page) -> list[list[str]]:
    return page.evaluate(
        """() => [...document.querySelectorAll('#resp-table tbody tr')].map(tr =>
             [...tr.querySelectorAll('td')].map(td => {
               const items = td.querySelectorAll('li');
               const parts = items.length ? [...items] : [td];
               return parts.map(p => p.innerText.replace(/\\s*↗\\s*$/, '').trim()).join('\\n');
             }))"""
    )


def test_responsibilities_one_row_per_plan_and_the_xlsx_matches(page, artifacts, tmp_path):
    plans = load_plans()
    page.get_by_role("tab", name="Trách nhiệm").click()
    page.fill("#resp-agency textarea", "Sở Tài chính")
    page.wait_for_function(
        "n => document.querySelectorAll('#resp-table tbody tr').length === n",
        arg=len(plans),
        timeout=TIMEOUT_MS,
    )
    rows = _cell_texts(page)
    assert [r[0] for r in rows] == [p.province for p in plans]
    assert any("không nêu" in cell for r in rows for cell in r[1:])
    _shot(page, artifacts, "08-responsibilities-finance")
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        page.click("#resp-xlsx")
    path = tmp_path / "table.xlsx"
    download.value.save_as(path)
    from openpyxl import load_workbook

    sheet = [[c or "" for c in r] for r in load_workbook(path).active.iter_rows(values_only=True)]
    headers = page.locator("#resp-table thead th").all_inner_texts()
    assert sheet[0] == [h.strip() for h in headers]
    assert [[" ".join(c.split()) for c in r] for r in sheet[1:]] == [
        [" ".join(c.split()) for c in r] for r in rows
    ]
    # another filter: the download follows the table
    page.fill("#resp-agency textarea", "")
    page.fill("#resp-text textarea", "ODA")
    page.wait_for_function(  # the detail table again (its columns), every row with the word
        f"""() => document.querySelectorAll('#resp-table thead th').length === {len(TABLE_COLUMNS)}
          && [...document.querySelectorAll('#resp-table tbody tr')].every(r => /oda/i.test(r.innerText))""",
        timeout=TIMEOUT_MS,
    )
    assert set(page.locator("#resp-table mark").all_inner_texts()) == {"ODA"}  # the searched word marked
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        page.click("#resp-csv")
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert "ODA" in text and "Vị trí" not in text


def test_english_compare_and_its_download(page, artifacts):
    page.locator("#pa-lang").get_by_label("English").check()
    page.get_by_role("tab", name="Compare").click()
    page.click("#compare-run")
    page.wait_for_selector("#compare-out .pa-col", timeout=TIMEOUT_MS)
    assert page.locator("#compare-out .pa-col").count() == 2
    assert page.locator("#compare-xlsx").is_visible()
    _shot(page, artifacts, "09-compare-english")


def test_the_named_api_answers_through_gradio_client(app_url):
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    names = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert names == {"/ask", "/responsibilities", "/compare"}
    answer = client.predict(question="Ai chủ trì đào tạo nghề ở Cà Mau?", provinces=None, api_name="/ask")
    assert LABOUR_DEPT in answer["text"] and answer["support"] in ("supported", "partial")
    plans = load_plans()
    table = client.predict(agency="STC", api_name="/responsibilities")
    assert table["plans"] == [p.id for p in plans]
    both = client.predict(topic="Thời hạn báo cáo", provinces=[p.id for p in plans[:2]], api_name="/compare")
    assert [x["plan"] for x in both] == [p.id for p in plans[:2]]


def test_show_all_opens_the_passages_an_answer_leaves_out(page, artifacts):
    _ask(page, "What plans must the Ca Mau Department of Labour, Invalids and Social Affairs draw up?", 0)
    panel = page.locator("#pa-passages-panel")
    more = panel.locator("details.pa-more-passages")
    hidden = more.locator(".pa-cite")
    assert hidden.count() >= 1 and not hidden.first.is_visible()  # one click away, not shown
    shown = panel.locator(".pa-cite").count() - hidden.count()
    assert shown >= 2
    more.locator("summary").click()
    hidden.first.scroll_into_view_if_needed()
    assert hidden.first.is_visible()
    assert re.search(r"(Show all|tất cả) \d+", more.locator("summary").inner_text())
    _shot(page, artifacts, "10-show-all-passages", full_page=False)
