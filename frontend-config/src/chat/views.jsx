// The pieces of the chat page: one message (question, thinking, answer), the error of a failed
// answer with what to do, the download progress of a model that is not ready yet.
import * as React from 'react';
import styled from 'styled-components';

import { Button, CopyButton, ProgressBar } from '../components/ui.jsx';
import { formatBytes, formatDuration, formatPercent } from '../format.js';
import { pick } from '../i18n.js';
import { colors } from '../theme.js';
import { fetchModel } from './client.js';
import { classify, notReadyModel } from './errors.js';
import { renderMarkdown } from './markdown.js';

const Bubble = styled.div`
  margin: 0 0 16px;
  ${props => (props.user ? `
    align-self: flex-end;
    max-width: 80%;
    background: ${colors.text};
    color: #ffffff;
    border-radius: 12px 12px 2px 12px;
    padding: 8px 14px;
    white-space: pre-wrap;
    word-break: break-word;
  ` : `
    align-self: stretch;
  `)}
`;

const Thinking = styled.div`
  border-left: 3px solid ${colors.border};
  margin: 0 0 8px;
  padding: 0 0 0 10px;
  color: ${colors.muted};
  button {
    font: inherit;
    font-weight: 600;
    color: ${colors.muted};
    background: none;
    border: none;
    padding: 0;
    cursor: pointer;
  }
  div {
    white-space: pre-wrap;
    margin-top: 4px;
  }
`;

const Answer = styled.div`
  font-size: 14px;
  line-height: 1.6;
  word-break: break-word;
  p, ul, ol, pre, table, blockquote { margin: 0 0 10px; }
  pre {
    background: ${colors.code};
    border-radius: 4px;
    padding: 10px 12px;
    overflow-x: auto;
    font-size: 12px;
  }
  code { font-family: Monaco, Menlo, Consolas, 'Courier New', monospace; font-size: 12px; }
  :not(pre) > code { background: ${colors.code}; border-radius: 3px; padding: 1px 4px; }
  table { border-collapse: collapse; }
  th, td { border: 1px solid ${colors.border}; padding: 4px 8px; }
  blockquote { border-left: 3px solid ${colors.border}; padding-left: 10px; color: ${colors.muted}; }
  a { color: ${colors.blue}; }
`;

const Actions = styled.div`
  display: flex;
  gap: 8px;
  align-items: center;
  margin-top: 6px;
  color: ${colors.muted};
`;

const Cursor = styled.span`
  display: inline-block;
  width: 8px;
  height: 14px;
  margin-left: 2px;
  vertical-align: text-bottom;
  background: ${colors.blue};
  animation: deepseek-blink 1s steps(2) infinite;
  @keyframes deepseek-blink { 50% { opacity: 0; } }
`;

const ErrorBox = styled.div`
  border: 1px solid ${props => (props.tone === 'info' ? colors.blue : colors.red)};
  border-left-width: 4px;
  background: ${props => (props.tone === 'info' ? '#f2f9fc' : '#fff5f5')};
  border-radius: 4px;
  padding: 10px 14px;
  margin: 4px 0 8px;
  h3 {
    font-size: 13px;
    margin: 0 0 4px;
    color: ${props => (props.tone === 'info' ? colors.text : colors.red)};
  }
  p { margin: 4px 0; }
  code { font-family: Monaco, Menlo, Consolas, monospace; background: ${colors.code}; padding: 1px 4px; }
`;

// R1's thinking: open while it streams and nothing of the answer has come yet, closed once the
// answer starts; a click overrides either way.
function ThinkingBlock({ t, reasoning, live, answering }) {
  const [override, setOverride] = React.useState(null);
  const open = override === null ? !answering : override;
  const label = live && !answering ? t('DEEPSEEK_CHATUI_THINKING') : t('DEEPSEEK_CHATUI_THOUGHT');
  return (
    <Thinking data-testid="thinking" data-open={open ? 'true' : 'false'}>
      <button type="button" aria-expanded={open} onClick={() => setOverride(!open)} data-testid="thinking-toggle">
        {open ? '▾' : '▸'} {label}
      </button>
      {open ? <div data-testid="thinking-text">{reasoning}</div> : null}
    </Thinking>
  );
}

