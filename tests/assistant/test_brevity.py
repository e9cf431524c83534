"""An answer over many plans fits its budget: equal shares, lines kept in order, quotes cut at a word."""

from assistant.brevity import MIN_QUOTE, clip_to, fit_blocks, shorten
from corpus import load_plans


def _blocks(plans, per_plan: int = 3):
    """Lines as the composer writes them over several plans: a header, then quoted lines."""
    lines, blocks = ["2/2 kế hoạch nêu nội dung này."], []
    for plan in plans:
        start = len(lines)
        lines.append(f"{plan.province}:")
        body = len(lines)
        paragraphs = [p for p in plan.text.split("\n") if len(p) > 200][:per_plan]
        lines += [f"“{p}” [{i + 1}]" for i, p in enumerate(paragraphs)]
        blocks.append((start, body, len(lines)))
    return lines, blocks


def test_what_fits_is_unchanged():
    lines, blocks = _blocks(load_plans()[:2], per_plan=1)
    assert fit_blocks(lines, blocks, budget=len("\n".join(lines)) + 10) == lines


def test_every_plan_keeps_its_header_and_a_quote_within_the_budget():
    plans = load_plans()
    lines, blocks = _blocks(plans)
    budget = len("\n".join(lines)) // 3
    out = fit_blocks(lines, blocks, budget, reserve=100)
    text = "\n".join(out)
    assert len(text) + 100 <= budget + len(plans) * 2  # each share may round up by a line break
    assert out[0] == lines[0]
    for plan in plans:
        i = out.index(f"{plan.province}:")
        assert out[i + 1].startswith("“") and out[i + 1].endswith("]")
    for line in out[1:]:  # each quote is the start of the plan's words, cut at a word
        if line.startswith("“"):
            quoted = line[1 : line.index("”")]
            assert any(p.text.find(quoted.rstrip("…")) >= 0 for p in plans), quoted


def test_quotes_are_cut_at_a_word_and_never_below_the_minimum():
    text = " ".join(["nội dung"] * 200)
    assert clip_to(text, 50).endswith("…") and len(clip_to(text, 50)) <= 50
    assert not clip_to(text, 50)[:-1].endswith(" ")
    short = shorten(f"Sở Tài chính: “{text}” [3]", 10)
    assert short.endswith("” [3]") and len(short) < len(text)
    assert len(short[short.index("“") + 1 : short.index("”")]) <= MIN_QUOTE
