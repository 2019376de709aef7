"""templates/NOTES.txt, what helm prints after install.

`helm template` never prints NOTES and `helm install --dry-run` needs a real API server, so the
test unpacks the packaged chart, ships NOTES.txt as a chart file and renders it with `tpl` in the
same release context: the text is exactly what helm would print.
"""

from __future__ import annotations

import json
import shutil
import tarfile
from pathlib import Path

import pytest
import yaml

from tests.helmtools import helm_template_text, one, render

PROBE = """apiVersion: v1
kind: ConfigMap
metadata:
  name: notes-under-test
data:
  notes: {{ tpl (.Files.Get "notes-under-test.txt") . | toJson }}
"""


@pytest.fixture(scope="module")
def notes_chart(chart: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("notes")
    with tarfile.open(chart) as archive:
        archive.extractall(root, filter="data")
    unpacked = root / "deepseek"
    shutil.copy(unpacked / "templates/NOTES.txt", unpacked / "notes-under-test.txt")
    (unpacked / "templates/notes-under-test.yaml").write_text(PROBE)
    return unpacked


def notes(chart_dir: Path, **set_values: object) -> str:
    text = helm_template_text(chart_dir, set_values=set_values,
                              extra_args=["--show-only", "templates/notes-under-test.yaml"])
    return yaml.safe_load(text)["data"]["notes"]


def serving_config(chart: Path, values: dict) -> dict:
    configmap = one(render(chart, set_values=values), "ConfigMap", "deepseek-serving")
    return json.loads(configmap["data"]["config.json"])


def test_notes_tell_how_to_reach_the_chat_without_an_ingress(notes_chart: Path) -> None:
    text = notes(notes_chart)
    assert "kubectl -n extension-deepseek port-forward svc/deepseek-backend-chat-service 3000:3000" in text
    assert "http://localhost:3000" in text


def test_notes_give_the_chat_url_with_an_ingress(notes_chart: Path, chart: Path) -> None:
    suffix = {"global.extension.ingress.domainSuffix": "ks.example.com",
              "global.extension.ingress.tlsSecretName": "deepseek-tls"}
    text = notes(notes_chart, **suffix)
    config = serving_config(chart, suffix)
    assert config["chatUrl"] == "https://deepseek.ks.example.com"
    assert config["chatUrl"] in text and "port-forward" not in text


def test_notes_show_how_to_read_the_access_code_never_the_code(notes_chart: Path) -> None:
    text = notes(notes_chart)
    assert ("kubectl -n extension-deepseek get secret deepseek-chat-access -o jsonpath='{.data.code}'"
            " | base64 -d") in text
    custom = notes(notes_chart, **{"backend.chat.accessCodeSecret": "team-code"})
    assert "get secret team-code " in custom
    # the code itself is generated in the Secret and appears nowhere in the text
    assert ".data.code" in text and "code:" not in text


@pytest.mark.parametrize("values", [
    {},
    {"backend.model.tag": "7b"},
    {"backend.model.registry": "registry.local:5000/library", "backend.model.tag": "14b"},
])
def test_notes_name_the_model_the_chart_serves_and_its_in_cluster_urls(
    notes_chart: Path, chart: Path, values: dict
) -> None:
    text = notes(notes_chart, **values)
    model = serving_config(chart, values)
    assert f"serving {model['model']}." in text
    assert f'"model": "{model["model"]}"' in text
    assert "http://deepseek-backend-server-service.extension-deepseek.svc:11434/v1" in text
    assert "http://deepseek-backend-server-service.extension-deepseek.svc:11434/api/" in text


def test_notes_say_where_the_download_is_watched_and_when_offline(notes_chart: Path) -> None:
    text = notes(notes_chart)
    assert "kubectl -n extension-deepseek logs deploy/deepseek-api -c manager" in text
    assert "/kapis/deepseek.kubesphere.io/v1alpha1/status" in text
    assert "does not wait for the model" in text
    offline = notes(notes_chart, **{"backend.model.pull": False})
    assert "Offline mode" in offline and "deepseek-models" in offline
