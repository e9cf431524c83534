"""The scale benchmark's synthetic corpus (the timing runs themselves are `make bench-scale`)."""

from __future__ import annotations

from assistant.bench_scale import ReusingEmbedder, synthesize
from corpus import load_plans


class _Recorder:
    model_id = "recorder"

    def __init__(self):
        self.seen: list[str] = []

    def embed_documents(self, texts, **kwargs):
        import numpy as np

        self.seen += texts
        return np.vstack([np.full(3, len(t), dtype=np.float32) for t in texts])


def test_copies_change_names_and_ids_and_reuse_the_real_passages_vectors(tmp_path):
    real = load_plans()
    n = len(real) + 3
    origins = synthesize(n, tmp_path)
    plans = load_plans(tmp_path)
    assert len(plans) == n and len({p.id for p in plans}) == n
    copies = [p for p in plans if p.id not in {r.id for r in real}]
    assert len(copies) == 3 and all(p.province not in {r.province for r in real} for p in copies)
    for p in copies:
        assert p.province in p.text and origins[int(p.id.rsplit("-", 1)[1])] not in p.text
    recorder = _Recorder()
    reusing = ReusingEmbedder(recorder)
    reusing.origins = origins
    real_text, copy_text = real[0].text, copies[0].text  # copies[0] was made from real[0]
    vectors = reusing.embed_documents([copy_text, real_text])
    assert (vectors[0] == vectors[1]).all() and recorder.seen == [real_text]  # embedded once


def test_the_responsibilities_keystroke_is_measured(assistant):
    from assistant.bench_scale import _responsibilities

    got = _responsibilities(assistant)
    assert set(got) == {"resp_index_ms", "resp_filter_ms", "resp_filter_max_ms"}
    assert 0 < got["resp_filter_ms"] <= got["resp_filter_max_ms"]
