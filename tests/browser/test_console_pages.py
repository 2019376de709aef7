"""The console pages in headless Debian Chromium, against the real extension API.

Each scenario is the API as shipped (gunicorn with the rendered Deployment's command and env,
tests/stack.Stack) over the loopback Kubernetes double seeded with the rendered chart plus the
cluster state of the scenario, and loopback ollama doubles. The built bundle is loaded into a
stand-in of ks-console (tests/browser/console.py) that provides the shared modules and proxies
/kapis/... to the API. Assertions are on what a person reads, in English and in Chinese; every
page is screenshotted to tests/output/.

The test page may reach only the console stand-in: any other request fails the test (the NextChat
address is answered by the browser itself with a placeholder page). The chat page's own streaming
is tested against a double of the chat endpoint in test_chat_page.py.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import requests
import yaml
from playwright.sync_api import Page, expect

from tests import stack as harness
from tests.browser.console import CannedApi, ConsoleDouble
from tests.helmtools import NAMESPACE, find, render
from tests.stack import VENV_BIN, Stack

pytestmark = pytest.mark.browser
PREFIX = "/kapis/deepseek.kubesphere.io/v1alpha1"
LANGS = ("en", "zh")
# Texts a person reads for each phase (the page's own words; the API sends the phase code).
PHASE_TEXT = {
    "PullingModel": {"en": "Downloading the model", "zh": "正在下载模型"},
    "Ready": {"en": "Ready", "zh": "就绪"},
    "Failed": {"en": "Failed", "zh": "失败"},
}
FAKE_NEXTCHAT = "<!doctype html><title>NextChat</title><body><h1>NextChat stand-in</h1></body>"
CHAT_URL = "http://deepseek.example.com"

# What the model manager records while it downloads (docs/architecture.md, "Model state").
PULLING = {"phase": "Pulling", "completedBytes": 850_000_000, "totalBytes": 2_000_000_000, "percent": 42.5,
           "bytesPerSecond": 12_500_000.0, "etaSeconds": 92, "attempts": 1,
           "started": "2026-11-29T10:00:00Z", "updated": "2026-11-29T10:01:08Z"}
FAILED = {"phase": "Failed", "completedBytes": 0, "totalBytes": 0, "percent": 0.0, "bytesPerSecond": 0.0,
          "etaSeconds": None, "attempts": 3,
          "lastError": {"code": "DiskFull",
                        "message": "write /models/blobs/sha256-6e9f: no space left on device"},
          "started": "2026-11-29T10:00:00Z", "updated": "2026-11-29T10:03:00Z"}


def model_state(model: str, record: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "deepseek-model-state", "namespace": NAMESPACE},
            "data": {"state.json": json.dumps({"models": {model: {"model": model, "pods": [], **record}}})}}


def remove_model_from_ollama(stack: Stack, model: str) -> None:
    """The model is not on the volume yet: delete it through ollama's own API (`ollama rm`)."""
    for ip in stack.fleet.ips:
        url = f"http://{ip}:{stack.fleet.port}/api/delete"
        answer = requests.delete(url, json={"model": model}, timeout=5)
        assert answer.status_code == 200, answer.text


@contextmanager
def running(stack: Stack, bundle: Path) -> Iterator[tuple[Stack, ConsoleDouble]]:
    with stack, ConsoleDouble(bundle=bundle, api_url=stack.url) as console:
        yield stack, console


def api_status(console: ConsoleDouble) -> tuple[int, dict[str, Any]]:
    """The status report as the page gets it (same path, same proxy)."""
    # Generous: the first report reads the whole snapshot, and CI machines are shared.
    answer = requests.get(console.url + PREFIX + "/status", timeout=60)
    return answer.status_code, answer.json()


# ----- scenarios --------------------------------------------------------------------------------
OLLAMA_PORT = 11434


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def make_stack(**kwargs: Any) -> Stack:
    """A Stack whose ollama doubles listen on ollama's real port when it is free, so the addresses
    the page shows (and the README screenshots) read as in a cluster: ...svc:11434. Only one
    scenario runs at a time (class-scoped fixtures), so they never compete for it."""
    if not _port_free(harness.POD_NET + "1", OLLAMA_PORT):
        return Stack(**kwargs)
    with mock.patch.object(harness, "free_port", lambda host="127.0.0.1": OLLAMA_PORT):
        return Stack(**kwargs)


