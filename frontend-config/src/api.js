// The one call the pages make: GET the status report through the console, which proxies
// /kapis/... to ks-apiserver with the user's token (so RBAC applies to the user, not to us).
export const STATUS_PATH = '/kapis/deepseek.kubesphere.io/v1alpha1/status';

// An answer other than a readable status: HTTP status (0 = no answer) and what to show.
export class ApiError extends Error {
  constructor({ status, message, code, kind }) {
    super(typeof message === 'string' ? message : (message && message.en) || code || `HTTP ${status}`);
    this.status = status;
    this.apiMessage = message; // string or {en, zh}
    this.code = code || '';
    this.kind = kind; // 'http' | 'network' | 'invalid'
  }
}

// Error bodies come in three shapes: ours ({status, code, message: {en, zh}}), Kubernetes'
// Status from ks-apiserver ({kind: 'Status', message, reason}) and plain text.
export function errorFromBody(status, text) {
  let body = null;
  try {
    body = JSON.parse(text);
  } catch (e) {
    body = null;
  }
  if (body && typeof body === 'object') {
    const message = body.message || body.error || body.reason || '';
    // Kubernetes' Status carries the HTTP status again as a number in `code`; its word is `reason`.
    const code = typeof body.code === 'string' && body.code ? body.code : body.reason || '';
    return new ApiError({ status, message, code, kind: 'http' });
  }
  const plain = (text || '').trim().slice(0, 500);
  return new ApiError({ status, message: plain, kind: 'http' });
}

export async function fetchStatus({ signal } = {}) {
  let response;
  try {
    response = await fetch(STATUS_PATH, {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
      signal,
    });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError({ status: 0, message: (e && e.message) || String(e), kind: 'network' });
  }
  const text = await response.text();
  if (!response.ok) throw errorFromBody(response.status, text);
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new ApiError({ status: response.status, message: '', kind: 'invalid' });
  }
  if (!body || typeof body !== 'object' || typeof body.phase !== 'string') {
    throw new ApiError({ status: response.status, message: '', kind: 'invalid' });
  }
  return body;
}
