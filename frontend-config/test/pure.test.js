// Unit tests of the pure helpers (node's own test runner; no browser, no DOM).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { formatBytes, formatDuration, formatPercent } from '../src/format.js';
import { detectLang, label, pick, translate } from '../src/i18n.js';
import locales from '../src/locales/index.js';
import { safeUrl } from '../src/url.js';

test('sizes use decimal units like ollama, one decimal below 100', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(999), '999 B');
  assert.equal(formatBytes(96_000), '96.0 KB');
  assert.equal(formatBytes(850_000_000), '850 MB');
  assert.equal(formatBytes(4_700_000_000), '4.7 GB');
  assert.equal(formatBytes(404_000_000_000), '404 GB');
  for (const bad of [-1, NaN, Infinity, null, undefined, '12']) assert.equal(formatBytes(bad), '');
});

test('durations keep the two largest units, in both languages', () => {
  assert.equal(formatDuration(0, 'en'), '0 s');
  assert.equal(formatDuration(51, 'en'), '51 s');
  assert.equal(formatDuration(92, 'en'), '1 min 32 s');
  assert.equal(formatDuration(120, 'en'), '2 min');
  assert.equal(formatDuration(7_530, 'en'), '2 h 5 min');
  assert.equal(formatDuration(3_600, 'en'), '1 h');
  assert.equal(formatDuration(92, 'zh'), '1分 32秒');
  assert.equal(formatDuration(7_530, 'zh'), '2小时 5分');
  assert.equal(formatDuration(-5, 'en'), '');
  assert.equal(formatDuration(null, 'en'), '');
});

test('percent has one decimal, no trailing .0, and stays within 0-100', () => {
  assert.equal(formatPercent(42.5), '42.5%');
  assert.equal(formatPercent(80), '80%');
  assert.equal(formatPercent(99.96), '100%');
  assert.equal(formatPercent(140), '100%');
  assert.equal(formatPercent(-3), '0%');
  assert.equal(formatPercent(NaN), '');
});

test('only http(s) addresses pass, unchanged', () => {
  assert.equal(safeUrl('http://deepseek.example.com'), 'http://deepseek.example.com');
  assert.equal(safeUrl('https://deepseek.example.com:8443/'), 'https://deepseek.example.com:8443/');
  for (const bad of ['javascript:alert(1)', 'data:text/html,x', 'deepseek.example.com', '', null, 42]) {
    assert.equal(safeUrl(bad), null, String(bad));
  }
});

test('en and zh have the same keys, and no text is empty', () => {
  assert.deepEqual(Object.keys(locales.zh).sort(), Object.keys(locales.en).sort());
  for (const lang of ['en', 'zh']) {
    for (const [key, text] of Object.entries(locales[lang])) assert.ok(text.trim(), `${lang} ${key}`);
  }
});

test('translate interpolates, falls back to English, then to the key', () => {
  assert.equal(translate('en', 'DEEPSEEK_DOWNLOAD_TITLE', { model: 'deepseek-r1:7b' }), 'Downloading deepseek-r1:7b');
  assert.equal(translate('zh', 'DEEPSEEK_DOWNLOAD_TITLE', { model: 'deepseek-r1:7b' }), '正在下载 deepseek-r1:7b');
  assert.equal(translate('fr', 'DEEPSEEK_TAB_CHAT'), 'Chat');
  assert.equal(translate('en', 'NO_SUCH_KEY'), 'NO_SUCH_KEY');
  assert.equal(translate('en', 'DEEPSEEK_CHECKED_AT', {}), 'Checked at {time}');
});

test('enum values this bundle does not know are shown as they are', () => {
  assert.equal(label('en', 'DEEPSEEK_PHASE_', 'Ready'), 'Ready');
  assert.equal(label('zh', 'DEEPSEEK_PHASE_', 'Ready'), '就绪');
  assert.equal(label('zh', 'DEEPSEEK_PHASE_', 'Hibernating'), 'Hibernating');
});

test('API texts are picked in the user language, English when missing', () => {
  assert.equal(pick('zh', { en: 'Disk full', zh: '磁盘已满' }), '磁盘已满');
  assert.equal(pick('zh', { en: 'Disk full' }), 'Disk full');
  assert.equal(pick('en', 'plain'), 'plain');
  assert.equal(pick('en', null), '');
});

test('the language comes from the console user, then the lang cookie, then the browser', () => {
  const saved = { window: globalThis.window, document: globalThis.document, navigator: globalThis.navigator };
  try {
    Object.defineProperty(globalThis, 'navigator', { value: { language: 'de-DE' }, configurable: true });
    globalThis.document = { cookie: '' };
    globalThis.window = {};
    assert.equal(detectLang(), 'en');
    globalThis.document = { cookie: 'a=1; lang=zh' };
    assert.equal(detectLang(), 'zh');
    globalThis.window = { globals: { user: { lang: 'en' } } };
    assert.equal(detectLang(), 'en');
    globalThis.window = { globals: { user: { lang: 'tc' } } };
    assert.equal(detectLang(), 'zh');
  } finally {
    globalThis.window = saved.window;
    globalThis.document = saved.document;
    Object.defineProperty(globalThis, 'navigator', { value: saved.navigator, configurable: true });
  }
});
