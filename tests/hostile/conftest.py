"""Fixtures of the hostile-input suite: one install (API as shipped + doubles) for the whole suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.stack import PREFIX, Stack


@pytest.fixture(scope="session")
def hostile_stack(tmp_path_factory) -> Iterator[Stack]:
    with Stack(ollama_pods=1, workdir=tmp_path_factory.mktemp("hostile")) as stack:
        yield stack


@pytest.fixture(scope="session")
def api_url(hostile_stack: Stack) -> str:
    return hostile_stack.url


@pytest.fixture(scope="session")
def prefix_url(api_url: str) -> str:
    return api_url + PREFIX
