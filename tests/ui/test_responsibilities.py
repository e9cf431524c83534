"""The responsibilities table: filters and the CSV export."""

from __future__ import annotations

import csv
from pathlib import Path

from ui.responsibilities import TABLE_COLUMNS, export_csv, filter_rows, responsibilities
from ui.strings import s

# `assistant` is the shared session fixture (tests/conftest.py): the real assistant over a temp index.


def test_the_table_filters_by_province(assistant):
    frame, count = responsibilities(assistant, ["hai-duong"], "", "", "all", "vi")
    assert len(frame) > 0
    assert set(frame["Tỉnh"]) == {"Hải Dương"}
    total = len(assistant.responsibility_rows())
    assert count == f"**{len(frame)}** / {total} dòng"
    assert list(frame.columns) == [s("vi", f"col_{c}") for c in TABLE_COLUMNS]


def test_the_table_filters_by_agency_without_diacritics(assistant):
    frame, _ = responsibilities(assistant, [], "so tai chinh", "", "all", "vi")
    assert len(frame) >= 3
    assert {"Cà Mau", "Hải Dương", "Quảng Ngãi"} <= set(frame["Tỉnh"])
    units = frame["Cơ quan chủ trì / thực hiện"] + " " + frame["Cơ quan phối hợp"]
    assert all("Sở Tài chính" in u for u in units)
    # the same rows by the agency's English name, in the English table
    english, _ = responsibilities(assistant, [], "Department of Finance", "", "all", "en")
    assert len(english) == len(frame)
    assert "Source text" in english.columns


def test_the_table_filters_by_text_and_kind(assistant):
    rows = assistant.responsibility_rows()
    kept = filter_rows(rows, text="ngan sach", kind="activity")
    assert kept and all(r["kind"] == "activity" for r in kept)
    assert all("ngân sách" in " ".join(str(v) for v in r.values()) for r in kept)
    duties = filter_rows(rows, provinces=["kien-giang"], text="ODA", kind="agency")
    assert duties and all(r["kind"] == "agency" and r["plan"] == "kien-giang" for r in duties)
    assert filter_rows(rows, agency="no such agency zzz") == []


def test_the_table_exports_to_csv(assistant, tmp_path):
    path = export_csv(assistant, ["quang-ngai"], "so tai chinh", "", "all", "vi", out_dir=tmp_path)
    assert Path(path).parent == tmp_path and path.endswith(".csv")
    raw = Path(path).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheet programs read the Vietnamese right
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == ["Tỉnh", "Loại", "Hoạt động / nội dung"]
    assert len(rows) == 2
    assert rows[1][0] == "Quảng Ngãi" and "Sở Tài chính" in rows[1]
    # the source text is verbatim
    plan = next(p for p in assistant.plans() if p.id == "quang-ngai")
    start, end = int(rows[1][-2]), int(rows[1][-1])
    assert plan.text[start:end].startswith("3. Sở Tài chính") or "Sở Tài chính" in plan.text[start:end]
    # without out_dir: a fresh temporary folder
    assert Path(export_csv(assistant, [], "", "", "all", "en")).name == "responsibilities.csv"
