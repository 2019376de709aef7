"""Fixtures of the fault matrix: a fresh install (API as shipped + doubles) per case."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.stack import Stack


@pytest.fixture
def stack(tmp_path) -> Iterator[Stack]:
    """Doubles started, API *not* yet: each case injects its fault first, then calls ``start_api``."""
    s = Stack(ollama_pods=1, workdir=tmp_path)
    s.start_doubles()
    try:
        yield s
    finally:
        s.stop()
        if s.api is not None and s.api.proc is not None:
            # Leave the server log beside the test's tmp dir for a person reading a failure.
            print(f"gunicorn log: {s.api.log_path}")
