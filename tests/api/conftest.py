"""Fixtures of the API suite.

* ``app``, ``client``, ``runner``: the Flask app in-process, standalone (no kubeconfig), as in the
  Flask tutorial; ``runner`` runs the ``deepseek-ext`` CLI in-process and captures its output.
* ``stack``: the API as shipped (gunicorn with the rendered Deployment's command and env) against
  the loopback Kubernetes double seeded with the chart's rendered objects plus a running install,
  and loopback ollama doubles on the pods' IPs (tests/stack.py ``Stack``, shared with the
  benchmarks, the console browser test and the fault suite). Caches are shortened so scenarios
  see their changes within a fraction of a second; ``scenario`` restores the healthy install after
  each test.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from deepseek_ext.api import create_app
from deepseek_ext.settings import API_PREFIX

from tests.conftest import isolate_from_host
from tests.stack import Stack


@pytest.fixture
def app(tmp_path, monkeypatch):
    isolate_from_host(monkeypatch, tmp_path)
    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def runner() -> Callable[..., CliResult]:
    """Run ``deepseek-ext <args>`` in-process: ``runner("status", "-o", "json")``."""
    from deepseek_ext import cli

    def run(*args: str) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(list(args))
            except SystemExit as exc:  # argparse usage errors
                code = int(exc.code or 0)
        return CliResult(code, out.getvalue(), err.getvalue())

    return run


SHORT_CACHES = {
    "DEEPSEEK_KUBE_CACHE_TTL": "0.2",
    "DEEPSEEK_OLLAMA_CACHE_TTL": "0.2",
    "DEEPSEEK_KUBE_TIMEOUT": "1",
    "DEEPSEEK_OLLAMA_TIMEOUT": "0.5",
}


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    with Stack(extra_env=SHORT_CACHES) as s:
        s.baseline = s.kube.objects()  # type: ignore[attr-defined]
        s.serving_text = (s.api.serving_dir / "config.json").read_text()  # type: ignore[union-attr,attr-defined]
        yield s


@pytest.fixture
def scenario(stack) -> Iterator[Stack]:
    """The healthy install; whatever the test changes is undone afterwards."""
    yield stack
    stack.kube.clear_faults()
    stack.kube.reset(stack.baseline)
    stack.fleet.configure(vram_fraction=0.0, delay_seconds=0.0, garbage=False)
    Path(stack.api.serving_dir / "config.json").write_text(stack.serving_text)


def get_status(stack: Stack, *, lang: str = "en") -> dict[str, Any]:
    r = requests.get(stack.url + API_PREFIX + "/status", headers={"Accept-Language": lang}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def wait_status(
    stack: Stack, until: Callable[[dict[str, Any]], bool], *, lang: str = "en", timeout: float = 15.0
) -> dict[str, Any]:
    """Poll status (two workers, each with its own short cache) until ``until(report)`` or the timeout."""
    deadline = time.monotonic() + timeout
    report = get_status(stack, lang=lang)
    while not until(report) and time.monotonic() < deadline:
        time.sleep(0.1)
        report = get_status(stack, lang=lang)
    return report


def findings(report: dict[str, Any], component: str | None = None) -> list[dict[str, Any]]:
    return [f for c in report["components"] if component in (None, c["name"]) for f in c["findings"]]


def codes(report: dict[str, Any], component: str | None = None) -> set[str]:
    return {f["code"] for f in findings(report, component)}
