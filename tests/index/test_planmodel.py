"""Plan models are built at index time, keyed by content, and rebuilt only when their plan changes."""

import shutil
from dataclasses import asdict

import pytest

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


def test_corpus_counts_and_rows_are_stored_and_read_without_any_model(tmp_path):
    from assistant.facts import responsibility_rows
    from assistant.sentences import SentenceIndex, StoredSentences

    plans = load_plans()
    build_models(plans, tmp_path)
    models = PlanModels(plans, tmp_path)
    stored = StoredSentences(models)
    assert models.reads == 0 and models.cached() == []  # the counts come from the build's file
    eager = SentenceIndex(plans)
    assert stored.idf == eager.idf
    assert models.responsibility_rows() == responsibility_rows({p.id: extract_facts(p) for p in plans})
    assert models.reads == 0
    for plan in plans:  # the per-plan reads match what parsing gives
        assert stored.of_plan(plan.id) == eager.of_plan(plan.id)
        assert stored.lines_of_plan(plan.id) == eager.lines_of_plan(plan.id)
    assert models.reads == len(plans) and stored.of_plan("no-such-plan") == []


def test_the_cache_keeps_the_plans_last_used_and_reads_an_evicted_one_again(tmp_path):
    plans = load_plans()
    build_models(plans, tmp_path)
    models = PlanModels(plans, tmp_path, max_cached=2)
    first, second, third = (p.id for p in plans[:3])
    facts = models.facts_of(first)
    models.facts_of(second)
    assert models.facts_of(first) is facts and models.reads == 2  # a hit reads nothing
    models.facts_of(third)
    assert models.cached() == [first, third] and models.reads == 3  # the least recent went
    again = models.facts_of(second)
    assert models.reads == 4 and models.cached() == [third, second]
    assert [asdict(a) for a in again.activities] == [asdict(a) for a in extract_facts(plans[1]).activities]
    assert models.parsed == []


def test_the_facts_view_reads_only_the_plan_looked_up(tmp_path):
    plans = load_plans()
    build_models(plans, tmp_path)
    models = PlanModels(plans, tmp_path, max_cached=1)
    view = models.facts_view()
    assert len(view) == len(plans) and list(view) == [p.id for p in plans] and models.reads == 0
    assert view[plans[-1].id].plan.id == plans[-1].id and models.cached() == [plans[-1].id]
    with pytest.raises(KeyError):
        view["no-such-plan"]


def test_concurrent_first_reads_give_one_model(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    plans = load_plans()
    build_models(plans, tmp_path)
    models = PlanModels(plans, tmp_path)
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda _: models.facts_of(plans[0].id), range(16)))
    assert all(g is got[0] for g in got) and models.cached() == [plans[0].id]


def test_a_cache_of_no_plans_is_refused():
    with pytest.raises(ValueError, match="max_cached must be at least 1. Currently, it is 0"):
        PlanModels(load_plans(), None, max_cached=0)
