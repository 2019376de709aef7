"""Fixtures of the services suite: the same installed stack as the API suite (``tests/api/conftest.py``).

``stack`` is the API as shipped (gunicorn) against the Kubernetes and ollama doubles, shared by the
session; ``scenario`` restores the healthy install after each test.
"""

from __future__ import annotations

from tests.api.conftest import scenario, stack

__all__ = ["scenario", "stack"]
