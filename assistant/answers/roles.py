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
    """Every activity the agency leads (role "lead"), coordinates or implements ("partner"), or both."""
    actors = [a for a in q.agencies if not agency_by_id(a).group]
    if not actors:
        return Part(missing=t(lang, "what_general"))
    agency = agency_by_id(actors[0])
    name = agency.bilingual() if lang == "en" else agency.vi
    role = q.role or "both"
    out = Part(missing=t(lang, f"what_role_{role}", agency=name))
    want_lead, want_partner = role in ("lead", "both"), role in ("partner", "both")
    rows: list[str] = []
    for a in pf.activities:
        if want_lead and agency.id in _ids(a.leads):
            rows.append(
                t(
                    lang,
                    "role_activity",
                    role=t(lang, "role_lead"),
                    title=a.title,
                    cite=c.cite_span(a.lead_span),
                )
            )
        if want_partner and agency.id in _ids(a.coordinators):
            span = a.coordinator_span
            rows.append(
                t(lang, "role_activity", role=t(lang, "role_partner"), title=a.title, cite=c.cite_span(span))
            )
        if want_partner and not a.leads and agency.id in _ids(a.implementers):
            span = a.implementer_span
            rows.append(
                t(
                    lang,
                    "role_activity",
                    role=t(lang, "role_implement"),
                    title=a.title,
                    cite=c.cite_span(span),
                )
            )
    for d in pf.duties:
        if agency.id not in d.agencies:
            continue
        for line in d.duties:
            folded = fold(line.text)
            if want_lead and _LEADS.search(folded):
                label = "role_lead"
            elif want_partner and _PARTNERS.search(folded):
                label = "role_partner"
            else:
                continue
            rows.append(
                t(
                    lang,
                    "role_line",
                    role=t(lang, label),
                    line=clip(line.text.lstrip("- ")),
                    cite=ev.cite_line(c, line),
                )
            )
    if want_lead:
        # "Sở X chủ trì …" written in another agency's entry or in an activity's text
        own = [(d.span.start, d.span.end) for d in pf.duties if agency.id in d.agencies]
        for s in ev.sentences.of_plan(pf.plan.id):
            if s.heading or any(a <= s.start and s.end <= b for a, b in own) or "chu tri" not in s.folded:
                continue
            if any(
                m.agency.id == agency.id and fold(s.text[m.end : m.end + 12]).strip().startswith("chu tri")
                for m in find_agencies(s.text)
            ):
                rows.append(
                    t(
                        lang,
                        "role_line",
                        role=t(lang, "role_lead"),
                        line=clip(s.text),
                        cite=ev.cite_sentence(c, s),
                    )
                )
    rows = list(dict.fromkeys(rows))
    if not rows:
        return out
    out.lines.append(t(lang, f"agency_role_{role}", agency=name, n=len(rows), province=pf.plan.province))
    out.lines += rows[:MAX_ROWS]
    if len(rows) > MAX_ROWS:
        out.lines.append(t(lang, "more_items", n=len(rows) - MAX_ROWS))
    out.found = True
    out.structural = True
    return out
