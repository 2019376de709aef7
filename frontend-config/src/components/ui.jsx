import * as React from 'react';
import styled from 'styled-components';

import { colors } from '../theme.js';

export const Card = styled.section`
  background: ${colors.card};
  border: 1px solid ${colors.border};
  border-radius: 4px;
  padding: 16px 20px;
  margin-bottom: 12px;
`;

export const CardTitle = styled.h2`
  font-size: 14px;
  font-weight: 600;
  line-height: 20px;
  margin: 0 0 12px;
  color: ${colors.text};
`;

export const Muted = styled.span`
  color: ${colors.muted};
`;

export const Hint = styled.p`
  color: ${colors.muted};
  margin: 0 0 12px;
`;

const BadgeBox = styled.span`
  display: inline-flex;
  align-items: center;
  gap: 6px;
  font-weight: 600;
  white-space: nowrap;
  &::before {
    content: '';
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: ${props => props.color};
  }
`;

// A coloured dot and a word: the colour repeats what the word says, never replaces it.
export function Badge({ color, children, ...rest }) {
  return (
    <BadgeBox color={color} {...rest}>
      {children}
    </BadgeBox>
  );
}

export const Code = styled.code`
  font-family: Monaco, Menlo, Consolas, 'Courier New', monospace;
  font-size: 12px;
  background: ${colors.code};
  border-radius: 3px;
  padding: 2px 6px;
  word-break: break-all;
  color: ${colors.text};
  /* The console's CssBaseline (kubed) draws backticks around every <code>; the code span is
     already the markup, so no backticks are shown. */
  &::before,
  &::after {
    content: none;
  }
`;

const Block = styled.pre`
  font-family: Monaco, Menlo, Consolas, 'Courier New', monospace;
  font-size: 12px;
  line-height: 18px;
  background: ${colors.text};
  color: #ffffff;
  border-radius: 4px;
  padding: 10px 12px;
  margin: 0;
  white-space: pre-wrap;
  word-break: break-all;
  flex: 1;
`;

const Row = styled.div`
  display: flex;
  align-items: stretch;
  gap: 8px;
  margin: 6px 0 12px;
`;

export const Button = styled.button`
  font: inherit;
  font-size: 12px;
  font-weight: 600;
  color: ${colors.text};
  background: #ffffff;
  border: 1px solid #ccd3db;
  border-radius: 16px;
  padding: 4px 14px;
  cursor: pointer;
  white-space: nowrap;
  &:hover {
    border-color: ${colors.text};
  }
  &:disabled {
    cursor: default;
    color: ${colors.muted};
  }
`;

// Copy to the clipboard where the browser allows it (secure context); otherwise the text is
// still there to select by hand.
export function CopyButton({ text, label, doneLabel }) {
  const [done, setDone] = React.useState(false);
  const canCopy = typeof navigator !== 'undefined' && navigator.clipboard && window.isSecureContext;
  if (!canCopy) return null;
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setDone(true),
      () => setDone(false),
    );
  return (
    <Button type="button" onClick={copy}>
      {done ? doneLabel : label}
    </Button>
  );
}

export function CommandBlock({ command, copyLabel, copiedLabel, ...rest }) {
  return (
    <Row>
      <Block {...rest}>{command}</Block>
      <CopyButton text={command} label={copyLabel} doneLabel={copiedLabel} />
    </Row>
  );
}

const Track = styled.div`
  height: 10px;
  border-radius: 5px;
  background: ${colors.border};
  overflow: hidden;
`;

const Fill = styled.div`
  height: 100%;
  width: ${props => props.percent}%;
  background: ${colors.blue};
  border-radius: 5px;
  transition: width 0.6s ease;
`;

export function ProgressBar({ percent, label }) {
  const value = Math.min(100, Math.max(0, Number(percent) || 0));
  return (
    <Track role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(value)}>
      <Fill percent={value} />
    </Track>
  );
}

export const Table = styled.table`
  width: 100%;
  border-collapse: collapse;
  th {
    text-align: left;
    font-weight: 600;
    color: ${colors.muted};
    padding: 6px 8px;
    border-bottom: 1px solid ${colors.border};
  }
  td {
    padding: 8px;
    border-bottom: 1px solid ${colors.border};
    vertical-align: top;
  }
  tr:last-child td {
    border-bottom: none;
  }
`;
