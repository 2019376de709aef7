"""Fixtures of the unit suite: the repository's catalog and default values, loaded once."""

from __future__ import annotations

from typing import Any

import pytest
from deepseek_ext.adapters.files import load_catalog, load_defaults
from deepseek_ext.core.catalog import Catalog


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def defaults() -> dict[str, Any]:
    return load_defaults()
