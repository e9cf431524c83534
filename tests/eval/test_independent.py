"""The independent question set: a simple line parse of the plans, sharing no code with the
extractor it checks (index.structure, assistant.facts)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from corpus import load_plans
from eval.independent import DEFAULT_OUT, generate, read_lines, units
from eval.scoring import normalize_ws

SOURCE = Path(__file__).resolve().parents[2] / "eval" / "independent.py"

TEXT = """KẾ HOẠCH
I. NỘI DUNG
1. Hội nhập về giáo dục nghề nghiệp
a) Nội dung hoạt động
- Nâng cao chất lượng đào tạo.
b) Cơ quan chủ trì thực hiện
Sở Lao động - Thương binh và Xã hội.
c) Cơ quan phối hợp thực hiện: Sở Kế hoạch và Đầu tư; Sở Văn hóa, Thể thao và Du lịch và UBND các huyện.
II. TỔ CHỨC THỰC HIỆN
1. Sở Tài chính:
- Thẩm định dự toán kinh phí của các sở.
"""


def test_it_imports_nothing_of_the_extractor():
    tree = ast.parse(SOURCE.read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not {m for m in imported if m and m.startswith(("index", "assistant"))}


def test_label_lines_give_the_activity_its_lead_and_partners_and_entries_their_duty():
    lines = read_lines(TEXT)
    assert [(x.kind, x.title) for x in lines] == [
        ("lead", "Hội nhập về giáo dục nghề nghiệp"),
        ("coordinate", "Hội nhập về giáo dục nghề nghiệp"),
        ("duty", "Sở Tài chính"),
    ]
    assert lines[0].value == "Sở Lao động - Thương binh và Xã hội."
    assert units(lines[1].value) == [
        "Sở Kế hoạch và Đầu tư",
        "Sở Văn hóa, Thể thao và Du lịch",
        "UBND các huyện",
    ]
    assert lines[2].value == "Thẩm định dự toán kinh phí của các sở."


def test_every_item_is_asked_in_both_languages_with_evidence_from_its_plan():
    plans = {p.id: p for p in load_plans()}
    items = generate(list(plans.values()))
    assert items and len({i["id"] for i in items}) == len(items)
    assert {i["lang"] for i in items} == {"vi", "en"}
    for item in items:
        text = normalize_ws(plans[item["province"]].text)
        assert all(normalize_ws(e) in text for e in item["evidence"]), item["id"]


def test_the_committed_file_is_what_the_parse_gives():
    committed = [json.loads(line) for line in DEFAULT_OUT.read_text(encoding="utf-8").splitlines()]
    assert committed == generate()
