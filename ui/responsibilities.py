"""The responsibilities tab: filtering the rows, the table, the CSV export."""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from assistant.text import fold_words
from ui.strings import _lang, s

if TYPE_CHECKING:
    from assistant import Assistant

# Columns of the responsibilities table (row keys of `responsibility_rows`), and those the CSV adds.
TABLE_COLUMNS = ("province", "topic", "lead", "coordinating", "timing", "funding", "source", "section")
CSV_COLUMNS = ("province", "kind", *TABLE_COLUMNS[1:], "plan", "start", "end")


def _agency_ids(text: str) -> set[str]:
    try:
        from assistant.agencies import agency_ids

        return set(agency_ids(text))
    except Exception:
        return set()


def filter_rows(
    rows: Iterable[dict],
    provinces: Sequence[str] | None = None,
    agency: str = "",
    text: str = "",
    kind: str = "all",
) -> list[dict]:
    """Rows of the chosen provinces (plan ids; none = all) and kind ("all", "activity", "agency")
    whose lead or coordinating units name `agency` and whose text has every word of `text`;
    both matched without diacritics or case, and agencies also by name or abbreviation in
    the registry ("Department of Finance", "Sở LĐTBXH")."""
    wanted = set(provinces or ())
    agency_q = fold_words(agency or "")
    agency_named = _agency_ids(agency) if agency_q else set()
    words = fold_words(text or "").split()
    out = []
    for row in rows:
        if wanted and row["plan"] not in wanted:
            continue
        if kind in ("activity", "agency") and row["kind"] != kind:
            continue
        if agency_q:
            units = f"{row['lead']} ; {row['coordinating']}"
            if agency_q not in fold_words(units) and not (agency_named & _agency_ids(units)):
                continue
        if words:
            hay = fold_words(" ".join(str(row[k]) for k in (*TABLE_COLUMNS, "kind")))
            if not all(w in hay for w in words):
                continue
        out.append(row)
    return out


def _cell(row: dict, key: str, lang: str) -> Any:
    value = row.get(key, "")
    if key == "kind":
        return s(lang, f"kind_{value}_short") if value in ("activity", "agency") else value
    if key == "topic" and row.get("kind") == "agency" and lang == "en":
        return re.sub(r"^Nhiệm vụ:\s*", "Duties: ", str(value))
    return value


def table_frame(rows: Sequence[dict], lang: str, columns: Sequence[str] = TABLE_COLUMNS) -> pd.DataFrame:
    lang = _lang(lang)
    headers = [s(lang, f"col_{c}") for c in columns]
    return pd.DataFrame([[_cell(r, c, lang) for c in columns] for r in rows], columns=headers)


def responsibilities(
    assistant: Assistant,
    provinces: Sequence[str] | None,
    agency: str,
    text: str,
    kind: str,
    lang: str,
) -> tuple[pd.DataFrame, str]:
    """(the filtered table, "n of total rows")."""
    rows = assistant.responsibility_rows()
    kept = filter_rows(rows, provinces, agency, text, kind)
    return table_frame(kept, lang), s(lang, "resp_count").format(n=len(kept), total=len(rows))


def export_csv(
    assistant: Assistant,
    provinces: Sequence[str] | None,
    agency: str,
    text: str,
    kind: str,
    lang: str,
    out_dir: str | Path | None = None,
) -> str:
    """Write the filtered rows to a CSV (UTF-8 with BOM, so spreadsheet programs read the
    Vietnamese correctly) in a fresh temporary folder; return its path."""
    lang = _lang(lang)
    kept = filter_rows(assistant.responsibility_rows(), provinces, agency, text, kind)
    folder = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix="plans-csv-"))
    folder.mkdir(parents=True, exist_ok=True)
    name = "trach-nhiem.csv" if lang == "vi" else "responsibilities.csv"
    path = folder / name
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([s(lang, f"col_{c}") for c in CSV_COLUMNS])
        for row in kept:
            writer.writerow([_cell(row, c, lang) for c in CSV_COLUMNS])
    return str(path)


def kind_choices(lang: str) -> list[tuple[str, str]]:
    return [
        (s(lang, "kind_all"), "all"),
        (s(lang, "kind_activity"), "activity"),
        (s(lang, "kind_agency"), "agency"),
    ]
