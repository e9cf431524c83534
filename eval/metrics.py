"""Aggregate answer rows against their question items: accuracy, citations, retrieval, latency.

* correct -- :func:`eval.scoring.item_correct` (answerable: not abstained and every requirement met;
  abstention items: abstained). A row with an ``error`` is never correct.
* citation hit -- :func:`eval.scoring.citation_hit` over the answerable items that have evidence.
* verbatim rate -- share of all citations whose text is ``plan_text[start:end]``.
* retrieval -- rank of the evidence among the retrieved passages: recall@k and MRR over the answerable
  items that have evidence.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

from eval import form, scoring
from eval.runner import AnswerRow, CitedPassage

K_VALUES = (1, 3, 5, 8)


@dataclass
class ItemScore:
    """How one item fared."""

    id: str
    question: str
    type: str
    province: str
    lang: str  # en, vi or vi-plain (Vietnamese typed without diacritics)
    answerable: bool
    correct: bool
    has_evidence: bool
    citation_hit: bool | None  # None: not an answerable item with evidence
    evidence_rank: int | None
    n_citations: int
    n_verbatim: int
    latency_ms: float
    lang_match: bool | None  # the answer's language is the question's (None when unknown)
    abstained: bool = False
    expected: list[str] = field(default_factory=list)
    answer: str = ""
    reasons: list[str] = field(default_factory=list)
    error: str = ""


@dataclass
class GroupStats:
    n: int = 0
    correct: int = 0
    accuracy: float = 0.0
    cited: int = 0  # answerable items with evidence
    citation_hit: float | None = None
    recall_at_5: float | None = None
    mrr: float | None = None
    latency_p50_ms: float | None = None


@dataclass
class Failure:
    id: str
    question: str
    type: str
    province: str
    expected: list[str]
    answer: str
    why: list[str]


@dataclass
class Metrics:
    n: int
    n_answerable: int
    n_abstain: int
    correct: int
    accuracy: float
    n_cited_items: int
    citation_hit: float
    n_citations: int
    n_verbatim: int
    verbatim_rate: float
    n_retrieval_items: int
    recall_at_k: dict[str, float]
    mrr: float
    latency_p50_ms: float
    latency_p95_ms: float
    latency_mean_ms: float
    peak_rss_mb: float | None
    stage_latency_ms: dict[str, dict[str, float]]  # the assistant's stages: {"retrieve_ms": {"p50", "p95"}}
    lang_match_rate: float | None
    abstention_accuracy: float | None
    answerable_accuracy: float | None
    abstention_precision: float | None  # of the answers that abstained, the share that should have
    abstention_recall: float | None  # of the items that should abstain, the share that did
    by_type: dict[str, GroupStats]
    by_province: dict[str, GroupStats]
    by_lang: dict[str, GroupStats]
    reason_counts: dict[str, int]
    failures: list[Failure]
    errors: list[dict]
    non_verbatim: list[dict]
    #: the answers' form (eval.form.describe): lead sentence or quote first, support, passages
    form: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)

    def headline(self) -> dict[str, float | None]:
        """The numbers the floors are checked against, and the ones a summary line shows."""
        return {
            "accuracy": self.accuracy,
            "citation_hit": self.citation_hit,
            "verbatim_rate": self.verbatim_rate,
            **{f"recall@{k}": v for k, v in self.recall_at_k.items()},
            "mrr": self.mrr,
            "latency_p50_ms": self.latency_p50_ms,
            "latency_p95_ms": self.latency_p95_ms,
            "peak_rss_mb": self.peak_rss_mb,
        }


# ---------------------------------------------------------------------------------------- items
def lang_bucket(item: Mapping) -> str:
    """en, vi (with diacritics) or vi-plain (Vietnamese typed without diacritics)."""
    if item.get("lang") == "en":
        return "en"
    text = str(item.get("question", ""))
    for ch in text:
        if ch in "đĐ" or any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", ch)):
            return "vi"
    return "vi-plain"


def _short_req(req: str, n: int = 2) -> str:
    alts = scoring.alternatives(req)
    return " | ".join(alts[:n]) + (" | …" if len(alts) > n else "")


def score_item(item: Mapping, row: AnswerRow | None, corpus: Mapping[str, str]) -> ItemScore:
    """Score one item's answer row (a missing row counts as an error)."""
    if row is None:
        row = AnswerRow(str(item["id"]), "", False, error="no answer row for this id")
    answerable = not scoring.is_abstention_item(item)
    row_dict = {"answer": row.answer, "abstained": row.abstained}
    correct = not row.error and scoring.item_correct(item, row_dict)
    evidence = list(item.get("evidence") or [])
    cited_texts = [c.text for c in row.citations]
    hit = scoring.citation_hit(evidence, cited_texts) if answerable and evidence else None
    rank = scoring.evidence_rank(evidence, [r.text for r in row.retrieved]) if evidence else None
    n_verbatim = sum(1 for c in row.citations if scoring.is_verbatim(c, corpus))

    reasons: list[str] = []
    if row.error:
        reasons.append(f"error: {row.error}")
    elif answerable and row.abstained:
        reasons.append("abstained wrongly")
    elif answerable:
        reasons += [
            f"missing: {_short_req(req)}"
            for req in item.get("must_include", [])
            if not scoring.requirement_met_for(item, row.answer, req)
        ]
    elif not row.abstained:
        reasons.append("should abstain")
    if hit is False and not row.error and not row.abstained:
        reasons.append("citation miss")
    if n_verbatim < len(row.citations):
        reasons.append("non-verbatim citation")

    lang = lang_bucket(item)
    expected_lang = "en" if lang == "en" else "vi"
    return ItemScore(
        id=str(item["id"]),
        question=str(item.get("question", "")),
        type=str(item.get("type", "")),
        province=str(item.get("province", "")),
        lang=lang,
        answerable=answerable,
        correct=correct,
        has_evidence=bool(evidence),
        citation_hit=hit,
        evidence_rank=rank,
        n_citations=len(row.citations),
        n_verbatim=n_verbatim,
        latency_ms=row.latency_ms,
        lang_match=(row.lang == expected_lang) if row.lang else None,
        abstained=bool(row.abstained) and not row.error,
        expected=list(item.get("must_include") or []),
        answer=row.answer,
        reasons=reasons,
        error=row.error,
    )


