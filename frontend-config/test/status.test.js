// Unit tests of the status page's pure rules (src/statusLogic.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  codeSegments, componentState, consoleLink, isAdministrator, modelActions, placeholders, quietComponent,
  reportPhase, retryInfo, servingRows, usageCoverage, usageRows,
} from '../src/statusLogic.js';

const error = { code: 'DiskFull', severity: 'error' };
const warning = { code: 'KeylessAccess', severity: 'warning' };

test('a component with an error finding is never Ready nor quietly in progress', () => {
  assert.equal(componentState({ state: 'Ready', findings: [error] }), 'Failed');
  assert.equal(componentState({ state: 'Progressing', findings: [error] }), 'Failed');
  assert.equal(componentState({ state: 'Degraded', findings: [error] }), 'Degraded');
  assert.equal(componentState({ state: 'Ready', findings: [warning] }), 'Ready');
  assert.equal(componentState({ state: undefined, findings: [] }), 'Unknown');
});

test('a Ready report with an error somewhere reads Degraded', () => {
  assert.equal(reportPhase({ phase: 'Ready', components: [{ findings: [error] }] }), 'Degraded');
  assert.equal(reportPhase({ phase: 'Ready', components: [{ findings: [warning] }] }), 'Ready');
  assert.equal(reportPhase({ phase: 'Failed', components: [{ findings: [error] }] }), 'Failed');
  assert.equal(reportPhase(null), 'Unknown');
});

test('"No problems found" only for a Ready component; others say what they wait for', () => {
  const storage = { name: 'storage', state: 'Ready', findings: [error] };
  const model = { name: 'model', state: 'Progressing', findings: [] };
  const api = { name: 'api', state: 'Ready', findings: [] };
  const all = [storage, model, api];
  assert.deepEqual(quietComponent(api, all), { key: 'DEEPSEEK_NO_FINDINGS' });
  assert.deepEqual(quietComponent(model, all), { key: 'DEEPSEEK_COMPONENT_WAITS_FOR', components: ['storage'] });
  assert.deepEqual(quietComponent(model, [model, api]), { key: 'DEEPSEEK_COMPONENT_NO_OWN' });
  assert.deepEqual(quietComponent({ name: 'ingress', state: 'Disabled', findings: [] }, all), { key: 'DEEPSEEK_COMPONENT_DISABLED' });
  assert.deepEqual(quietComponent({ name: 'x', state: 'Unknown', findings: [] }, all), { key: 'DEEPSEEK_COMPONENT_UNCHECKED' });
});

test('backticks become code segments, never text; unpaired ones stay text', () => {
  assert.deepEqual(codeSegments('Set `a.b` then run `kubectl get pods`.'), [
    { text: 'Set ', code: false }, { text: 'a.b', code: true }, { text: ' then run ', code: false },
    { text: 'kubectl get pods', code: true }, { text: '.', code: false },
  ]);
  assert.deepEqual(codeSegments('one ` only'), [{ text: 'one ` only', code: false }]);
  assert.deepEqual(codeSegments(''), []);
  assert.deepEqual(codeSegments(null), []);
  assert.deepEqual(placeholders('kubectl -n <namespace> get pvc <name>'), ['<namespace>', '<name>']);
  assert.deepEqual(placeholders('a < b > c'), []);
});

test('administrator = manage (or *) in globalRules.deepseek, as ks-console keeps them', () => {
  assert.equal(isAdministrator({ user: { globalRules: { deepseek: ['view', 'manage', 'global-deepseek-manage'] } } }), true);
  assert.equal(isAdministrator({ user: { globalRules: { deepseek: ['*'] } } }), true);
  assert.equal(isAdministrator({ user: { globalRules: { deepseek: ['view', 'global-deepseek-view'] } } }), false);
  assert.equal(isAdministrator({ user: { globalRules: { clusters: ['manage'] } } }), false);
  assert.equal(isAdministrator({ user: { globalRules: { deepseek: 'manage' } } }), false); // never a string in ks-console
  assert.equal(isAdministrator({ user: {} }), false);
  assert.equal(isAdministrator({ config: { disableAuthorization: true }, user: {} }), true);
  assert.equal(isAdministrator(undefined), false);
});

test('console links follow ks-console routes and refuse anything that is not a name', () => {
  const base = { namespace: 'extension-deepseek', name: 'ollama-0' };
  assert.equal(consoleLink({ kind: 'pod', ...base }), '/clusters/host/projects/extension-deepseek/pods/ollama-0/resource-status');
  assert.equal(consoleLink({ kind: 'events', ...base }), '/clusters/host/projects/extension-deepseek/pods/ollama-0/events');
  assert.equal(consoleLink({ kind: 'logs', ...base, container: 'ollama' }),
    '/clusters/host/projects/extension-deepseek/pods/ollama-0/containers/ollama/logs');
  assert.equal(consoleLink({ kind: 'logs', ...base }), null);
  assert.equal(consoleLink({ kind: 'pod', ...base, name: '../../evil' }), null);
  assert.equal(consoleLink({ kind: 'pod', ...base, namespace: 'javascript:alert(1)' }), null);
  assert.equal(consoleLink({ kind: 'deployment', ...base }), null);
  assert.equal(consoleLink(null), null);
});

