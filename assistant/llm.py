"""Optional LLM phrasing through a langchain chat model at an OpenAI-compatible endpoint.

The model sees only the cited evidence (within a tiktoken budget) and the deterministic draft;
its answer is accepted only if every line cites existing markers. Otherwise, and whenever the
endpoint is unset or unreachable, the deterministic answer stands.
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass, field
from importlib import resources
from urllib.parse import urlparse

from assistant.citations import MARKER
from index.settings import env_int
from index.tokens import count_tokens

LANGUAGES = {"vi": "Vietnamese", "en": "English"}


def _prompt(name: str) -> str:
    return resources.files("assistant").joinpath(f"data/prompts/{name}").read_text(encoding="utf-8")


@dataclass
class LLMPhraser:
    """Rephrases a composed answer with a chat model; returns None when the result fails checks."""

    chat_model: object  # a langchain BaseChatModel
    evidence_tokens: int = 2000
    cooldown_s: float = 60.0
    _down_until: float = field(default=0.0, repr=False)
    last_error: str = ""

    def build_messages(self, question: str, lang: str, composed) -> tuple[list[tuple[str, str]], set[int]]:
        """The chat messages, and the markers of the passages that fit the evidence budget."""
        passages, used, markers = [], 0, set()
        for c in composed.citations:
            block = f"[{c.marker}] ({c.province} — {c.section})\n{c.text}"
            cost = count_tokens(block)
            if used + cost > self.evidence_tokens and passages:
                break
            passages.append(block)
            markers.add(c.marker)
            used += cost
        system = _prompt("phrase_system.txt").format(language=LANGUAGES.get(lang, "Vietnamese"))
        user = _prompt("phrase_user.txt").format(
            question=question, passages="\n\n".join(passages), draft=composed.text
        )
        return [("system", system), ("human", user)], markers

    def check(self, text: str, composed, sent_markers: set[int]) -> bool:
        """Markers must exist and every line with content must cite at least one."""
        if not text.strip():
            return False
        found = {int(m) for m in MARKER.findall(text)}
        if not found or not found <= sent_markers:
            return False
        for line in text.splitlines():
            if len(line.strip(" -*•")) > 20 and not MARKER.search(line):
                return False
        return True

    def rephrase(self, question: str, lang: str, composed) -> str | None:
        if time.monotonic() < self._down_until or not composed.citations:
            return None
        messages, sent = self.build_messages(question, lang, composed)
        try:
            reply = self.chat_model.invoke(messages)
        except Exception as exc:  # the endpoint failed: fall back, and do not retry for a while
            self.last_error = f"{type(exc).__name__}: {exc}"
            self._down_until = time.monotonic() + self.cooldown_s
            return None
        text = getattr(reply, "content", reply)
        text = text if isinstance(text, str) else str(text)
        return text.strip() if self.check(text, composed, sent) else None


def endpoint_reachable(base_url: str, timeout: float = 0.3) -> bool:
    """A quick TCP connect to the endpoint's host and port."""
    parsed = urlparse(base_url)
    if not parsed.hostname:
        return False
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        with socket.create_connection((parsed.hostname, port), timeout=timeout):
            return True
    except OSError:
        return False


def _positive(name: str, default: str) -> float:
    text = os.environ.get(name, default).strip()
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise ValueError(f"{name} must be a number of seconds above 0. Currently, it is {text!r}")
    return value


def _extra_body(name: str = "PLANS_LLM_EXTRA_BODY") -> dict | None:
    """Request fields the endpoint understands beyond OpenAI's (e.g. llama.cpp's `grammar`, `seed`)."""
    text = os.environ.get(name, "").strip()
    if not text:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{name} must be a JSON object: {exc.msg} at column {exc.colno}") from None
    if not isinstance(value, dict):
        raise ValueError(f"{name} must be a JSON object. Currently, it is {text[:60]!r}")
    return value


def phraser_from_env() -> LLMPhraser | None:
    """PLANS_LLM_BASE_URL (e.g. http://127.0.0.1:11434/v1), PLANS_LLM_MODEL, PLANS_LLM_API_KEY,
    PLANS_LLM_TIMEOUT (s), PLANS_LLM_EVIDENCE_TOKENS, PLANS_LLM_EXTRA_BODY (JSON fields added to
    each request). None when unset or unreachable."""
    base_url = os.environ.get("PLANS_LLM_BASE_URL", "").strip()
    if not base_url:
        return None
    timeout = _positive("PLANS_LLM_TIMEOUT", "20")
    evidence = env_int("PLANS_LLM_EVIDENCE_TOKENS", 2000, minimum=1)
    extra_body = _extra_body()
    if not endpoint_reachable(base_url):
        print(f"LLM endpoint {base_url} is unreachable: answers stay deterministic")
        return None
    from langchain_openai import ChatOpenAI

    model = ChatOpenAI(
        base_url=base_url,
        model=os.environ.get("PLANS_LLM_MODEL", "qwen2.5:7b-instruct"),
        api_key=os.environ.get("PLANS_LLM_API_KEY", "not-needed"),
        timeout=timeout,
        max_retries=0,
        temperature=0,
        extra_body=extra_body,
    )
    return LLMPhraser(model, evidence_tokens=evidence)
