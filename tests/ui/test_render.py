"""Escaping, the cited span marked exactly, grouping per province, the support signal, About."""

from __future__ import annotations

import dataclasses

from ui.chat import plan_texts
from ui.render import about_html, answer_markdown, esc, passages_html, support_of

# `assistant` is the shared session fixture (tests/conftest.py): the real assistant over a temp index.


def _marked(panel: str) -> list[str]:
    import re

    return re.findall(r"<mark>(.*?)</mark>", panel, flags=re.S)


def test_the_card_marks_exactly_the_cited_span_with_readable_context(assistant):
    answer = assistant.ask("Ai chủ trì đào tạo nghề ở Cà Mau?")
    texts = plan_texts(assistant)
    panel = passages_html(answer, "vi", texts)
    cites = {c.marker: c for c in answer.citations}
    assert _marked(panel) == [esc(c.text) for c in cites.values()]  # nothing else is marked
    for c in cites.values():
        assert texts[c.plan][c.start : c.end] == c.text
        assert esc(c.section) in panel
        assert f'href="#pa-src={c.plan}:{c.start}-{c.end}"' in panel
    assert 'class="pa-ctx"' in panel  # the text around the span is shown, not marked


def test_a_multi_province_answer_groups_its_cards_per_province(assistant):
    answer = assistant.ask("Sở Tài chính phải làm gì?")
    panel = passages_html(answer, "vi", plan_texts(assistant))
    plans = list(dict.fromkeys(c.plan for c in answer.citations))
    assert len(plans) >= 2
    assert panel.count('class="pa-group"') == len(plans)
    for plan in plans:
        group = panel.split(f'<section class="pa-group" data-plan="{plan}">', 1)[1].split("</section>", 1)[0]
        assert group.count('class="pa-cite"') == len({c.marker for c in answer.citations if c.plan == plan})


def test_support_falls_back_to_abstention_until_the_answerer_gives_it(assistant):
    answer = assistant.ask("Ai chủ trì đào tạo nghề ở Cà Mau?")
    expected = getattr(answer, "support", None) or "supported"
    assert support_of(answer) == expected
    assert support_of(dataclasses.replace(answer, abstained=True)) in ("not_found", expected)
    assert 'data-support="' in passages_html(answer, "en")


def test_markup_in_passages_and_answers_is_escaped(hostile_answer):
    answer = hostile_answer
    panel = passages_html(answer, "vi")
    for html_text in (panel, answer_markdown(answer, "vi")):
        for tag in ("<script", "<b ", "<b>", "<i>"):
            assert tag not in html_text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in panel
    assert "&amp;" in panel


def test_about_lists_the_plans_with_a_link_to_read_each_and_no_absolute_path(assistant):
    out = about_html(assistant, "vi")
    for plan in assistant.plans():
        assert esc(plan.province) in out
        assert f'href="#pa-src={plan.id}"' in out
        if plan.decision_number:
            assert esc(plan.decision_number) in out
    assert str(assistant.info()["index_dir"]) not in out
    assert "/work/" not in out and "/home/" not in out and "/tmp/" not in out


def test_a_province_less_answer_lists_every_other_plan_that_mentions_it(built_index):
    """More plans than an answer covers: the panel offers all the others, each opening its plan."""
    import re

    from assistant import Assistant
    from ui.chat import panel_html
    from ui.viewer import source_href

    a = Assistant(dataclasses.replace(built_index.settings, answer_plans=1), index=built_index)
    a.warm_up()
    answer = a.ask("Cơ quan nào chủ trì công tác tuyên truyền?")
    assert answer.more_plans and f"{len(answer.more_plans)} kế hoạch khác" in answer.text
    names = {p.id: p.province for p in a.plans()}
    for lang, summary in (("vi", "Xem tất cả: {n} kế hoạch khác"), ("en", "Show all: {n} more plans")):
        panel = panel_html(a, answer, lang)
        more = re.search(r'<details class="pa-more"[^>]*>(.*?)</details>', panel, re.S)
        assert more and summary.format(n=len(answer.more_plans)) in more.group(1)
        links = re.findall(r'<li><a class="pa-read" href="([^"]+)">([^<]+)</a></li>', more.group(1))
        assert links == [(esc(source_href(p)), esc(names[p])) for p in answer.more_plans]
    few = a.ask(f"Ai chủ trì công tác tuyên truyền ở {names[answer.provinces[0]]}?")
    assert not few.more_plans and "pa-more" not in panel_html(a, few, "vi")


def test_passages_an_answer_leaves_out_are_one_click_away(assistant):
    answer = assistant.ask(
        "What plans must the Ca Mau Department of Labour, Invalids and Social Affairs draw up?"
    )
    assert answer.hidden > 0 and "Show all passages" in answer.text
    shown, rest = answer.citations[: -answer.hidden], answer.citations[-answer.hidden :]
    panel = passages_html(answer, "en", plan_texts(assistant))
    before, details = panel.split('<details class="pa-more-passages"', 1)
    assert before.count('class="pa-cite"') == len(shown)  # the cards of the passages the text shows
    assert f"<summary>Show all {len(answer.citations)} passages</summary>" in details
    assert details.count('class="pa-cite"') == len(rest)  # and the others behind "Show all"
    for c in rest:
        assert f'data-marker="{c.marker}"' in details and f"[{c.marker}]" not in answer.text
    vi = passages_html(answer, "vi", plan_texts(assistant))
    assert f"Xem thêm — tất cả {len(answer.citations)} đoạn trích" in vi
    message = answer_markdown(answer, "en")
    assert f"More passages in the panel beside: {len(rest)}" in message
