"""The native chat page in headless Debian Chromium, in English and Chinese.

The page runs in the console stand-in (console.py) against ChatApiDouble (chat_double.py), a
loopback double of the chat endpoint that follows contract §2 (scripted SSE streams with timing,
each error state). tests/browser/test_console_pages.py covers the page against the real API
(models, NextChat link). Screenshots go to tests/output/; with DEEPSEEK_SCREENSHOTS=docs the
documented ones are also written to docs/screenshots/ (docs/console.md shows them).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_double import ANSWER, PULLING_MODEL, READY_MODEL, THINKING, ChatApiDouble
from tests.browser.console import ConsoleDouble
from tests.browser.test_console_pages import open_page
from tests.helmtools import ROOT

pytestmark = pytest.mark.browser
LANGS = ("en", "zh")
CHAT_URL = "http://deepseek.example.com"
QUESTION = {"en": "What is a pod?", "zh": "什么是 Pod？"}
DOCS_SHOTS = ROOT / "docs/screenshots"


@pytest.fixture(scope="module")
def chat(bundle: Path) -> Iterator[tuple[ChatApiDouble, ConsoleDouble]]:
    with ChatApiDouble(chat_url=CHAT_URL) as api, ConsoleDouble(bundle=bundle, api_url=api.url) as console:
        yield api, console


@pytest.fixture()
def api(chat: tuple[ChatApiDouble, ConsoleDouble]) -> Iterator[ChatApiDouble]:
    double = chat[0]
    double.mode, double.pull_percent, double.abandoned = "stream", 42.5, 0
    double.requests.clear()
    double.answer_gate.set()
    double.status_gate.set()
    yield double
    double.answer_gate.set()
    double.status_gate.set()


def shot(page: Page, output_dir: Path, name: str, *, docs: bool = False) -> None:
    path = output_dir / f"chat-{name}.png"
    page.screenshot(path=str(path))
    if docs and os.environ.get("DEEPSEEK_SCREENSHOTS") == "docs":
        DOCS_SHOTS.mkdir(exist_ok=True)
        shutil.copyfile(path, DOCS_SHOTS / path.name)


def ask(page: Page, text: str) -> None:
    page.get_by_test_id("prompt").fill(text)
    # Send stays disabled until the model list has come (the page refuses to send without a
    # model); pressing Enter earlier would be ignored, as it is for a person.
    expect(page.get_by_test_id("send")).to_be_enabled()
    page.get_by_test_id("prompt").press("Enter")


def texts(lang: str, **by_lang: Any) -> Any:
    return by_lang[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_answer_streams_with_thinking_live_then_collapsed(chat, api, browser, output_dir: Path, lang: str) -> None:
    _, console = chat
    api.answer_gate.clear()
    with open_page(browser, console, "/deepseek/chat", lang) as page:
        expect(page.get_by_test_id("welcome")).to_contain_text(
            texts(lang, en="You chat as admin", zh="你以 admin 的身份对话"))
        expect(page.get_by_test_id("model-picker")).to_have_value(READY_MODEL)  # the loaded one
        ask(page, QUESTION[lang])
        expect(page.get_by_test_id("message-user")).to_have_text(QUESTION[lang])
        thinking = page.get_by_test_id("thinking")
        # Live: the thinking grows, open, before any answer text; Stop replaces Send.
        expect(page.get_by_test_id("thinking-text")).to_have_text("".join(THINKING))
        expect(thinking).to_have_attribute("data-open", "true")
        expect(thinking).to_contain_text(texts(lang, en="Thinking…", zh="思考中…"))
        expect(page.get_by_test_id("stop")).to_be_visible()
        assert page.get_by_test_id("answer").count() == 0
        shot(page, output_dir, f"thinking-{lang}", docs=True)
        api.answer_gate.set()
        # The answer starts: thinking folds away; the markdown is rendered as it streams.
        answer = page.get_by_test_id("answer")
        expect(answer.locator("strong")).to_have_text("Pods")
        expect(thinking).to_have_attribute("data-open", "false")
        expect(page.get_by_test_id("message-assistant")).to_have_attribute("data-live", "false")
        expect(answer.locator("li")).to_have_count(2)
        expect(answer.locator("pre code")).to_have_text("kubectl get pods")
        expect(page.get_by_test_id("send")).to_be_visible()
        # A click opens the finished thinking again, with all of it.
        page.get_by_test_id("thinking-toggle").click()
        expect(page.get_by_test_id("thinking-text")).to_have_text("".join(THINKING))
        expect(thinking).to_contain_text(texts(lang, en="Thinking", zh="思考过程"))
        shot(page, output_dir, f"answer-{lang}")
        # Model output never becomes markup that runs: no img/script, no javascript: link.
        expect(answer.locator("img, script, iframe")).to_have_count(0)
        expect(page.locator("a[href^='javascript']")).to_have_count(0)
        assert page.evaluate("window.__pwned === undefined")
        link = answer.get_by_role("link", name="more")
        expect(link).to_have_attribute("target", "_blank")
        expect(link).to_have_attribute("rel", re.compile("noopener"))
    [request] = api.requests
    assert request["user"] == "admin" and request["accept"] == "text/event-stream"
    assert request["body"] == {"model": READY_MODEL, "stream": True,
                               "messages": [{"role": "user", "content": QUESTION[lang]}]}
    assert request["language"].startswith("zh" if lang == "zh" else "en")


def test_follow_up_sends_the_history_without_thinking_and_is_kept(chat, api, browser) -> None:
    _, console = chat
    with open_page(browser, console, "/deepseek/chat", "en") as page:
        page.get_by_test_id("new-chat").click()
        ask(page, "First question")
        expect(page.get_by_test_id("send")).to_be_visible()
        expect(page.get_by_test_id("answer")).to_contain_text("deployable units")
        ask(page, "And a second one")
        expect(page.get_by_test_id("answer")).to_have_count(2)
        expect(page.get_by_test_id("send")).to_be_visible()
        sent = api.requests[-1]["body"]["messages"]
        assert [m["role"] for m in sent] == ["user", "assistant", "user"]
        assert sent[1]["content"] == "".join(ANSWER) and "reasoning_content" not in sent[1]
        # Kept in the browser: after a reload the conversation is listed under its first question.
        page.reload()
        page.wait_for_function("window.__harness && window.__harness.ready")
        entry = page.get_by_test_id("conversation").filter(has_text="First question")
        expect(entry).to_have_count(1)
        entry.get_by_role("button", name="First question").click()
        expect(page.get_by_test_id("answer")).to_have_count(2)
        stored = json.loads(page.evaluate("localStorage.getItem('deepseek.chat.v1.admin')"))
        assert any(c["messages"][0]["content"] == "First question" for c in stored)
        # Delete it: gone from the list and from storage.
        entry.get_by_test_id("delete-conversation").click()
        expect(page.get_by_test_id("conversation").filter(has_text="First question")).to_have_count(0)
        expect(page.get_by_test_id("welcome")).to_be_visible()
        page.wait_for_timeout(200)
        stored = json.loads(page.evaluate("localStorage.getItem('deepseek.chat.v1.admin')"))
        assert not any(c["messages"][0]["content"] == "First question" for c in stored)


def test_think_tags_of_older_servers_are_shown_as_thinking(chat, api, browser) -> None:
    _, console = chat
    api.mode = "think-tags"
    with open_page(browser, console, "/deepseek/chat", "en") as page:
        page.get_by_test_id("new-chat").click()
        ask(page, "Old server?")
        expect(page.get_by_test_id("answer")).to_have_text("Answer after tags.")
        page.get_by_test_id("thinking-toggle").click()
        expect(page.get_by_test_id("thinking-text")).to_have_text(
            re.compile(r"^\s*Older servers put the thinking inside the content\.\s*$"))
        expect(page.get_by_test_id("answer")).not_to_contain_text("think>")


@pytest.mark.parametrize("lang", LANGS)
def test_stop_keeps_what_came_and_retry_asks_again(chat, api, browser, output_dir: Path, lang: str) -> None:
    _, console = chat
    api.mode = "slow"
    with open_page(browser, console, "/deepseek/chat", lang) as page:
        page.get_by_test_id("new-chat").click()
        ask(page, QUESTION[lang])
        answer = page.get_by_test_id("answer")
        expect(answer).to_contain_text("word 3")
        page.get_by_test_id("stop").click()
        expect(page.get_by_test_id("stopped")).to_have_text(texts(lang, en="Stopped", zh="已停止"))
        kept = answer.inner_text()
        page.wait_for_timeout(600)
        assert answer.inner_text() == kept, "the answer kept growing after Stop"
        assert "word 399" not in kept
        # The double notices the closed connection at its next writes (bounded wait: a busy machine).
        for _ in range(150):
            if api.abandoned:
                break
            page.wait_for_timeout(100)
        assert api.abandoned >= 1, "the stream was not closed towards the server"
        shot(page, output_dir, f"stopped-{lang}")
        api.mode = "stream"
        page.get_by_test_id("retry").click()
        expect(answer.locator("strong")).to_have_text("Pods")
        expect(page.get_by_test_id("stopped")).to_have_count(0)
    assert api.requests[-1]["body"]["messages"] == [{"role": "user", "content": QUESTION[lang]}]


def test_copy_puts_the_answer_markdown_on_the_clipboard(chat, api, browser) -> None:
    _, console = chat
    with open_page(browser, console, "/deepseek/chat", "en") as page:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=console.url)
        page.get_by_test_id("new-chat").click()
        ask(page, "Copy me")
        expect(page.get_by_test_id("send")).to_be_visible()
        page.get_by_test_id("message-assistant").get_by_role("button", name="Copy").click()
        expect(page.get_by_test_id("message-assistant").get_by_role("button", name="Copied")).to_be_visible()
        assert page.evaluate("navigator.clipboard.readText()") == "".join(ANSWER)


# mode -> (kind the page shows, title, advice fragment) per language; the server's own message is
# checked separately (it comes in both languages).
ERROR_STATES = {
    "unauthenticated": ("unauthenticated", {"en": "Your console session has ended", "zh": "你的控制台会话已结束"},
                        {"en": "Log in to the console again", "zh": "请重新登录控制台"}),
    "forbidden": ("forbidden", {"en": "Your account may not chat with DeepSeek", "zh": "你的账号无权与 DeepSeek 对话"},
                  {"en": '"DeepSeek chat" role template', "zh": "角色模板“DeepSeek chat”"}),
    "rate-limited": ("rateLimited", {"en": "You have reached your chat limit", "zh": "你已达到对话限额"},
                     {"en": "Retry in 7 s.", "zh": "请在 7 秒后重试。"}),
    "unavailable": ("unavailable", {"en": "The model server is not answering", "zh": "模型服务没有响应"},
                    {"en": "app.kubernetes.io/component=ollama", "zh": "app.kubernetes.io/component=ollama"}),
    "not-served": ("notServed", {"en": f"{READY_MODEL} is not served", "zh": f"不提供模型 {READY_MODEL}"},
                   {"en": f"({READY_MODEL}, {PULLING_MODEL})", "zh": f"（{READY_MODEL}, {PULLING_MODEL}）"}),
    "stream-error": ("stream", {"en": "The answer broke off", "zh": "回答中断了"},
                     {"en": "Retry to ask again", "zh": "请重试以重新提问"}),
}
SERVER_SAYS = {
    "unauthenticated": {"en": "No user identity came with the request.", "zh": "请求没有携带用户身份。"},
    # ks-apiserver's Status has one language.
    "forbidden": {lang: 'User "alice" cannot create resource "chat"' for lang in LANGS},
    "rate-limited": {"en": "retry after 7 s", "zh": "请在 7 秒后重试"},
    "unavailable": {"en": "No ollama pod is ready.", "zh": "没有就绪的 ollama Pod。"},
    "not-served": {"en": "is not served here", "zh": "此处不提供模型"},
    "stream-error": {"en": "ollama stopped: signal: killed", "zh": "ollama 已停止：signal: killed"},
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("mode", list(ERROR_STATES))
def test_each_error_says_what_to_do(chat, api, browser, output_dir: Path, mode: str, lang: str) -> None:
    _, console = chat
    api.mode = mode
    kind, title, advice = ERROR_STATES[mode]
    with open_page(browser, console, "/deepseek/chat", lang) as page:
        page.get_by_test_id("new-chat").click()
        ask(page, QUESTION[lang])
        panel = page.get_by_test_id("chat-error")
        expect(panel).to_have_attribute("data-kind", kind)
        expect(panel.locator("h3")).to_contain_text(title[lang])
        expect(page.get_by_test_id("chat-error-fix")).to_contain_text(advice[lang])
        expect(page.get_by_test_id("chat-error-message")).to_contain_text(SERVER_SAYS[mode][lang])
        other = "zh" if lang == "en" else "en"
        if SERVER_SAYS[mode][other] != SERVER_SAYS[mode][lang]:
            expect(panel).not_to_contain_text(SERVER_SAYS[mode][other])
        if mode == "stream-error":
            expect(page.get_by_test_id("answer")).to_have_text("Pods are")  # what came before the error
        else:
            expect(panel.locator("h3")).to_contain_text("HTTP ")
        shot(page, output_dir, f"error-{mode}-{lang}")
        # Retry asks again; when the cause is gone the answer comes.
        api.mode = "stream"
        panel.get_by_test_id("retry").click()
        expect(page.get_by_test_id("answer").locator("strong")).to_have_text("Pods")
        expect(page.get_by_test_id("chat-error")).to_have_count(0)


@pytest.mark.parametrize("lang", LANGS)
def test_model_still_downloading_shows_its_progress_until_ready(chat, api, browser, output_dir: Path,
                                                               lang: str) -> None:
    _, console = chat
    with open_page(browser, console, "/deepseek/chat", lang) as page:
        page.get_by_test_id("new-chat").click()
        page.get_by_test_id("model-picker").select_option(PULLING_MODEL)
        expect(page.get_by_test_id("model-picker").locator("option:checked")).to_have_text(
            texts(lang, en=f"{PULLING_MODEL} · Downloading", zh=f"{PULLING_MODEL} · 下载中"))
        ask(page, QUESTION[lang])
        panel = page.get_by_test_id("chat-error")
        expect(panel).to_have_attribute("data-kind", "notReady")
        expect(panel.locator("h3")).to_contain_text(
            texts(lang, en=f"{PULLING_MODEL} is still downloading", zh=f"{PULLING_MODEL} 仍在下载"))
        progress = page.get_by_test_id("download-progress")
        expect(progress).to_contain_text("42.5%")
        expect(progress).to_contain_text(texts(lang, en="3.8 GB of 9.0 GB", zh="已下载 3.8 GB，共 9.0 GB"))
        expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "43")
        shot(page, output_dir, f"error-not-ready-{lang}", docs=True)
        api.pull_percent = 80.0  # the page polls GET models/{name} while it shows the panel
        expect(progress).to_contain_text("80%")
        api.pull_percent = 100.0
        expect(page.get_by_test_id("download-done")).to_contain_text(
            texts(lang, en=f"{PULLING_MODEL} is ready now", zh=f"{PULLING_MODEL} 现已就绪"))
    assert api.requests[-1]["body"]["model"] == PULLING_MODEL


def test_nextchat_is_linked_when_published(chat, api, browser) -> None:
    _, console = chat
    with open_page(browser, console, "/deepseek/chat", "en") as page:
        link = page.get_by_test_id("nextchat-link")
        expect(link).to_have_attribute("href", CHAT_URL)
        expect(link).to_have_attribute("target", "_blank")
        expect(link).to_have_attribute("title", re.compile("deepseek-chat-access"))
        expect(page.locator("iframe")).to_have_count(0)


def test_a_question_waits_for_the_model_list(chat, api, browser) -> None:
    # The page sends nothing until it knows which model to ask; the question typed meanwhile
    # stays in the box and goes once the list has come.
    _, console = chat
    api.status_gate.clear()
    with open_page(browser, console, "/deepseek/chat", "en") as page:
        prompt = page.get_by_test_id("prompt")
        prompt.fill(QUESTION["en"])
        expect(page.get_by_test_id("send")).to_be_disabled()
        prompt.press("Enter")
        expect(prompt).to_have_value(QUESTION["en"])
        assert api.requests == []
        api.status_gate.set()
        expect(page.get_by_test_id("model-picker")).to_have_value(READY_MODEL)
        ask(page, QUESTION["en"])
        expect(page.get_by_test_id("answer").locator("strong")).to_have_text("Pods")
        assert len(api.requests) == 1
