"""``P/apikeys``, ``P/accesscode`` and ``P/usage`` over HTTP: the API as shipped (gunicorn) against the
Kubernetes double seeded with the rendered chart, and a real gateway reading the keys Secret the way
kubelet mounts it (one file per entry), so create -> use -> revoke runs without a restart."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
import requests
from deepseek_ext.adapters.files import load_messages
from deepseek_ext.gateway.app import GatewayConfig
from deepseek_ext.gateway.keys import KeyStore

from tests.doubles.ollama import OllamaDouble
from tests.gateway.conftest import start_gateway, stop_gateway
from tests.helmtools import NAMESPACE
from tests.stack import PREFIX

ADMIN = {"X-Remote-User": "admin"}
KEYS_SECRET = "deepseek-gateway-keys"
MODEL = "deepseek-r1:1.5b"


def keys_secret(stack) -> dict:
    return stack.kube.get("Secret", KEYS_SECRET, NAMESPACE)


def mount(stack, directory: Path) -> None:
    """What kubelet does with a Secret volume: one file per data entry, the decoded value inside."""
    directory.mkdir(exist_ok=True)
    data = keys_secret(stack).get("data") or {}
    for old in directory.iterdir():
        if old.name not in data:
            old.unlink()
    for name, value in data.items():
        (directory / name).write_bytes(base64.b64decode(value))


def create(stack, name, headers=ADMIN) -> requests.Response:
    return requests.post(stack.url + PREFIX + "/apikeys", json={"name": name}, headers=headers, timeout=60)


def test_create_use_revoke_without_restart(scenario, tmp_path: Path) -> None:
    stack = scenario
    created = create(stack, "ci-bot")
    assert created.status_code == 201, created.text
    body = created.json()
    key = body["key"]
    assert body["name"] == "ci-bot" and key.startswith("sk-") and len(key) > 40
    assert created.headers["Cache-Control"] == "no-store"
    # The Secret holds the hash only; who and when are its annotation.
    secret = keys_secret(stack)
    stored = base64.b64decode(secret["data"]["ci-bot"]).decode()
    assert stored == "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    assert key not in json.dumps(secret)
    info = json.loads(secret["metadata"]["annotations"]["deepseek.kubesphere.io/keys"])
    assert info["ci-bot"]["createdBy"] == "admin" and info["ci-bot"]["createdAt"].endswith("Z")

    listed = requests.get(stack.url + PREFIX + "/apikeys", timeout=60).json()["items"]
    by_name = {k["name"]: k for k in listed}
    assert by_name["ci-bot"]["createdBy"] == "admin"
    assert by_name["nextchat"] == {"name": "nextchat", "createdAt": None, "createdBy": None}
    assert key not in json.dumps(listed)  # shown once: never again

    mounted = tmp_path / "gateway-keys"
    mount(stack, mounted)
    with OllamaDouble(local=[MODEL]) as ollama:
        gw = start_gateway(GatewayConfig(ollama_url=ollama.url, catalog=load_messages(),
                                         keys=KeyStore([mounted], check_interval=0), models=(MODEL,)),
                           ollama, mounted)
        try:
            chat = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}]}
            assert gw.session(key).post(gw.url + "/v1/chat/completions", json=chat, timeout=60).status_code == 200
            revoked = requests.delete(stack.url + PREFIX + "/apikeys/ci-bot", headers=ADMIN, timeout=60)
            assert revoked.status_code == 204 and revoked.content == b""
            mount(stack, mounted)  # kubelet refreshes the volume
            answer = gw.session(key).post(gw.url + "/v1/chat/completions", json=chat, timeout=60)
            assert answer.status_code == 401 and answer.json()["error"]["code"] == "GatewayKeyInvalid"
        finally:
            stop_gateway(gw)
    assert "ci-bot" not in keys_secret(stack)["data"]
    assert "ci-bot" not in json.loads(keys_secret(stack)["metadata"]["annotations"]["deepseek.kubesphere.io/keys"])
    log = stack.api.log_text()
    assert "write POST /kapis/deepseek.kubesphere.io/v1alpha1/apikeys by user=admin" in log
    assert "key ci-bot created by user=admin" in log and "key ci-bot revoked by user=admin" in log
    assert key not in log


def test_a_name_is_created_once(scenario) -> None:
    assert create(scenario, "billing").status_code == 201
    again = create(scenario, "billing")
    assert again.status_code == 409
    assert (again.json()["code"], again.json()["field"], again.json()["given"]) == ("KeyExists", "name", "billing")


@pytest.mark.parametrize("name", ["", "a b", "-x", "x" * 64, "ü", 5, None, "user:alice"],
                         ids=["empty", "space", "dash-first", "too-long", "non-ascii", "number", "null", "colon"])
def test_bad_names_say_field_given_and_allowed(scenario, name) -> None:
    answer = create(scenario, name)
    assert answer.status_code == 400
    body = answer.json()
    assert (body["code"], body["field"]) == ("InvalidKeyName", "name")
    assert body.get("given") == name
    assert "letters, digits" in body["allowed"]
    assert set(body["message"]) == {"en", "zh"}


@pytest.mark.parametrize("name", ["nextchat", "console"])
def test_the_charts_own_keys_are_reserved(scenario, name) -> None:
    for answer in (create(scenario, name),
                   requests.delete(scenario.url + PREFIX + f"/apikeys/{name}", headers=ADMIN, timeout=60)):
        assert answer.status_code == 409
        assert answer.json()["code"] == "KeyReserved"
    assert "nextchat" in keys_secret(scenario)["data"]


def test_revoking_an_unknown_key_is_404(scenario) -> None:
    answer = requests.delete(scenario.url + PREFIX + "/apikeys/nope", headers=ADMIN, timeout=60)
    assert answer.status_code == 404
    assert (answer.json()["code"], answer.json()["given"]) == ("KeyNotFound", "nope")


def test_writes_need_an_identity(scenario) -> None:
    assert create(scenario, "anon-key", headers={}).status_code == 401
    assert requests.delete(scenario.url + PREFIX + "/apikeys/nextchat", timeout=60).status_code == 401
    assert "anon-key" not in keys_secret(scenario)["data"]


def test_missing_keys_secret_is_503_naming_it(scenario) -> None:
    scenario.kube.delete("Secret", KEYS_SECRET, NAMESPACE)
    answer = requests.get(scenario.url + PREFIX + "/apikeys", timeout=60)
    assert answer.status_code == 503
    assert (answer.json()["code"], answer.json()["given"]) == ("SecretMissing", KEYS_SECRET)


def test_access_code_for_administrators(scenario) -> None:
    secret = scenario.kube.get("Secret", "deepseek-chat-access", NAMESPACE)
    code = base64.b64decode(secret["data"]["code"]).decode()
    answer = requests.get(scenario.url + PREFIX + "/accesscode", timeout=60)
    assert answer.status_code == 200
    assert answer.json() == {"secret": "deepseek-chat-access", "accessCode": code}
    assert answer.headers["Cache-Control"] == "no-store"
    assert code not in scenario.api.log_text()


def test_usage_counts_the_pods_even_when_none_answers(scenario) -> None:
    # The ollama doubles stand in for the gateways' admin port here and serve no /usage: every pod
    # is asked and none reports (tests/services/test_usage_summary.py sums real gateways).
    answer = requests.get(scenario.url + PREFIX + "/usage", timeout=60)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["podsReporting"], body["podsTotal"], body["items"], body["since"]) == (0, 1, [], None)
