import * as React from 'react';
import styled from 'styled-components';

import { fetchChatContext, streamChat } from '../chat/client.js';
import { ChatError } from '../chat/errors.js';
import { load, newConversation, save, titleOf } from '../chat/store.js';
import { Message } from '../chat/views.jsx';
import { Button, Card, Muted } from '../components/ui.jsx';
import { detectLang, label, pick, translate } from '../i18n.js';
import { colors } from '../theme.js';
import { safeUrl } from '../url.js';

export const NAMESPACE = 'extension-deepseek';
// Where NextChat's access code lives; the page says where, never shows the code itself.
export const ACCESS_CODE = `kubectl -n ${NAMESPACE} get secret deepseek-chat-access -o jsonpath='{.data.code}' | base64 -d`;

const Grid = styled.div`
  display: grid;
  grid-template-columns: 220px 1fr;
  gap: 12px;
  height: calc(100vh - 170px);
  min-height: 480px;
`;

const Side = styled(Card)`
  display: flex;
  flex-direction: column;
  gap: 8px;
  margin: 0;
  padding: 12px;
  overflow: hidden;
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    overflow-y: auto;
    flex: 1;
  }
  li {
    display: flex;
    align-items: center;
    gap: 4px;
    border-radius: 4px;
    padding: 2px 4px;
    &[data-active='true'] { background: ${colors.code}; }
  }
  li > button:first-child {
    flex: 1;
    min-width: 0;
    text-align: left;
    font: inherit;
    color: ${colors.text};
    background: none;
    border: none;
    padding: 4px 2px;
    cursor: pointer;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  li > button:last-child {
    font: inherit;
    color: ${colors.muted};
    background: none;
    border: none;
    cursor: pointer;
    padding: 2px 6px;
    &:hover { color: ${colors.red}; }
  }
`;

const Main = styled(Card)`
  display: flex;
  flex-direction: column;
  margin: 0;
  padding: 0;
  overflow: hidden;
`;

const Toolbar = styled.div`
  display: flex;
  align-items: center;
  gap: 10px;
  padding: 10px 16px;
  border-bottom: 1px solid ${colors.border};
  select {
    font: inherit;
    padding: 3px 6px;
    border: 1px solid #ccd3db;
    border-radius: 4px;
    background: #ffffff;
  }
  a {
    color: ${colors.blue};
    font-weight: 600;
  }
`;

const Scroll = styled.div`
  flex: 1;
  overflow-y: auto;
  padding: 16px 20px;
  display: flex;
  flex-direction: column;
`;

const Composer = styled.form`
  display: flex;
  gap: 8px;
  align-items: flex-end;
  padding: 10px 16px;
  border-top: 1px solid ${colors.border};
  textarea {
    flex: 1;
    font: inherit;
    font-size: 14px;
    resize: none;
    min-height: 40px;
    max-height: 160px;
    padding: 8px 10px;
    border: 1px solid #ccd3db;
    border-radius: 4px;
  }
`;

const Welcome = styled.div`
  margin: auto;
  text-align: center;
  color: ${colors.muted};
  max-width: 520px;
  h2 { color: ${colors.text}; font-size: 16px; margin: 0 0 6px; }
`;

function currentUser() {
  const globals = typeof window !== 'undefined' ? window.globals : undefined;
  return (globals && globals.user && globals.user.username) || 'anonymous';
}

function storage() {
  try {
    return window.localStorage;
  } catch (e) {
    return { getItem: () => null, setItem: () => {} };
  }
}

// What the server refused or broke off with, as plain data (it is stored with the conversation).
function plainError(error, model) {
  return {
    name: error.name || 'ChatError',
    kind: error.kind || '',
    status: error.status || 0,
    code: error.code || '',
    apiMessage: error.apiMessage || (error instanceof ChatError ? '' : String(error.message || error)),
    params: error.params || {},
    allowed: error.allowed || null,
    retryAfter: error.retryAfter ?? null,
    model,
  };
}

// The history sent with a question: what was asked and answered, without thinking (DeepSeek
// advises not to feed reasoning back) and without failed answers.
function history(messages) {
  return messages
    .filter(m => (m.role === 'user' || m.role === 'assistant') && m.content)
    .map(m => ({ role: m.role, content: m.content }));
}

