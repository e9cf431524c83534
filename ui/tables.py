"""A table shown and exported from one model: HTML with searched words marked, CSV and .xlsx
files written from the very same rows (so a download always matches what is shown)."""

from __future__ import annotations

import csv
import hashlib
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.text import fold, fold_words
from ui.render import esc
from ui.security import prune_exports

EXPORT_DIR = Path(tempfile.gettempdir()) / "plans-exports"


@dataclass(frozen=True)
class Item:
    """One entry of a cell: verbatim text, optionally a link to where it stands in the plan."""

    text: str
    href: str = ""
    missing: bool = False  # "không nêu": the plan states nothing here


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[tuple[Item, ...], ...], ...]
    row_plans: tuple[str, ...] = ()  # the plan of each row (data-plan in the HTML)

    def cell_text(self, cell: Sequence[Item]) -> str:
        """A cell as plain text for the files: its entries one per line."""
        return "\n".join(i.text for i in cell)


# -- marking searched words --------------------------------------------------------------------


def word_spans(text: str, words: Sequence[str], agency_ids: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Where in `text` the searched words start a word (diacritic- and case-insensitive) and
    where it names one of `agency_ids`; positions index `text`, overlaps merged."""
    spans: list[tuple[int, int]] = []
    folded = fold(text)
    if len(folded) == len(text):
        for w in {w for w in words if w}:
            for m in re.finditer(rf"(?<!\w){re.escape(w)}(?!\w)", folded):
                spans.append((m.start(), m.end()))
    wanted = set(agency_ids)
    if wanted:
        from assistant.agencies import find_agencies

        spans.extend((m.start, m.end) for m in find_agencies(text) if m.agency.id in wanted)
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def marked_html(text: str, words: Sequence[str] = (), agency_ids: Iterable[str] = ()) -> str:
    out, pos = [], 0
    for a, b in word_spans(text, words, agency_ids):
        out += [esc(text[pos:a]), f"<mark>{esc(text[a:b])}</mark>"]
        pos = b
    out.append(esc(text[pos:]))
    return "".join(out)


def search_words(text: str) -> list[str]:
    return fold_words(text or "").split()


def has_words(text: str, words: Sequence[str]) -> bool:
    """Whether every searched word stands as a whole word (syllable) in `text`, folded."""
    hay = fold_words(text)
    return all(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", hay) for w in words)


# -- HTML ----------------------------------------------------------------------------------------


def _item_html(item: Item, words: Sequence[str], agency_ids: Iterable[str], link_title: str) -> str:
    if item.missing:
        return f'<span class="pa-missing">{esc(item.text)}</span>'
    body = marked_html(item.text, words, agency_ids)
    if item.href:
        body += f' <a class="pa-src-link" href="{esc(item.href)}" title="{esc(link_title)}">↗</a>'
    return body


def table_html(
    table: Table,
    elem_class: str,
    words: Sequence[str] = (),
    agency_ids: Iterable[str] = (),
    empty: str = "",
    link_title: str = "",
) -> str:
    """The table as escaped HTML in a horizontally scrolling box."""
    if not table.rows:
        return f'<div class="pa-passages"><p class="pa-empty">{esc(empty)}</p></div>'
    agency_ids = tuple(agency_ids)
    head = "".join(f"<th>{esc(h)}</th>" for h in table.headers)
    body = []
    for i, row in enumerate(table.rows):
        plan = table.row_plans[i] if i < len(table.row_plans) else ""
        cells = []
        for cell in row:
            parts = [_item_html(item, words, agency_ids, link_title) for item in cell]
            if len(parts) > 1:
                cells.append("<td><ul>" + "".join(f"<li>{p}</li>" for p in parts) + "</ul></td>")
            else:
                cells.append(f"<td>{''.join(parts)}</td>")
        body.append(f'<tr data-plan="{esc(plan)}">{"".join(cells)}</tr>')
    return (
        f'<div class="pa-table-wrap"><table class="pa-table {esc(elem_class)}">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


# -- files ---------------------------------------------------------------------------------------


def table_records(table: Table) -> list[list[str]]:
    """Header row, then each row as the plain text the files hold."""
    return [list(table.headers), *([table.cell_text(c) for c in row] for row in table.rows)]


def write_exports(table: Table, name: str, sheet: str, out_dir: str | Path | None = None) -> tuple[str, str]:
    """Write the table to `name`.csv (UTF-8 with BOM, read right by spreadsheet programs) and
    `name`.xlsx in a folder named by the content; return both paths."""
    records = table_records(table)
    digest = hashlib.sha1(repr(records).encode("utf-8")).hexdigest()[:16]
    folder = Path(out_dir) if out_dir else EXPORT_DIR / digest
    if not out_dir:
        prune_exports(EXPORT_DIR, keep=folder)  # old exports do not pile up
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, xlsx_path = folder / f"{name}.csv", folder / f"{name}.xlsx"
    if not csv_path.exists() or out_dir:
        with open(csv_path, "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(records)
    if not xlsx_path.exists() or out_dir:
        _write_xlsx(records, xlsx_path, sheet)
    return str(csv_path), str(xlsx_path)


def _write_xlsx(records: list[list[str]], path: Path, sheet: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    for record in records:
        ws.append(record)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=1):
        for cell in row:
            cell.alignment = wrap
    for i in range(1, len(records[0]) + 1):
        longest = max((len(line) for r in records for line in str(r[i - 1]).split("\n")), default=10)
        ws.column_dimensions[get_column_letter(i)].width = max(12, min(60, longest + 2))
    ws.freeze_panes = "A2"
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    tmp.replace(path)
