// Pure formatting helpers for sizes, rates and durations (decimal units, as ollama reports them).
const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes) {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) return '';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

const DURATION_UNITS = {
  en: { h: 'h', min: 'min', s: 's', sep: ' ' },
  zh: { h: '小时', min: '分', s: '秒', sep: '' },
};

// 4 min 10 s / 2 h 5 min; the two largest units are enough for an estimate.
export function formatDuration(seconds, lang) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '';
  const u = DURATION_UNITS[lang] || DURATION_UNITS.en;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const part = (n, unit) => `${n}${u.sep}${unit}`;
  if (h > 0) return m > 0 ? `${part(h, u.h)} ${part(m, u.min)}` : part(h, u.h);
  if (m > 0) return s > 0 ? `${part(m, u.min)} ${part(s, u.s)}` : part(m, u.min);
  return part(s, u.s);
}

export function formatPercent(percent) {
  if (typeof percent !== 'number' || !Number.isFinite(percent)) return '';
  // One decimal, as the API reports it (42.5%); whole numbers without ".0".
  const clamped = Math.min(100, Math.max(0, percent));
  return `${Number(clamped.toFixed(1))}%`;
}

export function formatTime(iso, lang) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return date.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { hour12: false });
}
