import * as React from 'react';
import styled from 'styled-components';

import { translate } from '../i18n.js';
import { formatCount, servingRows } from '../statusLogic.js';
import { colors } from '../theme.js';
import { Card, CardTitle } from './ui.jsx';

const Grid = styled.dl`
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(180px, 1fr));
  gap: 8px 24px;
  margin: 0;
  dt {
    color: ${colors.muted};
  }
  dd {
    margin: 0;
    font-size: 14px;
    font-weight: 600;
  }
`;

// How the model is served, on the Ready page (contract §4 `serving`).
export default function ServingCard({ serving, lang }) {
  const t = (key, params) => translate(lang, key, params);
  const rows = servingRows(serving);
  if (!rows.length) return null;
  const value = row => {
    if (row.label) return t(row.label);
    if (row.tokens !== undefined) return t('DEEPSEEK_SERVING_TOKENS', { tokens: formatCount(row.tokens) });
    if (row.request !== undefined) return t('DEEPSEEK_SERVING_MEMORY_VALUE', { request: row.request, limit: row.limit });
    return row.text;
  };
  return (
    <Card data-testid="serving">
      <CardTitle>{t('DEEPSEEK_SERVING')}</CardTitle>
      <Grid>
        {rows.map(row => (
          <div key={row.key} data-testid={`serving-${row.key.replace('DEEPSEEK_SERVING_', '').toLowerCase()}`}>
            <dt>{t(row.key)}</dt>
            <dd>{value(row)}</dd>
          </div>
        ))}
      </Grid>
    </Card>
  );
}
