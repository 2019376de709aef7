import * as React from 'react';
import styled from 'styled-components';

import { label, pick, translate } from '../i18n.js';
import { colors, tone } from '../theme.js';
import { Badge, Code } from './ui.jsx';

const Item = styled.li`
  list-style: none;
  border-left: 3px solid ${props => props.color};
  background: ${colors.background};
  padding: 8px 12px;
  margin: 8px 0 0;
  p {
    margin: 4px 0;
  }
`;

const Label = styled.strong`
  margin-right: 6px;
`;

function evidenceText(evidence) {
  if (!evidence || typeof evidence !== 'object') return '';
  const parts = [];
  const object = [evidence.kind, evidence.name].filter(Boolean).join(' ');
  if (object) parts.push(object);
  if (evidence.field) parts.push(evidence.field);
  if (evidence.pod) parts.push(evidence.pod);
  if (evidence.event) parts.push(evidence.event);
  return parts.join(' · ');
}

// One finding: what is wrong (in the user's language), the evidence, and how to fix it.
export default function Finding({ finding, lang }) {
  const t = key => translate(lang, key);
  const severity = finding.severity || 'info';
  const evidence = evidenceText(finding.evidence);
  const fix = pick(lang, finding.fix);
  return (
    <Item color={tone(severity)} data-testid="finding" data-code={finding.code}>
      <p>
        <Badge color={tone(severity)}>{label(lang, 'DEEPSEEK_SEVERITY_', severity)}</Badge>{' '}
        <span>{pick(lang, finding.message)}</span>
      </p>
      {fix ? (
        <p data-testid="finding-fix">
          <Label>{t('DEEPSEEK_FIX')}:</Label>
          {fix}
        </p>
      ) : null}
      {evidence ? (
        <p>
          <Label>{t('DEEPSEEK_EVIDENCE')}:</Label>
          <Code>{evidence}</Code>
        </p>
      ) : null}
      {finding.path ? (
        <p>
          <Code>{finding.path}</Code>
        </p>
      ) : null}
      {finding.code ? (
        <p>
          <Label>{t('DEEPSEEK_CODE')}:</Label>
          <Code>{finding.code}</Code>
        </p>
      ) : null}
    </Item>
  );
}