export function Message({ t, message, live, onRetry, canRetry }) {
  const isUser = message.role === 'user';
  const html = React.useMemo(() => (isUser ? '' : renderMarkdown(message.content)), [isUser, message.content]);
  if (isUser) {
    return <Bubble user data-testid="message-user">{message.content}</Bubble>;
  }
  const answering = Boolean(message.content);
  return (
    <Bubble data-testid="message-assistant" data-live={live ? 'true' : 'false'}>
      {message.reasoning ? (
        <ThinkingBlock t={t} reasoning={message.reasoning} live={live} answering={answering} />
      ) : null}
      {answering ? <Answer data-testid="answer" dangerouslySetInnerHTML={{ __html: html }} /> : null}
      {live && !message.reasoning && !answering ? <Cursor data-testid="waiting" aria-label={t('DEEPSEEK_CHATUI_WAITING')} /> : null}
      {message.error ? <ChatErrorPanel t={t} error={message.error} onRetry={canRetry ? onRetry : null} /> : null}
      {!live ? (
        <Actions>
          {message.stopped ? <span data-testid="stopped">{t('DEEPSEEK_CHATUI_STOPPED')}</span> : null}
          {answering ? (
            <CopyButton text={message.content} label={t('DEEPSEEK_COPY')} doneLabel={t('DEEPSEEK_COPIED')} />
          ) : null}
          {canRetry && !message.error ? (
            <Button type="button" onClick={onRetry} data-testid="retry">{t('DEEPSEEK_CHATUI_RETRY')}</Button>
          ) : null}
        </Actions>
      ) : null}
    </Bubble>
  );
}

// The download of a model that is not ready: polls GET models/{name} while shown.
function Download({ t, lang, model }) {
  const [record, setRecord] = React.useState(null);
  React.useEffect(() => {
    let timer = null;
    const controller = new AbortController();
    const poll = () => {
      fetchModel(model, { signal: controller.signal }).then(
        body => {
          setRecord(body);
          const done = body && (body.state === 'present' || body.state === 'loaded');
          if (!done) timer = setTimeout(poll, 3000);
        },
        error => {
          if (error && error.name === 'AbortError') return;
          timer = setTimeout(poll, 5000);
        },
      );
    };
    poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [model]);
  if (!record) return <p>{t('DEEPSEEK_LOADING')}</p>;
  if (record.state === 'present' || record.state === 'loaded') {
    return <p data-testid="download-done">{t('DEEPSEEK_CHATUI_MODEL_READY', { model })}</p>;
  }
  if (record.lastError) {
    return (
      <p data-testid="download-failed">
        {t('DEEPSEEK_CHATUI_DOWNLOAD_FAILED', { code: record.lastError.code })} {pick(lang, record.hint)}
      </p>
    );
  }
  const progress = record.progress;
  if (!progress) return <p data-testid="download-waiting">{t('DEEPSEEK_CHATUI_DOWNLOAD_WAITING')}</p>;
  const parts = [formatPercent(progress.percent),
    t('DEEPSEEK_DOWNLOAD_BYTES', { done: formatBytes(progress.completedBytes), total: formatBytes(progress.totalBytes) })];
  if (progress.etaSeconds != null) parts.push(t('DEEPSEEK_DOWNLOAD_ETA', { eta: formatDuration(progress.etaSeconds, lang) }));
  return (
    <div data-testid="download-progress">
      <ProgressBar percent={progress.percent} label={t('DEEPSEEK_DOWNLOAD_TITLE', { model })} />
      <p>{parts.join(' · ')}</p>
    </div>
  );
}

export function ChatErrorPanel({ t, error, onRetry }) {
  const lang = t.lang;
  const kind = classify(error);
  const model = notReadyModel(error, error.model);
  const said = pick(lang, error.apiMessage);
  const allowed = Array.isArray(error.allowed) ? error.allowed.join(', ') : '';
  const params = { model, models: allowed, status: error.status, seconds: error.retryAfter, message: said };
  const advice = kind === 'rateLimited' && error.retryAfter == null
    ? 'DEEPSEEK_CHATUI_ERR_rateLimited_FIX_NOWAIT' : `DEEPSEEK_CHATUI_ERR_${kind}_FIX`;
  return (
    <ErrorBox role="alert" data-testid="chat-error" data-kind={kind} tone={kind === 'notReady' ? 'info' : 'error'}>
      <h3>
        {t(`DEEPSEEK_CHATUI_ERR_${kind}`, params)}
        {error.status ? ` (HTTP ${error.status}${error.code ? `, ${error.code}` : ''})` : ''}
      </h3>
      {said && kind !== 'network' ? <p data-testid="chat-error-message">{said}</p> : null}
      {kind === 'notReady' ? <Download t={t} lang={lang} model={model} /> : null}
      <p data-testid="chat-error-fix">{t(advice, params)}</p>
      {onRetry ? <Button type="button" onClick={onRetry} data-testid="retry">{t('DEEPSEEK_CHATUI_RETRY')}</Button> : null}
    </ErrorBox>
  );
}
