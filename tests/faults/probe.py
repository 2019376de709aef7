"""Call every read endpoint the API documents, with a time bound, and keep what came back.

The endpoint list comes from the API's own OpenAPI document, so an endpoint added later is probed
too. Writes (``POST models/{name}/pull``, ``DELETE models/{name}``) are left out on purpose: the
fault matrix checks that answering under faults changes nothing, and a write changes things by design.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import requests

from tests.stack import PREFIX

# Bodies for the POST endpoints that only compute (validate, resolve): a realistic small config.
CONFIG_BODY = {"backend": {"model": {"tag": "7b", "contextLength": 8192}, "server": {"replicas": 1}}}
READ_ONLY_POSTS = ("/config/validate", "/config/resolve")


@dataclass
class Answer:
    method: str
    path: str
    status: int
    seconds: float
    body: Any
    content_type: str

    def __str__(self) -> str:
        text = json.dumps(self.body, ensure_ascii=False)[:300] if self.body is not None else "<not JSON>"
        return f"{self.method} {self.path} -> {self.status} in {self.seconds:.2f}s: {text}"


def operations(base_url: str) -> list[tuple[str, str]]:
    """(method, concrete path) of every documented read, with {name} filled with the default model."""
    doc = requests.get(base_url + PREFIX + "/openapi.json", timeout=10).json()
    ops = []
    for path, item in sorted(doc.get("paths", {}).items()):
        for method in sorted(item):
            method_u = method.upper()
            if method_u not in ("GET", "POST"):
                continue
            if method_u == "POST" and not path.endswith(READ_ONLY_POSTS):
                continue
            concrete = path.replace("{name}", "deepseek-r1:1.5b")
            if "{" in concrete:
                continue  # a parameter we do not know how to fill: listed by test_every_path_probed
            ops.append((method_u, concrete))
    for extra in ("/healthz", "/readyz", "/metrics"):
        if ("GET", extra) not in ops:
            ops.append(("GET", extra))
    return ops


def call(base_url: str, method: str, path: str, *, timeout: float, **kwargs: Any) -> Answer:
    if method == "POST" and "data" not in kwargs and "json" not in kwargs:
        kwargs["json"] = CONFIG_BODY
    started = time.monotonic()
    try:
        resp = requests.request(method, base_url + path, timeout=timeout, **kwargs)
    except requests.Timeout:
        return Answer(method, path, 0, time.monotonic() - started, None, "")
    seconds = time.monotonic() - started
    content_type = resp.headers.get("Content-Type", "")
    body: Any = None
    if content_type.startswith("application/json"):
        try:
            body = resp.json()
        except ValueError:
            body = None
    return Answer(method, path, resp.status_code, seconds, body, content_type)


def probe_all(base_url: str, *, timeout: float) -> list[Answer]:
    """Every endpoint at once, as several open console tabs and a pipeline would call them."""
    ops = operations(base_url)
    with ThreadPoolExecutor(max_workers=len(ops)) as pool:
        return list(pool.map(lambda op: call(base_url, op[0], op[1], timeout=timeout), ops))


def findings(report: Any) -> list[dict[str, Any]]:
    """Every finding of a status report (all components)."""
    if not isinstance(report, dict):
        return []
    out: list[dict[str, Any]] = []
    for component in report.get("components") or []:
        out.extend(component.get("findings") or [])
    return out
