import { Button, Modal } from '@kubed/components';
import * as React from 'react';
import styled from 'styled-components';

import { formatBytes, formatDuration, formatPercent, formatTime } from '../format.js';
import { label, pick, translate } from '../i18n.js';
import { deleteModel, fetchModel, pullModel } from '../statusApi.js';
import { modelActions, retryInfo } from '../statusLogic.js';
import usePolling from '../usePolling.js';
import CodeText from './CodeText.jsx';
import ErrorPanel from './ErrorPanel.jsx';
import StateDot from './StateDot.jsx';
import { Card, CardTitle, Code, Muted, Table } from './ui.jsx';

const Actions = styled.div`
  display: flex;
  flex-wrap: wrap;
  gap: 8px;
  align-items: center;
  .reason {
    flex-basis: 100%;
  }
`;

const Detail = styled.div`
  margin-top: 4px;
  p {
    margin: 2px 0;
  }
`;

// Reasons worth a line under the buttons; the others (nothing to retry, not configured) stay
// in the buttons' tooltips.
const SAID = ['DEEPSEEK_RETRY_BUSY', 'DEEPSEEK_RETRY_REQUESTED', 'DEEPSEEK_RETRY_OFFLINE'];

// The text of an API value this bundle knows, else a translated fallback (never the raw code).
function known(lang, prefix, value, fallback) {
  const text = label(lang, prefix, value);
  return text === String(value) ? translate(lang, fallback) : text;
}

