// Unit tests of the chat page's pure modules: SSE parsing, the think splitter, the stream
// reader, error classification and the conversation store (node's own test runner).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ChatError, classify, errorFromResponse, notReadyModel, retryAfterSeconds } from '../src/chat/errors.js';
import { bound, load, newConversation, save, storageKey, titleOf } from '../src/chat/store.js';
import { createSseParser, createThinkSplitter, readChatEvent, readChatStream, StreamError } from '../src/chat/stream.js';

const chunk = delta => `data: ${JSON.stringify({ choices: [{ index: 0, delta }] })}\n\n`;
const STREAM = [
  ': keep-alive comment\n\n',
  chunk({ role: 'assistant', reasoning_content: 'The user greets. ' }),
  chunk({ reasoning_content: '我应该回答。' }),
  chunk({ content: '**Hello**' }),
  chunk({ content: ', 世界!' }),
  `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\r\n\r\n`,
  'data: [DONE]\n\n',
].join('');

function parseAll(pieces) {
  const parser = createSseParser();
  const events = pieces.flatMap(piece => parser.push(piece));
  return [...events, ...parser.end()];
}

function splitEvery(text, size) {
  const out = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

test('SSE events are the same however the text is chunked', () => {
  const whole = parseAll([STREAM]);
  assert.equal(whole.length, 6); // the comment is no event
  assert.equal(whole[5].data, '[DONE]');
  for (const size of [1, 2, 3, 7, 13, 64]) {
    assert.deepEqual(parseAll(splitEvery(STREAM, size)), whole, `chunks of ${size}`);
  }
});

test('SSE: CRLF cut between chunks, CR alone, multi-line data, event names, field without space', () => {
  assert.deepEqual(parseAll(['data: a\r', '\n\r', '\n']).map(e => e.data), ['a']);
  assert.deepEqual(parseAll(['data: a\r\rdata: b\r\r']).map(e => e.data), ['a', 'b']);
  const [multi] = parseAll(['data: {"choices":\ndata: []}\n\n']);
  assert.equal(multi.data, '{"choices":\n[]}');
  const [named] = parseAll(['event: error\ndata:{"x":1}\nid: 7\n\n']);
  assert.deepEqual(named, { event: 'error', data: '{"x":1}', id: '7' });
  // An event with no data line dispatches nothing; a last event without a blank line still counts.
  assert.deepEqual(parseAll(['event: ping\n\n', 'data: tail']).map(e => e.data), ['tail']);
});

test('chat events: deltas, both reasoning spellings, usage chunk, [DONE], errors', () => {
  const read = data => readChatEvent({ event: 'message', data });
  assert.deepEqual(read(JSON.stringify({ choices: [{ delta: { reasoning_content: 'r' } }] })),
    { type: 'delta', reasoning: 'r', content: '', finishReason: null });
  assert.equal(read(JSON.stringify({ choices: [{ delta: { reasoning: 'o' } }] })).reasoning, 'o');
  assert.deepEqual(read(JSON.stringify({ choices: [], usage: { total_tokens: 3 } })), { type: 'ignore' });
  assert.deepEqual(read(' [DONE]'), { type: 'done' });
  const openai = read(JSON.stringify({ error: { message: 'boom', code: 'OllamaUnavailable',
    messages: { en: 'boom', zh: '炸了' } } }));
  assert.equal(openai.type, 'error');
  assert.equal(openai.error.code, 'OllamaUnavailable');
  assert.deepEqual(openai.error.message, { en: 'boom', zh: '炸了' });
  const envelope = read(JSON.stringify({ status: 503, code: 'OllamaUnavailable', message: { en: 'x', zh: 'y' } }));
  assert.equal(envelope.type, 'error');
  assert.equal(envelope.error.status, 503);
  assert.equal(read(JSON.stringify({ error: 'plain' })).error.message, 'plain');
  assert.equal(readChatEvent({ event: 'error', data: 'not json' }).type, 'error');
  assert.equal(read('not json').type, 'ignore');
});

function splitAll(pieces) {
  const splitter = createThinkSplitter();
  const out = { reasoning: '', content: '' };
  for (const piece of [...pieces.map(p => splitter.push(p)), splitter.end()]) {
    out.reasoning += piece.reasoning;
    out.content += piece.content;
  }
  return out;
}

test('think splitter: a leading <think> block is reasoning, cut anywhere', () => {
  const text = '<think>\nLet me think.\n</think>\n\nThe answer is 42.';
  const expected = { reasoning: '\nLet me think.\n', content: 'The answer is 42.' };
  assert.deepEqual(splitAll([text]), expected);
  for (let size = 1; size <= 9; size += 1) assert.deepEqual(splitAll(splitEvery(text, size)), expected, `size ${size}`);
  assert.deepEqual(splitAll(['\n <thi', 'nk>x</th', 'ink>y']), { reasoning: 'x', content: 'y' });
});

test('think splitter: no block, a later <think>, an unclosed block, a lone "<"', () => {
  assert.deepEqual(splitAll(['Hello ', 'world']), { reasoning: '', content: 'Hello world' });
  assert.deepEqual(splitAll(['Use <think> tags']), { reasoning: '', content: 'Use <think> tags' });
  assert.deepEqual(splitAll(['<think>still thinking <', '/thi']), { reasoning: 'still thinking </thi', content: '' });
  assert.deepEqual(splitAll(['<', 'b>bold']), { reasoning: '', content: '<b>bold' });
  assert.deepEqual(splitAll(['<think></think>', '', '\n\n', 'A']), { reasoning: '', content: 'A' });
});

function body(pieces, { encoder = new TextEncoder() } = {}) {
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(typeof piece === 'string' ? encoder.encode(piece) : piece);
      controller.close();
    },
  });
}

