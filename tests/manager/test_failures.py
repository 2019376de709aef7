"""Classification of ollama's own error texts (pure), each quoted from ollama v0.32.15 with the line
that produces it (github.com/ollama/ollama @ b7871fc, tag v0.32.15)."""

from __future__ import annotations

import pytest
from deepseek_ext.core.failures import LOAD_FAILURES
from deepseek_ext.manager.failures import FailureCode, classify

MANIFEST_URL = "https://registry.ollama.ai/v2/library/deepseek-r1/manifests/7b"

PULLS = [
    # server/images.go:1025 wraps the manifest request error; Go's net package supplies the rest.
    (f'pull model manifest: Get "{MANIFEST_URL}": read tcp 10.233.64.12:52344->104.21.75.227:443: '
     "read: connection reset by peer", FailureCode.REGISTRY_UNREACHABLE, "reset (images.go:1025)"),
    (f'pull model manifest: Get "{MANIFEST_URL}": EOF', FailureCode.REGISTRY_UNREACHABLE, "bare EOF (images.go:1025)"),
    ("EOF", FailureCode.REGISTRY_UNREACHABLE, "bare EOF of a blob request (download.go:507, 516)"),
    ("max retries exceeded: read tcp 10.233.64.12:40112->172.67.182.229:443: read: connection reset by peer",
     FailureCode.REGISTRY_UNREACHABLE, "part retries exhausted (download.go:307)"),
    (f'pull model manifest: Get "{MANIFEST_URL}": dial tcp: lookup registry.ollama.ai on 10.96.0.10:53: '
     "no such host", FailureCode.REGISTRY_UNREACHABLE, "dns (images.go:1025)"),
    # errUnauthorized (images.go:1307) after the one retry with a token (images.go:1321-1352).
    ("pull model manifest: unauthorized: access denied", FailureCode.REGISTRY_AUTH, "unauthorized (images.go:1352)"),
    ('pull model manifest: 403: {"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}',
     FailureCode.REGISTRY_AUTH, "403 body (images.go:1346)"),
    ('realm host "auth.example.com" does not match original host "mirror.example.com"',
     FailureCode.REGISTRY_AUTH, "token realm elsewhere (auth.go:61)"),
    # A re-pull joins the download being cancelled and gets its error (download.go:440-444, 502-516).
    ("context canceled", FailureCode.INTERRUPTED, "cancelled join (download.go:454)"),
    ("pull model manifest: file does not exist", FailureCode.UNKNOWN_TAG, "404 (images.go:1337-1339)"),
    ("pull model manifest: 412: The model you are attempting to pull requires a newer version of Ollama.",
     FailureCode.OLLAMA_TOO_OLD, "412 body (images.go:1346)"),
    ("write /root/.ollama/models/blobs/sha256-aa-partial: no space left on device", FailureCode.DISK_FULL,
     "ENOSPC (download.go:291)"),
    ("digest mismatch, file must be downloaded again: want sha256:aa, got sha256:bb", FailureCode.OTHER,
     "digest mismatch (images.go:1447)"),
]


@pytest.mark.parametrize(("text", "code"), [p[:2] for p in PULLS], ids=[p[2] for p in PULLS])
def test_pull_errors(text: str, code: FailureCode) -> None:
    assert classify(text, status=200) is code


LOADS = [
    # A missing weights blob drops the completion capability (images.go:720-725, 543-573) and the
    # load is refused with 400 (routes.go:466-469).
    ('"deepseek-r1:7b" does not support generate', FailureCode.PARTIAL, "missing weights (routes.go:468)"),
    ('"deepseek-r1:7b" does not support chat', FailureCode.PARTIAL, "missing weights on chat (routes.go:2636)"),
    ("llama-server process has terminated: exit status 1: error loading model: tensor data is not within the "
     "file bounds", FailureCode.PARTIAL, "half-copied blob (llm/llama_server.go:1309)"),
    # The runner killed by the kernel: exec.ExitError "signal: killed" (llm/llama_server.go:1325).
    ("llama-server process has terminated: signal: killed", FailureCode.RUNNER_KILLED,
     "killed (llama_server.go:1325)"),
    ("llama-server process has terminated: exit status 2: cudaMalloc failed: out of memory",
     FailureCode.RUNNER_KILLED, "out of memory (llm/status.go:85-96)"),
    ("timed out waiting for llama-server to start - ", FailureCode.LOAD_FAILED, "load timeout (llama_server.go:1336)"),
    ("model runner has unexpectedly stopped, this may be due to resource limitations or an internal error, check "
     "ollama server logs for details", FailureCode.LOAD_FAILED, "runner stopped (llama_server.go:1644)"),
    ("llama-server process has terminated: exit status 2", FailureCode.LOAD_FAILED,
     "other exit (llama_server.go:1318)"),
]


@pytest.mark.parametrize(("text", "code"), [p[:2] for p in LOADS], ids=[p[2] for p in LOADS])
def test_load_errors_are_load_failures_never_download_ones(text: str, code: FailureCode) -> None:
    got = classify(text, status=400 if "does not support" in text else 500, during_load=True)
    assert got is code and got in LOAD_FAILURES


def test_a_dropped_stream_is_interrupted_whatever_the_text() -> None:
    assert classify("anything", interrupted=True) is FailureCode.INTERRUPTED
