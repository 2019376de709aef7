import * as React from 'react';
import styled from 'styled-components';

import { fetchStatus } from '../api.js';
import ErrorPanel from '../components/ErrorPanel.jsx';
import { Card, CardTitle, CommandBlock, Hint, Muted } from '../components/ui.jsx';
import { detectLang, translate } from '../i18n.js';
import { safeUrl } from '../url.js';
import { colors } from '../theme.js';
import usePolling from '../usePolling.js';

export const NAMESPACE = 'extension-deepseek';
export const PORT_FORWARD = `kubectl -n ${NAMESPACE} port-forward svc/deepseek-backend-chat-service 3000:3000`;
export const LOCAL_URL = 'http://localhost:3000';
// Where the access code lives; the page shows how to read it, never the code itself.
export const ACCESS_CODE = `kubectl -n ${NAMESPACE} get secret deepseek-chat-access -o jsonpath='{.data.code}' | base64 -d`;

const Bar = styled(Card)`
  display: flex;
  align-items: center;
  gap: 12px;
  padding: 10px 20px;
  a {
    color: ${colors.blue};
    font-weight: 600;
  }
`;

const Frame = styled.iframe`
  display: block;
  width: 100%;
  height: calc(100vh - 260px);
  min-height: 480px;
  border: 1px solid ${colors.border};
  border-radius: 4px;
  background: #ffffff;
  margin-bottom: 12px;
`;

const Steps = styled.ol`
  margin: 0;
  padding-left: 20px;
  li {
    margin: 6px 0;
  }
`;

function AccessCode({ t }) {
  return (
    <Card data-testid="access-code">
      <CardTitle>{t('DEEPSEEK_CHAT_CODE_TITLE')}</CardTitle>
      <Hint>{t('DEEPSEEK_CHAT_CODE_TEXT')}</Hint>
      <CommandBlock command={ACCESS_CODE} copyLabel={t('DEEPSEEK_COPY')} copiedLabel={t('DEEPSEEK_COPIED')} />
    </Card>
  );
}

function NoIngress({ t, unknown }) {
  return (
    <>
      <Card data-testid="no-ingress">
        <CardTitle>{t('DEEPSEEK_CHAT_NO_INGRESS_TITLE')}</CardTitle>
        <Hint>{unknown ? t('DEEPSEEK_CHAT_STATUS_UNKNOWN') : t('DEEPSEEK_CHAT_NO_INGRESS_TEXT')}</Hint>
      </Card>
      <Card data-testid="port-forward">
        <CardTitle>{t('DEEPSEEK_CHAT_PORT_FORWARD_TITLE')}</CardTitle>
        <Hint>{t('DEEPSEEK_CHAT_PORT_FORWARD_TEXT', { url: LOCAL_URL })}</Hint>
        <CommandBlock command={PORT_FORWARD} copyLabel={t('DEEPSEEK_COPY')} copiedLabel={t('DEEPSEEK_COPIED')} />
      </Card>
      <Card data-testid="enable-ingress">
        <CardTitle>{t('DEEPSEEK_CHAT_ENABLE_TITLE')}</CardTitle>
        <Steps>
          <li>{t('DEEPSEEK_CHAT_ENABLE_STEP1')}</li>
          <li>{t('DEEPSEEK_CHAT_ENABLE_STEP2')}</li>
          <li>{t('DEEPSEEK_CHAT_ENABLE_STEP3')}</li>
        </Steps>
      </Card>
    </>
  );
}

export default function ChatPage() {
  const lang = React.useMemo(detectLang, []);
  const t = (key, params) => translate(lang, key, params);
  // Read once: the chat address only changes when the extension config changes.
  const { data, error } = usePolling(fetchStatus, 0);
  if (!data && !error) return <Card>{t('DEEPSEEK_LOADING')}</Card>;

  const chat = safeUrl(data && data.endpoints && data.endpoints.chat);
  if (!chat) {
    return (
      <div data-testid="chat-page">
        {error ? <ErrorPanel error={error} lang={lang} /> : null}
        <NoIngress t={t} unknown={Boolean(error)} />
        <AccessCode t={t} />
      </div>
    );
  }
  const blocked = typeof window !== 'undefined' && window.location.protocol === 'https:' && chat.startsWith('http:');
  return (
    <div data-testid="chat-page">
      <Bar>
        <span data-testid="chat-url">{t('DEEPSEEK_CHAT_AT', { url: chat })}</span>
        <a href={chat} target="_blank" rel="noopener noreferrer">
          {t('DEEPSEEK_CHAT_OPEN_TAB')}
        </a>
        <Muted style={{ marginLeft: 'auto' }}>{t('DEEPSEEK_CHAT_CODE_TITLE')}: deepseek-chat-access</Muted>
      </Bar>
      {blocked ? (
        <Card data-testid="mixed-content">
          <CardTitle>{t('DEEPSEEK_CHAT_MIXED_TITLE')}</CardTitle>
          <Hint>{t('DEEPSEEK_CHAT_MIXED')}</Hint>
        </Card>
      ) : (
        <Frame
          src={chat}
          title={t('DEEPSEEK_CHAT_FRAME_TITLE')}
          data-testid="chat-frame"
          referrerPolicy="no-referrer"
          sandbox="allow-scripts allow-same-origin allow-forms allow-popups allow-downloads"
        />
      )}
      <AccessCode t={t} />
    </div>
  );
}