@pytest.fixture(scope="class")
def pulling(bundle: Path) -> Iterator[tuple[Stack, ConsoleDouble]]:
    """The configured model is downloading (42.5%); no ingress domain suffix, so no chat URL."""
    stack = make_stack(loaded=False, extra_env={"DEEPSEEK_KUBE_CACHE_TTL": "0.5"})
    model = stack.serving["model"]
    stack.kube.put(model_state(model, PULLING))
    with running(stack, bundle) as env:
        remove_model_from_ollama(stack, model)
        yield env


@pytest.fixture(scope="class")
def ready(bundle: Path) -> Iterator[tuple[Stack, ConsoleDouble]]:
    """All up, the model loaded, NextChat published at deepseek.example.com (Ingress with an address)."""
    stack = make_stack(loaded=True, set_values={"global.extension.ingress.domainSuffix": "example.com"})
    ingress = stack.kube.get("Ingress", stack.serving["ingressName"], NAMESPACE)
    assert ingress is not None, "the chart renders no Ingress with a domain suffix"
    ingress["status"] = {"loadBalancer": {"ingress": [{"ip": "192.0.2.10"}]}}
    stack.kube.put(ingress)
    with running(stack, bundle) as env:
        yield env


@pytest.fixture(scope="class")
def failed(bundle: Path) -> Iterator[tuple[Stack, ConsoleDouble]]:
    """The download failed: the models volume is full; nothing is served."""
    stack = make_stack(loaded=False)
    model = stack.serving["model"]
    stack.kube.put(model_state(model, FAILED))
    with running(stack, bundle) as env:
        remove_model_from_ollama(stack, model)
        yield env


# ----- the page ---------------------------------------------------------------------------------
@contextmanager
def open_page(browser: Any, console: ConsoleDouble, path: str, lang: str, *, clock: bool = False,
              chat_url: str | None = None) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 860},
                                  locale="zh-CN" if lang == "zh" else "en-US",
                                  ignore_https_errors=console.scheme == "https")
    context.add_cookies([{"name": "lang", "value": lang, "url": console.url}])
    outside: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(console.url + "/"):
            route.continue_()
        elif chat_url and url.rstrip("/") == chat_url.rstrip("/"):
            route.fulfill(status=200, content_type="text/html", body=FAKE_NEXTCHAT)
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    if clock:
        page.clock.install()
    try:
        page.goto(console.url + path)
        page.wait_for_function("window.__harness && (window.__harness.ready || window.__harness.error)")
        assert page.evaluate("window.__harness.error || null") is None
        yield page
        assert errors == [], f"uncaught errors in the page: {errors}"
        assert outside == [], f"the page tried to reach addresses outside the test: {outside}"
    finally:
        context.close()


def shoot(page: Page, output_dir: Path, name: str) -> None:
    page.screenshot(path=str(output_dir / f"console-{name}.png"), full_page=True)


def pick(field: dict[str, str], lang: str) -> str:
    return field[lang]


