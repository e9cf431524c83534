"""The responsibilities tab: filtering the rows; the table (one row per province when an agency
is chosen, "không nêu" where its plan assigns it nothing); the CSV and .xlsx downloads."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from assistant.text import fold, fold_words
from ui.strings import _lang, s
from ui.tables import Item, Table, has_words, search_words, table_html, write_exports
from ui.viewer import source_href

if TYPE_CHECKING:
    from assistant import Assistant

# Columns of the detailed table (row keys of `responsibility_rows`), and of the per-agency table.
TABLE_COLUMNS = ("province", "topic", "lead", "coordinating", "timing", "funding", "source", "section")
AGENCY_COLUMNS = ("province", "leads", "coordinates", "duties")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    """Short forms of each registry agency, compacted ("stc", "sotc", "soldtbxh" → its id):
    its listed abbreviation, the initials of its name ("Sở Tài chính" → "stc", "và" left out),
    and its first word with the initials of the rest ("sotc")."""
    from assistant.agencies import registry

    out: dict[str, str] = {}
    for agency in registry():
        words = [w for w in fold_words(agency.vi).split() if w not in ("va", "-")]
        if len(words) < 2:
            continue
        for key in (
            _NOT_WORD.sub("", fold(agency.abbr)),
            "".join(w[0] for w in words),
            words[0] + "".join(w[0] for w in words[1:]),
        ):
            if len(key) >= 3:
                out.setdefault(key, agency.id)
    return out


def agency_query_ids(text: str) -> set[str]:
    """Registry agencies a typed name means: by name or pattern ("so tai chinh", "Department of
    Finance"), or by abbreviation ("Sở TC", "STC", "S.TC")."""
    if not (text or "").strip():
        return set()
    from assistant.agencies import agency_ids

    found = set(agency_ids(text))
    compact = _NOT_WORD.sub("", fold(text))
    if len(text.split()) <= 3 and compact in _abbreviations():
        found.add(_abbreviations()[compact])
    return found


def _unit_matches(units: str, agency_q: str, wanted: set[str]) -> bool:
    from assistant.agencies import agency_ids

    return bool((agency_q and agency_q in fold_words(units)) or (wanted & set(agency_ids(units))))


def filter_rows(
    rows: Iterable[dict],
    provinces: Sequence[str] | None = None,
    agency: str = "",
    text: str = "",
    kind: str = "all",
) -> list[dict]:
    """Rows of the chosen provinces (plan ids; none = all) and kind ("all", "activity", "agency")
    whose lead or coordinating units name `agency` and whose text has every word of `text`;
    both matched without diacritics or case, agencies also by name or abbreviation."""
    wanted_plans = set(provinces or ())
    agency_q = fold_words(agency or "")
    wanted = agency_query_ids(agency) if agency_q else set()
    words = search_words(text)
    out = []
    for row in rows:
        if wanted_plans and row["plan"] not in wanted_plans:
            continue
        if kind in ("activity", "agency") and row["kind"] != kind:
            continue
        if agency_q and not _unit_matches(f"{row['lead']} ; {row['coordinating']}", agency_q, wanted):
            continue
        if words:
            if not has_words(" ".join(str(row[k]) for k in (*TABLE_COLUMNS, "kind")), words):
                continue
        out.append(row)
    return out


def _href(row: dict) -> str:
    return source_href(row["plan"], row["start"], row["end"])


def _topic(row: dict, lang: str) -> str:
    if row.get("kind") == "agency" and lang == "en":
        return re.sub(r"^Nhiệm vụ:\s*", "Duties: ", str(row["topic"]))
    return str(row["topic"])


def detail_table(rows: Sequence[dict], lang: str) -> Table:
    """One row per activity or agency entry, as in the plans."""
    out = []
    for r in rows:
        cells = []
        for key in TABLE_COLUMNS:
            value = _topic(r, lang) if key == "topic" else str(r.get(key) or "")
            href = _href(r) if key == "source" else ""
            cells.append((Item(value, href),) if value else ())
        out.append(tuple(cells))
    return Table(
        tuple(s(lang, f"col_{c}") for c in TABLE_COLUMNS), tuple(out), tuple(r["plan"] for r in rows)
    )


def agency_table(
    assistant: Assistant, rows: Sequence[dict], provinces: Sequence[str] | None, agency: str, lang: str
) -> Table:
    """One row per chosen plan for the agency: the activities it leads, those it coordinates,
    and its duties; "không nêu" where the plan states none."""
    agency_q = fold_words(agency)
    wanted = agency_query_ids(agency)
    plans = [p for p in assistant.plans() if not provinces or p.id in set(provinces)]
    missing = (Item(s(lang, "resp_not_stated"), missing=True),)
    out = []
    for plan in plans:
        mine = [r for r in rows if r["plan"] == plan.id]
        leads = tuple(
            Item(r["topic"], _href(r))
            for r in mine
            if r["kind"] == "activity" and _unit_matches(r["lead"], agency_q, wanted)
        )
        coordinates = tuple(
            Item(r["topic"], _href(r))
            for r in mine
            if r["kind"] == "activity" and _unit_matches(r["coordinating"], agency_q, wanted)
        )
        duties = tuple(Item(r["source"], _href(r)) for r in mine if r["kind"] != "activity")
        if not (leads or coordinates or duties):
            out.append(((Item(plan.province),), missing, missing, missing))
        else:
            out.append(((Item(plan.province),), leads or missing, coordinates or missing, duties or missing))
    return Table(tuple(s(lang, f"col_{c}") for c in AGENCY_COLUMNS), tuple(out), tuple(p.id for p in plans))


def responsibility_table(
    assistant: Assistant, provinces: Sequence[str] | None, agency: str, text: str, kind: str, lang: str
) -> tuple[Table, int, int]:
    """(the table shown, rows kept, rows in all)."""
    lang = _lang(lang)
    rows = assistant.responsibility_rows()
    kept = filter_rows(rows, provinces, agency, text, kind)
    if fold_words(agency or ""):
        return agency_table(assistant, kept, provinces, agency, lang), len(kept), len(rows)
    return detail_table(kept, lang), len(kept), len(rows)


def responsibilities(
    assistant: Assistant,
    provinces: Sequence[str] | None,
    agency: str,
    text: str,
    kind: str,
    lang: str,
    out_dir=None,
) -> tuple[str, str, str, str]:
    """(the table as HTML, "n of total rows", the CSV file, the .xlsx file) — both files
    written from the table shown."""
    lang = _lang(lang)
    table, n, total = responsibility_table(assistant, provinces, agency, text, kind, lang)
    html = table_html(
        table,
        "pa-resp",
        search_words(text),
        agency_query_ids(agency or ""),
        empty=s(lang, "resp_empty"),
        link_title=s(lang, "open_in_plan"),
    )
    csv_path, xlsx_path = write_exports(table, s(lang, "file_resp"), s(lang, "tab_resp"), out_dir)
    if fold_words(agency or ""):
        count = s(lang, "resp_count_agency").format(n=len(table.rows), found=n)
    else:
        count = s(lang, "resp_count").format(n=n, total=total)
    return html, count, csv_path, xlsx_path


def kind_choices(lang: str) -> list[tuple[str, str]]:
    return [
        (s(lang, "kind_all"), "all"),
        (s(lang, "kind_activity"), "activity"),
        (s(lang, "kind_agency"), "agency"),
    ]