// One model: state, sizes, the manager's record (phase, attempts, next retry, last error) and
// the actions an administrator may take on it.
function ModelRow({ model, lang, admin, pollMs, onChanged }) {
  const t = (key, params) => translate(lang, key, params);
  const load = React.useCallback(options => fetchModel(model.name, options), [model.name]);
  const details = usePolling(load, pollMs);
  const detail = details.data;
  const [busy, setBusy] = React.useState(null);
  const [confirming, setConfirming] = React.useState(false);
  const [outcome, setOutcome] = React.useState(null); // {error} | {done: key}
  const actions = modelActions({ model, detail, admin });
  const settled = model.state === 'loaded' || model.state === 'present';
  const retry = settled ? null : retryInfo(detail, Date.now());
  const phase = detail && detail.phase;

  const act = async (name, call) => {
    setBusy(name);
    setOutcome(null);
    try {
      await call(model.name);
      setOutcome({ done: name === 'retry' ? 'DEEPSEEK_RETRY_DONE' : 'DEEPSEEK_DELETE_DONE' });
      details.refresh();
      if (onChanged) onChanged();
    } catch (error) {
      setOutcome({ error, name });
    }
    setBusy(null);
  };
  const reasons = [actions.retry.reason, actions.remove.reason].filter(Boolean);
  const reason = reasons.includes('DEEPSEEK_ACTION_NEEDS_MANAGE') ? 'DEEPSEEK_ACTION_NEEDS_MANAGE' : null;
  return (
    <tr data-testid="model-row" data-model={model.name}>
      <td>
        <Code>{model.name}</Code>
      </td>
      <td>
        <StateDot value={model.state} data-testid="model-state">
          {label(lang, 'DEEPSEEK_MODEL_', model.state)}
          {model.progress && typeof model.progress.percent === 'number' ? ` ${formatPercent(model.progress.percent)}` : ''}
        </StateDot>
        <Detail data-testid="model-detail">
          {phase && phase !== 'Ready' ? (
            <p data-testid="model-phase">
              <Muted>{t('DEEPSEEK_MANAGER_PHASE')}: </Muted>
              {known(lang, 'DEEPSEEK_MANAGER_', phase, 'DEEPSEEK_STATE_Unknown')}
            </p>
          ) : null}
          {retry && retry.attempts ? (
            <p data-testid="model-attempts">{t('DEEPSEEK_ATTEMPTS', { count: retry.attempts })}</p>
          ) : null}
          {retry && retry.nextRetryAt ? (
            <p data-testid="model-next-retry">
              {t('DEEPSEEK_NEXT_RETRY', {
                time: formatTime(retry.nextRetryAt, lang),
                in: formatDuration(retry.inSeconds, lang),
              })}
            </p>
          ) : null}
          {detail && detail.lastError && model.state !== 'loaded' && model.state !== 'present' ? (
            <p data-testid="model-last-error">
              <Muted>{t('DEEPSEEK_LAST_ERROR')}: </Muted>
              {known(lang, 'DEEPSEEK_FAILURE_', detail.lastError.code, 'DEEPSEEK_FAILURE_Other')} <Code>{detail.lastError.code}</Code>
            </p>
          ) : null}
          {detail && detail.hint && model.state !== 'loaded' ? (
            <p data-testid="model-hint">
              <CodeText text={pick(lang, detail.hint)} />
            </p>
          ) : null}
        </Detail>
      </td>
      <td>{model.sizeBytes ? formatBytes(model.sizeBytes) : <Muted>–</Muted>}</td>
      <td>{model.sizeVramBytes ? formatBytes(model.sizeVramBytes) : <Muted>–</Muted>}</td>
      <td>
        <Actions>
          <Button
            size="sm"
            variant="outline"
            data-testid="retry"
            disabled={!actions.retry.enabled || busy !== null}
            loading={busy === 'retry'}
            title={actions.retry.reason ? t(actions.retry.reason) : undefined}
            onClick={() => act('retry', pullModel)}
          >
            {t('DEEPSEEK_RETRY_NOW')}
          </Button>
          <Button
            size="sm"
            variant="outline"
            color="error"
            data-testid="delete"
            disabled={!actions.remove.enabled || busy !== null}
            loading={busy === 'delete'}
            title={actions.remove.reason ? t(actions.remove.reason) : undefined}
            onClick={() => setConfirming(true)}
          >
            {t('DEEPSEEK_DELETE')}
          </Button>
          {reason ? (
            <Muted className="reason" data-testid="actions-reason">
              {t(reason)}
            </Muted>
          ) : null}
          {!reason && SAID.includes(actions.retry.reason) ? (
            <Muted className="reason" data-testid="retry-reason">
              {t(actions.retry.reason)}
            </Muted>
          ) : null}
        </Actions>
        {outcome && outcome.done ? (
          <Muted data-testid="action-done">{t(outcome.done, { model: model.name })}</Muted>
        ) : null}
        {outcome && outcome.error ? (
          <ErrorPanel
            error={outcome.error}
            lang={lang}
            hints={false}
            title={t(outcome.name === 'retry' ? 'DEEPSEEK_RETRY_FAILED' : 'DEEPSEEK_DELETE_FAILED')}
            data-testid="action-error"
          />
        ) : null}
        <Modal
          visible={confirming}
          title={t('DEEPSEEK_DELETE_CONFIRM_TITLE', { model: model.name })}
          okText={t('DEEPSEEK_DELETE')}
          cancelText={t('DEEPSEEK_CANCEL')}
          okButtonProps={{ color: 'error' }}
          onOk={() => {
            setConfirming(false);
            act('delete', deleteModel);
          }}
          onCancel={() => setConfirming(false)}
          width={480}
        >
          <p data-testid="delete-confirm">{t('DEEPSEEK_DELETE_CONFIRM_TEXT', { model: model.name })}</p>
        </Modal>
      </td>
    </tr>
  );
}

export default function ModelsCard({ models, lang, admin, pollMs, onChanged }) {
  const t = key => translate(lang, key);
  return (
    <Card data-testid="models">
      <CardTitle>{t('DEEPSEEK_MODELS')}</CardTitle>
      {models.length === 0 ? (
        <Muted>{t('DEEPSEEK_NO_MODELS')}</Muted>
      ) : (
        <Table>
          <thead>
            <tr>
              <th>{t('DEEPSEEK_MODEL_NAME')}</th>
              <th>{t('DEEPSEEK_MODEL_STATE')}</th>
              <th>{t('DEEPSEEK_MODEL_SIZE')}</th>
              <th>{t('DEEPSEEK_MODEL_VRAM')}</th>
              <th style={{ width: '26%' }}>{t('DEEPSEEK_ACTIONS')}</th>
            </tr>
          </thead>
          <tbody>
            {models.map(model => (
              <ModelRow key={model.name} model={model} lang={lang} admin={admin} pollMs={pollMs} onChanged={onChanged} />
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
