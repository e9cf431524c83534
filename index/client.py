"""The one place a Chroma client is made: embedded on disk by default, a server when configured."""

from __future__ import annotations

from functools import lru_cache

from index.settings import Settings, get_settings


def get_client(settings: Settings | None = None):
    """A Chroma client for the configured index (telemetry off). Cached per location."""
    settings = settings or get_settings()
    return _client(str(settings.index_dir), settings.chroma_host, settings.chroma_port)


@lru_cache(maxsize=8)
def _client(index_dir: str, host: str, port: int):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if host:
        return chromadb.HttpClient(host=host, port=port, settings=chroma_settings)
    return chromadb.PersistentClient(path=index_dir, settings=chroma_settings)