function ModelPicker({ t, lang, models, value, onChange, disabled }) {
  if (!models.length) {
    // The configured models could not be read: the name can still be typed.
    return (
      <label>
        {t('DEEPSEEK_CHATUI_MODEL')}{' '}
        <input value={value || ''} onChange={event => onChange(event.target.value.trim())} disabled={disabled}
          placeholder="deepseek-r1:7b" data-testid="model-input" />
      </label>
    );
  }
  const names = models.map(m => m.name);
  const options = value && !names.includes(value) ? [...models, { name: value }] : models;
  return (
    <label>
      {t('DEEPSEEK_CHATUI_MODEL')}{' '}
      <select value={value || ''} onChange={event => onChange(event.target.value)} disabled={disabled}
        data-testid="model-picker">
        {options.map(m => (
          <option key={m.name} value={m.name}>
            {m.state ? `${m.name} · ${label(lang, 'DEEPSEEK_MODEL_', m.state)}` : m.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function preferredModel(models) {
  const ready = models.find(m => m.state === 'loaded') || models.find(m => m.state === 'present');
  return (ready || models[0] || {}).name || '';
}

export default function ChatPage() {
  const lang = React.useMemo(detectLang, []);
  const t = React.useMemo(() => {
    const fn = (key, params) => translate(lang, key, params);
    fn.lang = lang;
    return fn;
  }, [lang]);
  const user = React.useMemo(currentUser, []);
  const [conversations, setConversations] = React.useState(() => load(storage(), user));
  const [activeId, setActiveId] = React.useState(() => (conversations[0] ? conversations[0].id : null));
  const [draftConversation, setDraftConversation] = React.useState(null); // new, not yet asked
  const [context, setContext] = React.useState({ models: [], chat: null, error: null, loaded: false });
  const [liveId, setLiveId] = React.useState(null);
  const [draft, setDraft] = React.useState('');
  const controller = React.useRef(null);
  const scroller = React.useRef(null);

  // Configured models and the NextChat address, read once (they change with the extension config).
  React.useEffect(() => {
    const abort = new AbortController();
    fetchChatContext({ signal: abort.signal }).then(
      report => setContext({
        models: Array.isArray(report.models) ? report.models.filter(m => m && m.name) : [],
        chat: safeUrl(report.endpoints && report.endpoints.chat),
        error: null,
        loaded: true,
      }),
      error => {
        if (error && error.name === 'AbortError') return;
        setContext({ models: [], chat: null, error, loaded: true });
      },
    );
    return () => abort.abort();
  }, []);

  // Stop a running answer when the page is left.
  React.useEffect(() => () => controller.current && controller.current.abort(), []);

  // Kept in the browser once an answer is complete (not on every streamed token).
  React.useEffect(() => {
    if (liveId === null) save(storage(), user, conversations);
  }, [conversations, liveId, user]);

  const active = conversations.find(c => c.id === activeId) || draftConversation;
  const messages = active ? active.messages : [];

  React.useEffect(() => {
    const node = scroller.current;
    if (node) node.scrollTop = node.scrollHeight;
  }, [messages]);

  const model = (active && active.model) || preferredModel(context.models);

  const update = React.useCallback((id, change) => {
    setConversations(list => list.map(c => (c.id === id ? { ...change(c), updated: Date.now() } : c)));
  }, []);

  const setLastAnswer = React.useCallback((id, change) => {
    update(id, c => {
      const list = [...c.messages];
      list[list.length - 1] = { ...list[list.length - 1], ...change };
      return { ...c, messages: list };
    });
  }, [update]);

  const run = React.useCallback(async (id, asked, sent) => {
    const current = new AbortController();
    controller.current = current;
    setLiveId(id);
    const started = Date.now();
    let last = { reasoning: '', content: '' };
    try {
      const answer = await streamChat({
        model: asked, messages: sent, lang, signal: current.signal,
        onUpdate: partial => {
          last = partial;
          setLastAnswer(id, { reasoning: partial.reasoning, content: partial.content });
        },
      });
      setLastAnswer(id, { reasoning: answer.reasoning, content: answer.content, seconds: (Date.now() - started) / 1000 });
    } catch (error) {
      if (error && error.name === 'AbortError') {
        setLastAnswer(id, { reasoning: last.reasoning, content: last.content, stopped: true });
      } else {
        const partial = error.partial || last;
        setLastAnswer(id, { reasoning: partial.reasoning, content: partial.content, error: plainError(error, asked) });
        if (Array.isArray(error.allowed) && error.allowed.length) {
          // The server named the models it serves: offer those.
          setContext(c => ({ ...c, models: error.allowed.map(name => c.models.find(m => m.name === name) || { name }) }));
        }
      }
    } finally {
      if (controller.current === current) controller.current = null;
      setLiveId(null);
    }
  }, [lang, setLastAnswer]);

  const ask = event => {
    if (event) event.preventDefault();
    const text = draft.trim();
    if (!text || liveId !== null || !model) return;
    let conversation = active;
    if (!conversation || !conversations.some(c => c.id === conversation.id)) {
      conversation = { ...(conversation || newConversation(model)), model };
      setConversations(list => [conversation, ...list]);
      setDraftConversation(null);
      setActiveId(conversation.id);
    }
    const asked = [...conversation.messages, { role: 'user', content: text }];
    setConversations(list => list.map(c => (c.id === conversation.id
      ? { ...c, model, messages: [...asked, { role: 'assistant', content: '', reasoning: '' }], updated: Date.now() }
      : c)));
    setDraft('');
    run(conversation.id, model, history(asked));
  };

  const retry = () => {
    if (!active || liveId !== null) return;
    const list = active.messages;
    const asked = list[list.length - 1] && list[list.length - 1].role === 'assistant' ? list.slice(0, -1) : list;
    update(active.id, c => ({ ...c, model, messages: [...asked, { role: 'assistant', content: '', reasoning: '' }] }));
    run(active.id, model, history(asked));
  };

  const stop = () => controller.current && controller.current.abort();

  const startNew = () => {
    if (liveId !== null) return;
    setDraftConversation(newConversation(model));
    setActiveId(null);
  };

  const remove = id => {
    if (liveId === id) stop();
    setConversations(list => list.filter(c => c.id !== id));
    if (activeId === id) setActiveId(null);
  };

  const pickModel = name => {
    if (active && conversations.some(c => c.id === active.id)) update(active.id, c => ({ ...c, model: name }));
    else setDraftConversation({ ...(draftConversation || newConversation(name)), model: name });
  };

  const onKey = event => {
    // Enter sends, Shift+Enter is a new line; never while an input method composes (Chinese).
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) ask(event);
  };

  const live = liveId !== null && active && liveId === active.id;
  const lastIndex = messages.length - 1;
  return (
    <Grid data-testid="chat-page">
      <Side as="nav" aria-label={t('DEEPSEEK_CHATUI_CONVERSATIONS')}>
        <Button type="button" onClick={startNew} disabled={liveId !== null} data-testid="new-chat">
          {t('DEEPSEEK_CHATUI_NEW')}
        </Button>
        <ul data-testid="conversations">
          {conversations.map(c => (
            <li key={c.id} data-active={active && c.id === active.id ? 'true' : 'false'} data-testid="conversation">
              <button type="button" onClick={() => liveId === null && setActiveId(c.id)} title={titleOf(c)}>
                {titleOf(c) || t('DEEPSEEK_CHATUI_UNTITLED')}
              </button>
              <button type="button" onClick={() => remove(c.id)} aria-label={t('DEEPSEEK_CHATUI_DELETE')}
                title={t('DEEPSEEK_CHATUI_DELETE')} data-testid="delete-conversation">×</button>
            </li>
          ))}
        </ul>
        <Muted>{t('DEEPSEEK_CHATUI_KEPT_LOCALLY')}</Muted>
      </Side>
      <Main as="section">
        <Toolbar>
          <ModelPicker t={t} lang={lang} models={context.models} value={model} onChange={pickModel} disabled={live} />
          {context.chat ? (
            <Muted style={{ marginLeft: 'auto' }} data-testid="nextchat">
              {t('DEEPSEEK_CHATUI_NEXTCHAT')}{' '}
              <a href={context.chat} target="_blank" rel="noopener noreferrer" data-testid="nextchat-link"
                title={t('DEEPSEEK_CHATUI_NEXTCHAT_CODE', { command: ACCESS_CODE })}>
                {context.chat}
              </a>
            </Muted>
          ) : null}
        </Toolbar>
        <Scroll ref={scroller} data-testid="messages" aria-live="polite">
          {context.error && !context.models.length ? (
            <Muted role="status" data-testid="models-error">
              {t('DEEPSEEK_CHATUI_MODELS_ERROR', {
                message: `HTTP ${context.error.status || '-'} ${pick(lang, context.error.apiMessage) || context.error.code || ''}`.trim(),
              })}
            </Muted>
          ) : null}
          {messages.length === 0 ? (
            <Welcome data-testid="welcome">
              <h2>{t('DEEPSEEK_CHATUI_WELCOME_TITLE')}</h2>
              <p>{t('DEEPSEEK_CHATUI_WELCOME', { user })}</p>
            </Welcome>
          ) : null}
          {messages.map((m, index) => (
            <Message key={`${active.id}-${index}`} t={t} message={m} live={live && index === lastIndex}
              canRetry={!liveId && index === lastIndex && m.role === 'assistant'} onRetry={retry} />
          ))}
        </Scroll>
        <Composer onSubmit={ask}>
          <textarea value={draft} onChange={event => setDraft(event.target.value)} onKeyDown={onKey}
            placeholder={t('DEEPSEEK_CHATUI_PLACEHOLDER')} aria-label={t('DEEPSEEK_CHATUI_PLACEHOLDER')}
            rows={2} data-testid="prompt" />
          {live ? (
            <Button type="button" onClick={stop} data-testid="stop">{t('DEEPSEEK_CHATUI_STOP')}</Button>
          ) : (
            <Button type="submit" disabled={!draft.trim() || liveId !== null || !model} data-testid="send">
              {t('DEEPSEEK_CHATUI_SEND')}
            </Button>
          )}
        </Composer>
      </Main>
    </Grid>
  );
}
