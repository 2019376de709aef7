"""docs/api-reference.md is generated from the OpenAPI document and committed up to date."""

from __future__ import annotations

import subprocess
import sys

from tests.helmtools import ROOT


def test_committed_api_reference_matches_the_openapi_document():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts/api-reference.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr


def test_reference_lists_every_endpoint_and_schema():
    text = (ROOT / "docs/api-reference.md").read_text()
    for heading in (
        "### GET /kapis/deepseek.kubesphere.io/v1alpha1/status",
        "### POST /kapis/deepseek.kubesphere.io/v1alpha1/config/validate",
        "### POST /kapis/deepseek.kubesphere.io/v1alpha1/config/resolve",
        "### GET /kapis/deepseek.kubesphere.io/v1alpha1/models",
        "### Status",
        "### Finding",
        "### Error",
    ):
        assert heading in text
    assert "(#get-kapisdeepseekkubesphereiov1alpha1status)" in text
