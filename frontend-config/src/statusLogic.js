// Pure decisions of the status page (no DOM, no fetch; `now` and the console globals are inputs),
// unit-tested in test/status.test.js.

// ----- what a state may say -------------------------------------------------------------------
function hasError(findings) {
  return Array.isArray(findings) && findings.some(finding => finding && finding.severity === 'error');
}

// A component with an error finding is never shown Ready (nor "in progress" with nothing
// wrong): the API should already say so (contract §4); the page does not repeat a contradiction
// an older API may still send.
export function componentState(component) {
  const state = component && component.state;
  if (hasError(component && component.findings) && (state === 'Ready' || state === 'Progressing')) return 'Failed';
  return state || 'Unknown';
}

// The phase of the whole report: Ready while some component has an error reads Degraded.
export function reportPhase(report) {
  const phase = (report && report.phase) || 'Unknown';
  const components = (report && Array.isArray(report.components) && report.components) || [];
  if (phase === 'Ready' && components.some(component => hasError(component.findings))) return 'Degraded';
  return phase;
}

// What to say under a component that has no finding of its own. "No problems found" only when
// nothing is wrong; a component that waits names the components whose errors it waits for.
export function quietComponent(component, components) {
  const state = componentState(component);
  if (state === 'Ready') return { key: 'DEEPSEEK_NO_FINDINGS' };
  if (state === 'Disabled') return { key: 'DEEPSEEK_COMPONENT_DISABLED' };
  if (state === 'Unknown') return { key: 'DEEPSEEK_COMPONENT_UNCHECKED' };
  const blocking = (components || [])
    .filter(other => other !== component && other.name !== component.name && hasError(other.findings))
    .map(other => other.name);
  return blocking.length ? { key: 'DEEPSEEK_COMPONENT_WAITS_FOR', components: blocking } : { key: 'DEEPSEEK_COMPONENT_NO_OWN' };
}

// ----- texts with `code` ----------------------------------------------------------------------
// Catalog texts mark commands and keys with backticks: [{text, code}] segments to render as
// <code> spans, never as literal backticks. An unpaired backtick stays text.
export function codeSegments(text) {
  const value = typeof text === 'string' ? text : '';
  const parts = value.split('`');
  if (parts.length % 2 === 0) return value ? [{ text: value, code: false }] : [];
  return parts
    .map((part, index) => ({ text: part, code: index % 2 === 1 }))
    .filter(segment => segment.text !== '');
}

// `<namespace>`-style placeholders a text still carries (the API should give real names); the
// browser tests assert there are none.
export function placeholders(text) {
  return typeof text === 'string' ? text.match(/<[a-z][a-z0-9 _-]*>/gi) || [] : [];
}

// ----- who may act ----------------------------------------------------------------------------
// Administrator = the console's own permission data says so: ks-console keeps the user's global
// role-template rules as globals.user.globalRules[module] = [actions..., template names]
// (server/services/session.js getUserGlobalRules), and its permission checks treat `manage` and
// `*` as every action and skip checks with globals.config.disableAuthorization
// (packages/shared/src/utils/nav.ts getActions/hasPermission). Our RoleTemplates carry
// role-template-rules {"deepseek": "manage"} (contract §3). The API still checks every call.
export function isAdministrator(globals) {
  if (!globals || typeof globals !== 'object') return false;
  if (globals.config && globals.config.disableAuthorization === true) return true;
  const rules = globals.user && globals.user.globalRules && globals.user.globalRules.deepseek;
  return Array.isArray(rules) && (rules.includes('manage') || rules.includes('*'));
}

// ----- links into the console -----------------------------------------------------------------
// ks-console routes (packages/console/src/pages/clusters/containers/Workload/Pods/Detail/routes.tsx,
// ../ContainerDetail/routes.tsx): /clusters/:cluster/projects/:namespace/pods/:name/{resource-status,
// events} and .../pods/:podName/containers/:containerName/logs. The extension runs on the host
// cluster, which KubeSphere names `host` (packages/shared/src/utils/checker.ts defaults to it).
const DNS_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function consoleLink(link, cluster = 'host') {
  if (!link || typeof link !== 'object') return null;
  const { kind, namespace, name, container } = link;
  if (![namespace, name, cluster].every(part => typeof part === 'string' && DNS_NAME.test(part))) return null;
  const pod = `/clusters/${cluster}/projects/${namespace}/pods/${name}`;
  if (kind === 'pod') return `${pod}/resource-status`;
  if (kind === 'events') return `${pod}/events`;
  if (kind === 'logs') {
    return typeof container === 'string' && DNS_NAME.test(container) ? `${pod}/containers/${container}/logs` : null;
  }
  return null;
}

// ----- model actions --------------------------------------------------------------------------
const BUSY_PHASES = ['Pulling', 'Verifying', 'Loading'];
const RETRY_STATES = ['failed', 'absent', 'partial'];

