"""Plan models are built at index time, keyed by content, and rebuilt only when their plan changes."""

import shutil
from dataclasses import asdict

from assistant.facts import extract_facts
from corpus import load_plans
from index.planmodel import FOLDER, PlanModels, build_models


def test_stored_models_hold_what_parsing_extracts(tmp_path):
    plans = load_plans()
    report = build_models(plans, tmp_path)
    assert sorted(report.built) == sorted(p.id for p in plans) and not report.kept
    models = PlanModels(plans, tmp_path)
    for plan in plans:
        stored = models.get(plan.id).facts(plan)
        fresh = extract_facts(plan)
        assert [asdict(a) for a in stored.activities] == [asdict(a) for a in fresh.activities]
        assert [asdict(d) for d in stored.duties] == [asdict(d) for d in fresh.duties]
        assert [asdict(s) for s in stored.statements] == [asdict(s) for s in fresh.statements]
    assert models.parsed == []  # nothing was parsed at load time


def test_a_changed_plan_rebuilds_only_its_own_model(tmp_path):
    corpus = tmp_path / "plans"
    shutil.copytree(load_plans()[0].path.parent, corpus)
    plans = load_plans(corpus)
    build_models(plans, tmp_path / "index")
    changed = plans[-1]
    changed.path.write_text(changed.text + "\nTrên đây là phần bổ sung.\n", encoding="utf-8")
    report = build_models(load_plans(corpus), tmp_path / "index")
    assert report.built == [changed.id]
    assert sorted(report.kept) == sorted(p.id for p in plans if p.id != changed.id)
    assert len(report.removed) == 1 and report.removed[0].startswith(changed.id)
    assert len(list((tmp_path / "index" / FOLDER).glob("*.pkl"))) == len(plans)


def test_the_cache_is_bounded_and_a_missing_model_is_parsed(tmp_path):
    plans = load_plans()
    models = PlanModels(plans, tmp_path, max_cached=2)
    for plan in plans:
        assert models.get(plan.id).plan_id == plan.id
    assert len(models._cache) == 2 and sorted(models.parsed) == sorted(p.id for p in plans)
