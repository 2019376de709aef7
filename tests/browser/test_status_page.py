"""The status page in each state, in English and Chinese, for administrators and other users.

The page is the committed bundle in the console stand-in (console.py), fed by a loopback API that
answers the contract's shapes (status_fixtures.py): the report fields other branches are adding
(`serving`, finding `links`, usage, access code) are not in the shipped API yet. Assertions are on
what a person reads and on the requests the page makes; screenshots go to tests/output/.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from deepseek_ext.api import schemas
from playwright.sync_api import Page, expect

from tests.browser import status_fixtures as fx
from tests.browser.console import ConsoleDouble

pytestmark = pytest.mark.browser
LANGS = ("en", "zh")
ADMIN = {"deepseek": ["view", "manage", "global-deepseek-manage"]}
VIEWER = {"deepseek": ["view", "global-deepseek-view"]}
T = {  # the page's own words, per language
    "Failed": {"en": "Failed", "zh": "失败"},
    "Ready": {"en": "Ready", "zh": "就绪"},
    "no findings": {"en": "No problems found.", "zh": "未发现问题。"},
}


@contextmanager
def status_page(browser: Any, bundle: Path, scenario: str, lang: str, *, rules: dict[str, Any] | None = ADMIN,
                user: str = "admin", patch: dict[tuple[str, str], tuple[int, Any]] | None = None,
                ) -> Iterator[tuple[Page, fx.FixtureApi]]:
    routes = fx.scenario(scenario)
    routes.update(patch or {})
    with fx.FixtureApi(routes) as api, ConsoleDouble(bundle=bundle, api_url=api.url, user=user) as console:
        context = browser.new_context(viewport={"width": 1180, "height": 900},
                                      locale="zh-CN" if lang == "zh" else "en-US")
        cookies = [{"name": "lang", "value": lang, "url": console.url}]
        if rules is not None:
            cookies.append({"name": "harness-rules", "value": json.dumps(rules), "url": console.url})
        context.add_cookies(cookies)
        outside: list[str] = []

        def guard(route: Any) -> None:
            if route.request.url.startswith(console.url + "/"):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            page.goto(console.url + "/deepseek/status")
            page.wait_for_function("window.__harness && (window.__harness.ready || window.__harness.error)")
            assert page.evaluate("window.__harness.error || null") is None
            expect(page.get_by_test_id("phase-label")).to_be_visible()
            yield page, api
            assert errors == [], f"uncaught errors in the page: {errors}"
            assert outside == [], f"the page tried to reach addresses outside the test: {outside}"
        finally:
            context.close()


def shoot(page: Page, output_dir: Path, name: str, part: Any = None) -> None:
    """The whole page, and the part the docs show (docs/screenshots/ holds copies of these)."""
    page.screenshot(path=str(output_dir / f"status-{name}.png"), full_page=True)
    if part is not None:
        part.scroll_into_view_if_needed()
        part.screenshot(path=str(output_dir / f"doc-status-{name}.png"))


def no_raw_markup(page: Page) -> None:
    """Never literal backticks, never a `<namespace>` placeholder, never a raw enum value."""
    body = page.get_by_test_id("status-page").inner_text()
    assert "`" not in body
    assert "<namespace>" not in body
    assert not re.search(r"\b(unknown|partial|Progressing|PullingModel)\b", body), body


def row(page: Page, model: str) -> Any:
    return page.locator(f"[data-testid=model-row][data-model='{model}']")


# ----- the fixtures are the API's shapes -------------------------------------------------------------
ADDITIVE = {"serving"}  # contract §4, owner status-core
FINDING_ADDITIVE = {"links"}


def strip_additive(status: dict[str, Any]) -> dict[str, Any]:
    status = {k: v for k, v in status.items() if k not in ADDITIVE}
    status["components"] = [{**c, "findings": [{k: v for k, v in f.items() if k not in FINDING_ADDITIVE}
                                               for f in c["findings"]]} for c in status["components"]]
    return status


@pytest.mark.parametrize("scenario", ["installing", "downloading", "retrying", "failed", "ready"])
def test_fixtures_match_the_api_schemas(scenario: str) -> None:
    routes = fx.scenario(scenario)
    _, status = routes[("GET", f"{fx.PREFIX}/status")]
    assert schemas.StatusSchema().validate(strip_additive(status)) == {}
    for (method, path), (_code, body) in routes.items():
        if method == "GET" and path.startswith(f"{fx.PREFIX}/models/"):
            assert schemas.ModelStateSchema().validate(body) == {}, path


# ----- page states ------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_installing_says_what_each_component_waits_for_never_no_problems(bundle, browser, output_dir, lang):
    with status_page(browser, bundle, "installing", lang) as (page, _api):
        expect(page.get_by_test_id("phase-label")).to_have_text({"en": "Installing", "zh": "安装中"}[lang])
        ollama = page.get_by_test_id("component-ollama")
        expect(ollama).to_contain_text({"en": "In progress", "zh": "进行中"}[lang])
        expect(ollama).not_to_contain_text(T["no findings"][lang])
        expect(ollama.get_by_test_id("component-quiet")).to_have_text(
            {"en": "No problem of its own so far.", "zh": "目前自身没有发现问题。"}[lang])
        expect(page.get_by_test_id("component-ingress")).to_contain_text(
            {"en": "Turned off in the configuration.", "zh": "已在配置中关闭。"}[lang])
        expect(page.get_by_test_id("serving")).to_have_count(0)
        no_raw_markup(page)
        shoot(page, output_dir, f"installing-{lang}", page.get_by_test_id("components"))


@pytest.mark.parametrize("lang", LANGS)
def test_downloading_shows_rate_eta_and_the_managers_phase(bundle, browser, output_dir, lang):
    with status_page(browser, bundle, "downloading", lang) as (page, _api):
        expect(page.get_by_test_id("download-rate")).to_have_text({"en": "12.3 MB/s", "zh": "12.3 MB/秒"}[lang])
        expect(page.get_by_test_id("download-eta")).to_have_text(
            {"en": "about 3 min 40 s left", "zh": "预计还需 3分 40秒"}[lang])
        model = row(page, fx.MODEL)
        expect(model.get_by_test_id("model-phase")).to_contain_text({"en": "downloading", "zh": "下载中"}[lang])
        expect(model.get_by_test_id("retry")).to_be_disabled()
        expect(model.get_by_test_id("retry-reason")).to_have_text(
            {"en": "The model manager is working on it now.", "zh": "模型管理器正在处理该模型。"}[lang])
        no_raw_markup(page)
        shoot(page, output_dir, f"downloading-{lang}", page.get_by_test_id("models"))


@pytest.mark.parametrize("lang", LANGS)
def test_retrying_shows_attempts_next_retry_and_retry_now_asks_the_manager(bundle, browser, output_dir, lang):
    with status_page(browser, bundle, "retrying", lang) as (page, api):
        model = row(page, fx.MODEL)
        expect(model.get_by_test_id("model-attempts")).to_have_text({"en": "Attempts: 3", "zh": "已尝试 3 次"}[lang])
        expect(model.get_by_test_id("model-next-retry")).to_contain_text(
            {"en": re.compile(r"Next retry at .+ \(in 2 min \d+ s\)"),
             "zh": re.compile(r"下次重试：.+（2分 \d+秒后）")}[lang])
        expect(model.get_by_test_id("model-last-error")).to_contain_text(
            {"en": "registry unreachable", "zh": "无法访问模型仓库"}[lang])
        finding = page.get_by_test_id("component-model").get_by_test_id("finding")
        expect(finding.get_by_test_id("link-logs")).to_have_attribute(
            "href", f"/clusters/host/projects/{fx.NS}/pods/{fx.POD}/containers/ollama/logs")
        shoot(page, output_dir, f"retrying-{lang}", page.get_by_test_id("models"))
        model.get_by_test_id("retry").click()
        expect(model.get_by_test_id("action-done")).to_have_text(
            {"en": f"Retry requested for {fx.MODEL}.", "zh": f"已请求重新下载 {fx.MODEL}。"}[lang])
        assert api.calls("POST") == [f"{fx.PREFIX}/models/{fx.MODEL}/pull"]
        assert {user for m, _p, user in api.requests if m == "POST"} == {"admin"}
        no_raw_markup(page)


@pytest.mark.parametrize("lang", LANGS)
def test_failed_never_ready_next_to_its_error_with_code_spans_and_console_links(bundle, browser, output_dir, lang):
    with status_page(browser, bundle, "failed", lang) as (page, _api):
        expect(page.get_by_test_id("phase-label")).to_have_text(T["Failed"][lang])
        storage = page.get_by_test_id("component-storage")
        # The API said "Ready" next to an error finding: the page says Failed.
        expect(storage.get_by_test_id("component-state")).to_have_text(T["Failed"][lang])
        expect(storage).not_to_contain_text(T["no findings"][lang])
        expect(page.get_by_test_id("component-model").get_by_test_id("component-quiet")).to_have_text(
            {"en": "No problem of its own: it waits for Model storage.",
             "zh": "自身没有问题：正在等待模型存储。"}[lang])
        fix = storage.get_by_test_id("finding-fix")
        expect(fix.locator("code").first).to_have_text("backend.persistence.size")
        expect(fix.locator("code").nth(1)).to_contain_text(f"kubectl -n {fx.NS} patch pvc deepseek-models")
        pod = f"/clusters/host/projects/{fx.NS}/pods/{fx.POD}"
        expect(storage.get_by_test_id("link-pod")).to_have_attribute("href", f"{pod}/resource-status")
        expect(storage.get_by_test_id("link-events")).to_have_attribute("href", f"{pod}/events")
        expect(storage.get_by_test_id("link-logs")).to_have_text(
            {"en": "Logs of ollama", "zh": "ollama 的日志"}[lang])
        expect(storage.get_by_test_id("link-events")).to_have_text(
            {"en": f"Events of {fx.POD}", "zh": f"{fx.POD} 的事件"}[lang])
        no_raw_markup(page)
        shoot(page, output_dir, f"failed-{lang}", page.get_by_test_id("components"))


@pytest.mark.parametrize("lang", LANGS)
def test_ready_shows_the_serving_summary(bundle, browser, output_dir, lang):
    with status_page(browser, bundle, "ready", lang) as (page, _api):
        expect(page.get_by_test_id("phase-label")).to_have_text(T["Ready"][lang])
        serving = page.get_by_test_id("serving")
        expect(serving.get_by_test_id("serving-accelerator")).to_contain_text("NVIDIA GPU")
        expect(serving.get_by_test_id("serving-gpus")).to_contain_text("1")
        expect(serving.get_by_test_id("serving-context")).to_contain_text(
            {"en": "8,192 tokens", "zh": "8,192 个 token"}[lang])
        expect(serving.get_by_test_id("serving-parallel")).to_contain_text("4")
        expect(serving.get_by_test_id("serving-memory")).to_contain_text("8Gi / 16Gi")
        configured = row(page, fx.MODEL)
        expect(configured.get_by_test_id("delete")).to_be_disabled()
        expect(configured.get_by_test_id("delete")).to_have_attribute("title", re.compile("backend.models"))
        no_raw_markup(page)
        shoot(page, output_dir, f"ready-{lang}", page.get_by_test_id("serving"))


@pytest.mark.parametrize("lang", LANGS)
def test_delete_asks_first_then_deletes(bundle, browser, output_dir, lang):
    with status_page(browser, bundle, "ready", lang) as (page, api):
        extra = row(page, fx.EXTRA)
        expect(extra.get_by_test_id("delete")).to_be_enabled()
        extra.get_by_test_id("delete").click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_contain_text({"en": f"Delete {fx.EXTRA}?", "zh": f"删除 {fx.EXTRA}？"}[lang])
        shoot(page, output_dir, f"delete-confirm-{lang}", page.locator(".kubed-modal, [role=dialog]").first)
        dialog.get_by_role("button", name={"en": "Cancel", "zh": "取消"}[lang]).click()
        expect(dialog).to_have_count(0)
        assert api.calls("DELETE") == []
        extra.get_by_test_id("delete").click()
        page.get_by_role("dialog").get_by_role("button", name={"en": "Delete", "zh": "删除"}[lang]).click()
        expect(extra.get_by_test_id("action-done")).to_have_text(
            {"en": f"{fx.EXTRA} deleted.", "zh": f"已删除 {fx.EXTRA}。"}[lang])
        assert api.calls("DELETE") == [f"{fx.PREFIX}/models/{fx.EXTRA}"]


@pytest.mark.parametrize("lang", LANGS)
def test_a_refused_action_shows_the_error_envelope_in_the_users_language(bundle, browser, lang):
    refusal = {"status": 409, "code": "ModelConfigured", "language": "en",
               "message": fx.text("deepseek-r1:1.5b is listed in backend.models; remove it there first.",
                                  "deepseek-r1:1.5b 仍在 backend.models 中；请先从那里移除。")}
    patch = {("DELETE", f"{fx.PREFIX}/models/{fx.EXTRA}"): (409, refusal)}
    with status_page(browser, bundle, "ready", lang, patch=patch) as (page, _api):
        extra = row(page, fx.EXTRA)
        extra.get_by_test_id("delete").click()
        page.get_by_role("dialog").get_by_role("button", name={"en": "Delete", "zh": "删除"}[lang]).click()
        error = extra.get_by_test_id("action-error")
        expect(error).to_contain_text({"en": "The model was not deleted (HTTP 409, ModelConfigured)",
                                       "zh": "模型未被删除 (HTTP 409, ModelConfigured)"}[lang])
        expect(error).to_contain_text(refusal["message"][lang])
        expect(error).not_to_contain_text(refusal["message"]["zh" if lang == "en" else "en"])


@pytest.mark.parametrize("lang", LANGS)
def test_other_users_see_the_actions_disabled_with_the_reason_and_no_access_code(bundle, browser, output_dir, lang):
    with status_page(browser, bundle, "retrying", lang, rules=VIEWER, user="alice") as (page, api):
        expect(page.get_by_test_id("status-page")).to_have_attribute("data-admin", "false")
        model = row(page, fx.MODEL)
        expect(model.get_by_test_id("retry")).to_be_disabled()
        expect(model.get_by_test_id("delete")).to_be_disabled()
        expect(model.get_by_test_id("actions-reason")).to_contain_text(
            {"en": "Only administrators can retry or delete models",
             "zh": "只有管理员可以重试或删除模型"}[lang])
        expect(page.get_by_test_id("access-code-card")).to_have_count(0)
        shoot(page, output_dir, f"viewer-{lang}", page.get_by_test_id("models"))
        assert f"{fx.PREFIX}/accesscode" not in [path for _m, path, _u in api.requests]


def test_no_permission_data_means_not_an_administrator(bundle, browser):
    with status_page(browser, bundle, "retrying", "en", rules=None) as (page, _api):
        expect(row(page, fx.MODEL).get_by_test_id("retry")).to_be_disabled()
        expect(page.get_by_test_id("access-code-card")).to_have_count(0)


@pytest.mark.parametrize("lang", LANGS)
def test_usage_per_caller_is_a_table_busiest_first(bundle, browser, output_dir, lang):
    with status_page(browser, bundle, "ready", lang) as (page, _api):
        usage = page.get_by_test_id("usage")
        callers = usage.get_by_test_id("usage-caller")
        expect(callers).to_have_count(3)
        expect(callers.nth(0)).to_contain_text("ci-bot")
        expect(callers.nth(1)).to_contain_text("nextchat")
        expect(callers.nth(2)).to_contain_text({"en": "Console user", "zh": "控制台用户"}[lang])
        expect(callers.nth(2)).to_contain_text("alice")
        expect(callers.nth(2)).not_to_contain_text("user:")
        expect(usage.get_by_test_id("usage-requests").nth(0)).to_have_text("1,280")
        shoot(page, output_dir, f"usage-{lang}", usage)


def test_usage_of_an_older_api_says_it_is_not_available(bundle, browser):
    patch = {("GET", f"{fx.PREFIX}/usage"): (404, {"status": 404, "code": "NotFound", "language": "en",
                                                  "message": fx.text("Not found.", "未找到。")})}
    with status_page(browser, bundle, "ready", "en", patch=patch) as (page, _api):
        expect(page.get_by_test_id("usage-unavailable")).to_be_visible()


@pytest.mark.parametrize("lang", LANGS)
def test_usage_no_gateway_answered_is_unknown_not_no_requests(bundle, browser, lang):
    patch = {("GET", f"{fx.PREFIX}/usage"): (200, {"items": [], "podsReporting": 0, "podsTotal": 2, "since": None})}
    with status_page(browser, bundle, "ready", lang, patch=patch) as (page, _api):
        usage = page.get_by_test_id("usage")
        expect(usage.get_by_test_id("usage-unknown")).to_have_text(
            {"en": "None of the 2 gateway pods answered, so usage is unknown for now. "
                   "It shows again once a gateway answers.",
             "zh": "2 个网关 Pod 均未应答，暂时无法得知用量。网关应答后会再次显示。"}[lang])
        expect(usage.get_by_test_id("usage-empty")).to_have_count(0)
        expect(usage.get_by_test_id("usage-since")).to_have_count(0)


def test_usage_partly_answered_says_since_when_and_how_incomplete(bundle, browser):
    since = "2026-01-01T08:00:00Z"
    patch = {("GET", f"{fx.PREFIX}/usage"): (200, {"items": [], "podsReporting": 1, "podsTotal": 3, "since": since})}
    with status_page(browser, bundle, "ready", "en", patch=patch) as (page, _api):
        hint = page.get_by_test_id("usage").get_by_test_id("usage-since")
        expect(hint).to_contain_text("Counted by the gateways since 1/1/2026")
        expect(hint).to_contain_text("Only 1 of 3 gateway pods answered: the figures are incomplete.")
        expect(page.get_by_test_id("usage-empty")).to_have_text("No requests yet.")


@pytest.mark.parametrize("lang", LANGS)
def test_access_code_is_read_only_when_asked_and_can_be_hidden(bundle, browser, output_dir, lang):
    with status_page(browser, bundle, "ready", lang) as (page, api):
        card = page.get_by_test_id("access-code-card")
        expect(card).to_be_visible()
        assert f"{fx.PREFIX}/accesscode" not in [path for _m, path, _u in api.requests]
        assert "k7Qp-2vXr-9LmA" not in page.content()
        card.get_by_test_id("access-code-show").click()
        expect(card.get_by_test_id("access-code-value")).to_have_text("k7Qp-2vXr-9LmA")
        expect(card).to_contain_text("deepseek-chat-access")
        shoot(page, output_dir, f"access-code-{lang}", card)
        card.get_by_test_id("access-code-hide").click()
        expect(card.get_by_test_id("access-code-value")).to_have_count(0)
        assert "k7Qp-2vXr-9LmA" not in page.content()


def test_a_403_names_the_reason_not_the_status_twice(bundle, browser):
    forbidden = {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "Forbidden", "code": 403,
                 "message": 'user "alice" cannot get resource "accesscode" in API group "deepseek.kubesphere.io"'}
    patch = {("GET", f"{fx.PREFIX}/accesscode"): (403, forbidden)}
    with status_page(browser, bundle, "ready", "en", patch=patch) as (page, _api):
        card = page.get_by_test_id("access-code-card")
        card.get_by_test_id("access-code-show").click()
        error = card.get_by_test_id("api-error")
        expect(error).to_contain_text("(HTTP 403, Forbidden)")
        expect(error).not_to_contain_text("403, 403")
        expect(error).to_contain_text(forbidden["message"])