// {retry, remove}: each {enabled, reason} where reason is a locale key saying why not.
// `detail` is GET models/{name} (configured, downloads, phase, requested...), null when unread.
export function modelActions({ model, detail, admin }) {
  const deny = reason => ({ enabled: false, reason });
  if (!admin) return { retry: deny('DEEPSEEK_ACTION_NEEDS_MANAGE'), remove: deny('DEEPSEEK_ACTION_NEEDS_MANAGE') };
  const state = (detail && detail.state) || (model && model.state);
  let retry = { enabled: true, reason: null };
  if (detail && detail.configured === false) retry = deny('DEEPSEEK_RETRY_NOT_CONFIGURED');
  else if (detail && detail.downloads === false) retry = deny('DEEPSEEK_RETRY_OFFLINE');
  else if (detail && detail.requested) retry = deny('DEEPSEEK_RETRY_REQUESTED');
  else if (detail && detail.phase === 'Stalled') retry = { enabled: true, reason: null }; // no bytes for minutes: retry now
  else if (state === 'pulling' || (detail && BUSY_PHASES.includes(detail.phase) && state !== 'failed')) retry = deny('DEEPSEEK_RETRY_BUSY');
  else if (!RETRY_STATES.includes(state)) retry = deny('DEEPSEEK_RETRY_NOT_NEEDED');
  let remove = { enabled: true, reason: null };
  if (!detail) remove = deny('DEEPSEEK_DELETE_UNKNOWN');
  else if (detail.configured) remove = deny('DEEPSEEK_DELETE_CONFIGURED');
  else if (state !== 'present' && state !== 'loaded' && state !== 'partial') remove = deny('DEEPSEEK_DELETE_ABSENT');
  return { retry, remove };
}

// Retry count and the next retry as the manager recorded them; `inSeconds` from `now` (ms).
export function retryInfo(detail, now) {
  if (!detail || typeof detail !== 'object') return null;
  const attempts = typeof detail.attempts === 'number' ? detail.attempts : 0;
  const next = detail.nextRetryAt ? Date.parse(detail.nextRetryAt) : NaN;
  if (!attempts && Number.isNaN(next)) return null;
  return {
    attempts,
    nextRetryAt: Number.isNaN(next) ? null : detail.nextRetryAt,
    inSeconds: Number.isNaN(next) ? null : Math.max(0, Math.round((next - now) / 1000)),
  };
}

// ----- serving summary ------------------------------------------------------------------------
// Rows of the Ready page's serving summary (contract §4 `serving`): [{key, value}] with value
// either a locale key (`label`) or plain text.
export function servingRows(serving) {
  if (!serving || typeof serving !== 'object') return [];
  const rows = [];
  if (serving.accelerator) rows.push({ key: 'DEEPSEEK_SERVING_ACCELERATOR', label: `DEEPSEEK_ACCELERATOR_${serving.accelerator}` });
  if (serving.accelerator && serving.accelerator !== 'cpu' && typeof serving.gpus === 'number') {
    rows.push({ key: 'DEEPSEEK_SERVING_GPUS', text: String(serving.gpus) });
  }
  if (typeof serving.contextLength === 'number') rows.push({ key: 'DEEPSEEK_SERVING_CONTEXT', tokens: serving.contextLength });
  if (typeof serving.numParallel === 'number') rows.push({ key: 'DEEPSEEK_SERVING_PARALLEL', text: String(serving.numParallel) });
  if (typeof serving.maxLoadedModels === 'number') rows.push({ key: 'DEEPSEEK_SERVING_MAX_LOADED', text: String(serving.maxLoadedModels) });
  if (serving.memoryRequest || serving.memoryLimit) {
    rows.push({ key: 'DEEPSEEK_SERVING_MEMORY', request: serving.memoryRequest || '–', limit: serving.memoryLimit || '–' });
  }
  return rows;
}

// ----- usage ----------------------------------------------------------------------------------
// GET usage items (contract §3) as table rows, busiest first; the caller named as a person reads it.
export function usageRows(usage) {
  const items = (usage && Array.isArray(usage.items) && usage.items) || [];
  return items
    .filter(item => item && typeof item.caller === 'string')
    .map(item => {
      const isUser = item.kind === 'user' || item.caller.startsWith('user:');
      return {
        caller: item.caller,
        name: isUser ? item.caller.replace(/^user:/, '') : item.caller,
        kind: isUser ? 'user' : 'key',
        requests: item.requests || 0,
        errors: item.errors || 0,
        promptTokens: item.promptTokens || 0,
        completionTokens: item.completionTokens || 0,
        models: Object.keys(item.models || {}).sort(),
      };
    })
    .sort((a, b) => b.requests - a.requests || a.caller.localeCompare(b.caller));
}

// How much of the count the gateways gave (GET usage podsReporting / podsTotal): 'complete',
// 'partial', 'silent' (pods exist, none answered: the figures are unknown, not zero) or 'none'
// (no gateway pod runs). An API that omits the counts is taken at its word: 'complete'.
export function usageCoverage(usage) {
  if (!usage || typeof usage.podsTotal !== 'number' || typeof usage.podsReporting !== 'number') return 'complete';
  if (usage.podsTotal === 0) return 'none';
  if (usage.podsReporting === 0) return 'silent';
  return usage.podsReporting < usage.podsTotal ? 'partial' : 'complete';
}

// 12345 -> "12,345" / "12,345" (both languages group by thousands).
export function formatCount(value) {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '';
}
