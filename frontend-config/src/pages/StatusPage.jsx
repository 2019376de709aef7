import * as React from 'react';
import styled from 'styled-components';

import { Button } from '@kubed/components';

import { fetchStatus } from '../api.js';
import AccessCodeCard from '../components/AccessCodeCard.jsx';
import CodeText from '../components/CodeText.jsx';
import ErrorPanel from '../components/ErrorPanel.jsx';
import Finding from '../components/Finding.jsx';
import ModelsCard from '../components/ModelsCard.jsx';
import ServingCard from '../components/ServingCard.jsx';
import StateDot from '../components/StateDot.jsx';
import { Card, CardTitle, Code, CopyButton, Hint, Muted, ProgressBar, Table } from '../components/ui.jsx';
import UsageCard from '../components/UsageCard.jsx';
import { formatBytes, formatDuration, formatPercent, formatTime } from '../format.js';
import { detectLang, label, pick, translate } from '../i18n.js';
import { componentState, isAdministrator, quietComponent, reportPhase } from '../statusLogic.js';
import { colors } from '../theme.js';
import { safeUrl } from '../url.js';
import usePolling from '../usePolling.js';

// How often the page asks again while it is open. The API caches cluster reads, and the model
// manager records progress at most every 2 s, so faster polling would show nothing new.
export const POLL_SECONDS = 5;
// Usage changes with traffic, not with the rollout: ask less often.
const USAGE_POLL_SECONDS = 30;

const Summary = styled(Card)`
  display: flex;
  align-items: flex-start;
  gap: 16px;
  .phase {
    font-size: 18px;
  }
  .message {
    font-size: 14px;
    margin: 4px 0;
  }
  .actions {
    margin-left: auto;
  }
`;

const Stats = styled.div`
  display: flex;
  flex-wrap: wrap;
  gap: 6px 20px;
  margin-top: 8px;
  strong {
    font-size: 14px;
  }
`;

const FindingList = styled.ul`
  margin: 0;
  padding: 0;
`;

function PhaseSummary({ status, lang, receivedAt, onRefresh, refreshing }) {
  const t = (key, params) => translate(lang, key, params);
  const phase = reportPhase(status);
  return (
    <Summary data-testid="phase">
      <div>
        <Muted>{t('DEEPSEEK_PHASE')}</Muted>
        <div className="phase">
          <StateDot value={phase} data-testid="phase-label" data-phase={phase}>
            {label(lang, 'DEEPSEEK_PHASE_', phase)}
          </StateDot>
        </div>
        <p className="message" data-testid="phase-message">
          <CodeText text={pick(lang, status.message)} />
        </p>
        <Muted>
          {t('DEEPSEEK_CHECKED_AT', { time: formatTime(status.checkedAt || receivedAt, lang) })}
          {' · '}
          {t('DEEPSEEK_AUTO_REFRESH', { seconds: POLL_SECONDS })}
        </Muted>
      </div>
      <div className="actions">
        <Button variant="outline" size="sm" onClick={onRefresh} disabled={refreshing}>
          {t('DEEPSEEK_REFRESH')}
        </Button>
      </div>
    </Summary>
  );
}

function Download({ progress, lang }) {
  const t = (key, params) => translate(lang, key, params);
  const hasTotal = typeof progress.totalBytes === 'number' && progress.totalBytes > 0;
  const eta =
    typeof progress.etaSeconds === 'number'
      ? t('DEEPSEEK_DOWNLOAD_ETA', { eta: formatDuration(progress.etaSeconds, lang) })
      : t('DEEPSEEK_DOWNLOAD_ETA_UNKNOWN');
  return (
    <Card data-testid="download">
      <CardTitle>{t('DEEPSEEK_DOWNLOAD_TITLE', { model: progress.model })}</CardTitle>
      <ProgressBar percent={progress.percent} label={t('DEEPSEEK_DOWNLOAD_TITLE', { model: progress.model })} />
      <Stats>
        <strong data-testid="download-percent">{formatPercent(progress.percent || 0)}</strong>
        <span data-testid="download-bytes">
          {hasTotal
            ? t('DEEPSEEK_DOWNLOAD_BYTES', {
                done: formatBytes(progress.completedBytes || 0),
                total: formatBytes(progress.totalBytes),
              })
            : t('DEEPSEEK_DOWNLOAD_STARTING')}
        </span>
        {typeof progress.bytesPerSecond === 'number' && progress.bytesPerSecond > 0 ? (
          <span data-testid="download-rate">{t('DEEPSEEK_DOWNLOAD_RATE', { rate: formatBytes(progress.bytesPerSecond) })}</span>
        ) : null}
        <span data-testid="download-eta">{eta}</span>
      </Stats>
    </Card>
  );
}

