// What went wrong with a chat request, in terms of what the person can do about it. Pure: the
// page renders the kind with its own texts (locales, "s2-chatui" block) next to what the server
// said. Tested in frontend-config/test/stream.test.js.

// A refused or failed chat request: the HTTP status (0 = no answer), the server's code, its
// message ({en, zh} or a string), the params it sent (model, allowed, ...) and Retry-After.
export class ChatError extends Error {
  constructor({ status = 0, code = '', message = '', params = {}, allowed = null, retryAfter = null, kind }) {
    super(typeof message === 'string' ? message : (message && message.en) || code || `HTTP ${status}`);
    this.name = 'ChatError';
    this.status = status;
    this.code = code;
    this.apiMessage = message;
    this.params = params;
    this.allowed = allowed;
    this.retryAfter = retryAfter;
    this.kind = kind; // optional override: 'network', 'invalid', 'stream'
  }
}

// Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3); `now` in ms, for tests.
export function retryAfterSeconds(value, now = Date.now()) {
  if (value == null || value === '') return null;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text);
  const when = Date.parse(text);
  if (Number.isNaN(when)) return null;
  return Math.max(0, Math.ceil((when - now) / 1000));
}

// Error bodies come in three shapes: ours ({status, code, message: {en, zh}, params?, allowed?}),
// the gateway's OpenAI one ({error: {message, code, messages: {en, zh}, ...params}}), and
// Kubernetes' Status from ks-apiserver ({kind: 'Status', reason, message}); or plain text.
export function errorFromResponse(status, text, retryAfterHeader) {
  let body = null;
  try {
    body = JSON.parse(text);
  } catch (e) {
    body = null;
  }
  const retryAfter = retryAfterSeconds(retryAfterHeader);
  if (!body || typeof body !== 'object') {
    return new ChatError({ status, message: (text || '').trim().slice(0, 500), retryAfter });
  }
  if (body.error && typeof body.error === 'object') {
    const { message, messages, code, type, param, ...params } = body.error;
    return new ChatError({
      status, code: String(code || type || ''), message: messages || message || '',
      params, allowed: params.models || params.allowed || null,
      retryAfter: retryAfter ?? retryAfterSeconds(params.retryAfter),
    });
  }
  const params = body.params && typeof body.params === 'object' ? body.params : {};
  return new ChatError({
    status,
    code: String(body.code && typeof body.code !== 'number' ? body.code : body.reason || ''),
    message: body.message || body.error || body.reason || '',
    params,
    allowed: body.allowed || params.models || null,
    retryAfter: retryAfter ?? retryAfterSeconds(params.retryAfter),
  });
}

// The kind of failure, which decides the advice shown:
//   notReady       the model is still downloading (409/503 ModelNotReady): show its progress
//   unauthenticated 401: log in again
//   forbidden      403: ask an administrator for the "DeepSeek chat" role template
//   rateLimited    429: wait Retry-After seconds
//   notServed      404 ModelNotServed: pick one of the allowed models
//   unavailable    502/503/504: the gateway or ollama is down
//   notFound       other 404: the extension API (or its chat route) is not there
//   network        no answer at all
//   stream         the stream broke off with an error event
//   other          anything else, shown as the server said it
export function classify(error) {
  if (!error) return 'other';
  if (error.kind === 'network' || error.kind === 'stream' || error.kind === 'invalid') return error.kind;
  if (error.name === 'StreamError') return 'stream';
  const code = String(error.code || '');
  const status = error.status || 0;
  if (/ModelNotReady$/.test(code)) return 'notReady';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 429 || /TooManyRequests$|Limit(Concurrent|Tokens)$/.test(code)) return 'rateLimited';
  if (/ModelNotServed$/.test(code)) return 'notServed';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  if (status === 404) return 'notFound';
  if (status === 0) return 'network';
  return 'other';
}

// Which model a notReady error is about: the server's params.model, else the one asked for.
export function notReadyModel(error, asked) {
  return (error && error.params && error.params.model) || asked;
}
