"""LLM phrasing with a deterministic fake chat model (no endpoint runs here)."""

from typing import ClassVar

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
