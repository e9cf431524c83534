"""The plan reader: references, the exact span marked, the heading path, the outline."""

from __future__ import annotations

import re

from ui.layout import open_source, read_plan
from ui.viewer import parse_ref, plan_view_html, source_href

# `assistant` is the shared session fixture (tests/conftest.py): the real assistant over a temp index.


def test_references_round_trip_and_bad_ones_are_refused():
    ref = parse_ref(source_href("some-plan", 10, 42))
    assert (ref.plan, ref.start, ref.end) == ("some-plan", 10, 42)
    assert parse_ref("some-plan").start is None
    for bad in ("", "x:5-2", "../etc:1-2", "<script>", "p:1-"):
        assert parse_ref(bad) is None, bad


def test_the_reader_marks_exactly_the_cited_span_and_shows_its_heading(assistant):
    answer = assistant.ask("Ai chủ trì đào tạo nghề ở Cà Mau?")
    c = answer.citations[0]
    plan = next(p for p in assistant.plans() if p.id == c.plan)
    html = plan_view_html(plan, parse_ref(f"{c.plan}:{c.start}-{c.end}"), "vi")
    marked = "".join(re.findall(r"<mark>(.*?)</mark>", html, flags=re.S))
    assert marked.replace("&quot;", '"').replace("&#x27;", "'") == c.text.replace("\n", "")
    assert html.count('data-target="1"') == 1
    assert html.count("pa-here") == 1  # the section is marked in the table of contents
    last_heading = c.section.split(" › ")[-1]
    assert last_heading.split(")")[-1].strip()[:20] in html.split('class="pa-view-path"')[1][:400]


def test_every_plan_reads_in_full_with_its_outline(assistant):
    for plan in assistant.plans():
        html = read_plan(assistant, plan.id, "en")
        text = re.sub(r"<[^>]+>", "", html.split('class="pa-view-text"', 1)[1])
        assert plan.text.splitlines()[-1].strip()[:30] in text.replace("&#8203;", "")
        toc = re.findall(r'href="#pa-h-(\d+)"', html)
        assert len(toc) >= 5 and all(f'id="pa-h-{n}"' in html for n in toc)


def test_open_source_refuses_an_unknown_plan_in_one_line(assistant):
    html, _, _ = open_source(assistant, "no-such-plan:1-5", "en")
    assert "Cannot open the passage: no-such-plan:1-5" in html
