"""The app factory: defaults, environment, test mapping; blueprints; start-up mode in the log."""

from __future__ import annotations

import logging

from deepseek_ext.api import create_app
from deepseek_ext.settings import API_PREFIX


def test_config_mapping_overrides_settings(app):
    assert app.testing
    custom = create_app({"TESTING": True, "SETTINGS": {"cluster": {"namespace": "ns-x"}}})
    assert custom.config["SETTINGS"].cluster.namespace == "ns-x"
    assert app.config["SETTINGS"].cluster.namespace == "extension-deepseek"
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024


def test_every_blueprint_is_registered(app):
    rules = {r.rule for r in app.url_map.iter_rules()}
    for path in (
        "/healthz",
        "/readyz",
        "/metrics",
        f"{API_PREFIX}/openapi.json",
        f"{API_PREFIX}/models",
        f"{API_PREFIX}/config/validate",
        f"{API_PREFIX}/config/resolve",
        f"{API_PREFIX}/status",
    ):
        assert path in rules
    assert not any(r.startswith("/static") for r in rules), "no static route: every answer is JSON"


def test_start_up_log_says_standalone_and_how_to_connect(tmp_path, monkeypatch, caplog):
    monkeypatch.delenv("KUBECONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    with caplog.at_level(logging.INFO, logger="deepseek_ext.api"):
        create_app()
    assert "standalone mode" in caplog.text and "KUBECONFIG" in caplog.text


def test_start_up_log_names_kubeconfig_and_namespace(tmp_path, monkeypatch, caplog):
    kubeconfig = tmp_path / "config"
    kubeconfig.write_text("apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n")
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))
    monkeypatch.setenv("DEEPSEEK_NAMESPACE", "ns-y")
    with caplog.at_level(logging.INFO, logger="deepseek_ext.api"):
        app = create_app()
    assert f"kubeconfig: {kubeconfig}" in caplog.text and "namespace: ns-y" in caplog.text
    # A kubeconfig without a usable context is a clear 503 on cluster endpoints, not a crash.
    r = app.test_client().get(f"{API_PREFIX}/status")
    assert r.status_code == 503 and r.json["code"] == "ClusterUnavailable"
    assert str(kubeconfig) in r.json["message"]["en"]


def test_health_endpoints_need_no_cluster(client):
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/readyz").json == {"status": "ok", "mode": "standalone"}