# ------------------------------------------------------------------------------------- aggregate
def _rate(num: int, den: int) -> float:
    return num / den if den else 0.0


def _group(scores: Sequence[ItemScore]) -> GroupStats:
    cited = [s for s in scores if s.citation_hit is not None]
    ranked = [s.evidence_rank for s in scores if s.answerable and s.has_evidence]
    latencies = [s.latency_ms for s in scores if not s.error]
    correct = sum(s.correct for s in scores)
    return GroupStats(
        n=len(scores),
        correct=correct,
        accuracy=_rate(correct, len(scores)),
        cited=len(cited),
        citation_hit=_rate(sum(bool(s.citation_hit) for s in cited), len(cited)) if cited else None,
        recall_at_5=scoring.recall_at_k(ranked, 5) if ranked else None,
        mrr=scoring.mrr(ranked) if ranked else None,
        latency_p50_ms=scoring.percentile(latencies, 50) if latencies else None,
    )


def _grouped(scores: Sequence[ItemScore], key) -> dict[str, GroupStats]:
    groups: dict[str, list[ItemScore]] = defaultdict(list)
    for s in scores:
        groups[key(s)].append(s)
    return {name: _group(groups[name]) for name in sorted(groups)}


def _stages(rows: Iterable[AnswerRow]) -> dict[str, dict[str, float]]:
    values: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        for stage, ms in row.timings_ms.items():
            values[stage].append(ms)
    return {
        stage: {"p50": scoring.percentile(v, 50), "p95": scoring.percentile(v, 95)}
        for stage, v in values.items()
    }


def baseline_rows(rows: Iterable[AnswerRow], k: int = 3) -> list[AnswerRow]:
    """A retrieval-only answerer on the same questions: the top ``k`` retrieved passages are the answer
    and its citations, and it never abstains (the gain of the answerer over retrieval, as a number)."""
    out = []
    for row in rows:
        top = row.retrieved[:k]
        out.append(
            AnswerRow(
                id=row.id,
                answer="\n".join(r.text for r in top),
                abstained=not top,
                citations=[CitedPassage(r.text, "", r.plan, "", int(r.start), int(r.end)) for r in top],
                latency_ms=row.latency_ms,
                retrieved=list(row.retrieved),
                lang=row.lang,
                error=row.error,
            )
        )
    return out


def reason_category(reason: str) -> str:
    """'missing: Sở Tài chính' -> 'missing requirement'; 'error: KeyError' -> 'error'."""
    if reason.startswith("missing:"):
        return "missing requirement"
    if reason.startswith("error:"):
        return "error"
    return reason


