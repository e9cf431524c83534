import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.facts import all_facts
from assistant.text import fold
from eval.generate import (
    EVIDENCE_MAX,
    EVIDENCE_MIN,
    figure_requirement,
    generate,
    responsibility_lines,
    unit_requirement,
    write_jsonl,
)
from eval.scoring import requirement_met

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "eval" / "questions" / "check.py"
COMMITTED = ROOT / "eval" / "questions" / "generated.jsonl"
ID = re.compile(r"^gen-(lead|coordinate|agency-duty|target|timing)-([a-z-]+)-\d+-(vi|en)$")
NOTE = re.compile(r"(?P<plan>[a-z-]+):(?P<start>\d+)-(?P<end>\d+)$")


@pytest.fixture(scope="module")
def facts():
    return all_facts()


@pytest.fixture(scope="module")
def generated(facts):
    return generate(facts)


def _source(item, facts) -> tuple[str, int, int, str]:
    m = NOTE.search(item["note"])
    plan, start, end = m["plan"], int(m["start"]), int(m["end"])
    return plan, start, end, facts[plan].plan.text[start:end]


def _expected_lines(facts) -> set[tuple[str, int, int]]:
    """Responsibility lines by the issue's rule, derived here without the generator's helpers."""
    keys = set()
    for plan_id, pf in facts.items():
        for act in pf.activities:
            for span in (act.lead_span, act.coordinator_span, act.implementer_span):
                if span is not None:
                    keys.add((plan_id, span.start, span.end))
        for duty in pf.duties:
            for span in duty.duties:
                body = fold(re.sub(r"^(?:-|\d+\.)\s*", "", span.text))
                if body.startswith("chu tri") or re.search(r"phoi hop (chat che )?voi", body):
                    keys.add((plan_id, span.start, span.end))
    return keys


def test_every_responsibility_line_is_asked(generated, facts):
    items, coverage = generated
    asked = {_source(i, facts)[:3] for i in items}
    expected = _expected_lines(facts)
    assert expected, "the plans state responsibilities"
    assert expected <= asked, sorted(expected - asked)
    assert {(ln.plan, ln.span.start, ln.span.end) for ln in responsibility_lines(facts)} == expected
    assert coverage.responsibility_asked == coverage.responsibility_lines == len(expected)


def test_targets_with_a_year_and_deadlines_are_asked(generated, facts):
    items, coverage = generated
    asked = {_source(i, facts)[:3] for i in items}
    for plan_id, pf in facts.items():
        for st in pf.statements:
            if st.kind == "deadline" or (st.kind == "target" and re.search(r"\b20\d\d\b", st.span.text)):
                assert (plan_id, st.span.start, st.span.end) in asked, st.span.text
    assert coverage.target_lines > 0 and coverage.deadline_lines > 0


def test_evidence_is_a_verbatim_substring_of_its_line(generated, facts):
    items, _ = generated
    for item in items:
        plan, _, _, line = _source(item, facts)
        assert item["province"] == plan
        assert len(item["evidence"]) == 1
        ev = item["evidence"][0]
        assert EVIDENCE_MIN <= len(ev) <= EVIDENCE_MAX, item["id"]
        assert ev in line, item["id"]
        assert ev in facts[plan].plan.text


def test_the_line_answers_its_question(generated, facts):
    """Every requirement is met by the source line itself, so quoting the line is a correct answer."""
    items, _ = generated
    for item in items:
        line = _source(item, facts)[3]
        assert item["must_include"], item["id"]
        for req in item["must_include"]:
            assert requirement_met(line, req), (item["id"], req)


def test_ids_types_and_both_languages(generated):
    items, _ = generated
    assert len({i["id"] for i in items}) == len(items)
    assert len({i["question"] for i in items}) == len(items)
    for item in items:
        m = ID.match(item["id"])
        assert m, item["id"]
        assert m[1].replace("-", "_") == item["type"] and m[2] == item["province"] and m[3] == item["lang"]
    langs_by_id_stem: dict[str, set[str]] = {}
    for item in items:
        langs_by_id_stem.setdefault(item["id"].rsplit("-", 1)[0], set()).add(item["lang"])
    assert all(v == {"vi", "en"} for v in langs_by_id_stem.values())


def test_lead_requirements_carry_registry_names(generated):
    items, _ = generated
    leads = [i for i in items if i["type"] == "lead" and i["lang"] == "en"]
    assert leads
    labour = [r for i in leads for r in i["must_include"] if "Xã hội" in r and r.startswith("Sở")]
    assert labour
    for req in labour:
        assert "Sở LĐTBXH" in req and "Department of Labour, Invalids and Social Affairs" in req


def test_requirement_helpers():
    req = unit_requirement("Sở Lao động Thương binh và Xã hội.")
    alts = req.split(" | ")
    assert alts[0] == "Sở Lao động Thương binh và Xã hội"
    assert "Sở Lao động - Thương binh và Xã hội" in alts and "Sở LĐTBXH" in alts
    assert unit_requirement("các đơn vị khác") == "các đơn vị khác"
    assert figure_requirement("31/12").split(" | ")[:3] == ["31/12", "31 tháng 12", "31 December"]
    assert "15,000" in figure_requirement("15.000") and "55 percent" in figure_requirement("55%")
    assert "12-15" in figure_requirement("12 - 15%")
    assert figure_requirement("300 lao động") == "300"


def test_generated_file_is_current_and_passes_the_checker(generated, tmp_path):
    items, _ = generated
    out = tmp_path / "generated.jsonl"
    write_jsonl(items, out)
    # the same lines asked (registry names in the requirements may be refined without regenerating)
    fields = ("id", "type", "province", "lang", "evidence", "note")
    fresh = [tuple(json.dumps(i[f], ensure_ascii=False) for f in fields) for i in items]
    with open(COMMITTED, encoding="utf-8") as fh:
        committed = [
            tuple(json.dumps(json.loads(line)[f], ensure_ascii=False) for f in fields) for line in fh
        ]
    assert fresh == committed, "eval/questions/generated.jsonl is stale: run python -m eval generate"
    proc = subprocess.run(
        [sys.executable, str(CHECK), "--no-targets", str(out)], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[0])["id"].startswith("gen-")
