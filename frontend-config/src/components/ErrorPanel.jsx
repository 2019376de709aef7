import * as React from 'react';
import styled from 'styled-components';

import { pick, translate } from '../i18n.js';
import { colors } from '../theme.js';

const Box = styled.div`
  border: 1px solid ${colors.red};
  border-left-width: 4px;
  background: #fff5f5;
  border-radius: 4px;
  padding: 12px 16px;
  margin-bottom: 12px;
  h2 {
    font-size: 14px;
    margin: 0 0 6px;
    color: ${colors.red};
  }
  p {
    margin: 4px 0;
  }
`;

function hintKey(status) {
  if (status === 401) return 'DEEPSEEK_API_ERROR_HINT_401';
  if (status === 403) return 'DEEPSEEK_API_ERROR_HINT_403';
  if (status === 404) return 'DEEPSEEK_API_ERROR_HINT_404';
  if (status >= 500 || status === 0) return 'DEEPSEEK_API_ERROR_HINT_5XX';
  return null;
}

// What the API (or the console's proxy in front of it) said, as it said it: status code,
// error code and message, plus what a person can do about that status.
export default function ErrorPanel({ error, lang }) {
  const t = (key, params) => translate(lang, key, params);
  let detail;
  if (error.kind === 'network') detail = t('DEEPSEEK_API_ERROR_NETWORK', { message: pick(lang, error.apiMessage) });
  else if (error.kind === 'invalid') detail = t('DEEPSEEK_API_ERROR_INVALID');
  else detail = pick(lang, error.apiMessage);
  const hint = hintKey(error.status);
  return (
    <Box role="alert" data-testid="api-error">
      <h2>
        {t('DEEPSEEK_API_ERROR_TITLE')}
        {error.status ? ` (${t('DEEPSEEK_API_ERROR_STATUS', { status: error.status })}${error.code ? `, ${error.code}` : ''})` : ''}
      </h2>
      {detail ? <p>{detail}</p> : null}
      {hint ? <p>{t(hint)}</p> : null}
    </Box>
  );
}