test('model actions: who may act and why not', () => {
  const failed = { state: 'failed' };
  const detail = { configured: true, downloads: true, state: 'failed', phase: 'Failed', requested: false };
  assert.deepEqual(modelActions({ model: failed, detail, admin: true }).retry, { enabled: true, reason: null });
  const viewer = modelActions({ model: failed, detail, admin: false });
  assert.equal(viewer.retry.reason, 'DEEPSEEK_ACTION_NEEDS_MANAGE');
  assert.equal(viewer.remove.reason, 'DEEPSEEK_ACTION_NEEDS_MANAGE');
  const retry = d => modelActions({ model: failed, detail: { ...detail, ...d }, admin: true }).retry.reason;
  assert.equal(retry({ downloads: false }), 'DEEPSEEK_RETRY_OFFLINE');
  assert.equal(retry({ requested: true }), 'DEEPSEEK_RETRY_REQUESTED');
  assert.equal(retry({ state: 'pulling', phase: 'Pulling' }), 'DEEPSEEK_RETRY_BUSY');
  assert.equal(retry({ state: 'absent', phase: 'Verifying' }), 'DEEPSEEK_RETRY_BUSY');
  assert.equal(retry({ state: 'pulling', phase: 'Stalled' }), null);
  assert.equal(retry({ state: 'absent', phase: 'Stalled' }), null);
  assert.equal(retry({ state: 'loaded', phase: 'Ready' }), 'DEEPSEEK_RETRY_NOT_NEEDED');
  assert.equal(retry({ configured: false, state: 'present' }), 'DEEPSEEK_RETRY_NOT_CONFIGURED');
  const remove = d => modelActions({ model: failed, detail: d && { ...detail, ...d }, admin: true }).remove.reason;
  assert.equal(remove({ configured: false, state: 'present' }), null);
  assert.equal(remove({ configured: true, state: 'present' }), 'DEEPSEEK_DELETE_CONFIGURED');
  assert.equal(remove({ configured: false, state: 'absent' }), 'DEEPSEEK_DELETE_ABSENT');
  assert.equal(remove(null), 'DEEPSEEK_DELETE_UNKNOWN');
});

test('retry info counts attempts and the time to the next retry from now', () => {
  const now = Date.parse('2026-11-29T10:00:00Z');
  assert.deepEqual(retryInfo({ attempts: 3, nextRetryAt: '2026-11-29T10:02:30Z' }, now),
    { attempts: 3, nextRetryAt: '2026-11-29T10:02:30Z', inSeconds: 150 });
  assert.deepEqual(retryInfo({ attempts: 3, nextRetryAt: '2026-11-29T09:59:00Z' }, now).inSeconds, 0);
  assert.deepEqual(retryInfo({ attempts: 1, nextRetryAt: null }, now), { attempts: 1, nextRetryAt: null, inSeconds: null });
  assert.equal(retryInfo({ attempts: 0, nextRetryAt: null }, now), null);
  assert.equal(retryInfo(null, now), null);
});

test('serving rows: CPU has no GPU count; absent fields are left out', () => {
  assert.deepEqual(servingRows({ accelerator: 'cpu', gpus: 0, contextLength: 4096 }).map(r => r.key),
    ['DEEPSEEK_SERVING_ACCELERATOR', 'DEEPSEEK_SERVING_CONTEXT']);
  const gpu = servingRows({ accelerator: 'nvidia', gpus: 2, contextLength: 8192, numParallel: 4, maxLoadedModels: 1,
    memoryRequest: '8Gi', memoryLimit: '16Gi' });
  assert.deepEqual(gpu.map(r => r.key), ['DEEPSEEK_SERVING_ACCELERATOR', 'DEEPSEEK_SERVING_GPUS', 'DEEPSEEK_SERVING_CONTEXT',
    'DEEPSEEK_SERVING_PARALLEL', 'DEEPSEEK_SERVING_MAX_LOADED', 'DEEPSEEK_SERVING_MEMORY']);
  assert.equal(gpu[0].label, 'DEEPSEEK_ACCELERATOR_nvidia');
  assert.deepEqual(servingRows(undefined), []);
});

test('usage rows: busiest first, users named without the prefix', () => {
  const rows = usageRows({ items: [
    { caller: 'user:alice', kind: 'user', requests: 5, models: { b: {}, a: {} } },
    { caller: 'ci-bot', kind: 'key', requests: 9, errors: 1, promptTokens: 10, completionTokens: 20 },
    { caller: 'nextchat', kind: 'key', requests: 5 },
    { kind: 'key' },
  ] });
  assert.deepEqual(rows.map(r => [r.name, r.kind]), [['ci-bot', 'key'], ['nextchat', 'key'], ['alice', 'user']]);
  assert.deepEqual(rows[2].models, ['a', 'b']);
  assert.deepEqual(usageRows(null), []);
});

test('usage from no gateway is unknown, not zero; from some of them, partial', () => {
  assert.equal(usageCoverage({ items: [], podsReporting: 0, podsTotal: 2 }), 'silent');
  assert.equal(usageCoverage({ items: [], podsReporting: 0, podsTotal: 0 }), 'none');
  assert.equal(usageCoverage({ items: [], podsReporting: 1, podsTotal: 2 }), 'partial');
  assert.equal(usageCoverage({ items: [], podsReporting: 2, podsTotal: 2 }), 'complete');
  assert.equal(usageCoverage({ items: [] }), 'complete');
  assert.equal(usageCoverage(null), 'complete');
});
