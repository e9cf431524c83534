import itertools

import pytest

from corpus import load_plans, plan_by_id
from index.chunking import CHUNK_TOKEN_BUDGET, chunk_plan
from index.structure import parse_plan
from index.tokens import count_tokens

PLANS = load_plans()


@pytest.fixture(scope="module")
def chunks_by_plan():
    return {p.id: chunk_plan(p) for p in PLANS}


def test_every_chunk_is_the_exact_slice_of_its_plan(chunks_by_plan):
    for plan in PLANS:
        for chunk in chunks_by_plan[plan.id]:
            assert chunk.text == plan.text[chunk.start : chunk.end]
            assert chunk.text == chunk.text.strip()


def test_chunks_stay_within_the_tiktoken_budget(chunks_by_plan):
    for chunks in chunks_by_plan.values():
        assert all(count_tokens(c.text) <= CHUNK_TOKEN_BUDGET for c in chunks)


def test_no_chunk_crosses_a_numbered_item(chunks_by_plan):
    for plan in PLANS:
        items = [n for n in parse_plan(plan.text).walk() if n.kind in ("item", "article")]
        for chunk in chunks_by_plan[plan.id]:
            touching = [n for n in items if n.start < chunk.end and chunk.start < n.end]
            assert len(touching) <= 1, (chunk.section, [n.label for n in touching])


def test_chunks_do_not_overlap_and_keep_text_order(chunks_by_plan):
    for chunks in chunks_by_plan.values():
        for a, b in itertools.pairwise(chunks):
            assert a.end <= b.start


def test_chunks_cover_the_plan_text_but_bare_headings(chunks_by_plan):
    for plan in PLANS:
        covered = sum(c.end - c.start for c in chunks_by_plan[plan.id])
        assert covered / len(plan.text.strip()) > 0.95


def test_heading_path_is_carried_as_context(chunks_by_plan):
    lead = next(
        c
        for c in chunks_by_plan["ca-mau"]
        if "3. Hội nhập về giáo dục nghề nghiệp" in c.section and "chủ trì" in c.text
    )
    assert lead.section.startswith("II. NỘI DUNG › 3. Hội nhập về giáo dục nghề nghiệp")
    assert lead.embed_text.startswith("Cà Mau › II. NỘI DUNG › 3. Hội nhập về giáo dục nghề nghiệp")
    assert lead.item == "II. NỘI DUNG › 3. Hội nhập về giáo dục nghề nghiệp"


def test_ids_and_hashes_are_stable_and_unique(chunks_by_plan):
    again = chunk_plan(plan_by_id("quang-ngai"))
    assert [c.id for c in again] == [c.id for c in chunks_by_plan["quang-ngai"]]
    ids = [c.id for cs in chunks_by_plan.values() for c in cs]
    assert len(ids) == len(set(ids))


def test_model_token_limit_is_enforced_when_given():
    plan = plan_by_id("kien-giang")
    # a counter that makes every chunk longer forces smaller chunks
    small = chunk_plan(plan, model_tokens=lambda text: len(text) // 2)
    assert all(len(f"passage: Kiên Giang › {c.section}\n{c.text}") // 2 <= 510 for c in small)
    assert len(small) > len(chunk_plan(plan))


def test_budget_below_minimum_is_refused():
    with pytest.raises(ValueError, match="budget must be at least 16 tokens. Currently, budget is 3"):
        chunk_plan(plan_by_id("ca-mau"), budget=3)
