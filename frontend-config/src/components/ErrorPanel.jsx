import { Alert } from '@kubed/components';
import * as React from 'react';

import { pick, translate } from '../i18n.js';

function hintKey(status) {
  if (status === 401) return 'DEEPSEEK_API_ERROR_HINT_401';
  if (status === 403) return 'DEEPSEEK_API_ERROR_HINT_403';
  if (status === 404) return 'DEEPSEEK_API_ERROR_HINT_404';
  if (status >= 500 || status === 0) return 'DEEPSEEK_API_ERROR_HINT_5XX';
  return null;
}

// What the API (or the console's proxy in front of it) said, as it said it: status code,
// error code and message, plus what a person can do about that status. `title` and `hints`
// let an action say what failed and skip the page-level hints.
export default function ErrorPanel({ error, lang, title, hints = true, ...rest }) {
  const t = (key, params) => translate(lang, key, params);
  let detail;
  if (error.kind === 'network') detail = t('DEEPSEEK_API_ERROR_NETWORK', { message: pick(lang, error.apiMessage) });
  else if (error.kind === 'invalid') detail = t('DEEPSEEK_API_ERROR_INVALID');
  else detail = pick(lang, error.apiMessage);
  const hint = hints ? hintKey(error.status) : null;
  // The error code only when it adds a word: never the HTTP status again ("HTTP 403, 403").
  const code = error.code && String(error.code) !== String(error.status) ? error.code : '';
  const status = error.status ? ` (${t('DEEPSEEK_API_ERROR_STATUS', { status: error.status })}${code ? `, ${code}` : ''})` : '';
  return (
    <div role="alert" data-testid="api-error" style={{ marginBottom: 12 }} {...rest}>
      <Alert type="error" title={`${title || t('DEEPSEEK_API_ERROR_TITLE')}${status}`}>
        {detail ? <p style={{ margin: '4px 0' }}>{detail}</p> : null}
        {hint ? <p style={{ margin: '4px 0' }}>{t(hint)}</p> : null}
      </Alert>
    </div>
  );
}
