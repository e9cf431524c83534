"""The answer's sentences: a count of 1 reads in the singular in English, whatever the template."""

from __future__ import annotations

import re

import pytest

from assistant.templates import _templates, t


def _counted_english_templates():
    for key, text in _templates()["en"].items():
        if re.search(r"\{n\}\s+(?:(?:more|other)\s+)?[a-z]+s\b", text):
            yield key


COUNTED = sorted(_counted_english_templates())


def test_templates_count_things_in_english():
    assert {"agency_role_lead", "section_intro", "more_items"} <= set(COUNTED)


@pytest.mark.parametrize("key", COUNTED)
def test_a_count_of_one_takes_the_singular(key):
    fields = re.findall(r"\{(\w+)\}", _templates()["en"][key])
    filled = t("en", key, **{f: 1 if f in ("n", "k", "m", "total") else "X" for f in fields})
    assert not re.search(
        r"\b1 (?:(?:more|other) )?(?:items|points|parts|bodies|agencies|plans|documents|groups)\b", filled
    ), filled


def test_a_count_of_one_singularises_the_noun_filled_in():
    assert "sets out 1 solution (" in t("en", "count_lead", n=1, province="P", noun="solutions", heading="H")
    assert "1 of 4 plans states this" in t("en", "across_lead", n=1, total=4, names="P")


def test_other_counts_and_vietnamese_stay_as_written():
    assert t("en", "agency_role_lead", agency="X", n=2, province="P") == "X leads 2 items in the P plan:"
    assert (
        t("vi", "agency_role_lead", agency="X", n=1, province="P")
        == "X chủ trì 1 nội dung trong kế hoạch của P:"
    )
