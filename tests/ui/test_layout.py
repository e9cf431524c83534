"""The interface: built without analytics or internet fonts, every string in both languages,
only the named API endpoints public."""

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


def test_only_the_named_endpoints_are_public(assistant):
    demo = build_app(assistant)
    public = {fn.api_name for fn in demo.fns.values() if getattr(fn, "api_visibility", "public") == "public"}
    assert public == {"ask", "responsibilities", "compare"}


def test_both_languages_have_every_string(assistant):
    assert set(STRINGS["vi"]) == set(STRINGS["en"])
    assert set(STRINGS["followups"]["vi"]) == set(STRINGS["followups"]["en"])
    assert len(relabel("en", assistant)) == len(relabel("vi", assistant))
    assert len(STRINGS["examples"]) >= 5


def test_the_header_names_every_plan_when_few_and_counts_them_past_ten(assistant):
    import dataclasses

    from ui.layout import header_text

    plans = assistant.plans()
    assert all(p.province in header_text(assistant, "vi") for p in plans)

    class Many:  # the same plans copied under other names: more than the header names
        def plans(self):
            return [
                dataclasses.replace(p, id=f"{p.id}-{i}", province=f"{p.province} {i}")
                for i in range(8)
                for p in plans
            ]

    text = header_text(Many(), "vi")
    assert f"{len(plans) * 8 - 10} kế hoạch khác" in text and text.count(", ") < 12
    assert "more (the full list" in header_text(Many(), "en")
