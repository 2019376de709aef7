// Language and translation for the pages. The console decides the language (the user's
// setting, else the browser's) and keeps it in `globals.user.lang` and the `lang` cookie; we
// read the same places rather than the console's i18next instance, so the pages translate the
// same way in the console and in the browser test page.
import locales from './locales/index.js';

const SUPPORTED = ['en', 'zh'];

function normalise(lang) {
  if (typeof lang !== 'string' || !lang) return null;
  const lower = lang.toLowerCase();
  // zh, zh-CN, zh_TW… and the console's `tc` (traditional Chinese) read Chinese texts; every
  // other language falls back to English.
  if (lower.startsWith('zh') || lower === 'tc') return 'zh';
  return SUPPORTED.includes(lower.slice(0, 2)) ? lower.slice(0, 2) : 'en';
}

function cookie(name) {
  if (typeof document === 'undefined') return null;
  const prefix = `${name}=`;
  const found = document.cookie.split(';').map(part => part.trim()).find(part => part.startsWith(prefix));
  return found ? decodeURIComponent(found.slice(prefix.length)) : null;
}

export function detectLang() {
  const globals = typeof window !== 'undefined' ? window.globals : undefined;
  return (
    normalise(globals && globals.user && globals.user.lang) ||
    normalise(cookie('lang')) ||
    normalise(typeof navigator !== 'undefined' ? navigator.language : null) ||
    'en'
  );
}

// t('DEEPSEEK_X', {name: 'value'}) in the given language; English when a key is missing there.
export function translate(lang, key, params) {
  const table = locales[lang] || locales.en;
  const text = key in table ? table[key] : key in locales.en ? locales.en[key] : key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

// The label of an enum value from the API (phase, state, severity…); the raw value when this
// bundle has no text for it, e.g. a phase added to the API after this bundle was built.
export function label(lang, prefix, value) {
  const key = `${prefix}${value}`;
  return key in (locales[lang] || {}) || key in locales.en ? translate(lang, key) : String(value ?? '');
}

// A bilingual field from the API ({en, zh}) in the user's language, English as fallback.
export function pick(lang, field) {
  if (field == null) return '';
  if (typeof field === 'string') return field;
  return field[lang] || field.en || field.zh || '';
}
