"""The vendored unit list (assistant/data/admin_units.yaml) is what underthesea ships."""

from importlib import resources

import yaml

from assistant.understand import province_named, provinces, understand
from corpus import load_plans
from tools.admin_units import render, source, units


def _vendored() -> dict:
    return yaml.safe_load(resources.files("assistant").joinpath("data/admin_units.yaml").read_text("utf-8"))


def test_vendored_units_equal_the_package_data():
    data = source()
    assert _vendored() == units(data)
    assert resources.files("assistant").joinpath("data/admin_units.yaml").read_text("utf-8") == render(data)


def test_63_earlier_and_34_current_units_each_old_one_mapped_to_a_current_one():
    v = _vendored()
    assert len(v["old"]) == 63 and len(v["new"]) == 34
    current = {e["name"] for e in v["new"]}
    assert all(e["now"] in current for e in v["old"])


def test_every_unit_is_recognised_by_its_name_and_plain_spelling():
    for e in _vendored()["old"] + _vendored()["new"]:
        p = province_named(e["name"])
        assert p is not None and p.full == e["full"]


def test_each_plan_is_found_by_its_province_and_by_the_unit_it_is_part_of_now():
    for plan in load_plans():
        own = understand(f"Ai chủ trì kế hoạch của {plan.province}?")
        assert plan.id in own.provinces
        unit = province_named(plan.province)
        if unit and unit.now and unit.now != unit.name:
            q = understand(f"Ai chủ trì kế hoạch ở {unit.now}?")
            assert plan.id in q.provinces and q.successors[plan.id] == unit.now


def test_a_province_without_a_plan_is_unknown():
    held = {p.province for p in load_plans()}
    now = {province_named(p).now for p in held if province_named(p)}
    free = next(p for p in provinces() if not p.plans and p.name not in now and not p.merged)
    q = understand(f"Ai chủ trì ở {free.name}?")
    assert q.provinces == [] and q.unknown_provinces == [free.name]
