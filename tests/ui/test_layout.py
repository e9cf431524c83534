"""The interface: built without analytics or internet fonts, every string in both languages."""

from __future__ import annotations

import os

from ui.layout import THEME, build_app, relabel
from ui.strings import STRINGS

# `assistant` is the shared session fixture (tests/conftest.py): the real assistant over a temp index.


def test_build_app_without_analytics_or_internet_fonts(assistant):
    import gradio as gr

    demo = build_app(assistant)
    assert isinstance(demo, gr.Blocks)
    assert demo.analytics_enabled is False
    assert os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"
    assert not [x for x in THEME._stylesheets if "http" in str(x)]
    assert "googleapis" not in THEME._get_theme_css()


def test_both_languages_have_every_string():
    assert set(STRINGS["vi"]) == set(STRINGS["en"])
    assert len(relabel("en")) == len(relabel("vi"))
    assert len(STRINGS["examples"]) >= 5
