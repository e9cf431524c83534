from assistant.retrieval import as_langchain_retriever, lexical_tokens


def test_lexical_tokens_are_folded_with_bigrams():
    assert lexical_tokens("Đào tạo nghề") == ["dao", "tao", "nghe", "dao_tao", "tao_nghe"]
    assert "145" in lexical_tokens("Quyết định 145/QĐ-TTg")


def test_hybrid_finds_the_passage_without_diacritics(assistant):
    hits = assistant.retriever.search(
        "dao tao nghe ca mau co quan chu tri", k=5, plans=["ca-mau"], intent="lead", lang="vi"
    )
    assert hits and all(h.chunk.plan == "ca-mau" for h in hits)
    assert any("giáo dục nghề nghiệp" in h.chunk.section for h in hits[:3])


def test_english_question_reaches_vietnamese_text(assistant):
    hits = assistant.retriever.search("reporting deadline of Hai Duong", k=5, plans=["hai-duong"])
    assert any("15/12" in h.chunk.text for h in hits)


def test_langchain_retriever_returns_documents_with_spans(assistant):
    retriever = as_langchain_retriever(assistant.retriever, k=3)
    docs = retriever.invoke("Sở Tài chính Quảng Ngãi")
    assert len(docs) == 3
    for d in docs:
        plan = next(p for p in assistant.plans() if p.id == d.metadata["plan"])
        assert plan.text[d.metadata["start"] : d.metadata["end"]] == d.page_content


def test_scope_is_a_set_of_plans_and_an_unknown_plan_finds_nothing(assistant):
    plans = [p.id for p in assistant.plans()]
    hits = assistant.retriever.search("kinh phí thực hiện", k=6, plans=set(plans[:2]))
    assert hits and {h.chunk.plan for h in hits} <= set(plans[:2])
    assert assistant.retriever.search("kinh phí thực hiện", k=6, plans={"no-such-plan"}) == []


def test_dense_hits_come_with_their_chunk_from_the_store(assistant):
    """Chunks of dense hits are taken from the store's answer, not looked up in a copy."""
    vec = assistant.index.embedder.embed_query("cơ quan chủ trì giáo dục nghề nghiệp")
    hits = assistant.retriever.search("zzzz qqqq", k=4, query_vector=vec)
    assert len(hits) == 4 and all(h.dense > 0 and h.lexical == 0 for h in hits)
