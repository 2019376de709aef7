"""extension.yaml is complete and says what KubeSphere expects."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.helmtools import ROOT

KS_CATEGORIES = {"ai-machine-learning", "deepseek", "database", "integration-delivery", "observability", "networking",
                 "security", "storage", "streaming-messaging", "dev-tools", "computing"}


@pytest.fixture(scope="module")
def metadata() -> dict:
    return yaml.safe_load((ROOT / "extension.yaml").read_text())


def test_identity(metadata):
    assert metadata["apiVersion"] == "kubesphere.io/v1alpha1"
    assert metadata["name"] == "deepseek"
    assert metadata["version"] == "0.2.0"
    assert metadata["installationMode"] == "HostOnly"


def test_texts_in_chinese_and_english(metadata):
    for key in ("displayName", "description", "provider"):
        assert set(metadata[key]) >= {"zh", "en"}, key


def test_category_is_one_kubesphere_ships(metadata):
    assert metadata["category"] in KS_CATEGORIES


def test_version_ranges_admit_prereleases(metadata):
    for key in ("kubeVersion", "ksVersion"):
        assert re.fullmatch(r">=\d+\.\d+\.\d+-0", metadata[key]), metadata[key]


def test_icon_is_a_local_original_file(metadata):
    assert not metadata["icon"].startswith(("http://", "https://"))
    assert (ROOT / metadata["icon"]).is_file()


def test_screenshots_exist(metadata):
    for shot in metadata.get("screenshots") or []:
        assert (ROOT / shot).is_file(), shot


def test_external_dependencies_are_optional(metadata):
    deps = {d["name"]: d for d in metadata["externalDependencies"]}
    assert set(deps) == {"gateway", "nvidia-gpu-operator"}
    assert all(d["required"] is False and d["type"] == "extension" and d["version"] for d in deps.values())


def test_no_external_url_in_values_or_icon():
    # Air-gapped clusters cannot load anything from outside; the icon and defaults must not need it.
    assert "http" not in (ROOT / "static/icon.svg").read_text().replace("http://www.w3.org/2000/svg", "")