def aggregate(
    items: Sequence[Mapping],
    rows: Iterable[AnswerRow],
    corpus: Mapping[str, str],
    peak_rss_mb: float | None = None,
) -> tuple[Metrics, list[ItemScore]]:
    """Metrics over the items (rows matched by id) and the per-item scores."""
    by_id = {row.id: row for row in rows}
    scores = [score_item(item, by_id.get(str(item["id"])), corpus) for item in items]
    all_citations = [c for item in items if (r := by_id.get(str(item["id"]))) for c in r.citations]

    answerable = [s for s in scores if s.answerable]
    abstain = [s for s in scores if not s.answerable]
    abstained = [s for s in scores if s.abstained]
    cited = [s for s in scores if s.citation_hit is not None]
    ranks = [s.evidence_rank for s in answerable if s.has_evidence]
    latencies = [s.latency_ms for s in scores if not s.error] or [0.0]
    lang_known = [s for s in scores if s.lang_match is not None]
    n_verbatim = sum(s.n_verbatim for s in scores)

    failures = [
        Failure(s.id, s.question, s.type, s.province, s.expected, s.answer, s.reasons)
        for s in scores
        if s.reasons
    ]
    reason_counts = Counter(reason_category(r) for s in scores for r in s.reasons)
    non_verbatim = [
        {"id": item_id, "plan": c.plan, "start": c.start, "end": c.end, "text": c.text[:300]}
        for item_id, row in by_id.items()
        for c in row.citations
        if not scoring.is_verbatim(c, corpus)
    ]
    metrics = Metrics(
        n=len(scores),
        n_answerable=len(answerable),
        n_abstain=len(abstain),
        correct=sum(s.correct for s in scores),
        accuracy=_rate(sum(s.correct for s in scores), len(scores)),
        n_cited_items=len(cited),
        citation_hit=_rate(sum(bool(s.citation_hit) for s in cited), len(cited)),
        n_citations=len(all_citations),
        n_verbatim=n_verbatim,
        verbatim_rate=scoring.verbatim_rate(all_citations, corpus),
        n_retrieval_items=len(ranks),
        recall_at_k={str(k): scoring.recall_at_k(ranks, k) for k in K_VALUES},
        mrr=scoring.mrr(ranks),
        latency_p50_ms=scoring.percentile(latencies, 50),
        latency_p95_ms=scoring.percentile(latencies, 95),
        latency_mean_ms=sum(latencies) / len(latencies),
        peak_rss_mb=peak_rss_mb,
        stage_latency_ms=_stages(r for item in items if (r := by_id.get(str(item["id"]))) and not r.error),
        lang_match_rate=_rate(sum(bool(s.lang_match) for s in lang_known), len(lang_known))
        if lang_known
        else None,
        abstention_accuracy=_rate(sum(s.correct for s in abstain), len(abstain)) if abstain else None,
        answerable_accuracy=_rate(sum(s.correct for s in answerable), len(answerable))
        if answerable
        else None,
        abstention_precision=_rate(sum(not s.answerable for s in abstained), len(abstained))
        if abstained
        else None,
        abstention_recall=_rate(sum(s.abstained for s in abstain), len(abstain)) if abstain else None,
        by_type=_grouped(scores, lambda s: s.type),
        by_province=_grouped(scores, lambda s: s.province),
        by_lang=_grouped(scores, lambda s: s.lang),
        reason_counts=dict(reason_counts.most_common()),
        failures=failures,
        errors=[{"id": s.id, "question": s.question, "error": s.error} for s in scores if s.error],
        non_verbatim=non_verbatim,
        form=form.describe(
            r.to_json() for item in items if (r := by_id.get(str(item["id"]))) and not r.error
        ),
    )
    return metrics, scores


# ----------------------------------------------------------------------------------------- floors
def check_floors(
    metrics: Metrics,
    min_accuracy: float | None = None,
    min_citation_hit: float | None = None,
    min_verbatim: float | None = None,
) -> list[str]:
    """One line per floor the metrics fall below (floors are fractions, 0.8 = 80%)."""
    breaches = []
    for name, value, floor in (
        ("accuracy", metrics.accuracy, min_accuracy),
        ("citation hit", metrics.citation_hit, min_citation_hit),
        ("verbatim rate", metrics.verbatim_rate, min_verbatim),
    ):
        if floor is not None and value < floor - 1e-12:
            breaches.append(f"{name} {value:.1%} is below the floor {floor:.1%}")
    return breaches


def peak_rss_mb() -> float:
    """The process's peak resident set size in MB (``ru_maxrss`` is in KB on Linux)."""
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
