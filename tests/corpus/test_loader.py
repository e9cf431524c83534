from pathlib import Path

import pytest

from corpus import load_plans, plan_by_id

SHARED = Path(__file__).resolve().parents[3] / "shared" / "plans"


def test_every_plan_has_a_unique_id_and_names_its_province():
    plans = load_plans()
    assert plans and len({p.id for p in plans}) == len(plans)
    assert [p.id for p in plans] == sorted(p.id for p in plans)
    for plan in plans:
        assert plan.province and plan.province in plan.text
        assert plan.path.is_file() and plan.path.with_suffix(".json").is_file()


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
        for field in (plan.decision_number, plan.signer):
            assert field in plan.text  # empty where the text does not say


def test_unknown_plan_id_names_the_known_ones():
    with pytest.raises(KeyError, match=f"unknown plan id 'no-such-plan'; known: {load_plans()[0].id}"):
        plan_by_id("no-such-plan")
