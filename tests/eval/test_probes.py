"""Answerability probes (eval/probes.py): built from a simple parse of every plan found, asked of
the real assistant; "the plans do not say" must be rare on what the plans answer and the rule on
what they leave open."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

from corpus import load_plans
from eval.metrics import aggregate
from eval.probes import generate, read, vocabulary
from eval.runner import answer_items
from eval.scoring import fold, normalize_ws

SOURCE = Path(__file__).resolve().parents[2] / "eval" / "probes.py"
#: Floors just under the figures measured when the probes were written (P 94.6%, R 81.1%).
MIN_PRECISION = 0.93
MIN_RECALL = 0.80

TEXT = """KẾ HOẠCH
I. MỤC TIÊU
1. Mục tiêu chung
Phát triển thị trường lao động.
II. NỘI DUNG
1. Hội nhập về giáo dục nghề nghiệp
a) Nội dung hoạt động
- Nâng cao chất lượng đào tạo.
b) Cơ quan chủ trì thực hiện: Sở Lao động - Thương binh và Xã hội.
c) Kinh phí thực hiện: ngân sách tỉnh.
III. TỔ CHỨC THỰC HIỆN
1. Sở Tài chính:
- Thẩm định dự toán kinh phí của các sở.
"""


def test_it_imports_nothing_of_the_assistant_or_the_index():
    tree = ast.parse(SOURCE.read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not {m for m in imported if m and m.startswith(("index", "assistant"))}


def test_parts_fields_and_agency_entries_are_read_from_the_lines():
    found = [(f.kind, f.key, f.title) for f in read(TEXT)]
    assert found == [
        ("part", "muc tieu", "MỤC TIÊU"),
        ("part", "muc tieu chung", "Mục tiêu chung"),
        ("part", "noi dung", "NỘI DUNG"),
        ("field", "noi dung", "Hội nhập về giáo dục nghề nghiệp"),
        ("field", "chu tri", "Hội nhập về giáo dục nghề nghiệp"),
        ("field", "kinh phi", "Hội nhập về giáo dục nghề nghiệp"),
        ("part", "to chuc thuc hien", "TỔ CHỨC THỰC HIỆN"),
        ("agency", "so tai chinh", "Sở Tài chính"),
    ]


def test_every_plan_is_probed_both_ways_in_three_spellings_with_evidence_from_its_text():
    plans = {p.id: p for p in load_plans()}
    items = generate(list(plans.values()))
    assert len({i["id"] for i in items}) == len(items)
    for pid, plan in plans.items():
        mine = [i for i in items if i["province"] == pid]
        stated = [i for i in mine if i["type"] != "abstain"]
        assert stated and len(stated) < len(mine), pid
        assert {i["lang"] for i in stated} == {"vi", "en"}
        assert any(not re.search(r"[^\x00-\x7f]", i["question"]) and i["lang"] == "vi" for i in stated)
        text = normalize_ws(plan.text)
        assert all(normalize_ws(e) in text for i in stated for e in i["evidence"]), pid


def test_a_not_stated_probe_is_not_asked_of_a_plan_whose_text_may_answer_it():
    plan = load_plans()[0]
    spec = vocabulary()["not_stated"][0]
    question = spec["vi"][0].format(p=plan.province)
    assert question in {i["question"] for i in generate([plan])}
    saying = dataclasses.replace(plan, text=plan.text + "\nMức lương tối thiểu vùng.\n")
    assert re.search(spec["unless"], fold(saying.text))
    assert question not in {i["question"] for i in generate([saying])}


def test_the_plans_answers_are_rarely_refused_and_open_questions_abstain(assistant):
    plans = {p.id: p.text for p in load_plans()}
    items = generate()
    rows = answer_items(items, assistant=assistant, progress=False)
    metrics, scores = aggregate(items, rows, plans)
    refused = [s.question for s in scores if s.answerable and s.abstained]
    answered = [s.question for s in scores if not s.answerable and not s.abstained]
    assert metrics.abstention_precision >= MIN_PRECISION, refused
    assert metrics.abstention_recall >= MIN_RECALL, answered
