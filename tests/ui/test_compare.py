"""The comparison: provinces side by side, the question per topic and language, escaping."""

from __future__ import annotations

from ui.compare import compare, compare_question
from ui.render import about_html
from ui.strings import s

ALL = ["ca-mau", "hai-duong", "kien-giang", "quang-ngai"]

# `assistant` is the shared session fixture (tests/conftest.py): the real assistant over a temp index.


def test_compare_puts_each_province_side_by_side(assistant):
    out = compare(assistant, "Thời hạn báo cáo", ["hai-duong", "ca-mau"], "vi")
    assert out.count('class="pa-col"') == 2
    assert 'data-plan="hai-duong"' in out and 'data-plan="ca-mau"' in out
    assert out.count('class="pa-cite"') >= 2
    assert s("vi", "compare_need_two") in compare(assistant, "Thời hạn báo cáo", ["ca-mau"], "vi")
    assert s("en", "compare_need_topic") in compare(assistant, " ", ALL, "en")


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
            return {"index_dir": "<script>d</script>", "model": "m", "chunks": 1, "collection": "c"}

    out = compare(Hostile(), "<script>t</script>", ["ca-mau", "hai-duong"], "vi")
    assert "<script" not in out and "&lt;script&gt;t&lt;/script&gt;" in out
    assert "<script" not in about_html(Hostile(), "vi")
