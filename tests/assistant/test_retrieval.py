from assistant.retrieval import BM25, as_langchain_retriever, lexical_tokens


def test_lexical_tokens_are_folded_with_bigrams():
    assert lexical_tokens("Đào tạo nghề") == ["dao", "tao", "nghe", "dao_tao", "tao_nghe"]
    assert "145" in lexical_tokens("Quyết định 145/QĐ-TTg")


def test_bm25_prefers_the_document_with_the_rare_term():
    bm = BM25([["a", "b"], ["a", "c"], ["a", "a"]])
    scores = bm.scores(["c"])
    assert scores.argmax() == 1 and scores[0] == 0


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
