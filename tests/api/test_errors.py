"""Every bad request gets a JSON 4xx that names the field, what was given and what is allowed (en + zh)."""

from __future__ import annotations

import logging
import time

import pytest
from deepseek_ext.adapters.files import load_messages
from deepseek_ext.api import create_app
from deepseek_ext.api.auth import remote_user, write_endpoint
from deepseek_ext.api.errors import DOMAIN_STATUS
from deepseek_ext.core import errors
from deepseek_ext.core.messages import Message
from deepseek_ext.settings import API_PREFIX

VALIDATE = f"{API_PREFIX}/config/validate"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(8)
)


def assert_error(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.data
    assert r.mimetype == "application/json"
    body = r.get_json()
    assert body["status"] == status and body["code"] == code
    assert body["message"]["en"] and body["message"]["zh"] and body["message"]["en"] != body["message"]["zh"]
    assert "Traceback" not in r.get_data(as_text=True)
    return body


def test_wrong_content_type_is_415_naming_the_allowed_types(client):
    body = assert_error(client.post(VALIDATE, data="<html/>", content_type="text/html"), 415, "UnsupportedMediaType")
    assert body["field"] == "Content-Type" and body["given"] == "text/html"
    assert "application/yaml" in body["allowed"] and "application/json" in body["allowed"]


def test_body_over_1_mib_is_413(client):
    data = "a: " + "x" * (1024 * 1024 + 10)
    body = assert_error(client.post(VALIDATE, data=data, content_type="application/yaml"), 413, "PayloadTooLarge")
    assert body["field"] == "body" and "1 MiB" in body["message"]["en"]


def test_yaml_bomb_is_refused_fast(client):
    started = time.monotonic()
    body = assert_error(client.post(VALIDATE, data=BOMB, content_type="application/yaml"), 400, "InvalidConfigDocument")
    assert time.monotonic() - started < 2
    assert body["field"] == "body"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ("backend: [unclosed", "line"),
        ("- just\n- a list\n", "map"),
        ('{"backend": ', "YAML or JSON"),
    ],
)
def test_malformed_documents_are_400_saying_why(client, data, fragment):
    body = assert_error(client.post(VALIDATE, data=data, content_type="application/yaml"), 400, "InvalidConfigDocument")
    assert fragment in body["message"]["en"]


def test_invalid_utf8_is_400(client):
    body = assert_error(
        client.post(VALIDATE, data=b"backend: \xff\xfe", content_type="application/yaml"),
        400,
        "InvalidEncoding",
    )
    assert body["allowed"] == "UTF-8 text"


def test_unknown_path_is_json_404_pointing_at_the_openapi_document(client):
    body = assert_error(client.get(f"{API_PREFIX}/nope"), 404, "NotFound")
    assert "openapi.json" in body["message"]["en"] and body["given"] == f"{API_PREFIX}/nope"


def test_wrong_method_is_json_405_with_allow(client):
    r = client.delete(VALIDATE)
    body = assert_error(r, 405, "MethodNotAllowed")
    assert body["allowed"] == ["POST"] and r.headers["Allow"] == "POST"


def test_language_follows_accept_language(client):
    r = client.get(f"{API_PREFIX}/nope", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert r.get_json()["language"] == "zh" and r.headers["Content-Language"] == "zh"
    assert client.get(f"{API_PREFIX}/nope").get_json()["language"] == "en"


def test_writes_refuse_callers_without_x_remote_user_and_log_who_wrote(tmp_path, monkeypatch, caplog):
    monkeypatch.delenv("KUBECONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    app = create_app({"TESTING": True})

    @app.post("/test-write")
    @write_endpoint
    def _write():
        return {"user": remote_user()}

    client = app.test_client()
    body = assert_error(
        client.post("/test-write", headers={"Authorization": "Bearer secret-token"}), 401, "Unauthenticated"
    )
    assert body["field"] == "X-Remote-User"
    with caplog.at_level(logging.INFO, logger="deepseek_ext.audit"):
        r = client.post("/test-write", headers={"X-Remote-User": "alice", "Authorization": "Bearer secret-token"})
    assert r.status_code == 200 and r.json == {"user": "alice"}
    assert "user=alice" in caplog.text and "secret-token" not in caplog.text


def test_every_domain_error_has_a_status_and_a_catalog_entry():
    assert set(DOMAIN_STATUS) == set(errors.DOMAIN_ERRORS)
    catalog = load_messages()
    missing = [cls.code for cls in errors.DOMAIN_ERRORS if f"error.{cls.code}" not in catalog]
    assert not missing, f"no error.<code> entry for {missing}"


def test_a_domain_error_is_rendered_from_the_catalog_with_its_fields(tmp_path, monkeypatch):
    monkeypatch.delenv("KUBECONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    app = create_app({"TESTING": True})

    @app.get("/test-refusal")
    def _refuse():
        raise errors.ModelConfigured("deepseek-r1:7b", given="deepseek-r1:7b")

    body = assert_error(app.test_client().get("/test-refusal", headers={"Accept-Language": "zh"}), 409,
                        "ModelConfigured")
    assert body["message"] == load_messages().render(Message("error.ModelConfigured", {"model": "deepseek-r1:7b"}))
    assert body["field"] == "name" and body["given"] == "deepseek-r1:7b" and body["language"] == "zh"
    assert "reason" not in body  # None details stay out of the body
