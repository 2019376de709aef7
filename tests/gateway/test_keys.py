"""Keys over HTTP: missing, wrong, revoked and rotated without a restart; a Secret-like directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from deepseek_ext.gateway.keys import KeyStore, bearer_token, hash_key, parse_entries

from tests.gateway.conftest import KEYS, MODEL, write_keys

CHAT = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}]}


def chat(gw, key):
    return gw.session(key).post(gw.url + "/v1/chat/completions", json=CHAT, timeout=10)


def test_missing_key_is_401(gateway) -> None:
    answer = chat(gateway, None)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "GatewayKeyMissing"
    assert answer.json()["error"]["type"] == "authentication_error"
    native = gateway.session(None).get(gateway.url + "/api/tags", timeout=5)
    assert native.status_code == 401 and native.json()["code"] == "GatewayKeyMissing"
    assert gateway.ollama.stats.log == []


@pytest.mark.parametrize("header", ["Bearer wrong", "Bearer " + hash_key(KEYS["app-one"]), "Basic a2V5",
                                    "Bearer key-one-secret-valuex"])
def test_wrong_key_is_401(gateway, header) -> None:
    s = gateway.session(None)
    answer = s.post(gateway.url + "/v1/chat/completions", json=CHAT, headers={"Authorization": header}, timeout=5)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] in ("GatewayKeyInvalid", "GatewayKeyMissing")
    assert gateway.ollama.stats.log == []


def test_plain_and_hashed_entries_both_work(gateway) -> None:
    assert chat(gateway, KEYS["app-one"]).status_code == 200
    assert chat(gateway, KEYS["nextchat"]).status_code == 200
    # The caller's key is not passed on to ollama.
    assert all("key" not in str(body) for _, _, body in gateway.ollama.stats.log)


def test_revoked_and_rotated_without_restart(gateway) -> None:
    assert chat(gateway, KEYS["app-one"]).status_code == 200
    write_keys(gateway.keys_file, {"nextchat": hash_key(KEYS["nextchat"])})  # app-one revoked
    assert chat(gateway, KEYS["app-one"]).status_code == 401
    assert chat(gateway, KEYS["nextchat"]).status_code == 200
    write_keys(gateway.keys_file, {"nextchat": "rotated-nextchat-key"})  # rotated
    assert chat(gateway, KEYS["nextchat"]).status_code == 401
    assert chat(gateway, "rotated-nextchat-key").status_code == 200


def test_unreadable_keys_file_keeps_the_last_good_keys(gateway) -> None:
    gateway.keys_file.write_text("app-one: [unclosed\n")
    assert chat(gateway, KEYS["app-one"]).status_code == 200


def test_public_root_needs_no_key(gateway) -> None:
    answer = gateway.session(None).get(gateway.url + "/", timeout=5)
    assert answer.status_code == 200 and answer.text == "Ollama is running"


def test_keyless_only_when_not_required(make_gateway) -> None:
    gw = make_gateway(require_key=False)
    assert chat(gw, None).status_code == 200
    assert chat(gw, "wrong").status_code == 401  # a wrong key is still refused
    assert gw.metric("deepseek_gateway_requests_total", key="anonymous", model=MODEL, code="200") == 1


def _secret_dir(root: Path, entries: dict[str, str], version: int) -> Path:
    """Lay out files the way kubelet mounts a Secret: ..data -> ..<version>/, name -> ..data/name."""
    data = root / f"..v{version}"
    data.mkdir()
    for name, value in entries.items():
        (data / name).write_text(value)
    tmp = root / "..data_tmp"
    tmp.symlink_to(data.name)
    os.replace(tmp, root / "..data")
    for name in entries:
        link = root / name
        if not link.is_symlink():
            link.symlink_to(f"..data/{name}")
    for stale in root.iterdir():
        if stale.is_symlink() and stale.name not in entries and not stale.name.startswith(".."):
            stale.unlink()
    return root


def test_secret_directory_is_reread_when_kubelet_swaps_it(tmp_path) -> None:
    root = tmp_path / "keys"
    root.mkdir()
    _secret_dir(root, {"app-one": hash_key("k1"), "nextchat": hash_key("k2")}, 1)
    store = KeyStore([root], check_interval=0)
    assert store.identify("k1") == "app-one" and store.identify("k2") == "nextchat"
    _secret_dir(root, {"nextchat": hash_key("k3")}, 2)
    assert store.identify("k1") is None and store.identify("k2") is None
    assert store.identify("k3") == "nextchat"
    assert store.names == ["nextchat"]


def test_check_interval_bounds_rereads(tmp_path) -> None:
    now = [0.0]
    path = tmp_path / "keys.yaml"
    write_keys(path, {"a": "k1"})
    store = KeyStore([path], check_interval=5, clock=lambda: now[0])
    write_keys(path, {"a": "k2-longer"})
    now[0] = 1
    assert store.identify("k1") == "a"
    now[0] = 6
    assert store.identify("k2-longer") == "a"


def test_entries_with_bad_names_or_hashes_are_skipped() -> None:
    assert parse_entries({"ok": "v", "bad name": "v", "h": "sha256:xyz", "": "v", "n": None}) == {
        "ok": hash_key("v")}


@pytest.mark.parametrize(("header", "token"), [("Bearer abc", "abc"), ("bearer  abc ", "abc"), ("Basic abc", None),
                                               ("Bearer", None), (None, None)])
def test_bearer_token(header, token) -> None:
    assert bearer_token(header) == token
