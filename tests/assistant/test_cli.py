import json

import pytest

from assistant import __main__ as cli


@pytest.fixture
def use(assistant, monkeypatch):
    monkeypatch.setattr(cli, "_assistant", lambda args: assistant)


def test_ask_prints_answer_and_sources(use, capsys):
    assert cli.main(["ask", "Ai", "chủ", "trì", "đào", "tạo", "nghề", "ở", "Cà", "Mau?"]) == 0
    out = capsys.readouterr().out
    assert "Sở Lao động - Thương binh và Xã hội" in out and "Nguồn / Sources:" in out and "Cà Mau —" in out
    assert "Supported by the plans (supported)" in out  # how well the plans back it


def test_ask_says_when_the_plans_do_not_state_it(use, capsys):
    assert cli.main(["ask", "Mức lương tối thiểu vùng ở Cà Mau là bao nhiêu?"]) == 0
    assert "(not_found)" in capsys.readouterr().out


def test_ask_json_prints_the_answer(use, capsys):
    assert cli.main(["ask", "--json", "Sở Tài chính Quảng Ngãi phải làm gì?"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["citations"] and data["abstained"] is False and data["provinces"] == ["quang-ngai"]
    assert data["support"] == "supported" and 0 < data["coverage"] <= 1


def test_unknown_province_filter_is_one_line_and_exit_1(use, capsys):
    assert cli.main(["ask", "--province", "ha-noi", "Ai chủ trì?"]) == 1
    assert capsys.readouterr().err.startswith("error: unknown plan ids")


def test_chat_keeps_the_conversation(use, capsys, monkeypatch):
    lines = iter(["Ai chủ trì đào tạo nghề ở Cà Mau?", "Còn Hải Dương thì sao?"])

    def fake_input(prompt=""):
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", fake_input)
    assert cli.main(["chat"]) == 0
    out = capsys.readouterr().out
    assert "Hải Dương —" in out
