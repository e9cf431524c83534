"""Fixtures for the UI tests (the real `assistant` fixture is in tests/conftest.py)."""

from __future__ import annotations

import pytest

from assistant.types import Answer, Citation


@pytest.fixture
def hostile_answer() -> Answer:
    """An answer whose every field carries markup, to prove the UI shows it as text."""
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