# ----- the three states, each with its own API (one at a time) ------------------------------------
class TestPulling:
    """A model is downloading."""

    @pytest.mark.parametrize("lang", LANGS)
    def test_status_while_pulling_shows_the_download_progress(self, pulling, browser, output_dir: Path,
                                                              lang: str) -> None:
        stack, console = pulling
        code, report = api_status(console)
        assert code == 200 and report["phase"] == "PullingModel", report
        with open_page(browser, console, "/deepseek", lang) as page:
            expect(page).to_have_url(re.compile(r"/deepseek/status$"))
            expect(page.get_by_test_id("phase-label")).to_have_text(PHASE_TEXT["PullingModel"][lang])
            expect(page.get_by_test_id("phase-message")).to_have_text(pick(report["message"], lang))
            download = page.get_by_test_id("download")
            model = stack.serving["model"]
            expect(download).to_contain_text({"en": f"Downloading {model}", "zh": f"正在下载 {model}"}[lang])
            expect(page.get_by_test_id("download-percent")).to_have_text("42.5%")
            expect(page.get_by_test_id("download-bytes")).to_have_text(
                {"en": "850 MB of 2.0 GB", "zh": "已下载 850 MB，共 2.0 GB"}[lang])
            expect(page.get_by_test_id("download-rate")).to_have_text(
                {"en": "12.5 MB/s", "zh": "12.5 MB/秒"}[lang])
            expect(page.get_by_test_id("download-eta")).to_have_text(
                {"en": "about 1 min 32 s left", "zh": "预计还需 1分 32秒"}[lang])
            expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "43")
            row = page.get_by_test_id("model-row").filter(has_text=model)
            expect(row).to_contain_text({"en": "Downloading", "zh": "下载中"}[lang])
            endpoints = page.get_by_test_id("endpoints")
            expect(endpoints).to_contain_text(report["endpoints"]["ollama"])
            expect(endpoints).to_contain_text(report["endpoints"]["openai"])
            assert report["endpoints"]["openai"].endswith("/v1")
            shoot(page, output_dir, f"status-pulling-{lang}")

    @pytest.mark.parametrize("lang", LANGS)
    def test_chat_without_ingress_offers_the_configured_models_and_no_nextchat_link(
            self, pulling, browser, output_dir: Path, lang: str) -> None:
        stack, console = pulling
        assert api_status(console)[1]["endpoints"]["chat"] is None
        model = stack.serving["model"]
        with open_page(browser, console, "/deepseek/chat", lang) as page:
            # The native page needs no Ingress: the real API's configured model, with its state.
            picker = page.get_by_test_id("model-picker")
            expect(picker).to_have_value(model)
            expect(picker.locator("option:checked")).to_have_text(
                {"en": f"{model} · Downloading", "zh": f"{model} · 下载中"}[lang])
            expect(page.get_by_test_id("welcome")).to_be_visible()
            expect(page.get_by_test_id("nextchat-link")).to_have_count(0)
            expect(page.locator("iframe")).to_have_count(0)
            shoot(page, output_dir, f"chat-no-ingress-{lang}")

    def test_status_page_polls_while_open_and_stops_when_left(self, pulling, browser) -> None:
        stack, console = pulling
        model = stack.serving["model"]
        with open_page(browser, console, "/deepseek/status", "en", clock=True) as page:
            expect(page.get_by_test_id("download-percent")).to_have_text("42.5%")
            # The manager records more progress; the open page shows it without a reload.
            stack.kube.put(model_state(model, {**PULLING, "percent": 80.0, "completedBytes": 1_600_000_000,
                                               "etaSeconds": 32}))
            for _ in range(20):  # bounded: the API's Kubernetes cache expires in 0.5 s
                page.clock.run_for(5_000)
                if page.get_by_test_id("download-percent").inner_text() == "80%":
                    break
                page.wait_for_timeout(300)
            expect(page.get_by_test_id("download-percent")).to_have_text("80%")
            expect(page.get_by_test_id("download-eta")).to_have_text("about 32 s left")
            # Leave for the chat tab: it asks once, then nothing asks any more.
            page.get_by_role("link", name="Chat").click()
            expect(page.get_by_test_id("chat-page")).to_be_visible()
            page.wait_for_timeout(300)
            asked = len(console.api_requests)
            page.clock.run_for(60_000)
            page.wait_for_timeout(500)
            assert len(console.api_requests) == asked, "the status page kept polling after it was left"
        stack.kube.put(model_state(model, PULLING))


