import hashlib
import socket

import pytest

from index import tokens


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_seeded_cache_files_are_named_by_sha1_of_the_url(tmp_path):
    paths = tokens.seed_tiktoken_cache(tmp_path)
    expected = {hashlib.sha1(url.encode()).hexdigest() for url in tokens.ENCODING_URLS.values()}
    assert {p.name for p in paths} == expected
    assert all(p.stat().st_size > 1_000_000 for p in paths)


def test_tiktoken_loads_both_encodings_without_network(tmp_path, monkeypatch, no_network):
    import tiktoken

    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    tokens.get_encoding.cache_clear()
    tokens.seed_tiktoken_cache(tmp_path)
    for name in ("cl100k_base", "o200k_base"):
        enc = tiktoken.get_encoding(name)  # tiktoken checks the file's SHA-256 itself
        assert (
            enc.decode(enc.encode("Sở Lao động - Thương binh và Xã hội"))
            == "Sở Lao động - Thương binh và Xã hội"
        )
    assert tokens.count_tokens("hello world") == 2
    tokens.get_encoding.cache_clear()


def test_unknown_encoding_is_named():
    with pytest.raises(ValueError, match="Currently, it is 'p50k_base'"):
        tokens.get_encoding("p50k_base")
