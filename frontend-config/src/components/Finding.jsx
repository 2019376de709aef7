import { Tag } from '@kubed/components';
import * as React from 'react';
import { Link } from 'react-router-dom';
import styled from 'styled-components';

import { label, pick, translate } from '../i18n.js';
import { consoleLink } from '../statusLogic.js';
import { colors, tone } from '../theme.js';
import CodeText from './CodeText.jsx';
import { Code } from './ui.jsx';

const Item = styled.li`
  list-style: none;
  border-left: 3px solid ${props => props.color};
  background: ${colors.background};
  padding: 8px 12px;
  margin: 8px 0 0;
  p {
    margin: 4px 0;
  }
  .links a {
    color: ${colors.blue};
    margin-right: 12px;
  }
`;

const Label = styled.strong`
  margin-right: 6px;
`;

const TAG_COLOR = { error: 'error', warning: 'warning', info: 'info' };

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

// Links to the console's own pages of the pod, its events and its logs (finding `links`, contract §4).
function ConsoleLinks({ links, lang }) {
  const t = (key, params) => translate(lang, key, params);
  const shown = (Array.isArray(links) ? links : [])
    .map(link => ({ link, href: consoleLink(link) }))
    .filter(item => item.href);
  if (!shown.length) return null;
  return (
    <p className="links" data-testid="finding-links">
      <Label>{t('DEEPSEEK_LINKS')}:</Label>
      {shown.map(({ link, href }) => (
        <Link key={href} to={href} data-testid={`link-${link.kind}`}>
          {t(`DEEPSEEK_LINK_${link.kind}`, { name: link.name, container: link.container || '' })}
        </Link>
      ))}
    </p>
  );
}

// One finding: what is wrong (in the user's language), the evidence, how to fix it, where to look.
export default function Finding({ finding, lang }) {
  const t = key => translate(lang, key);
  const severity = finding.severity || 'info';
  const evidence = evidenceText(finding.evidence);
  const fix = pick(lang, finding.fix);
  return (
    <Item color={tone(severity)} data-testid="finding" data-code={finding.code} data-severity={severity}>
      <p>
        <Tag color={TAG_COLOR[severity] || 'default'}>{label(lang, 'DEEPSEEK_SEVERITY_', severity)}</Tag>{' '}
        <span data-testid="finding-message">
          <CodeText text={pick(lang, finding.message)} />
        </span>
      </p>
      {fix ? (
        <p data-testid="finding-fix">
          <Label>{t('DEEPSEEK_FIX')}:</Label>
          <CodeText text={fix} />
        </p>
      ) : null}
      {evidence ? (
        <p>
          <Label>{t('DEEPSEEK_EVIDENCE')}:</Label>
          <Code>{evidence}</Code>
        </p>
      ) : null}
      <ConsoleLinks links={finding.links} lang={lang} />
      {finding.path ? (
        <p>
          <Label>{t('DEEPSEEK_CONFIG_KEY')}:</Label>
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
