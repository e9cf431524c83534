"""The app's handlers with the real assistant (model and index from the project cache), and its launch rules."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

import app
from assistant.types import Answer, Citation

ROOT = Path(__file__).resolve().parents[1]
ALL = ["ca-mau", "hai-duong", "kien-giang", "quang-ngai"]
LABOUR_DEPT = "Sở Lao động - Thương binh và Xã hội"


# `assistant` is the shared session fixture (tests/conftest.py): the real assistant over a temp index.


def ask(assistant, question, history=None, session=None, provinces=None, lang="vi", sources=None):
    return app.respond(assistant, question, history or [], session, provinces or ALL, lang, sources or [])


# -- chat ----------------------------------------------------------------------------------------


def test_a_question_gives_the_answer_and_its_passages(assistant):
    history, session, panel, sources, cleared = ask(assistant, "Ai chủ trì đào tạo nghề ở Cà Mau?")
    assert cleared == ""
    assert session is not None
    assert [m["role"] for m in history] == ["user", "assistant"]
    answer = history[1]["content"]
    assert LABOUR_DEPT in answer
    assert "[1]" in answer and "Nguồn:" in answer
    assert 'class="pa-cite"' in panel and 'data-plan="ca-mau"' in panel
    assert f"<mark>{LABOUR_DEPT}</mark>" in panel  # the answer's agency highlighted in the passage
    assert "Cà Mau" in panel
    assert sources == [None, panel]


def test_the_passage_panel_shows_heading_path_and_verbatim_text(assistant):
    answer = assistant.ask("Ai chủ trì đào tạo nghề ở Cà Mau?")
    panel = app.passages_html(answer, "vi")
    plans = {p.id: p for p in assistant.plans()}
    for c in answer.citations:
        assert plans[c.plan].text[c.start : c.end] == c.text
        assert app.esc(c.section) in panel
        # the passage is all there once the highlighting is taken out
        assert app.esc(c.text) in panel.replace("<mark>", "").replace("</mark>", "")


def test_a_follow_up_uses_the_conversation(assistant):
    history, session, _, sources, _ = ask(assistant, "who leads vocational training in Cà Mau?", lang="en")
    history, session, panel, sources, _ = ask(
        assistant, "and in Hải Dương?", history, session, sources=sources
    )
    assert len(history) == 4 and len(sources) == 4
    assert LABOUR_DEPT in history[3]["content"]
    assert 'data-plan="hai-duong"' in panel and 'data-plan="ca-mau"' not in panel
    assert "giáo dục nghề nghiệp" in panel  # still about vocational education
    assert "Sources:" in history[3]["content"]  # the answer follows the question's language


def test_clicking_an_earlier_message_shows_its_passages(assistant):
    history, session, first, sources, _ = ask(assistant, "Ai chủ trì đào tạo nghề ở Cà Mau?")
    history, session, second, sources, _ = ask(
        assistant, "còn ở Hải Dương?", history, session, sources=sources
    )
    assert first != second
    assert app.passages_for_message(sources, 1) == first
    assert app.passages_for_message(sources, 0) == first  # a question shows its answer's passages
    assert app.passages_for_message(sources, 3) == second


def test_the_province_filter_scopes_the_answer(assistant):
    _, _, panel, _, _ = ask(assistant, "Ai chủ trì công tác tuyên truyền?", provinces=["quang-ngai"])
    assert 'data-plan="quang-ngai"' in panel
    for other in ("ca-mau", "hai-duong", "kien-giang"):
        assert f'data-plan="{other}"' not in panel


def test_scope_all_or_none_means_no_filter():
    assert app.scope(ALL, ALL) is None
    assert app.scope([], ALL) is None
    assert app.scope(None, ALL) is None
    assert app.scope(["quang-ngai", "ca-mau"], ALL) == ["ca-mau", "quang-ngai"]


def test_clear_resets_the_conversation(assistant):
    history, session, _, sources, _ = ask(assistant, "Ai chủ trì đào tạo nghề ở Cà Mau?")
    assert session.history
    history, session, panel, sources, text = app.clear_chat(session, "vi")
    assert (history, sources, text) == ([], [], "")
    assert not session.history
    assert app.s("vi", "passages_empty") in panel


def test_an_empty_question_asks_for_one(assistant):
    history, session, panel, _, _ = ask(assistant, "   ")
    assert history == [] and session is None
    assert app.s("vi", "empty_question") in panel


# -- nothing shown as live HTML ------------------------------------------------------------------


def test_markup_in_a_question_is_shown_as_text(assistant):
    question = '<script>alert("x")</script><img src=x onerror=alert(1)> Ai chủ trì đào tạo nghề ở Cà Mau?'
    history, _, panel, _, _ = ask(assistant, question)
    shown = history[0]["content"]
    assert "<script" not in shown and "<img" not in shown
    assert "&lt;script&gt;" in shown and "&lt;img" in shown
    assert "<script" not in panel and "<img" not in panel
    assert "<script" not in history[1]["content"]


def _hostile_answer() -> Answer:
    passage = 'Sở Tài chính <script>alert(1)</script> & <b onmouseover="x">chủ trì</b> ${alert(2)} {{x}}'
    cite = Citation(1, "c", "ca-mau", "Cà Mau <i>", "II › <script>s</script>", passage, 0, len(passage))
    return Answer(
        question="<script>q</script>",
        text="Sở Tài chính <script>alert(3)</script> chủ trì [1].",
        lang="vi",
        abstained=False,
        intent="lead",
        citations=[cite],
        notice="<b>notice</b>",
    )


def test_markup_in_passages_and_answers_is_escaped():
    answer = _hostile_answer()
    panel = app.passages_html(answer, "vi")
    for html_text in (panel, app.answer_markdown(answer, "vi")):
        for tag in ("<script", "<b ", "<b>", "<i>"):
            assert tag not in html_text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in panel.replace("<mark>", "").replace("</mark>", "")
    assert "<mark>Sở Tài chính" in panel  # highlighting still works around escaped text
    assert "&amp;" in panel


def test_markup_in_the_comparison_and_about_is_escaped(assistant):
    class Hostile:
        def plans(self):
            return assistant.plans()

        def ask(self, question, session=None, provinces=None):
            return _hostile_answer()

        def info(self):
            return {"index_dir": "<script>d</script>", "model": "m", "chunks": 1, "collection": "c"}

    out = app.compare(Hostile(), "<script>t</script>", ["ca-mau", "hai-duong"], "vi")
    assert "<script" not in out and "&lt;script&gt;t&lt;/script&gt;" in out
    assert "<script" not in app.about_html(Hostile(), "vi")


def test_highlight_marks_the_answer_words_only():
    passage = "b) Cơ quan chủ trì thực hiện\nSở Lao động - Thương binh và Xã hội."
    answer = (
        "Department of Labour, Invalids and Social Affairs (Sở Lao động - Thương binh và Xã hội) leads [1]."
    )
    spans = app.highlight_spans(passage, answer)
    assert [passage[a:b] for a, b in spans] == [LABOUR_DEPT]
    # without diacritics, and figures and dates repeated by the answer
    spans = app.highlight_spans("báo cáo trước ngày 15/12 hàng năm", "bao cao truoc ngay 15/12 [2]")
    assert [("báo cáo trước ngày 15/12 hàng năm")[a:b] for a, b in spans] == ["báo cáo trước ngày 15/12"]
    assert app.highlight_spans("no overlap here at all", "something else entirely") == []


# -- responsibilities ----------------------------------------------------------------------------


def test_the_table_filters_by_province(assistant):
    frame, count = app.responsibilities(assistant, ["hai-duong"], "", "", "all", "vi")
    assert len(frame) > 0
    assert set(frame["Tỉnh"]) == {"Hải Dương"}
    total = len(assistant.responsibility_rows())
    assert count == f"**{len(frame)}** / {total} dòng"
    assert list(frame.columns) == [app.s("vi", f"col_{c}") for c in app.TABLE_COLUMNS]


def test_the_table_filters_by_agency_without_diacritics(assistant):
    frame, _ = app.responsibilities(assistant, [], "so tai chinh", "", "all", "vi")
    assert len(frame) >= 3
    assert {"Cà Mau", "Hải Dương", "Quảng Ngãi"} <= set(frame["Tỉnh"])
    units = frame["Cơ quan chủ trì / thực hiện"] + " " + frame["Cơ quan phối hợp"]
    assert all("Sở Tài chính" in u for u in units)
    # the same rows by the agency's English name, in the English table
    english, _ = app.responsibilities(assistant, [], "Department of Finance", "", "all", "en")
    assert len(english) == len(frame)
    assert "Source text" in english.columns


def test_the_table_filters_by_text_and_kind(assistant):
    rows = assistant.responsibility_rows()
    kept = app.filter_rows(rows, text="ngan sach", kind="activity")
    assert kept and all(r["kind"] == "activity" for r in kept)
    assert all("ngân sách" in " ".join(str(v) for v in r.values()) for r in kept)
    duties = app.filter_rows(rows, provinces=["kien-giang"], text="ODA", kind="agency")
    assert duties and all(r["kind"] == "agency" and r["plan"] == "kien-giang" for r in duties)
    assert app.filter_rows(rows, agency="no such agency zzz") == []


def test_the_table_exports_to_csv(assistant, tmp_path):
    path = app.export_csv(assistant, ["quang-ngai"], "so tai chinh", "", "all", "vi", out_dir=tmp_path)
    assert Path(path).parent == tmp_path and path.endswith(".csv")
    raw = Path(path).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheet programs read the Vietnamese right
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == ["Tỉnh", "Loại", "Hoạt động / nội dung"]
    assert len(rows) == 2
    assert rows[1][0] == "Quảng Ngãi" and "Sở Tài chính" in rows[1]
    # the source text is verbatim
    plan = next(p for p in assistant.plans() if p.id == "quang-ngai")
    start, end = int(rows[1][-2]), int(rows[1][-1])
    assert plan.text[start:end].startswith("3. Sở Tài chính") or "Sở Tài chính" in plan.text[start:end]
    # without out_dir: a fresh temporary folder
    assert Path(app.export_csv(assistant, [], "", "", "all", "en")).name == "responsibilities.csv"


# -- comparison, about, interface ----------------------------------------------------------------


def test_compare_puts_each_province_side_by_side(assistant):
    out = app.compare(assistant, "Thời hạn báo cáo", ["hai-duong", "ca-mau"], "vi")
    assert out.count('class="pa-col"') == 2
    assert 'data-plan="hai-duong"' in out and 'data-plan="ca-mau"' in out
    assert out.count('class="pa-cite"') >= 2
    assert app.s("vi", "compare_need_two") in app.compare(assistant, "Thời hạn báo cáo", ["ca-mau"], "vi")
    assert app.s("en", "compare_need_topic") in app.compare(assistant, " ", ALL, "en")


def test_compare_questions_follow_the_topic_and_language():
    assert app.compare_question("Thời hạn báo cáo", "Cà Mau", "vi").endswith("ở Cà Mau?")
    assert app.compare_question("Reporting deadlines", "Cà Mau", "en").startswith("When must")
    assert app.compare_question("thoi han bao cao", "Cà Mau", "en").startswith("When must")
    assert (
        app.compare_question("Sở Nội vụ phải làm gì", "Hải Dương", "vi")
        == "Sở Nội vụ phải làm gì ở Hải Dương?"
    )


def test_about_lists_the_plans_and_the_index(assistant):
    out = app.about_html(assistant, "vi")
    for province in ("Cà Mau", "Hải Dương", "Kiên Giang", "Quảng Ngãi"):
        assert province in out
    assert "1247/QĐ-UBND" in out and "Đặng Ngọc Dũng" in out
    assert app.esc(str(assistant.info()["model"])) in out
    assert app.s("en", "about_not_stated") in app.about_html(assistant, "en")


def test_build_app_without_analytics_or_internet_fonts(assistant):
    import gradio as gr

    demo = app.build_app(assistant)
    assert isinstance(demo, gr.Blocks)
    assert demo.analytics_enabled is False
    assert os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"
    assert not [x for x in app.THEME._stylesheets if "http" in str(x)]
    assert "googleapis" not in app.THEME._get_theme_css()


def test_both_languages_have_every_string():
    assert set(app.STRINGS["vi"]) == set(app.STRINGS["en"])
    assert len(app.relabel("en")) == len(app.relabel("vi"))
    assert len(app.STRINGS["examples"]) >= 5


# -- launching -----------------------------------------------------------------------------------


def test_localhost_needs_no_password():
    config = app.serve_config([], env={})
    assert (config.host, config.port, config.auth) == ("127.0.0.1", 7860, None)


def test_host_and_port_from_environment_then_flags():
    env = {"PLANS_HOST": "localhost", "PLANS_PORT": "8123"}
    assert (app.serve_config([], env=env).host, app.serve_config([], env=env).port) == ("localhost", 8123)
    config = app.serve_config(["--host", "127.0.0.2", "--port", "9000"], env=env)
    assert (config.host, config.port) == ("127.0.0.2", 9000)
    with pytest.raises(app.ConfigError, match="PLANS_PORT"):
        app.serve_config([], env={"PLANS_PORT": "web"})


def test_binding_all_interfaces_without_auth_is_refused():
    with pytest.raises(app.ConfigError, match="PLANS_AUTH_USER and PLANS_AUTH_PASSWORD"):
        app.serve_config(["--host", "0.0.0.0"], env={})
    with pytest.raises(app.ConfigError, match="without a password"):
        app.serve_config([], env={"PLANS_HOST": "0.0.0.0"})
    with pytest.raises(app.ConfigError, match="both"):
        app.serve_config(["--host", "0.0.0.0"], env={"PLANS_AUTH_USER": "staff"})


def test_binding_all_interfaces_with_auth_or_explicit_override():
    env = {"PLANS_AUTH_USER": "staff", "PLANS_AUTH_PASSWORD": "s3cret"}
    assert app.serve_config(["--host", "0.0.0.0"], env=env).auth == ("staff", "s3cret")
    assert app.serve_config(["--host", "0.0.0.0", "--no-auth"], env={}).open_without_auth
    assert app.serve_config(["--host", "0.0.0.0"], env={"PLANS_ALLOW_NO_AUTH": "1"}).auth is None


def test_python_app_py_refuses_all_interfaces_without_auth_in_one_line():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANS_")}
    env["PLANS_HOST"] = "0.0.0.0"
    done = subprocess.run(
        [sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: refusing to serve on 0.0.0.0")
    assert "PLANS_AUTH_USER" in lines[0] and "--no-auth" in lines[0]