test('stream reader: thinking first, then the answer; phases and [DONE]', async () => {
  const updates = [];
  const answer = await readChatStream(body(splitEvery(STREAM, 5)), update => updates.push(update));
  assert.equal(answer.reasoning, 'The user greets. 我应该回答。');
  assert.equal(answer.content, '**Hello**, 世界!');
  assert.equal(answer.done, true);
  assert.equal(answer.finishReason, 'stop');
  assert.equal(updates[0].phase, 'thinking');
  assert.equal(updates.at(-1).phase, 'answering');
});

test('stream reader: UTF-8 characters cut between byte chunks', async () => {
  const bytes = new TextEncoder().encode(chunk({ content: '你好世界' }) + 'data: [DONE]\n\n');
  const pieces = [];
  for (let i = 0; i < bytes.length; i += 1) pieces.push(bytes.slice(i, i + 1));
  const answer = await readChatStream(body(pieces), () => {});
  assert.equal(answer.content, '你好世界');
});

test('stream reader: <think> inside content (older servers) is reasoning', async () => {
  const text = [chunk({ content: '<thi' }), chunk({ content: 'nk>hmm</think>\n\n' }), chunk({ content: 'Yes.' })].join('');
  const answer = await readChatStream(body([text]), () => {});
  assert.deepEqual([answer.reasoning, answer.content, answer.done], ['hmm', 'Yes.', false]);
});

test('stream reader: an error event rejects with what had arrived', async () => {
  const text = chunk({ content: 'Part' }) + `data: ${JSON.stringify({ error: { code: 'OllamaUnavailable', message: 'gone' } })}\n\n`;
  await assert.rejects(readChatStream(body([text]), () => {}), error => {
    assert.ok(error instanceof StreamError);
    assert.equal(error.code, 'OllamaUnavailable');
    assert.equal(error.partial.content, 'Part');
    assert.equal(classify(error), 'stream');
    return true;
  });
});

