"""A yes/no question that claims a value ("Is the deadline 31 December?", "Có 5 giải pháp
không?") or asks for a kind of value ("Does the plan set a specific date?"): the value the
plan states, compared with the claim, first; Yes, No with the stated value, or not stated."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant import claims as claims_
from assistant.answers import Part
from assistant.brevity import QUOTE
from assistant.citations import MARKER, CitationSet
from assistant.evidence import MIN_OVERLAP, MIN_OVERLAP_STRICT, Evidence, clip
from assistant.facts import PlanFacts
from assistant.lead import english
from assistant.lead import vocabulary as lead_vocabulary
from assistant.templates import t
from assistant.text import fold
from assistant.understand import Query

#: where a stated value's words are read from (data/leads.yaml), by the kind of value
_LEAD_KIND = {
    "date": "dates",
    "cycle": "dates",
    "year": "dates",
    "fund": "funds",
    "percent": "figures",
    "number": "figures",
}
#: the plan's lines a stated value may be looked for in, when the answer's lines state none
NEAREST = 8


def judge_part(ev: Evidence, pf: PlanFacts, q: Query, c: CitationSet, lang: str, hits, part: Part) -> Part:
    """The part with the verdict read from what its lines (or the plan's nearest line) state."""
    if not (q.claims or q.concept):
        return part
    if q.concept:
        return _concept(ev, pf, q, c, lang, hits, part)
    if part.found and part.number is not None and any(v.kind == "number" for v in q.claims):
        return _count(pf, q, c, lang, part)
    sole = claims_.only(fold(q.text))
    shown = _quoted(part.lines) if part.found else []
    judged = claims_.judge(q.claims, fold("\n".join(shown)), sole) if shown else None
    decided = False  # by the part the claim is about
    if part.found and part.own_lines and not claims_.mentions(fold(q.text)):
        # "Is the plan funded by ODA?": the part the claim is about decides, when it states a
        # value of the kind; another part's line (an agency asked to call for ODA) does not
        own = _quoted(part.lines[: part.own_lines])
        mine = claims_.judge(q.claims, fold("\n".join(own)), sole) if own else None
        if mine is not None and mine.verdict:
            shown, judged, decided = own, mine, True
    if (
        not decided
        and (judged is None or judged.verdict != "yes")
        and any(v.kind != "year" for v in q.claims)
    ):
        # the answer's lines state another value, or none: a line of the plan that states the
        # claimed one (Yes), else one that states a value of the kind (No, with it); a year
        # alone is too common a value to look for elsewhere
        better = _nearest(
            ev, pf, q, hits, lambda f: claims_.judge(q.claims, f, sole).verdict == "yes", MIN_OVERLAP_STRICT
        )
        if better is None and (judged is None or not judged.verdict):
            better = _nearest(
                ev, pf, q, hits, lambda f: bool(claims_.judge(q.claims, f, sole).verdict), MIN_OVERLAP
            )
        if better is not None:
            part = Part(
                lines=[t(lang, "quote", line=clip(better.text), cite=ev.cite_sentence(c, better))], found=True
            )
            shown = _quoted(part.lines)
            judged = claims_.judge(q.claims, fold("\n".join(shown)), sole)
    paired = claims_.pairing(q.claims, fold(q.text), fold("\n".join(shown))) if shown else None
    if paired is not None and paired.verdict == "no":
        return _unpaired(pf, q, lang, part, paired, shown)
    years_only = all(v.kind == "year" for v in q.claims)
    if judged is None or not judged.verdict:
        return part if years_only else _unstated(ev, pf, q, c, lang, hits, part, _what(q, lang))
    if years_only and judged.verdict == "yes":
        part.verdict = "yes"  # the year is the question's setting: the lead names what it states
        return part
    stated = judged.matched if judged.verdict == "yes" else judged.differing
    words = _stated_words(stated, shown, lang)
    cite = _cite_of(part.lines, stated)
    if judged.verdict == "yes":
        line = t(lang, "claim_yes", province=pf.plan.province, stated=words, cite=cite)
    else:
        claimed = ", ".join(dict.fromkeys(claims_.render(v, lang) for v in _claimed_of(q, stated)))
        key = "claim_not_only" if sole and judged.matched else "claim_no"
        line = t(lang, key, province=pf.plan.province, stated=words, claimed=claimed, cite=cite)
    return Part(
        lines=[line, *part.lines],
        found=True,
        verdict=judged.verdict,
        extractive=part.extractive,
        score=part.score,
        structural=part.structural,
    )


def _unpaired(pf, q: Query, lang: str, part: Part, paired, shown: Sequence[str]) -> Part:
    """No: the line pairs the question's level or rate with another year ("ASEAN-6 vào năm
    2020"), said with what it pairs the claimed year with."""

    def written(term: str, texts: Sequence[str]) -> str:  # "ASEAN-6" as the text writes it
        for text in texts:
            m = re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", fold(text))
            if m and fold(text[m.start() : m.end()]) == term:
                return text[m.start() : m.end()]
        return term

    def years(vs) -> str:
        return ", ".join(dict.fromkeys(claims_.render(v, lang) for v in vs))

    term = written(paired.term, [*shown, q.text])
    stated = [t(lang, "claim_pair", term=term, years=years(paired.years))]
    stated += [t(lang, "claim_pair", term=written(o, shown), years=years(vs)) for o, vs in paired.others]
    claimed = t(lang, "claim_pair", term=term, years=years(v for v in q.claims if v.kind == "year"))
    cite = _cite_of(part.lines, paired.years)
    line = t(
        lang,
        "claim_no",
        province=pf.plan.province,
        stated=t(lang, "claim_pair_and", first=stated[0], then=", ".join(stated[1:]))
        if len(stated) > 1
        else stated[0],
        claimed=claimed,
        cite=cite,
    )
    return Part(
        lines=[line, *part.lines],
        found=True,
        verdict="no",
        extractive=part.extractive,
        score=part.score,
        structural=part.structural,
    )


def _concept(ev, pf, q, c, lang, hits, part: Part) -> Part:
    """ "Does the plan set a specific date / a target figure?": Yes when the lines state one."""
    kind = q.concept
    shown = _quoted(part.lines) if part.found else []
    if shown and claims_.states(fold("\n".join(shown)), kind):
        part.verdict = "yes"
        return part
    line = _nearest(ev, pf, q, hits, lambda f: claims_.states(f, kind), MIN_OVERLAP_STRICT)
    if line is not None:
        quote = t(lang, "quote", line=clip(line.text), cite=ev.cite_sentence(c, line))
        return Part(lines=[quote], found=True, verdict="yes", extractive=True)
    return _unstated(ev, pf, q, c, lang, hits, part, claims_.concept_name(kind, lang))


def _count(pf, q: Query, c: CitationSet, lang: str, part: Part) -> Part:
    """ "Kế hoạch có 5 giải pháp không?": the count read from the outline, compared."""
    n = float(part.number)
    claimed = [v for v in q.claims if v.kind == "number"]
    yes = any(v.key[0] <= n <= v.key[1] for v in claimed)
    first = part.lines[0] if part.lines else ""
    lead = _COUNT_PREFIX.sub("", first).rstrip(" :")
    lead = lead[:1].upper() + lead[1:]
    key = "claim_count_yes" if yes else "claim_count_no"
    part.lines = [t(lang, key, lead=lead, claimed=claims_.render(claimed[0], lang)), *part.lines[1:]]
    part.verdict = "yes" if yes else "no"
    return part


#: "8 — kế hoạch của … nêu 8 giải pháp": the number a count's lead opens with
_COUNT_PREFIX = re.compile(r"^[^—]{1,12}—\s*")


def _unstated(ev, pf, q: Query, c, lang: str, hits, part: Part, what: str) -> Part:
    """No: the plan states nothing of the kind; the nearest line (the answer's, else the
    plan's line that covers the question well), or the ordinary "not stated" when none."""
    nearest = [x for x in part.lines if QUOTE.search(x)][:1] if part.found else []
    if not nearest:
        best = _nearest(ev, pf, q, hits, lambda f: True, MIN_OVERLAP_STRICT)
        if best is None:
            return part
        nearest = [t(lang, "quote", line=clip(best.text), cite=ev.cite_sentence(c, best))]
    line = t(lang, "claim_unstated", province=pf.plan.province, what=what)
    return Part(lines=[line, *nearest], found=True, verdict="no", structural=True, unstated=True)


def _what(q: Query, lang: str) -> str:
    kind = next((k for k in claims_.KINDS if any(v.kind == k for v in q.claims)), "")
    return claims_.concept_name(kind, lang)


def _nearest(ev: Evidence, pf, q: Query, hits, accept, floor: float):
    """The plan's line that best covers the question among those `accept`ed (folded text)."""
    for score, s in ev.best_sentences(q, pf.plan.id, hits, k=NEAREST):
        if score >= floor and accept(s.folded):
            return s
    return None


def _quoted(lines: Sequence[str]) -> list[str]:
    """The plan's words the lines show: their quotes, and the value a line of the facts gives
    after its label ("Timing the activity “…”: Thường xuyên hàng năm [1]")."""
    out: list[str] = []
    for line in lines:
        out += QUOTE.findall(line)
        if MARKER.search(line):
            _, colon, value = MARKER.sub(" ", QUOTE.sub(" ", line)).rpartition(":")
            value = value.strip(" .;")
            if colon and value:
                out.append(value)
    return out


def _claimed_of(q: Query, stated) -> list:
    kinds = {v.kind for v in stated}
    return [v for v in q.claims if v.kind in kinds] or list(q.claims)


def _stated_words(stated, shown: Sequence[str], lang: str) -> str:
    """The stated values as the plan words them ("trước ngày 31/12 hằng năm"), each once, the
    year (the question's setting more often than its point) last."""
    out: list[str] = []
    patterns = lead_vocabulary()
    for text in shown:
        folded = fold(text)
        values = sorted(claims_.values(folded), key=lambda v: v.kind == "year")
        for v in values:
            if not any(v.kind == s.kind and v.key == s.key for s in stated):
                continue
            m = next(
                (
                    m
                    for p in getattr(patterns, _LEAD_KIND[v.kind])
                    for m in p.finditer(text)
                    if m.start() <= v.start and v.end <= m.end()
                ),
                None,
            )
            if m is not None:
                words = english(m.group(0)) if lang == "en" else " ".join(m.group(0).split())
            elif v.kind in ("cycle", "fund"):  # "… Trung ương và địa phương": the source by its name
                words = claims_.render(v, lang)
            else:
                words = text[v.start : v.end] if lang == "vi" else english(text[v.start : v.end])
            low = words.lower()
            if words and not any(low in w.lower() for w in out):
                out = [w for w in out if w.lower() not in low] + [words]
    return ", ".join(out[:3])


def _cite_of(lines: Sequence[str], stated) -> str:
    """The markers of the first line that states one of the values."""
    for line in lines:
        folded = fold(" ".join(QUOTE.findall(line)))
        if any(v.kind == s.kind and v.key == s.key for v in claims_.values(folded) for s in stated):
            return " ".join(dict.fromkeys(f"[{m}]" for m in MARKER.findall(line)))
    return next((" ".join(f"[{m}]" for m in MARKER.findall(x)) for x in lines if MARKER.search(x)), "")
