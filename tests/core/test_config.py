"""resolve_config fills every computed default; serving_config has the contract's shape."""

from __future__ import annotations

import pytest
from deepseek_ext.adapters.files import load_values_schema
from deepseek_ext.core.catalog import Catalog
from deepseek_ext.core.config import ConfigInvalid, resolve_config, serving_config

SCHEMA = load_values_schema()


def test_resolve_fills_the_computed_defaults(catalog: Catalog, defaults: dict) -> None:
    resolved = resolve_config({}, defaults=defaults, catalog=catalog, schema=SCHEMA)
    backend = resolved["backend"]
    assert backend["model"]["name"] == "deepseek-r1:1.5b"
    assert backend["server"]["image"]["tag"] == catalog.ollama_version
    assert backend["server"]["resources"] == {
        "requests": {"cpu": "2", "memory": "2816Mi"},
        "limits": {"memory": "3840Mi"},
    }
    assert backend["server"]["env"]["OLLAMA_CONTEXT_LENGTH"] == "8192"
    assert backend["gpu"]["count"] == 0
    assert backend["persistence"]["size"] == "10Gi"
    # everything else keeps the values.yaml layout
    assert resolved["global"]["imageRegistry"] == defaults["global"]["imageRegistry"]
    assert backend["chat"] == defaults["backend"]["chat"]


def test_resolve_on_gpus_fills_the_assumed_gpu_memory(catalog: Catalog, defaults: dict) -> None:
    resolved = resolve_config(
        {"backend": {"model": {"tag": "70b"}, "enableNvidia": True}}, defaults=defaults, catalog=catalog, schema=SCHEMA
    )
    gpu = resolved["backend"]["gpu"]
    assert gpu == {**gpu, "count": 3, "memoryPerGPU": "24Gi"}
    assert resolved["backend"]["server"]["resources"]["limits"]["nvidia.com/gpu"] == 3


def test_resolve_keeps_a_mirror_registry_in_the_model_name(catalog: Catalog, defaults: dict) -> None:
    resolved = resolve_config(
        {"backend": {"model": {"registry": "harbor.local/ollama/", "tag": "7b"}}},
        defaults=defaults,
        catalog=catalog,
        schema=SCHEMA,
    )
    assert resolved["backend"]["model"]["name"] == "harbor.local/ollama/deepseek-r1:7b"


def test_resolve_refuses_invalid_configs(catalog: Catalog, defaults: dict) -> None:
    with pytest.raises(ConfigInvalid) as failure:
        resolve_config({"backend": {"model": {"tag": "3b"}}}, defaults=defaults, catalog=catalog, schema=SCHEMA)
    assert failure.value.report.errors[0].code.value == "UnknownModelTag"


def test_serving_config_shape(catalog: Catalog, defaults: dict) -> None:
    values = {
        "global": {"extension": {"ingress": {"domainSuffix": "ks.example.com", "httpPort": 30080}}},
        "backend": {
            "models": ["deepseek-r1:7b", "deepseek-r1:1.5b"],
            "enableAMD": True,
            "gpu": {"memoryPerGPU": "16Gi"},
        },
    }
    config = serving_config(resolve_config(values, defaults=defaults, catalog=catalog, schema=SCHEMA))
    assert config["model"] == "deepseek-r1:1.5b"
    assert config["models"] == ["deepseek-r1:1.5b", "deepseek-r1:7b"]
    assert config["accelerator"] == "amd" and config["gpuCount"] == 1
    assert config["ollamaVersion"] == catalog.ollama_version
    assert config["chatUrl"] == "http://deepseek.ks.example.com:30080"
    assert config["pvcName"] == "deepseek-models" and config["ollamaPort"] == 11434
    assert config["ollamaAdminPort"] == 11435  # the gateway's admin port (docs/gateway.md)
    assert config["ollamaSelector"] == {"app": "deepseek-backend-server"}
    assert set(config) == {
        "model",
        "models",
        "pull",
        "registry",
        "contextLength",
        "parallel",
        "kvCacheType",
        "keepAlive",
        "accelerator",
        "gpuCount",
        "ollamaVersion",
        "replicas",
        "accessModes",
        "pvcName",
        "ollamaService",
        "ollamaPort",
        "ollamaAdminPort",
        "gatewayRequireKey",
        "maxLoadedModels",
        "ollamaSelector",
        "ollamaDeployment",
        "chatService",
        "chatDeployment",
        "chatSelector",
        "ingressName",
        "chatUrl",
        "accessCodeSecret",
    }


def test_serving_config_without_ingress_has_no_chat_url(catalog: Catalog, defaults: dict) -> None:
    assert serving_config(resolve_config({}, defaults=defaults, catalog=catalog, schema=SCHEMA))["chatUrl"] is None
