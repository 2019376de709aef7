// The status page's other calls (contract §3, §4), through the console like fetchStatus: the
// user's own token, so ks-apiserver applies the user's RBAC to each one.
import { ApiError, errorFromBody } from './api.js';

export const API_PREFIX = '/kapis/deepseek.kubesphere.io/v1alpha1';

// ollama names keep their ':' and '/' (deepseek-r1:7b, hf.co/org/model): the API routes models/<path:name>.
const modelPath = name => `${API_PREFIX}/models/${encodeURIComponent(name).replace(/%3A/gi, ':').replace(/%2F/gi, '/')}`;

async function call(method, path, { signal } = {}) {
  let response;
  try {
    response = await fetch(path, { method, credentials: 'same-origin', headers: { Accept: 'application/json' }, signal });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError({ status: 0, message: (e && e.message) || String(e), kind: 'network' });
  }
  const text = await response.text();
  if (!response.ok) throw errorFromBody(response.status, text);
  if (response.status === 204 || !text) return {};
  try {
    const body = JSON.parse(text);
    if (body && typeof body === 'object') return body;
  } catch (e) {
    // fall through: not JSON
  }
  throw new ApiError({ status: response.status, message: '', kind: 'invalid' });
}

export const fetchModel = (name, options) => call('GET', modelPath(name), options);
export const pullModel = name => call('POST', `${modelPath(name)}/pull`);
export const deleteModel = name => call('DELETE', modelPath(name));
export const fetchUsage = options => call('GET', `${API_PREFIX}/usage`, options);
export const fetchAccessCode = options => call('GET', `${API_PREFIX}/accesscode`, options);
