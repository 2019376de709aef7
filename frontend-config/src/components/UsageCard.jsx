import { BaseTable, Tag } from '@kubed/components';
import * as React from 'react';

import { formatTime } from '../format.js';
import { translate } from '../i18n.js';
import { fetchUsage } from '../statusApi.js';
import { formatCount, usageCoverage, usageRows } from '../statusLogic.js';
import usePolling from '../usePolling.js';
import ErrorPanel from './ErrorPanel.jsx';
import { Card, CardTitle, Code, Hint, Muted } from './ui.jsx';

const { Table, TableHead, TableBody, TableRow, TableCell } = BaseTable;

// Requests and tokens per caller (API key or console user) as the gateways count them
// (GET usage, contract §3), since the oldest reporting gateway started.
export default function UsageCard({ lang, pollMs }) {
  const t = (key, params) => translate(lang, key, params);
  const { data, error } = usePolling(fetchUsage, pollMs);
  const rows = usageRows(data);
  const coverage = usageCoverage(data);
  const counted = data && (coverage === 'complete' || coverage === 'partial');
  return (
    <Card data-testid="usage">
      <CardTitle>{t('DEEPSEEK_USAGE')}</CardTitle>
      {counted && (data.since || coverage === 'partial') ? (
        <Hint data-testid="usage-since">
          {data.since ? t('DEEPSEEK_USAGE_SINCE', { time: formatTime(data.since, lang) }) : ''}
          {coverage === 'partial'
            ? ` ${t('DEEPSEEK_USAGE_PARTIAL', { reporting: data.podsReporting, total: data.podsTotal })}`
            : ''}
        </Hint>
      ) : null}
      {data && !counted ? (
        <Muted data-testid="usage-unknown" data-coverage={coverage}>
          {coverage === 'none' ? t('DEEPSEEK_USAGE_NO_PODS') : t('DEEPSEEK_USAGE_SILENT', { total: data.podsTotal })}
        </Muted>
      ) : null}
      {error && error.status === 404 ? (
        <Muted data-testid="usage-unavailable">{t('DEEPSEEK_USAGE_UNAVAILABLE')}</Muted>
      ) : error ? (
        <ErrorPanel error={error} lang={lang} hints={false} title={t('DEEPSEEK_USAGE_FAILED')} />
      ) : null}
      {counted && rows.length === 0 ? <Muted data-testid="usage-empty">{t('DEEPSEEK_USAGE_EMPTY')}</Muted> : null}
      {rows.length ? (
        <Table size="small">
          <TableHead hasBorder>
            <TableRow>
              <TableCell variant="head">{t('DEEPSEEK_USAGE_CALLER')}</TableCell>
              <TableCell variant="head" align="right">{t('DEEPSEEK_USAGE_REQUESTS')}</TableCell>
              <TableCell variant="head" align="right">{t('DEEPSEEK_USAGE_ERRORS')}</TableCell>
              <TableCell variant="head" align="right">{t('DEEPSEEK_USAGE_PROMPT')}</TableCell>
              <TableCell variant="head" align="right">{t('DEEPSEEK_USAGE_COMPLETION')}</TableCell>
              <TableCell variant="head">{t('DEEPSEEK_MODELS')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody hasBorder>
            {rows.map(row => (
              <TableRow key={row.caller}>
                <TableCell data-testid="usage-caller" data-caller={row.caller}>
                  <Tag color={row.kind === 'user' ? 'info' : 'default'}>{t(`DEEPSEEK_USAGE_KIND_${row.kind}`)}</Tag> {row.name}
                </TableCell>
                <TableCell align="right" data-testid="usage-requests">{formatCount(row.requests)}</TableCell>
                <TableCell align="right">{formatCount(row.errors)}</TableCell>
                <TableCell align="right">{formatCount(row.promptTokens)}</TableCell>
                <TableCell align="right">{formatCount(row.completionTokens)}</TableCell>
                <TableCell>
                  {row.models.map(name => (
                    <Code key={name} style={{ marginRight: 4 }}>{name}</Code>
                  ))}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </Card>
  );
}
