"""Settings from the environment: defaults and one clear line for a bad value."""

from __future__ import annotations

import pytest

from index.settings import get_settings


def test_defaults_serve_several_questions_at_once(monkeypatch):
    for name in ("PLANS_CONCURRENCY", "PLANS_ANSWER_PLANS", "PLANS_CHROMA_PORT"):
        monkeypatch.delenv(name, raising=False)
    s = get_settings()
    assert s.concurrency >= 4 and s.answer_plans == 5 and s.chroma_port == 8000


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PLANS_CONCURRENCY", "many", "PLANS_CONCURRENCY must be an integer. Currently, it is 'many'"),
        ("PLANS_CONCURRENCY", "0", "PLANS_CONCURRENCY must be at least 1. Currently, it is 0"),
        ("PLANS_ANSWER_PLANS", "-2", "PLANS_ANSWER_PLANS must be at least 1. Currently, it is -2"),
        ("PLANS_CHROMA_PORT", "80a", "PLANS_CHROMA_PORT must be an integer. Currently, it is '80a'"),
    ],
)
def test_a_bad_value_is_named(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message):
        get_settings()


def test_concurrency_is_read(monkeypatch):
    monkeypatch.setenv("PLANS_CONCURRENCY", "8")
    assert get_settings().concurrency == 8
