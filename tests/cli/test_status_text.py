"""``deepseek-ext status`` text: rate, ETA, retry count and next retry; ``--lang zh`` in full."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from deepseek_ext.adapters.files import load_messages
from deepseek_ext.core.messages import Message
from deepseek_ext.status_cli import render_text

NOW = datetime(2026, 12, 1, 12, 0, 0, tzinfo=UTC)
M7, M15 = "deepseek-r1:7b", "deepseek-r1:1.5b"


def report() -> dict:
    return {
        "phase": "PullingModel",
        "message": {"en": "Downloading the model.", "zh": "正在下载模型。"},
        "components": [
            {"name": "model", "state": "Progressing", "findings": [
                {"severity": "warning", "code": "ModelPullFailed",
                 "message": {"en": "The download stalled.", "zh": "下载停滞。"},
                 "fix": {"en": "Nothing to do.", "zh": "无需操作。"},
                 "evidence": {"kind": "ConfigMap", "name": "deepseek-model-state", "event": "no new bytes"}},
            ]},
            {"name": "ollama", "state": "Ready", "findings": []},
        ],
        "models": [
            {"name": M7, "state": "pulling", "sizeBytes": 0, "sizeVramBytes": 0,
             "progress": {"model": M7, "percent": 25.0, "completedBytes": 1_181_116_006,
                          "totalBytes": 4_724_464_025, "bytesPerSecond": 10_485_760.0, "etaSeconds": 338.0}},
            {"name": M15, "state": "failed", "sizeBytes": 0, "sizeVramBytes": 0, "progress": None},
        ],
        "endpoints": {"ollama": "http://o:11434", "openai": "http://o:11434/v1", "chat": None},
    }


RECORDS = {"models": {
    M7: {"phase": "Pulling", "attempts": 1, "lastError": None, "nextRetryAt": None},
    M15: {"phase": "Failed", "attempts": 3, "lastError": {"code": "RegistryUnreachable", "message": "x"},
          "nextRetryAt": "2026-12-01T12:02:05Z"},
}}


def say(key: str, lang: str, **params) -> str:
    return load_messages().text(Message(key, params), lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_rate_eta_attempts_and_next_retry_are_shown(lang):
    text = render_text(report(), lang, RECORDS, now=NOW)
    assert say("cli.status.rate", lang, rate="10.0 MiB") in text
    assert say("cli.status.eta", lang, eta=say("cli.status.minutes", lang, m=5, s=38)) in text
    assert say("cli.status.progress", lang, percent="25.0", completed="1.1 GiB", total="4.4 GiB") in text
    assert say("cli.status.attempts", lang, attempts=3) in text
    assert say("cli.status.lastError", lang, code="RegistryUnreachable") in text
    wait = say("cli.status.minutes", lang, m=2, s=5)
    assert say("cli.status.nextRetry", lang, time="2026-12-01T12:02:05Z", wait=wait) in text
    assert say("cli.status.model", lang, name=M15, state=Message("modelState.failed")) + "\n" in text


def test_a_stalled_download_says_no_bytes_move_and_verifying_its_deadline():
    rep = report()
    rep["models"][0]["progress"].update(bytesPerSecond=0.0, etaSeconds=None)
    records = {"models": {M7: {"phase": "Stalled", "attempts": 2, "lastError": {"code": "Stalled"},
                               "nextRetryAt": "2026-12-01T11:59:00Z"}}}
    text = render_text(rep, "en", records, now=NOW)
    assert say("cli.status.model.withPhase", "en", name=M7, state=Message("modelState.pulling"),
               phase=Message("managerPhase.Stalled")) in text
    assert say("cli.status.stalledNoRate", "en") in text
    assert say("cli.status.nextRetryDue", "en", time="2026-12-01T11:59:00Z") in text
    records["models"][M7] = {"phase": "Verifying", "verifyDeadline": "2026-12-01T12:10:00Z", "attempts": 0}
    text = render_text(rep, "en", records, now=NOW)
    assert say("cli.status.verifyUntil", "en", time="2026-12-01T12:10:00Z") in text


def test_chinese_output_has_no_english_words_of_ours():
    zh = render_text(report(), "zh", RECORDS, now=NOW)
    # Every ASCII word left is a name, a code, a URL or a unit, never one of our labels.
    allowed = {"deepseek", "r1", "b", "ollama", "openai", "http", "o", "v1", "ModelPullFailed", "ConfigMap",
               "model", "state", "no", "new", "bytes", "MiB", "GiB", "Z", "T12", "RegistryUnreachable",
               "Pod"}  # a Kubernetes noun the catalog keeps in Chinese too
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", zh))
    # "model" and "state" only inside deepseek-model-state, "no new bytes" is ollama's event text.
    assert words - allowed == set(), words - allowed
    en = render_text(report(), "en", RECORDS, now=NOW)
    for label in ("evidence", "fix", "ETA", "attempt", "next retry", "Downloading", "In progress", "warning"):
        assert label in en and label not in zh
