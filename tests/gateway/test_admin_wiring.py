"""The manager's ollama client through the gateway's admin listener, with the mounted admin key."""

from __future__ import annotations

import pytest
from deepseek_ext.adapters.ollama import OllamaClient, OllamaError, gateway_admin_key

from tests.gateway.conftest import ADMIN_KEY


def test_client_pulls_and_deletes_through_the_admin_port_with_the_key(gateway, tmp_path, monkeypatch) -> None:
    key_file = tmp_path / "manager"
    key_file.write_text(ADMIN_KEY + "\n")
    monkeypatch.setenv("DEEPSEEK_OLLAMA_KEY_FILE", str(key_file))
    with OllamaClient(gateway.admin_url, timeout=10) as client:
        client.pull("deepseek-r1:14b")  # raises unless ollama said success
        assert "deepseek-r1:14b" in {m["name"] for m in client.tags()}
        assert client.delete("deepseek-r1:14b") is True
    assert gateway.ollama.stats.deletes["deepseek-r1:14b"] == 1


def test_client_without_the_key_is_refused(gateway, monkeypatch) -> None:
    monkeypatch.delenv("DEEPSEEK_OLLAMA_KEY_FILE", raising=False)
    with OllamaClient(gateway.admin_url, timeout=10) as client, pytest.raises(OllamaError):
        client.delete("deepseek-r1:1.5b")
    assert gateway.ollama.stats.log == []


def test_admin_key_file(tmp_path) -> None:
    assert gateway_admin_key({}) is None
    assert gateway_admin_key({"DEEPSEEK_OLLAMA_KEY_FILE": str(tmp_path / "missing")}) is None
    (tmp_path / "k").write_text(" abc \n")
    assert gateway_admin_key({"DEEPSEEK_OLLAMA_KEY_FILE": str(tmp_path / "k")}) == "abc"
