"""LLM phrasing with deterministic fakes: a fake chat model, and an OpenAI-style route on loopback
that records requests (the real server: test_llm_server.py, slow)."""

import http.server
import json
import threading
from typing import ClassVar

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from assistant.llm import LLMPhraser, endpoint_reachable, phraser_from_env


class Recording(FakeListChatModel):
    """Answers from a list, in order, and keeps the prompts it received."""

    prompts: ClassVar[list] = []

    def invoke(self, messages, *args, **kwargs):
        self.prompts.append(messages)
        return super().invoke(messages, *args, **kwargs)


def _composed(assistant, question="Ai chủ trì đào tạo nghề ở Cà Mau?"):
    answer = assistant.ask(question)
    return answer, type("C", (), {"text": answer.text, "citations": answer.citations, "abstained": False})()


def test_good_phrasing_is_used_and_gets_the_evidence(assistant):
    answer, composed = _composed(assistant)
    model = Recording(
        responses=["Sở Lao động - Thương binh và Xã hội chủ trì [1]; phối hợp: các sở, ban, ngành [2]."]
    )
    phraser = LLMPhraser(model, evidence_tokens=2000)
    text = phraser.rephrase(answer.question, "vi", composed)
    assert text.startswith("Sở Lao động")
    system, user = model.prompts[-1]
    assert "Vietnamese" in system[1] and answer.citations[0].text in user[1]


def test_unknown_marker_or_uncited_line_falls_back(assistant):
    answer, composed = _composed(assistant)
    for reply in [
        "Sở Tài chính chủ trì [9].",
        "Sở Lao động chủ trì hoạt động này theo kế hoạch của tỉnh.",
        "",
    ]:
        assert LLMPhraser(Recording(responses=[reply])).rephrase(answer.question, "vi", composed) is None


def test_evidence_is_cut_to_the_token_budget(assistant):
    answer, composed = _composed(assistant, "compare the reporting deadlines of Hải Dương and Cà Mau")
    model = Recording(responses=["x [1]"])
    LLMPhraser(model, evidence_tokens=10).rephrase(answer.question, "en", composed)
    user = model.prompts[-1][1][1]
    assert "[1]" in user and "[2] (" not in user


def test_failing_endpoint_falls_back_at_once_and_cools_down(assistant):
    answer, composed = _composed(assistant)

    class Down:
        calls = 0

        def invoke(self, messages):
            Down.calls += 1
            raise ConnectionError("refused")

    phraser = LLMPhraser(Down())
    assert phraser.rephrase(answer.question, "vi", composed) is None
    assert phraser.rephrase(answer.question, "vi", composed) is None
    assert Down.calls == 1 and "refused" in phraser.last_error


def test_assistant_uses_the_phraser_and_keeps_citations(assistant):
    model = Recording(responses=["Sở Lao động - Thương binh và Xã hội chủ trì [1]."])
    assistant.phraser = LLMPhraser(model)
    try:
        answer = assistant.ask("Ai chủ trì đào tạo nghề ở Cà Mau?")
    finally:
        assistant.phraser = None
    assert answer.text == "Sở Lao động - Thương binh và Xã hội chủ trì [1]." and answer.citations


def test_unset_or_unreachable_endpoint_means_no_phraser(monkeypatch):
    monkeypatch.delenv("PLANS_LLM_BASE_URL", raising=False)
    assert phraser_from_env() is None
    monkeypatch.setenv("PLANS_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    assert not endpoint_reachable("http://127.0.0.1:9/v1")
    assert phraser_from_env() is None


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "PLANS_LLM_TIMEOUT",
            "soon",
            "PLANS_LLM_TIMEOUT must be a number of seconds above 0. Currently, it is 'soon'",
        ),
        (
            "PLANS_LLM_TIMEOUT",
            "0",
            "PLANS_LLM_TIMEOUT must be a number of seconds above 0. Currently, it is '0'",
        ),
        (
            "PLANS_LLM_EVIDENCE_TOKENS",
            "0",
            "PLANS_LLM_EVIDENCE_TOKENS must be at least 1. Currently, it is 0",
        ),
        ("PLANS_LLM_EXTRA_BODY", '{"seed": 0', "PLANS_LLM_EXTRA_BODY must be a JSON object: Expecting"),
        ("PLANS_LLM_EXTRA_BODY", "[1]", "PLANS_LLM_EXTRA_BODY must be a JSON object. Currently, it is '[1]'"),
    ],
)
def test_bad_llm_settings_name_the_setting_and_value(monkeypatch, name, value, message):
    monkeypatch.setenv("PLANS_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError) as err:
        phraser_from_env()
    assert str(err.value).startswith(message) and "\n" not in str(err.value)


class _Endpoint(http.server.BaseHTTPRequestHandler):
    """An OpenAI-style chat completions route on loopback that records the request bodies."""

    bodies: ClassVar[list] = []
    reply = "Sở Lao động - Thương binh và Xã hội chủ trì [1]."

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Endpoint.bodies.append(body)
        out = json.dumps(
            {
                "id": "1",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": self.reply},
                    }
                ],
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


def test_extra_body_fields_reach_the_endpoint_with_the_model_and_temperature(assistant, monkeypatch):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("PLANS_LLM_BASE_URL", f"http://127.0.0.1:{server.server_port}/v1")
        monkeypatch.setenv("PLANS_LLM_MODEL", "small-model")
        monkeypatch.setenv("PLANS_LLM_EXTRA_BODY", '{"grammar": "root ::= \\"x\\"", "seed": 7}')
        phraser = phraser_from_env()
        answer, composed = _composed(assistant)
        assert phraser.rephrase(answer.question, "vi", composed) == _Endpoint.reply
    finally:
        server.shutdown()
        server.server_close()
    body = _Endpoint.bodies[-1]
    assert body["model"] == "small-model" and body["temperature"] == 0
    assert body["grammar"] == 'root ::= "x"' and body["seed"] == 7
