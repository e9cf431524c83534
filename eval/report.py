"""Write an evaluation's results: ``report.md``, ``results.json`` and PNG charts."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from eval.metrics import GroupStats, ItemScore, Metrics

CHARTS = ("accuracy_by_type.png", "accuracy_by_province.png", "latency_hist.png")
ANSWER_PREVIEW = 300


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f} ms"


def _cell(text: str, limit: int = ANSWER_PREVIEW) -> str:
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("|", "\\|")


def _group_table(title: str, groups: Mapping[str, GroupStats]) -> list[str]:
    lines = [
        f"### By {title}",
        "",
        f"| {title} | n | correct | accuracy | citation hit (n) | recall@5 | MRR | p50 latency |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, g in groups.items():
        mrr = "–" if g.mrr is None else f"{g.mrr:.3f}"
        lines.append(
            f"| {name} | {g.n} | {g.correct} | {_pct(g.accuracy)} | {_pct(g.citation_hit)} ({g.cited}) "
            f"| {_pct(g.recall_at_5)} | {mrr} | {_ms(g.latency_p50_ms)} |"
        )
    return [*lines, ""]


def _form_rows(form: Mapping[str, Any]) -> list[str]:
    """How the answers read: a lead sentence first or a quote, support, passages per answer."""
    if not form:
        return []
    kinds = form.get("first_line_answered", {})
    answered = sum(kinds.values())
    shown = form.get("passages_shown", {})
    counts = sorted(int(k) for k, v in shown.items() for _ in range(v))
    median = counts[len(counts) // 2] if counts else 0
    support = ", ".join(f"{k or 'unstated'} {v}" for k, v in form.get("support", {}).items())
    return [
        f"| answers opening with a lead sentence | {kinds.get('lead', 0)}/{answered} answered "
        f"({', '.join(f'{k} {v}' for k, v in kinds.items() if k != 'lead') or 'no other opening'}) |",
        f"| English answers without an English lead | {form.get('en_without_english_lead', 0)}/"
        f"{form.get('en_answered', 0)} |",
        f"| support | {support} |",
        f"| passages shown per answer: median / max | {median} / {counts[-1] if counts else 0} |",
    ]


def render_markdown(metrics: Metrics, meta: Mapping[str, Any]) -> str:
    m = metrics
    rss = "not measured" if m.peak_rss_mb is None else f"{m.peak_rss_mb:,.0f} MB"
    lines = [
        f"# Evaluation: {meta.get('questions', '')}",
        "",
        f"{m.n} items ({m.n_answerable} answerable, {m.n_abstain} abstention); "
        f"generated {meta.get('generated_at', '')}.",
        "",
        "| metric | value |",
        "|---|---:|",
        f"| accuracy | {_pct(m.accuracy)} ({m.correct}/{m.n}) |",
        f"| accuracy on answerable items | {_pct(m.answerable_accuracy)} |",
        f"| accuracy on abstention items | {_pct(m.abstention_accuracy)} |",
        f"| abstention precision / recall | {_pct(m.abstention_precision)} / {_pct(m.abstention_recall)} |",
        f"| citation hit | {_pct(m.citation_hit)} (of {m.n_cited_items} answerable items with evidence) |",
        f"| verbatim rate | {_pct(m.verbatim_rate)} ({m.n_verbatim}/{m.n_citations} citations) |",
        *(f"| recall@{k} | {_pct(v)} |" for k, v in m.recall_at_k.items()),
        f"| MRR | {m.mrr:.3f} (over {m.n_retrieval_items} items) |",
        f"| latency p50 / p95 / mean | {_ms(m.latency_p50_ms)} / {_ms(m.latency_p95_ms)} / {_ms(m.latency_mean_ms)} |",
        f"| peak memory (RSS) | {rss} |",
        f"| answer language matches question | {_pct(m.lang_match_rate)} |",
        *_form_rows(m.form),
    ]
    if meta.get("warm_up_ms") is not None:
        lines.append(f"| warm-up | {_ms(meta['warm_up_ms'])} |")
    for stage, q in m.stage_latency_ms.items():
        lines.append(f"| stage {stage.removesuffix('_ms')} p50 / p95 | {_ms(q['p50'])} / {_ms(q['p95'])} |")
    base = meta.get("baseline")
    if base:
        lines += [
            "",
            "## Beside a retrieval-only baseline",
            "",
            "The baseline answers every question with the top 3 retrieved passages (never abstains).",
            "",
            "| | answerer | baseline |",
            "|---|---:|---:|",
            f"| accuracy | {_pct(m.accuracy)} | {_pct(base['accuracy'])} |",
            f"| citation hit | {_pct(m.citation_hit)} | {_pct(base['citation_hit'])} |",
            f"| accuracy on abstention items | {_pct(m.abstention_accuracy)} | {_pct(base['abstention_accuracy'])} |",
        ]
    lines += ["", "## Breakdown", ""]
    lines += _group_table("type", m.by_type)
    lines += _group_table("province", m.by_province)
    lines += _group_table("language", m.by_lang)

    lines += ["## Failure categories", ""]
    if m.reason_counts:
        lines += ["| why | items |", "|---|---:|"]
        lines += [f"| {why} | {count} |" for why, count in m.reason_counts.items()]
    else:
        lines.append("None.")
    lines.append("")

    if m.errors:
        lines += ["## Assistant errors", "", "| id | question | error |", "|---|---|---|"]
        lines += [f"| {e['id']} | {_cell(e['question'])} | {_cell(e['error'])} |" for e in m.errors]
        lines.append("")
    if m.non_verbatim:
        lines += ["## Non-verbatim citations", "", "| id | plan | span | text |", "|---|---|---|---|"]
        lines += [
            f"| {c['id']} | {c['plan']} | {c['start']}–{c['end']} | {_cell(c['text'], 160)} |"
            for c in m.non_verbatim
        ]
        lines.append("")

    lines += [f"## Failures ({len(m.failures)})", ""]
    if m.failures:
        lines += ["| id | question | expected | answer | why |", "|---|---|---|---|---|"]
        for f in m.failures:
            expected = "; ".join(r.split(" | ")[0] for r in f.expected) or "(abstain)"
            lines.append(
                f"| {f.id} | {_cell(f.question, 160)} | {_cell(expected, 160)} | {_cell(f.answer)} "
                f"| {_cell('; '.join(f.why), 200)} |"
            )
    else:
        lines.append("None.")
    lines.append("")
    if meta.get("charts"):
        lines += ["## Charts", ""] + [f"![{Path(c).stem}]({Path(c).name})" for c in meta["charts"]] + [""]
    return "\n".join(lines)


def write_json(metrics: Metrics, scores: Sequence[ItemScore], meta: Mapping[str, Any], path: Path) -> Path:
    data = {"meta": dict(meta), "metrics": metrics.to_dict(), "items": [asdict(s) for s in scores]}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def write_charts(metrics: Metrics, scores: Sequence[ItemScore], out_dir: Path) -> list[Path]:
    """Accuracy by type, accuracy by province and a latency histogram (matplotlib, Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = []
    for name, groups, title in (
        (CHARTS[0], metrics.by_type, "Accuracy by question type"),
        (CHARTS[1], metrics.by_province, "Accuracy by province"),
    ):
        labels = list(groups)
        values = [groups[k].accuracy * 100 for k in labels]
        fig, ax = plt.subplots(figsize=(max(5.0, 0.7 * len(labels) + 2), 3.6))
        bars = ax.bar(labels, values, color="#4c72b0")
        for bar, key in zip(bars, labels, strict=True):
            ax.annotate(
                f"{groups[key].correct}/{groups[key].n}",
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                ha="center",
                va="bottom",
                fontsize=8,
            )
        ax.set_ylim(0, 110)
        ax.set_ylabel("accuracy (%)")
        ax.set_title(title)
        ax.tick_params(axis="x", labelrotation=35, labelsize=8)
        fig.tight_layout()
        paths.append(_save(fig, out_dir / name, plt))

    latencies = [s.latency_ms for s in scores if not s.error]
    fig, ax = plt.subplots(figsize=(6, 3.6))
    ax.hist(latencies or [0.0], bins=min(30, max(5, len(latencies) // 3)), color="#55a868")
    for value, label, style in (
        (metrics.latency_p50_ms, "p50", "--"),
        (metrics.latency_p95_ms, "p95", ":"),
    ):
        ax.axvline(value, color="black", linestyle=style, linewidth=1, label=f"{label} {value:,.0f} ms")
    ax.set_xlabel("latency per question (ms)")
    ax.set_ylabel("questions")
    ax.set_title("Answer latency")
    ax.legend()
    fig.tight_layout()
    paths.append(_save(fig, out_dir / CHARTS[2], plt))
    return paths


def _save(fig, path: Path, plt) -> Path:
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_report(
    out_dir: Path | str, metrics: Metrics, scores: Sequence[ItemScore], meta: Mapping[str, Any]
) -> dict[str, Path]:
    """Write charts, ``results.json`` and ``report.md`` into ``out_dir``; returns their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    charts = write_charts(metrics, scores, out)
    meta = {**meta, "charts": [c.name for c in charts]}
    results = write_json(metrics, scores, meta, out / "results.json")
    report = out / "report.md"
    report.write_text(render_markdown(metrics, meta), encoding="utf-8")
    return {"report": report, "results": results, **{c.stem: c for c in charts}}


def summary_line(metrics: Metrics, label: str = "") -> str:
    m = metrics
    recall = " ".join(f"R@{k} {v:.0%}" for k, v in m.recall_at_k.items())
    rss = "" if m.peak_rss_mb is None else f", peak RSS {m.peak_rss_mb:,.0f} MB"
    return (
        f"{label + ': ' if label else ''}accuracy {m.accuracy:.1%} ({m.correct}/{m.n}), "
        f"citation hit {m.citation_hit:.1%}, verbatim {m.verbatim_rate:.1%}, {recall}, MRR {m.mrr:.3f}, "
        f"p50 {m.latency_p50_ms:,.0f} ms, p95 {m.latency_p95_ms:,.0f} ms{rss}"
        + (
            f", abstention P/R {_pct(m.abstention_precision)}/{_pct(m.abstention_recall)}"
            if m.abstention_recall is not None
            else ""
        )
    )
