"""The responsibilities tab: filtering the rows; the table (one row per province when an agency
is chosen, "không nêu" where its plan assigns it nothing); the CSV and .xlsx downloads.

A keystroke shows at most SHOWN_ROWS rows (`responsibilities_view`, from an index of the rows
made once); the files of the whole filtered table are written after it (`responsibilities_files`)."""

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
#: rows the page shows at most (a keystroke renders no more; the downloads hold every row kept)
SHOWN_ROWS = 100


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
    inverted index of the folded words of their text. A row's lead and coordinating units
    apart are matched when a table first shows the row (each distinct text once)."""

    def __init__(self, rows: Sequence[dict]):
        self.rows = rows
        self.by_plan: dict[str, list[int]] = {}
        self.by_kind: dict[str, set[int]] = {}
        self.by_agency: dict[str, set[int]] = {}
        self.units: list[str] = []
        self.text: list[str] = []
        self.by_word: dict[str, set[int]] = {}
        # the same units stand in many rows: each distinct text folded and matched once
        self._named: dict[str, frozenset[str]] = {}
        self._folded: dict[str, str] = {}
        for i, row in enumerate(rows):
            self.by_plan.setdefault(row["plan"], []).append(i)
            self.by_kind.setdefault(row["kind"], set()).add(i)
            units = f"{row['lead']} ; {row['coordinating']}"
            self.units.append(self._fold(units))
            for a in self._agencies(units):
                self.by_agency.setdefault(a, set()).add(i)
            hay = fold_words(" ".join(str(row[k]) for k in (*TABLE_COLUMNS, "kind")))
            self.text.append(hay)
            for w in set(_WORD_ONLY.findall(hay)):
                self.by_word.setdefault(w, set()).add(i)

    def _agencies(self, units: str) -> frozenset[str]:
        found = self._named.get(units)
        if found is None:
            from assistant.agencies import agency_ids

            found = self._named[units] = frozenset(agency_ids(units))
        return found

    def _fold(self, units: str) -> str:
        found = self._folded.get(units)
        if found is None:
            found = self._folded[units] = fold_words(units)
        return found

    def _with_word(self, word: str) -> set[int]:
        if _WORD_ONLY.fullmatch(word):  # a whole word: exactly the rows holding it
            return self.by_word.get(word, set())
        pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
        return {i for i, hay in enumerate(self.text) if pattern.search(hay)}

    def filter_ids(self, provinces: Sequence[str] | None, agency: str, text: str, kind: str) -> list[int]:
        """The positions of the rows `filter` keeps, in order."""
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
        return list(range(len(self.rows))) if keep is None else sorted(keep)

    def filter(self, provinces: Sequence[str] | None, agency: str, text: str, kind: str) -> list[dict]:
        """As `filter_rows`, by set lookups."""
        return [self.rows[i] for i in self.filter_ids(provinces, agency, text, kind)]

    def names(self, i: int, field: str, agency_q: str, wanted: set[str]) -> bool:
        """Whether row i's lead (`field` "lead") or coordinating units name the agency typed
        (`agency_q` folded, `wanted` its registry ids): `_unit_matches`, looked up."""
        units = self.rows[i][field]
        return bool((agency_q and agency_q in self._fold(units)) or (wanted & self._agencies(units)))


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
    assistant: Assistant,
    index: RowIndex,
    kept: Sequence[int],
    provinces: Sequence[str] | None,
    agency: str,
    lang: str,
    limit: int | None = None,
) -> Table:
    """One row per chosen plan for the agency: the activities it leads, those it coordinates,
    and its duties; "không nêu" where the plan states none. `kept`: the positions in `index`
    of the rows the filter kept. With `limit`, only that many plans: those with entries first
    (only as many plans are looked at as it takes to find them)."""
    agency_q = fold_words(agency)
    wanted = agency_query_ids(agency)
    chosen = set(provinces or ())
    plans = [p for p in assistant.plans() if not chosen or p.id in chosen]
    missing = (Item(s(lang, "resp_not_stated"), missing=True),)
    by_plan: dict[str, list[int]] = {}
    for i in kept:
        by_plan.setdefault(index.rows[i]["plan"], []).append(i)
    cut = limit is not None and len(plans) > limit
    stated: list[tuple] = []  # (plan, its row), in plan order
    for plan in plans:
        if cut and len(stated) >= limit:
            break  # enough plans that name it to fill the rows shown
        mine = [(i, index.rows[i]) for i in by_plan.get(plan.id, ())]
        leads = tuple(
            Item(r["topic"], _href(r))
            for i, r in mine
            if r["kind"] == "activity" and index.names(i, "lead", agency_q, wanted)
        )
        coordinates = tuple(
            Item(r["topic"], _href(r))
            for i, r in mine
            if r["kind"] == "activity" and index.names(i, "coordinating", agency_q, wanted)
        )
        duties = tuple(Item(r["source"], _href(r)) for _, r in mine if r["kind"] != "activity")
        if leads or coordinates or duties:
            row = ((Item(plan.province),), leads or missing, coordinates or missing, duties or missing)
            stated.append((plan, row))
    named = {plan.id: row for plan, row in stated}
    if cut:  # the plans that name it first, then as many of the others as there is room for
        others = [p for p in plans if p.id not in named][: max(0, limit - len(stated))]
        plans = [p for p, _ in stated] + others
    out = [named.get(p.id) or ((Item(p.province),), missing, missing, missing) for p in plans]
    return Table(tuple(s(lang, f"col_{c}") for c in AGENCY_COLUMNS), tuple(out), tuple(p.id for p in plans))


def responsibility_table(
    assistant: Assistant,
    provinces: Sequence[str] | None,
    agency: str,
    text: str,
    kind: str,
    lang: str,
    limit: int | None = None,
) -> tuple[Table, int, int]:
    """(the table — its first `limit` rows when given —, rows kept, rows in all)."""
    lang = _lang(lang)
    rows = assistant.responsibility_rows()
    index = row_index(rows)
    kept = index.filter_ids(provinces, agency, text, kind)
    if fold_words(agency or ""):
        return agency_table(assistant, index, kept, provinces, agency, lang, limit), len(kept), len(rows)
    shown = kept if limit is None else kept[:limit]
    return detail_table([rows[i] for i in shown], lang), len(kept), len(rows)


def _table_rows(assistant: Assistant, provinces: Sequence[str] | None) -> int:
    """How many rows the whole table has: one per chosen plan for an agency."""
    chosen = set(provinces or ())
    return sum(1 for p in assistant.plans() if not chosen or p.id in chosen)


def responsibilities_view(
    assistant: Assistant, provinces: Sequence[str] | None, agency: str, text: str, kind: str, lang: str
) -> tuple[str, str]:
    """What a keystroke shows: (the table as HTML, at most SHOWN_ROWS rows of it; "n of total
    rows", saying when only the first rows are shown). The files are `responsibilities_files`."""
    lang = _lang(lang)
    table, n, total = responsibility_table(assistant, provinces, agency, text, kind, lang, SHOWN_ROWS)
    html = table_html(
        table,
        "pa-resp",
        search_words(text),
        agency_query_ids(agency or ""),
        empty=s(lang, "resp_empty"),
        link_title=s(lang, "open_in_plan"),
    )
    if fold_words(agency or ""):
        rows = _table_rows(assistant, provinces)
        count = s(lang, "resp_count_agency").format(n=rows, found=n)
    else:
        rows = n
        count = s(lang, "resp_count").format(n=n, total=total)
    if rows > len(table.rows):
        count += " " + s(lang, "resp_shown").format(shown=len(table.rows))
    return html, count


def responsibilities_files(
    assistant: Assistant,
    provinces: Sequence[str] | None,
    agency: str,
    text: str,
    kind: str,
    lang: str,
    out_dir=None,
) -> tuple[str, str]:
    """(the CSV file, the .xlsx file) of the whole table the filters keep (every row, also
    those past the ones shown); written once per table (the folder is named by its content)."""
    lang = _lang(lang)
    table, _, _ = responsibility_table(assistant, provinces, agency, text, kind, lang)
    return write_exports(table, s(lang, "file_resp"), s(lang, "tab_resp"), out_dir)


def responsibilities(
    assistant: Assistant,
    provinces: Sequence[str] | None,
    agency: str,
    text: str,
    kind: str,
    lang: str,
    out_dir=None,
) -> tuple[str, str, str, str]:
    """(the table as HTML, "n of total rows", the CSV file, the .xlsx file): the view and the
    files at once (the app shows the view first, then writes the files)."""
    html, count = responsibilities_view(assistant, provinces, agency, text, kind, lang)
    csv_path, xlsx_path = responsibilities_files(assistant, provinces, agency, text, kind, lang, out_dir)
    return html, count, csv_path, xlsx_path


def kind_choices(lang: str) -> list[tuple[str, str]]:
    return [
        (s(lang, "kind_all"), "all"),
        (s(lang, "kind_activity"), "activity"),
        (s(lang, "kind_agency"), "agency"),
    ]
