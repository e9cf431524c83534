"""Documents: the legal basis a plan cites, and who issued and signed it (number, date, effect)."""

from __future__ import annotations

import dataclasses
import re

from assistant import claims as claims_
from assistant.answers import Part
from assistant.answers.general import general
from assistant.citations import CitationSet
from assistant.evidence import MIN_OVERLAP, Evidence, clip, specific
from assistant.facts import PlanFacts
from assistant.sentences import Sentence
from assistant.shapes import vocabulary
from assistant.templates import t
from assistant.text import fold
from assistant.understand import Query


def legal_basis(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
    part = Part(missing=t(lang, "what_legal"))
    own = re.findall(r"[0-9a-z]+", fold(pf.plan.decision_number or ""))
    # "what is Decision 1247 based on?": the plan's own decision is not a subject of its own
    about = dataclasses.replace(q, terms=[w for w in q.terms if w not in own]) if own else q
    if not specific(about):
        own = pf.plan.decision_number
        basis = [s for s in pf.of_kind("basis") if not (own and own in s.value)]  # not its own decision
        if basis:
            lines = [ev.line_of(s.context or s.span) for s in basis]
            lines = [x for x in lines if x is not None]
            start = min(x.line_start for x in lines)
            end = max(x.line_end for x in lines)
            cite = c.cite(pf.plan.id, start, end, lines[0].section)
            refs = "; ".join(dict.fromkeys(s.value for s in basis))
            part.lines.append(t(lang, "basis", refs=refs) + f" {cite}")
            part.found = True
        return part
    refs = [s for s in pf.statements if s.kind in ("legal_ref", "basis")]
    pool_refs: dict[int, tuple[Sentence, list]] = {}
    for s in ev.sentences.lines_of_plan(pf.plan.id):
        for r in refs:
            if s.start <= r.span.start and r.span.end <= s.end:
                pool_refs.setdefault(id(s), (s, []))[1].append(r)
    pool = [s for s, _ in pool_refs.values()]
    ranked = [x for x in ev.best_sentences(q, pf.plan.id, hits, k=2, pool=pool) if x[0] >= MIN_OVERLAP]
    if not ranked:
        return general(ev, pf, q, c, lang, hits, cue="quyet dinh|chi thi|nghi quyet|ke hoach so|luat")
    top = ranked[0][0]
    for score, s in ranked:
        if score < top - 0.15:
            continue
        names = "; ".join(dict.fromkeys(r.value for r in pool_refs[id(s)][1]))
        part.lines.append(
            t(lang, "refs_cited", refs=names)
            + " "
            + t(lang, "quote", line=clip(s.text), cite=ev.cite_sentence(c, s))
        )
    part.found = True
    return part


def issuer(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
    """Each aspect asked (issuer, signer, number/date, effect, proposer) gets its line; asked of
    another document the plan cites ("Kế hoạch số 123/KH-UBND … | nó ban hành ngày nào?"), that
    document's reference as the plan states it."""
    cited = _cited_named(ev, pf, q, c, lang)
    if cited is not None:
        return cited
    part = Part()
    plan = pf.plan
    aspects = q.aspects & {"signer", "number", "effect", "proposer"}
    asks_issuer = not aspects or bool(re.search(r"ban hanh|issued|issuing|adopted", fold(q.text)))
    missing = []
    if "signer" in aspects:
        signers = pf.of_kind("signer")
        for s in signers:
            part.lines.append(
                t(lang, "signer", signer=plan.signer, title=plan.signer_title, cite=c.cite_span(s.span))
            )
        if not signers:
            missing.append(t(lang, "what_signer"))
    if "number" in aspects or ("signer" in aspects and pf.of_kind("signer")):
        decisions = [
            s for s in pf.of_kind("issuer") if plan.decision_number and s.value == plan.decision_number
        ]
        for s in decisions:
            part.lines.append(
                t(
                    lang,
                    "decision",
                    number=plan.decision_number,
                    date=plan.decision_date,
                    cite=c.cite_span(s.span),
                )
            )
        if not decisions and "number" in aspects:
            missing.append(t(lang, "what_number"))
    if "proposer" in aspects:
        for s in ev.sentences.of_plan(plan.id):
            if s.folded.startswith("xet de nghi"):
                part.lines.append(t(lang, "quote", line=clip(s.text), cite=ev.cite_sentence(c, s)))
    if "effect" in aspects:
        for s in ev.sentences.of_plan(plan.id):
            if vocabulary().effect_line.search(s.folded):
                part.lines.append(t(lang, "quote", line=clip(s.text), cite=ev.cite_sentence(c, s)))
    if asks_issuer or missing:
        part.lines += _issuer_lines(ev, pf, c, lang)
    # what is stated is shown, but when the part asked for is not there, that is an abstention
    part.found = bool(part.lines) and not missing
    if q.yesno and "signer" in aspects and plan.signer_title and part.found:
        # "Was it signed by the Chairman himself?": the role claimed against the role stated
        claimed, stated = claims_.signer_role(fold(q.text)), claims_.signer_role(fold(plan.signer_title))
        if claimed and stated:
            part.verdict = "yes" if claimed == stated else "no"
    part.missing = "; ".join(missing)
    return part


def _cited_named(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str) -> Part | None:
    """The reference (number, date, issuer) of a document other than the plan's own decision
    that the question (or the turn it follows) names by its number; None when it names none."""
    own = fold(pf.plan.decision_number or "")
    named = [m.group() for m in vocabulary().document_number.finditer(fold(q.rest or q.text))]
    named = [x for x in named if not own.startswith(x)]
    if not named:
        return None
    refs = [
        s for s in pf.statements if s.kind in ("legal_ref", "basis") and fold(s.value).find(named[-1]) >= 0
    ]
    if not refs:
        return None
    part = Part(found=True)
    s = next(
        (x for x in ev.sentences.lines_of_plan(pf.plan.id) if x.start <= refs[0].span.start < x.end), None
    )
    if s is None:
        return None
    part.lines.append(
        t(lang, "refs_cited", refs=refs[0].value)
        + " "
        + t(lang, "quote", line=clip(s.text), cite=ev.cite_sentence(c, s))
    )
    return part


def _issuer_lines(ev: Evidence, pf: PlanFacts, c: CitationSet, lang: str) -> list[str]:
    return [
        t(lang, "issuer", issuer=pf.plan.issuer, line=clip(s.span.text), cite=c.cite_span(s.span))
        for s in pf.of_kind("issuer")
    ]


def plan_held(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits) -> Part:
    """ "Does X have a plan?": the plan held, named by its title line(s), cited."""
    text = pf.plan.text
    start, end = _title_span(text)
    title = " ".join(text[start:end].split()).rstrip(" .")
    cite = c.cite(pf.plan.id, start, end, "")
    line = t(lang, "plan_held_title", province=pf.plan.province, title=title, cite=cite)
    return Part(lines=[line], found=True, structural=True)


def _title_span(text: str) -> tuple[int, int]:
    """Where the plan's title stands: its document-type line ("KẾ HOẠCH") and the line after it,
    else the first line."""
    lines = [m for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    for i, m in enumerate(lines):
        if fold(m.group()).strip() == "ke hoach" and i + 1 < len(lines):
            return m.start(), lines[i + 1].end()
    return (lines[0].start(), lines[0].end()) if lines else (0, 0)
