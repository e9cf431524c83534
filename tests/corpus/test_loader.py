from pathlib import Path

import pytest

from corpus import load_plans, plan_by_id

SHARED = Path(__file__).resolve().parents[3] / "shared" / "plans"


def test_four_plans_with_provinces():
    assert [(p.id, p.province) for p in load_plans()] == [
        ("ca-mau", "Cà Mau"),
        ("hai-duong", "Hải Dương"),
        ("kien-giang", "Kiên Giang"),
        ("quang-ngai", "Quảng Ngãi"),
    ]


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/plans not beside the repo")
def test_texts_are_the_originals_unchanged():
    import json

    for plan in load_plans():
        meta = json.loads(plan.path.with_suffix(".json").read_text(encoding="utf-8"))
        assert plan.path.read_bytes() == (SHARED / meta["source_file"]).read_bytes()


def test_metadata_states_only_what_the_text_gives():
    qn = plan_by_id("quang-ngai")
    assert (qn.decision_number, qn.decision_date, qn.signer) == (
        "1247/QĐ-UBND",
        "06/8/2018",
        "Đặng Ngọc Dũng",
    )
    for field in (qn.decision_number, qn.decision_date, qn.signer):
        assert field in qn.text
    for plan in load_plans():
        assert plan.province in plan.text
        if plan.id != "quang-ngai":
            assert plan.signer == plan.decision_number == ""


def test_unknown_plan_id_names_the_known_ones():
    with pytest.raises(KeyError, match="unknown plan id 'ha-noi'; known: ca-mau"):
        plan_by_id("ha-noi")