function Components({ components, lang }) {
  const t = (key, params) => translate(lang, key, params);
  const quiet = component => {
    const said = quietComponent(component, components);
    const names = (said.components || []).map(name => label(lang, 'DEEPSEEK_COMPONENT_', name)).join(t('DEEPSEEK_LIST_SEPARATOR'));
    return t(said.key, { components: names });
  };
  return (
    <Card data-testid="components">
      <CardTitle>{t('DEEPSEEK_COMPONENTS')}</CardTitle>
      <Table>
        <tbody>
          {components.map(component => {
            const state = componentState(component);
            return (
              <tr key={component.name} data-testid={`component-${component.name}`}>
                <td style={{ width: '22%' }}>
                  <strong>{label(lang, 'DEEPSEEK_COMPONENT_', component.name)}</strong>
                </td>
                <td style={{ width: '16%' }}>
                  <StateDot value={state} data-testid="component-state">
                    {label(lang, 'DEEPSEEK_STATE_', state)}
                  </StateDot>
                </td>
                <td>
                  {component.findings && component.findings.length ? (
                    <FindingList>
                      {component.findings.map((finding, index) => (
                        <Finding key={`${finding.code}-${index}`} finding={finding} lang={lang} />
                      ))}
                    </FindingList>
                  ) : (
                    <Muted data-testid="component-quiet">{quiet(component)}</Muted>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </Table>
    </Card>
  );
}

const EndpointRow = styled.div`
  display: flex;
  align-items: center;
  gap: 8px;
  margin: 6px 0;
  .label {
    width: 180px;
    flex: none;
    font-weight: 600;
  }
`;

function Endpoints({ endpoints, lang }) {
  const t = key => translate(lang, key);
  const rows = ['ollama', 'openai'].map(key => ({ key, value: endpoints && endpoints[key] }));
  const chat = safeUrl(endpoints && endpoints.chat);
  return (
    <Card data-testid="endpoints">
      <CardTitle>{t('DEEPSEEK_ENDPOINTS')}</CardTitle>
      <Hint>{t('DEEPSEEK_ENDPOINTS_HINT')}</Hint>
      {rows.map(({ key, value }) => (
        <EndpointRow key={key} data-testid={`endpoint-${key}`}>
          <span className="label">{t(`DEEPSEEK_ENDPOINT_${key}`)}</span>
          {value ? <Code>{value}</Code> : <Muted>{t('DEEPSEEK_NOT_AVAILABLE')}</Muted>}
          {value ? <CopyButton text={value} label={t('DEEPSEEK_COPY')} doneLabel={t('DEEPSEEK_COPIED')} /> : null}
        </EndpointRow>
      ))}
      <EndpointRow data-testid="endpoint-chat">
        <span className="label">{t('DEEPSEEK_ENDPOINT_chat')}</span>
        {chat ? (
          <a href={chat} target="_blank" rel="noopener noreferrer" style={{ color: colors.blue }}>
            {chat}
          </a>
        ) : (
          <Muted>{t('DEEPSEEK_NOT_AVAILABLE')}</Muted>
        )}
      </EndpointRow>
    </Card>
  );
}

export default function StatusPage() {
  const lang = React.useMemo(detectLang, []);
  const { data, error, receivedAt, loading, refresh } = usePolling(fetchStatus, POLL_SECONDS * 1000);
  const admin = React.useMemo(() => isAdministrator(typeof window !== 'undefined' ? window.globals : null), []);
  const t = (key, params) => translate(lang, key, params);
  return (
    <div data-testid="status-page" data-admin={admin ? 'true' : 'false'}>
      {error ? <ErrorPanel error={error} lang={lang} /> : null}
      {error && data ? <Hint>{t('DEEPSEEK_STALE', { time: formatTime(receivedAt, lang) })}</Hint> : null}
      {!data && !error ? <Card>{t('DEEPSEEK_LOADING')}</Card> : null}
      {!data && error ? (
        <Button variant="outline" size="sm" onClick={refresh} disabled={loading}>
          {t('DEEPSEEK_REFRESH')}
        </Button>
      ) : null}
      {data ? (
        <>
          <PhaseSummary status={data} lang={lang} receivedAt={receivedAt} onRefresh={refresh} refreshing={loading} />
          {data.progress ? <Download progress={data.progress} lang={lang} /> : null}
          {reportPhase(data) === 'Ready' ? <ServingCard serving={data.serving} lang={lang} /> : null}
          <Components components={Array.isArray(data.components) ? data.components : []} lang={lang} />
          <ModelsCard
            models={Array.isArray(data.models) ? data.models : []}
            lang={lang}
            admin={admin}
            pollMs={POLL_SECONDS * 1000}
            onChanged={refresh}
          />
          <UsageCard lang={lang} pollMs={USAGE_POLL_SECONDS * 1000} />
          <Endpoints endpoints={data.endpoints || {}} lang={lang} />
          {admin ? <AccessCodeCard lang={lang} /> : null}
        </>
      ) : null}
    </div>
  );
}