class TestReady:
    """Everything is up and NextChat has an Ingress."""

    @pytest.mark.parametrize("lang", LANGS)
    def test_status_when_ready_shows_the_model_loaded_and_api_addresses(self, ready, browser,
                                                                        output_dir: Path, lang: str) -> None:
        stack, console = ready
        code, report = api_status(console)
        assert code == 200 and report["phase"] == "Ready", report
        with open_page(browser, console, "/deepseek/status", lang) as page:
            expect(page.get_by_test_id("phase-label")).to_have_text(PHASE_TEXT["Ready"][lang])
            expect(page.get_by_test_id("download")).to_have_count(0)
            row = page.get_by_test_id("model-row").filter(has_text=stack.serving["model"])
            expect(row).to_contain_text({"en": "Loaded", "zh": "已加载"}[lang])
            for component in report["components"]:
                expect(page.get_by_test_id(f"component-{component['name']}")).to_contain_text(
                    {"en": "Ready", "zh": "就绪"}[lang])
            ollama = f"http://deepseek-backend-server-service.{NAMESPACE}.svc:{stack.fleet.port}"
            assert report["endpoints"]["ollama"] == ollama
            expect(page.get_by_test_id("endpoint-ollama")).to_contain_text(ollama)
            expect(page.get_by_test_id("endpoint-openai")).to_contain_text(report["endpoints"]["openai"])
            chat_link = page.get_by_test_id("endpoint-chat").get_by_role("link")
            expect(chat_link).to_have_attribute("href", re.compile("^" + re.escape(CHAT_URL) + "/?$"))
            shoot(page, output_dir, f"status-ready-{lang}")

    @pytest.mark.parametrize("lang", LANGS)
    def test_chat_with_ingress_links_to_nextchat(self, ready, browser, output_dir: Path, lang: str) -> None:
        stack, console = ready
        chat = api_status(console)[1]["endpoints"]["chat"]
        # http: the Ingress has no TLS in this config, and port 80 is left out.
        assert chat == CHAT_URL
        secret = stack.kube.get("Secret", "deepseek-chat-access", NAMESPACE)
        with open_page(browser, console, "/deepseek/chat", lang, chat_url=chat) as page:
            link = page.get_by_test_id("nextchat-link")
            expect(link).to_have_attribute("href", chat)
            expect(link).to_have_attribute("target", "_blank")
            expect(page.get_by_test_id("nextchat")).to_contain_text(
                {"en": "Outside the console:", "zh": "控制台之外："}[lang])
            # Where the access code is, never the code itself.
            expect(link).to_have_attribute("title", re.compile("deepseek-chat-access"))
            if secret is not None and (secret.get("data") or {}).get("code"):
                assert secret["data"]["code"] not in page.content()
            expect(page.get_by_test_id("model-picker").locator("option:checked")).to_have_text(
                {"en": f"{stack.serving['model']} · Loaded", "zh": f"{stack.serving['model']} · 已加载"}[lang])
            expect(page.locator("iframe")).to_have_count(0)
            shoot(page, output_dir, f"chat-nextchat-link-{lang}")

    def test_https_console_links_http_nextchat_in_a_new_tab(self, ready, bundle, browser, tmp_path: Path,
                                                            output_dir: Path) -> None:
        """0.1.0 framed http NextChat inside an https console, which browsers block; the native page
        only links to it, and a new tab may be http."""
        stack, plain = ready
        assert api_status(plain)[1]["endpoints"]["chat"] == CHAT_URL
        cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                       check=True, capture_output=True)
        with ConsoleDouble(bundle=bundle, api_url=stack.url, tls=(cert, key)) as console, \
                open_page(browser, console, "/deepseek/chat", "en", chat_url=CHAT_URL) as page:
            expect(page.get_by_test_id("nextchat-link")).to_have_attribute("href", CHAT_URL)
            expect(page.locator("iframe")).to_have_count(0)
            shoot(page, output_dir, "chat-https-console-en")


class TestFailed:
    """The download failed."""

    @pytest.mark.parametrize("lang", LANGS)
    def test_status_when_failed_names_the_problem_and_its_fix(self, failed, browser, output_dir: Path,
                                                              lang: str) -> None:
        _stack, console = failed
        code, report = api_status(console)
        assert code == 200 and report["phase"] == "Failed", report
        model_component = next(c for c in report["components"] if c["name"] == "model")
        finding = next(f for f in model_component["findings"] if f["severity"] == "error")
        with open_page(browser, console, "/deepseek/status", lang) as page:
            expect(page.get_by_test_id("phase-label")).to_have_text(PHASE_TEXT["Failed"][lang])
            shown = page.get_by_test_id("component-model").get_by_test_id("finding").filter(
                has_text=pick(finding["message"], lang))
            expect(shown).to_have_count(1)
            expect(shown.get_by_test_id("finding-fix")).to_contain_text(
                {"en": "How to fix", "zh": "解决方法"}[lang])
            expect(shown.get_by_test_id("finding-fix")).to_contain_text(pick(finding["fix"], lang))
            expect(shown).to_contain_text(finding["code"])
            expect(page.get_by_test_id("component-model")).to_contain_text(
                {"en": "Failed", "zh": "失败"}[lang])
            # The other language's text must not leak into this one.
            other = "zh" if lang == "en" else "en"
            expect(shown).not_to_contain_text(pick(finding["fix"], other))
            shoot(page, output_dir, f"status-failed-{lang}")


