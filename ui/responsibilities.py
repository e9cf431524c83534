"""The responsibilities tab: filtering the rows; the table (one row per province when an agency
is chosen, "không nêu" where its plan assigns it nothing); the CSV and .xlsx downloads."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from assistant.text import fold, fold_words
from ui.strings import _lang, s
from ui.tables import Item, Table, search_words, table_html, write_exports
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


_WORD_ONLY = re.compile(r"\w+")


class RowIndex:
    """The rows prepared once for filtering (not per keystroke): by plan and kind, by the
    registry agencies their lead and coordinating units name, their units folded, and an
    inverted index of the folded words of their text."""

    def __init__(self, rows: Sequence[dict]):
        from assistant.agencies import agency_ids

        self.rows = rows
        self.by_plan: dict[str, list[int]] = {}
        self.by_kind: dict[str, set[int]] = {}
        self.by_agency: dict[str, set[int]] = {}
        self.units: list[str] = []
        self.text: list[str] = []
        self.by_word: dict[str, set[int]] = {}
        named: dict[str, set[str]] = {}  # the same units stand in many rows: matched once each
        for i, row in enumerate(rows):
            self.by_plan.setdefault(row["plan"], []).append(i)
            self.by_kind.setdefault(row["kind"], set()).add(i)
            units = f"{row['lead']} ; {row['coordinating']}"
            self.units.append(fold_words(units))
            if units not in named:
                named[units] = set(agency_ids(units))
            for a in named[units]:
                self.by_agency.setdefault(a, set()).add(i)
            hay = fold_words(" ".join(str(row[k]) for k in (*TABLE_COLUMNS, "kind")))
            self.text.append(hay)
            for w in set(_WORD_ONLY.findall(hay)):
                self.by_word.setdefault(w, set()).add(i)

    def _with_word(self, word: str) -> set[int]:
        if _WORD_ONLY.fullmatch(word):  # a whole word: exactly the rows holding it
            return self.by_word.get(word, set())
        pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
        return {i for i, hay in enumerate(self.text) if pattern.search(hay)}

    def filter(self, provinces: Sequence[str] | None, agency: str, text: str, kind: str) -> list[dict]:
        """As `filter_rows`, by set lookups."""
        keep: set[int] | None = None
        if provinces:
            keep = {i for p in set(provinces) for i in self.by_plan.get(p, ())}
        if kind in ("activity", "agency"):
            keep = self.by_kind.get(kind, set()) & keep if keep is not None else self.by_kind.get(kind, set())
        agency_q = fold_words(agency or "")
        if agency_q:
            named = {i for a in agency_query_ids(agency) for i in self.by_agency.get(a, ())}
            pool = range(len(self.rows)) if keep is None else keep
            named |= {i for i in pool if agency_q in self.units[i]}
            keep = named if keep is None else keep & named
        for word in search_words(text):
            found = self._with_word(word)
            keep = found if keep is None else keep & found
        if keep is None:
            return list(self.rows)
        return [self.rows[i] for i in sorted(keep)]


_INDEXES: dict[int, RowIndex] = {}


def row_index(rows: Sequence[dict]) -> RowIndex:
    """The index of this very list of rows (the assistant's stored rows: made once)."""
    index = _INDEXES.get(id(rows))
    if index is None or index.rows is not rows:
        _INDEXES.clear()  # one table at a time; the index holds its rows, so the id stays theirs
        index = _INDEXES[id(rows)] = RowIndex(rows)
    return index


def filter_rows(
    rows: Sequence[dict],
    provinces: Sequence[str] | None = None,
    agency: str = "",
    text: str = "",
    kind: str = "all",
) -> list[dict]:
    """Rows of the chosen provinces (plan ids; none = all) and kind ("all", "activity", "agency")
    whose lead or coordinating units name `agency` and whose text has every word of `text`;
    both matched without diacritics or case, agencies also by name or abbreviation."""
    return row_index(rows).filter(provinces, agency, text, kind)


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
    chosen = set(provinces or ())
    plans = [p for p in assistant.plans() if not chosen or p.id in chosen]
    missing = (Item(s(lang, "resp_not_stated"), missing=True),)
    by_plan: dict[str, list[dict]] = {}
    for r in rows:
        by_plan.setdefault(r["plan"], []).append(r)
    out = []
    for plan in plans:
        mine = by_plan.get(plan.id, [])
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