test('error bodies: our envelope, the gateway OpenAI shape, Kubernetes Status, plain text', () => {
  const ours = errorFromResponse(409, JSON.stringify({ status: 409, code: 'ModelNotReady',
    message: { en: 'downloading', zh: '下载中' }, params: { model: 'deepseek-r1:14b' } }));
  assert.deepEqual([ours.status, ours.code, classify(ours), notReadyModel(ours, 'x')],
    [409, 'ModelNotReady', 'notReady', 'deepseek-r1:14b']);
  const gateway = errorFromResponse(404, JSON.stringify({ error: { message: 'no', type: 'not_found_error',
    code: 'ModelNotServed', messages: { en: 'no', zh: '不' }, model: 'x', models: ['deepseek-r1:7b'] } }));
  assert.deepEqual([gateway.code, gateway.allowed, classify(gateway)], ['ModelNotServed', ['deepseek-r1:7b'], 'notServed']);
  const limited = errorFromResponse(429, JSON.stringify({ status: 429, code: 'TooManyRequests', message: 'slow' }), '7');
  assert.deepEqual([classify(limited), limited.retryAfter], ['rateLimited', 7]);
  const status = errorFromResponse(403, JSON.stringify({ kind: 'Status', code: 403, reason: 'Forbidden',
    message: 'user "alice" cannot create resource "chat"' }));
  assert.deepEqual([status.code, classify(status)], ['Forbidden', 'forbidden']);
  const plain = errorFromResponse(502, 'Bad Gateway');
  assert.deepEqual([plain.apiMessage, classify(plain)], ['Bad Gateway', 'unavailable']);
  assert.equal(classify(errorFromResponse(401, '{"status":401,"code":"Unauthenticated","message":"x"}')), 'unauthenticated');
  assert.equal(classify(errorFromResponse(503, '{"status":503,"code":"OllamaUnavailable","message":"x"}')), 'unavailable');
  assert.equal(classify(errorFromResponse(404, '404 page not found')), 'notFound');
  assert.equal(classify(new ChatError({ kind: 'network' })), 'network');
  assert.equal(classify(errorFromResponse(400, '{"code":"BadRequest","message":"x"}')), 'other');
});

test('Retry-After: seconds or an HTTP date', () => {
  const now = Date.parse('2026-12-01T00:00:00Z');
  assert.equal(retryAfterSeconds('30', now), 30);
  assert.equal(retryAfterSeconds('Tue, 01 Dec 2026 00:00:12 GMT', now), 12);
  assert.equal(retryAfterSeconds('Mon, 30 Nov 2026 00:00:00 GMT', now), 0);
  for (const bad of [null, '', 'soon']) assert.equal(retryAfterSeconds(bad, now), null);
});

function memoryStorage() {
  const map = new Map();
  return { getItem: k => (map.has(k) ? map.get(k) : null), setItem: (k, v) => map.set(k, String(v)), map };
}

test('store: per user, newest first, empty conversations not kept, bad data ignored', () => {
  const storage = memoryStorage();
  const a = { ...newConversation('m', 1), messages: [{ role: 'user', content: 'first   question\nhere' }] };
  const b = { ...newConversation('m', 2), messages: [{ role: 'user', content: 'second' }] };
  const kept = save(storage, 'alice', [a, b, newConversation('m', 3)]);
  assert.deepEqual(kept.map(c => c.id), [b.id, a.id]);
  assert.deepEqual(load(storage, 'alice').map(c => c.id), [b.id, a.id]);
  assert.deepEqual(load(storage, 'bob'), []);
  assert.equal(titleOf(a), 'first question here');
  assert.equal(titleOf({ messages: [{ role: 'user', content: 'x'.repeat(60) }] }).length, 48);
  storage.setItem(storageKey('carol'), '{not json');
  assert.deepEqual(load(storage, 'carol'), []);
  const throwing = { getItem() { throw new Error('denied'); }, setItem() { throw new Error('quota'); } };
  assert.deepEqual(load(throwing, 'alice'), []);
  assert.equal(save(throwing, 'alice', [a]).length, 1);
});

test('store: bounded by count and bytes, oldest dropped first, one huge conversation trimmed', () => {
  const many = Array.from({ length: 60 }, (_, i) => ({ ...newConversation('m', i), messages: [{ role: 'user', content: `q${i}` }] }));
  const kept = bound(many);
  assert.equal(kept.length, 50);
  assert.equal(kept[0].updated, 59);
  const big = Array.from({ length: 10 }, (_, i) => ({ ...newConversation('m', i), messages: [{ role: 'user', content: 'x'.repeat(300) }] }));
  const fits = bound(big, 1_000);
  assert.ok(JSON.stringify(fits).length <= 1_000);
  assert.ok(fits.length >= 2 && fits.length < 10);
  assert.deepEqual(fits.map(c => c.updated), [9, 8, 7, 6].slice(0, fits.length)); // the newest ones
  const huge = { ...newConversation('m', 1), messages: Array.from({ length: 20 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `${i}`.repeat(100) })) };
  const [trimmed] = bound([huge], 1_000);
  assert.ok(trimmed.messages.length < 20 && trimmed.messages.length >= 2);
  assert.equal(trimmed.messages.at(-1).content, huge.messages.at(-1).content);
});