@contextmanager
def model_manager(stack: Stack) -> Iterator[subprocess.Popen[bytes]]:
    """The real model manager (`deepseek-ext manager`, the API pod's second container) with the
    API's environment: same kubeconfig, serving config and namespace."""
    assert stack.api is not None and stack.workdir is not None
    log = (stack.workdir / "manager.log").open("wb")
    env = {**stack.api.env, "DEEPSEEK_LOG_LEVEL": "DEBUG"}  # each call it makes, for a failure report
    proc = subprocess.Popen([str(VENV_BIN / "deepseek-ext"), "manager", "--interval", "1"], env=env,
                            cwd=stack.workdir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()
    try:
        yield proc
    except AssertionError as exc:
        # The manager's own account (each call to ollama and the Kubernetes API) belongs in the report.
        raise AssertionError(f"{exc}\n--- manager.log ---\n{(stack.workdir / 'manager.log').read_text()}") from exc
    finally:
        # Its own process group (start_new_session): the manager and nothing else.
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


def test_a_real_download_shows_progress_then_ready(bundle, browser, output_dir: Path) -> None:
    """End to end: the manager pulls from ollama (throttled), records progress in the model-state
    ConfigMap, the API reports it, and the open page follows it to Ready without a reload."""
    stack = make_stack(loaded=False, extra_env={"DEEPSEEK_KUBE_CACHE_TTL": "0.5"})
    model = stack.serving["model"]
    with running(stack, bundle) as (_stack, console):
        remove_model_from_ollama(stack, model)
        # Slow enough (the 96 KB test model would take ~30 s) that the page polls many times while
        # the download is partway, however loaded the machine; sped up once the page has shown it.
        stack.fleet.configure(bytes_per_second=3_000, chunk_bytes=4_096)
        with model_manager(stack), open_page(browser, console, "/deepseek/status", "en") as page:
            percent = page.get_by_test_id("download-percent")
            expect(percent).to_have_text(re.compile(r"^[1-9]\d?(\.\d)?%$"), timeout=45_000)
            expect(page.get_by_test_id("download-rate")).to_have_text(re.compile(r"KB/s$"))
            expect(page.get_by_test_id("download-eta")).to_have_text(re.compile(r"^about \d+ s left$"))
            shoot(page, output_dir, "status-live-download-en")
            stack.fleet.configure(bytes_per_second=None)
            expect(page.get_by_test_id("phase-label")).to_have_text("Ready", timeout=60_000)
            expect(page.get_by_test_id("download")).to_have_count(0)
            expect(page.get_by_test_id("model-row").filter(has_text=model)).to_contain_text("Loaded")
            shoot(page, output_dir, "status-live-ready-en")


# ----- errors of the API, shown as such ---------------------------------------------------------
@pytest.fixture(scope="class")
def standalone(bundle: Path) -> Iterator[tuple[Stack, ConsoleDouble]]:
    """The API without any kubeconfig: its cluster endpoints answer 503 with the reason."""
    with running(make_stack(with_cluster=False), bundle) as env:
        yield env


class TestApiWithoutCluster:
    @pytest.mark.parametrize("lang", LANGS)
    def test_503_is_shown_with_its_message_and_chat_still_explains(self, standalone, browser,
                                                                   output_dir: Path, lang: str) -> None:
        _stack, console = standalone
        code, body = api_status(console)
        assert code == 503, body
        with open_page(browser, console, "/deepseek/status", lang) as page:
            panel = page.get_by_test_id("api-error")
            expect(panel).to_contain_text("HTTP 503")
            expect(panel).to_contain_text(pick(body["message"], lang))
            expect(panel).to_contain_text("kubectl -n extension-deepseek get pods")
            shoot(page, output_dir, f"status-api-503-{lang}")
            # The chat page says the models could not be read, and lets the name be typed.
            page.get_by_role("link", name={"en": "Chat", "zh": "对话"}[lang]).click()
            expect(page.get_by_test_id("models-error")).to_contain_text("HTTP 503")
            expect(page.get_by_test_id("models-error")).to_contain_text(pick(body["message"], lang))
            expect(page.get_by_test_id("model-input")).to_be_visible()


def test_forbidden_answer_from_ks_apiserver_is_shown_with_its_status_and_message(bundle, browser) -> None:
    status = {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "Forbidden", "code": 403,
              "message": 'user "alice" cannot get resource "status" in API group "deepseek.kubesphere.io" '
                         "at the cluster scope"}
    with CannedApi(status=403, body=json.dumps(status).encode()) as api, \
            ConsoleDouble(bundle=bundle, api_url=api.url, user="alice") as console, \
            open_page(browser, console, "/deepseek/status", "en") as page:
        panel = page.get_by_test_id("api-error")
        expect(panel).to_contain_text("HTTP 403")
        expect(panel).to_contain_text(status["message"])
        expect(panel).to_contain_text("Ask a platform administrator")


def test_unreachable_api_is_shown_not_a_blank_page(bundle, browser) -> None:
    body = b"Bad Gateway: upstream connect error"
    with CannedApi(status=502, body=body, content_type="text/plain") as api, \
            ConsoleDouble(bundle=bundle, api_url=api.url) as console, \
            open_page(browser, console, "/deepseek/status", "zh") as page:
        panel = page.get_by_test_id("api-error")
        expect(panel).to_contain_text("DeepSeek API 返回了错误")
        expect(panel).to_contain_text("HTTP 502")
        expect(panel).to_contain_text("Bad Gateway: upstream connect error")


def test_answer_that_is_not_a_status_report_is_reported_not_rendered(bundle, browser) -> None:
    # A login page or a proxy's HTML where JSON was expected: say so instead of drawing nothing.
    with CannedApi(status=200, body=b"<html>login</html>", content_type="text/html") as api, \
            ConsoleDouble(bundle=bundle, api_url=api.url) as console, \
            open_page(browser, console, "/deepseek/status", "en") as page:
        expect(page.get_by_test_id("api-error")).to_contain_text("an answer this page cannot read")


def test_chat_address_that_is_not_http_never_becomes_a_link(bundle, browser) -> None:
    # The NextChat address comes from the API: a javascript: URL there must not run in the console.
    report = {"phase": "Ready", "message": {"en": "", "zh": ""}, "progress": None, "components": [],
              "models": [], "endpoints": {"ollama": None, "openai": None, "chat": "javascript:alert(1)"},
              "checkedAt": None}
    with CannedApi(status=200, body=json.dumps(report).encode()) as api, \
            ConsoleDouble(bundle=bundle, api_url=api.url) as console, \
            open_page(browser, console, "/deepseek/chat", "en") as page:
        expect(page.get_by_test_id("welcome")).to_be_visible()
        expect(page.get_by_test_id("nextchat-link")).to_have_count(0)
        expect(page.locator("iframe")).to_have_count(0)
        expect(page.locator("a[href^='javascript']")).to_have_count(0)
        page.get_by_role("link", name="Status").click()
        expect(page.get_by_test_id("endpoint-chat")).to_contain_text("not available")
        expect(page.locator("a[href^='javascript']")).to_have_count(0)


# ----- what the console registers -----------------------------------------------------------------
def test_menu_is_global_shown_to_all_and_names_the_shipped_role_template(bundle, browser, chart) -> None:
    with CannedApi(status=503, body=b"{}") as api, ConsoleDouble(bundle=bundle, api_url=api.url) as console, \
            open_page(browser, console, "/", "en") as page:
        harness = page.evaluate("window.__harness")
        expect(page.get_by_test_id("menu-deepseek")).to_have_text("DeepSeek")
    [menu] = [m for m in harness["menus"] if m["name"] == "deepseek"]
    assert menu["parent"] == "global"  # `topbar` is gone in KubeSphere 4.2
    # Shown to every user: the console's menu filter never reads group-bound roles (docs/console.md).
    assert menu["skipAuth"] is True
    assert menu["img"].startswith("data:image/svg+xml;base64,")  # no image host
    # The permission the menu asks for is one the API chart's role templates grant.
    granted: set[tuple[str, str]] = set()
    objects = render(chart)
    for template in find(objects, "RoleTemplate") + find(objects, "GlobalRole"):
        annotations = template["metadata"].get("annotations") or {}
        rules = json.loads(annotations.get("iam.kubesphere.io/role-template-rules", "{}"))
        granted |= set(rules.items())
    assert (menu["authKey"], menu["authAction"]) in granted, granted
    assert sorted(harness["localeKeys"]["en"]) == sorted(harness["localeKeys"]["zh"])


def test_screenshots_named_by_the_metadata_and_the_docs_are_pngs(root: Path) -> None:
    shots = [root / s for s in yaml.safe_load((root / "extension.yaml").read_text()).get("screenshots") or []]
    for doc in ("docs/console.md", "docs/console_zh.md"):
        shots += [(root / doc).parent / link
                  for link in re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", (root / doc).read_text())]
    assert shots
    for path in shots:
        assert path.is_file() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
