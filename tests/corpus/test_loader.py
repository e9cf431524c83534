import shutil
from pathlib import Path

import pytest

from corpus import load_plans, plan_by_id, scan

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


def _reference_problem(text: str) -> str | None:
    """The character checks written one character at a time (what `character_problem` speeds up)."""
    import re
    import unicodedata

    letters = sum(c.isalpha() for c in text)
    if letters < 400:
        return f"empty or near-empty text ({letters} letters; a plan has at least 400)"
    if unicodedata.normalize("NFC", text) != text:
        return "text is not in Unicode NFC form (run `python -m corpus add` to convert it)"
    words = re.findall(r"\w+", text)
    marked = sum(1 for w in words if any(unicodedata.decomposition(c) for c in w if c.isalpha()))
    if words and marked / len(words) < 0.15:
        return f"not Vietnamese prose ({marked} of {len(words)} words carry Vietnamese diacritics)"
    return None


def test_the_character_checks_agree_with_a_check_per_character():
    import unicodedata

    from corpus.checks import character_problem

    text = load_plans()[0].text
    english = "The plan sets out tasks for every department of the province. " * 40
    for sample in (text, text[:300], unicodedata.normalize("NFD", text), english, english + text[:2000]):
        assert character_problem(sample) == _reference_problem(sample)


def test_verdicts_are_kept_by_content_hash_and_not_checked_again(tmp_path):
    import json

    from corpus.checks import Verdicts, text_problem

    corpus = tmp_path / "plans"
    shutil.copytree(load_plans()[0].path.parent, corpus)
    bad = corpus / "bad.txt"
    bad.write_text("Kế hoạch\n" + "Nội dung thực hiện các nhiệm vụ của tỉnh. " * 40, encoding="utf-8")
    (corpus / "bad.json").write_text(
        json.dumps({**json.loads(next(corpus.glob("*.json")).read_text()), "id": "bad", "file": "bad.txt"}),
        encoding="utf-8",
    )
    path = tmp_path / "index" / "checks.json"
    plans, problems = scan(corpus, path)
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert len(stored) == len(plans) + 1 and sorted(v for v in stored.values() if v) == [
        "no outline of parts found (I./II., PHẦN I, or part headings): not a plan of the genre"
    ]
    assert [p.file for p in problems] == ["bad.json"] and "no outline of parts" in problems[0].reason
    again = Verdicts(path)
    for plan in plans:
        assert text_problem(plan.text, again) is None
    assert "no outline" in text_problem(bad.read_text(encoding="utf-8"), again)
    assert again.checked == 0
    assert text_problem(plans[0].text + "\nPhần thêm.\n", again) is None and again.checked == 1
