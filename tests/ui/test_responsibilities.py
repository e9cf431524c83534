"""The responsibilities table: filters, one row per plan for an agency ("không nêu" included),
abbreviations, marked search words, and CSV/.xlsx files that match the table shown."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ui.responsibilities import AGENCY_COLUMNS, filter_rows, responsibilities, responsibility_table
from ui.strings import s

# `assistant` is the shared session fixture (tests/conftest.py): the real assistant over a temp index.


def _read_csv(path: str) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_an_agency_gets_one_row_per_plan_with_not_stated_where_it_has_nothing(assistant):
    plans = assistant.plans()
    table, found, _ = responsibility_table(assistant, [], "Sở Tài chính", "", "all", "vi")
    assert list(table.headers) == [s("vi", f"col_{c}") for c in AGENCY_COLUMNS]
    assert list(table.row_plans) == [p.id for p in plans]
    assert [row[0][0].text for row in table.rows] == [p.province for p in plans]
    assert found > 0
    cells = [c for row in table.rows for c in row[1:]]
    assert any(c and c[0].missing and c[0].text == "không nêu" for c in cells)
    assert any(c and not c[0].missing for c in cells)


def test_abbreviations_and_unaccented_names_find_the_same_agency(assistant):
    def rows(agency):
        table, _, _ = responsibility_table(assistant, [], agency, "", "all", "vi")
        return [[table.cell_text(c) for c in r] for r in table.rows]

    full = rows("Sở Tài chính")
    for other in ("so tai chinh", "Sở TC", "STC", "Department of Finance"):
        assert rows(other) == full, other


def test_the_table_filters_by_province_text_and_kind(assistant):
    ids = [p.id for p in assistant.plans()]
    all_rows = assistant.responsibility_rows()
    kept = filter_rows(all_rows, provinces=ids[:1])
    assert kept and {r["plan"] for r in kept} == {ids[0]}
    kept = filter_rows(all_rows, text="ngan sach", kind="activity")
    assert kept and all(r["kind"] == "activity" for r in kept)
    assert all("ngân sách" in " ".join(str(v) for v in r.values()).lower() for r in kept)
    assert filter_rows(all_rows, agency="no such agency zzz") == []


def test_searched_words_are_marked_in_the_table(assistant):
    html, count, _, _ = responsibilities(assistant, [], "", "ngan sach", "all", "vi")
    marks = re.findall(r"<mark>(.*?)</mark>", html)
    assert marks and {m.lower() for m in marks} <= {"ngân", "sách", "ngân sách"}
    assert "/" in count


def test_the_downloads_match_the_table_shown(assistant, tmp_path):
    _, _, csv_path, xlsx_path = responsibilities(
        assistant, [], "Sở Tài chính", "", "all", "vi", out_dir=tmp_path
    )
    table, _, _ = responsibility_table(assistant, [], "Sở Tài chính", "", "all", "vi")
    assert Path(csv_path).read_bytes().startswith(b"\xef\xbb\xbf")
    records = _read_csv(csv_path)
    assert records[0] == [s("vi", f"col_{c}") for c in AGENCY_COLUMNS]  # Vietnamese headers, no offsets
    assert records[1:] == [[table.cell_text(c) for c in row] for row in table.rows]
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx_path).active
    assert [[c or "" for c in r] for r in sheet.iter_rows(values_only=True)] == records
    # a different filter: different files, each matching its own table
    _, _, csv2, _ = responsibilities(assistant, [], "", "ODA", "all", "vi")
    assert (
        csv2 != csv_path
        and len(_read_csv(csv2)) == len(filter_rows(assistant.responsibility_rows(), text="ODA")) + 1
    )
    assert not any(h.lower().startswith(("start", "end", "vị trí")) for h in _read_csv(csv2)[0])


def _reference_filter(rows, provinces, agency, text, kind):
    """The filter row by row, as the table did on every keystroke before it was indexed."""
    from assistant.text import fold_words
    from ui.responsibilities import TABLE_COLUMNS, _unit_matches, agency_query_ids
    from ui.tables import has_words, search_words

    agency_q = fold_words(agency)
    wanted = agency_query_ids(agency) if agency_q else set()
    words = search_words(text)
    return [
        r
        for r in rows
        if (not provinces or r["plan"] in provinces)
        and (kind == "all" or r["kind"] == kind)
        and (not agency_q or _unit_matches(f"{r['lead']} ; {r['coordinating']}", agency_q, wanted))
        and (not words or has_words(" ".join(str(r[k]) for k in (*TABLE_COLUMNS, "kind")), words))
    ]


def test_the_indexed_filter_keeps_exactly_the_rows_a_row_by_row_filter_keeps(assistant):
    from ui.responsibilities import row_index

    rows = assistant.responsibility_rows()
    assert row_index(rows) is row_index(assistant.responsibility_rows())  # indexed once
    ids = [p.id for p in assistant.plans()]
    leads = sorted({r["lead"].split(";")[0].strip() for r in rows if r["lead"]})[:6]
    words = ["ngan sach", "lao dong", "2020", "so", "q", "hội nhập quốc", "s.tc"]
    for agency in ["", "stc", "so tai chinh", *leads]:
        for text in ["", *words]:
            for kind in ("all", "activity", "agency"):
                for provinces in ([], ids[:1], ids[1:3]):
                    got = filter_rows(rows, provinces, agency, text, kind)
                    assert got == _reference_filter(rows, provinces, agency, text, kind), (agency, text, kind)


def test_a_keystroke_shows_the_first_rows_only_and_the_files_hold_every_row(assistant, tmp_path, monkeypatch):
    import ui.responsibilities as resp

    monkeypatch.setattr(resp, "SHOWN_ROWS", 5)
    total = len(assistant.responsibility_rows())
    html, count = resp.responsibilities_view(assistant, [], "", "", "all", "vi")
    assert html.count("<tr data-plan=") == 5
    assert f"**{total}** / {total}" in count and s("vi", "resp_shown").format(shown=5) in count
    csv_path, _ = resp.responsibilities_files(assistant, [], "", "", "all", "vi", out_dir=tmp_path)
    assert len(_read_csv(csv_path)) == total + 1  # the header and every row, also those not shown
    few = resp.filter_rows(assistant.responsibility_rows(), text="ODA")
    assert 0 < len(few) <= 5
    html, count = resp.responsibilities_view(assistant, [], "", "ODA", "all", "vi")
    assert html.count("<tr data-plan=") == len(few) and "(" not in count  # all shown: nothing said


def test_an_agency_table_cut_short_shows_the_plans_that_name_it_first(assistant):
    rows = assistant.responsibility_rows()
    leads = sorted({r["lead"].split(";")[0].strip() for r in rows if r["kind"] == "activity" and r["lead"]})
    for agency in ["Sở Tài chính", *leads[:8]]:
        full, found, _ = responsibility_table(assistant, [], agency, "", "all", "vi")
        short, _, _ = responsibility_table(assistant, [], agency, "", "all", "vi", limit=1)
        assert len(short.rows) == 1
        stated = [
            (row, plan)
            for row, plan in zip(full.rows, full.row_plans, strict=True)
            if not row[1][0].missing or not row[2][0].missing or not row[3][0].missing
        ]
        if found and stated:
            assert (short.rows[0], short.row_plans[0]) == stated[0], agency
    assert all(
        len(responsibility_table(assistant, [], "stc", "", "all", "vi", limit=n)[0].rows)
        == min(n, len(assistant.plans()))
        for n in (1, 2, 10)
    )
