// The chat page's calls, through the console (which proxies /kapis/... to ks-apiserver with the
// user's token: RBAC and metering apply to the user, never to this bundle).
import { STATUS_PATH } from '../api.js';
import { ChatError, errorFromResponse } from './errors.js';
import { createThinkSplitter, readChatStream } from './stream.js';

export const API_PREFIX = STATUS_PATH.replace(/\/status$/, '');
export const CHAT_PATH = `${API_PREFIX}/chat/completions`;

async function send(path, init) {
  try {
    return await fetch(path, { credentials: 'same-origin', ...init });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ChatError({ status: 0, message: (e && e.message) || String(e), kind: 'network' });
  }
}

async function getJson(path, signal) {
  const response = await send(path, { headers: { Accept: 'application/json' }, signal });
  const text = await response.text();
  if (!response.ok) throw errorFromResponse(response.status, text, response.headers.get('Retry-After'));
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ChatError({ status: response.status, kind: 'invalid' });
  }
}

// The status report: its `models` are the configured models (what the gateway serves), its
// `endpoints.chat` the NextChat address when the extension publishes it.
export function fetchChatContext({ signal } = {}) {
  return getJson(STATUS_PATH, signal);
}

// One model's record (GET models/{name}): state, phase and download progress.
export function fetchModel(name, { signal } = {}) {
  return getJson(`${API_PREFIX}/models/${encodeURIComponent(name)}`, signal);
}

// Ask for a streamed answer; onUpdate gets {reasoning, content, phase} as it grows. Rejects with
// a ChatError (refused before the stream), a StreamError (error event inside it) or AbortError.
export async function streamChat({ model, messages, lang, signal, onUpdate }) {
  const response = await send(CHAT_PATH, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'text/event-stream',
      // The server answers errors in both languages and says which one we asked for.
      'Accept-Language': lang === 'zh' ? 'zh-CN,zh;q=0.9,en;q=0.5' : 'en',
    },
    body: JSON.stringify({ model, messages, stream: true }),
    signal,
  });
  if (!response.ok) {
    throw errorFromResponse(response.status, await response.text(), response.headers.get('Retry-After'));
  }
  const type = response.headers.get('Content-Type') || '';
  if (!type.includes('text/event-stream')) {
    // A whole answer (a server that ignored stream: true), or something that is no answer at all.
    const text = await response.text();
    let body = null;
    try {
      body = JSON.parse(text);
    } catch (e) {
      body = null;
    }
    const message = body && Array.isArray(body.choices) && body.choices[0] && body.choices[0].message;
    if (!message) throw new ChatError({ status: response.status, kind: 'invalid' });
    const splitter = createThinkSplitter();
    const split = splitter.push(message.content || '');
    const rest = splitter.end();
    const answer = {
      reasoning: (message.reasoning_content || message.reasoning || '') + split.reasoning + rest.reasoning,
      content: split.content + rest.content,
      phase: 'answering',
      done: true,
    };
    onUpdate(answer);
    return answer;
  }
  return readChatStream(response.body, onUpdate);
}
