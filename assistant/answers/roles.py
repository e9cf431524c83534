"""What an agency leads or takes part in: the inverse of who-leads, over activities and duty lines."""

from __future__ import annotations

import re

from assistant.agencies import agency_by_id, find_agencies
from assistant.answers import Part
from assistant.citations import CitationSet
from assistant.evidence import Evidence, clip
from assistant.facts import PlanFacts
from assistant.templates import t
from assistant.text import fold
from assistant.understand import Query

MAX_ROWS = 8
_LEADS = re.compile(r"^\W*chu tri\b")
_PARTNERS = re.compile(r"^\W*(?:phoi hop|tham gia|cung voi)\b")


def _ids(names) -> set[str]:
    return {m.agency.id for n in names for m in find_agencies(n)}


def agency_role(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
    """Every activity the agency leads (role "lead"), coordinates or implements ("partner"), or
    both; when it has none of the role asked, what it has of the other ("coordinates none, leads
    these"), and when it has both, the other role's after the one asked."""
    actors = [a for a in q.agencies if not agency_by_id(a).group]
    if not actors:
        return Part(missing=t(lang, "what_general"))
    agency = agency_by_id(actors[0])
    name = agency.bilingual() if lang == "en" else agency.vi
    role = q.role or "both"
    out = Part(missing=t(lang, f"what_role_{role}", agency=name))
    leads, partners = _rows(ev, pf, agency.id, c, lang)
    province = pf.plan.province
    if role == "both":
        blocks = [("both", list(dict.fromkeys(leads + partners)))]
    else:
        asked, other = (leads, partners) if role == "lead" else (partners, leads)
        blocks = [(role, asked), ("lead" if role == "partner" else "partner", other)]
    (key, rows), *rest = blocks
    if rows:
        out.lines.append(t(lang, f"agency_role_{key}", agency=name, n=len(rows), province=province))
        out.lines += _capped(rows, lang)
        for other_key, other_rows in rest:
            if other_rows:
                out.lines.append(t(lang, f"agency_role_also_{other_key}", agency=name, n=len(other_rows)))
                out.lines += _capped(other_rows, lang)
    else:
        other = [(k, r) for k, r in rest if r]
        if not other or q.across:  # "which plans make X the lead?": only the role asked counts
            return out
        other_key, other_rows = other[0]
        out.lines.append(
            t(lang, f"agency_role_none_{key}", agency=name, province=province)
            + " "
            + t(lang, f"agency_role_but_{other_key}", n=len(other_rows))
        )
        out.lines += _capped(other_rows, lang)
    out.found = True
    out.structural = True
    return out


def _capped(rows: list[str], lang: str) -> list[str]:
    more = [t(lang, "more_items", n=len(rows) - MAX_ROWS)] if len(rows) > MAX_ROWS else []
    return rows[:MAX_ROWS] + more


def _rows(ev: Evidence, pf: PlanFacts, aid: str, c: CitationSet, lang: str) -> tuple[list[str], list[str]]:
    """The lines that give the agency the lead, and those that make it a partner or implementer:
    activities' fields, its own duty lines ("Chủ trì …" / "Phối hợp …"), and sentences elsewhere
    that open by naming it as the lead ("Sở X chủ trì …")."""
    leads: list[str] = []
    partners: list[str] = []
    for a in pf.activities:
        if aid in _ids(a.leads):
            leads.append(
                t(
                    lang,
                    "role_activity",
                    role=t(lang, "role_lead"),
                    title=a.title,
                    cite=c.cite_span(a.lead_span),
                )
            )
        if aid in _ids(a.coordinators):
            span = a.coordinator_span
            partners.append(
                t(lang, "role_activity", role=t(lang, "role_partner"), title=a.title, cite=c.cite_span(span))
            )
        if not a.leads and aid in _ids(a.implementers):
            span = a.implementer_span
            partners.append(
                t(
                    lang,
                    "role_activity",
                    role=t(lang, "role_implement"),
                    title=a.title,
                    cite=c.cite_span(span),
                )
            )
    for d in pf.duties:
        if aid not in d.agencies:
            continue
        for line in d.duties:
            folded = fold(line.text)
            into, label = (
                (leads, "role_lead")
                if _LEADS.search(folded)
                else ((partners, "role_partner") if _PARTNERS.search(folded) else (None, ""))
            )
            if into is not None:
                quoted = clip(line.text.lstrip("- "))
                into.append(
                    t(lang, "role_line", role=t(lang, label), line=quoted, cite=ev.cite_line(c, line))
                )
    # "Sở X chủ trì …" written in another agency's entry or in an activity's text
    own = [(d.span.start, d.span.end) for d in pf.duties if aid in d.agencies]
    for s in ev.sentences.of_plan(pf.plan.id):
        if s.heading or any(a <= s.start and s.end <= b for a, b in own) or "chu tri" not in s.folded:
            continue
        if any(
            m.agency.id == aid and fold(s.text[m.end : m.end + 12]).strip().startswith("chu tri")
            for m in find_agencies(s.text)
        ):
            leads.append(
                t(
                    lang,
                    "role_line",
                    role=t(lang, "role_lead"),
                    line=clip(s.text),
                    cite=ev.cite_sentence(c, s),
                )
            )
    return list(dict.fromkeys(leads)), list(dict.fromkeys(partners))
