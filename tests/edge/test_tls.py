"""The edge serves TLS with the chart's generated certificate, and a client that trusts only the
APIService caBundle (as ks-apiserver does) connects by the Service's name."""

from __future__ import annotations

import base64
import socket
import ssl
from pathlib import Path

import pytest
import requests
from deepseek_ext.edge.app import server_ssl_context

from tests.helmtools import NAMESPACE, one, render


@pytest.fixture(scope="module")
def rendered_tls(chart, tmp_path_factory) -> dict[str, Path | str]:
    objects = render(chart)
    secret = one(objects, "Secret", "deepseek-api-tls")
    assert secret["type"] == "kubernetes.io/tls"
    out = tmp_path_factory.mktemp("tls")
    for key in ("tls.crt", "tls.key"):
        (out / key).write_bytes(base64.b64decode(secret["data"][key]))
    ca = base64.b64decode(one(objects, "APIService")["spec"]["caBundle"]).decode()
    return {"crt": out / "tls.crt", "key": out / "tls.key", "ca": ca}


def test_a_client_trusting_the_cabundle_reaches_the_edge_by_the_service_name(rendered_tls, echo, make_edge):
    _, upstream = echo
    edge = make_edge(upstream.url, ssl_context=server_ssl_context(rendered_tls["crt"], rendered_tls["key"]))
    port = int(edge.url.rsplit(":", 1)[1])
    client = ssl.create_default_context(cadata=rendered_tls["ca"])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw, \
            client.wrap_socket(raw, server_hostname=f"deepseek-api.{NAMESPACE}.svc") as tls:
        tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert tls.recv(4096).startswith(b"HTTP/1.1 200")
        assert tls.version() in ("TLSv1.2", "TLSv1.3")
    # Another name, or no trust in the caBundle, fails the handshake.
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw, pytest.raises(ssl.SSLCertVerificationError):
        client.wrap_socket(raw, server_hostname="deepseek-api.elsewhere.svc")
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(edge.url + "/healthz", timeout=5)  # the system trust store does not know our CA
