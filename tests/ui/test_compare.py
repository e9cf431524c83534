"""The comparison: provinces side by side, its files, the question per topic and language, escaping."""

from __future__ import annotations

from ui.compare import compare, compare_question
from ui.render import about_html
from ui.strings import s

# `assistant` is the shared session fixture (tests/conftest.py): the real assistant over a temp index.


def test_compare_puts_each_province_side_by_side_and_exports_it(assistant, tmp_path):
    ids = [p.id for p in assistant.plans()][:2]
    out, csv_path, xlsx_path = compare(assistant, "Thời hạn báo cáo", ids, "vi", out_dir=tmp_path)
    assert out.count('class="pa-col"') == 2
    assert all(f'data-plan="{p}"' in out for p in ids)
    assert out.count('class="pa-cite"') >= 2
    assert (
        '<a class="pa-marker" href="#pa-src=' in out.split('class="pa-answer')[1]
    )  # [n] in the answer opens the plan
    from openpyxl import load_workbook

    rows = list(load_workbook(xlsx_path).active.iter_rows(values_only=True))
    assert rows[0][:3] == (s("vi", "col_province"), s("vi", "col_question"), s("vi", "col_answer"))
    assert len(rows) == 3 and csv_path.endswith(".csv")
    assert s("vi", "compare_need_two") in compare(assistant, "Thời hạn báo cáo", ids[:1], "vi")[0]
    assert compare(assistant, " ", ids, "en")[1:] == (None, None)


def test_compare_questions_follow_the_topic_and_language():
    assert compare_question("Thời hạn báo cáo", "Cà Mau", "vi").endswith("ở Cà Mau?")
    assert compare_question("Reporting deadlines", "Cà Mau", "en").startswith("When must")
    assert compare_question("thoi han bao cao", "Cà Mau", "en").startswith("When must")
    assert (
        compare_question("Sở Nội vụ phải làm gì", "Hải Dương", "vi") == "Sở Nội vụ phải làm gì ở Hải Dương?"
    )


def test_markup_in_the_comparison_and_about_is_escaped(assistant, hostile_answer):
    class Hostile:
        def plans(self):
            return assistant.plans()

        def ask(self, question, session=None, provinces=None):
            return hostile_answer

        def info(self):
            return {
                "index_dir": "<script>d</script>",
                "model": "<script>m</script>",
                "chunks": 1,
                "collection": "c",
            }

    ids = [p.id for p in assistant.plans()][:2]
    out = compare(Hostile(), "<script>t</script>", ids, "vi")[0]
    assert "<script" not in out and "&lt;script&gt;t&lt;/script&gt;" in out
    assert "<script" not in about_html(Hostile(), "vi")
