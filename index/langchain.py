"""The index behind langchain's interfaces: `Embeddings` over our embedder, and the Chroma
integration (`langchain_chroma.Chroma`) on the same client and active collection."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from index.store import PlanIndex


class PlanEmbeddings(Embeddings):
    """langchain `Embeddings` backed by the project's embedder (prompts applied)."""

    def __init__(self, embedder):
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_documents(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text).tolist()


def vectorstore(index: PlanIndex | None = None):
    """A `langchain_chroma.Chroma` over the active chunk collection (read it, do not write)."""
    from langchain_chroma import Chroma

    index = index or PlanIndex()
    index.check_model()
    name = index.active_name()
    if name is None:
        raise RuntimeError(f"no index at {index.settings.index_dir}: build it with `python -m index build`")
    return Chroma(
        client=index.client, collection_name=name, embedding_function=PlanEmbeddings(index.embedder)
    )
