// The chat stream, pure: server-sent events in, answer deltas out. No DOM, no fetch (the page
// hands in the response body), so node's test runner covers every chunking
// (frontend-config/test/stream.test.js).
//
// Wire format (docs/console.md, contract §2): OpenAI's chat.completion.chunk stream,
//   data: {"choices":[{"delta":{"reasoning_content":"..."}}]}
//   data: {"choices":[{"delta":{"content":"..."}}]}
//   data: [DONE]
// with errors either before the stream (a JSON body with an HTTP status, see errors.js) or as
// an event inside it ({"error": {...}}, or an `event: error`).

// Server-sent events as the HTML standard parses them (html.spec.whatwg.org, "Parsing an
// event stream"): lines end in CRLF, LF or CR; `field: value` with one optional space after
// the colon; `data` lines of one event are joined with "\n"; a blank line dispatches; lines
// starting with ":" are comments (keep-alives). Chunks may split a line, a CRLF or a UTF-8
// character anywhere: text is decoded with a streaming TextDecoder before it gets here.
export function createSseParser() {
  let buffer = '';
  let data = [];
  let hasData = false;
  let event = '';
  let id = '';

  function dispatch(out) {
    if (hasData) out.push({ event: event || 'message', data: data.join('\n'), id });
    data = [];
    hasData = false;
    event = '';
  }

  function line(text, out) {
    if (text === '') {
      dispatch(out);
      return;
    }
    if (text[0] === ':') return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value[0] === ' ') value = value.slice(1);
    if (field === 'data') {
      data.push(value);
      hasData = true;
    } else if (field === 'event') {
      event = value;
    } else if (field === 'id') {
      id = value;
    }
    // `retry` and unknown fields: ignored, as the standard says.
  }

  return {
    // Feed decoded text; returns the events completed by it.
    push(text) {
      const out = [];
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i += 1) {
        const ch = buffer[i];
        if (ch !== '\n' && ch !== '\r') continue;
        // A CR at the very end may be the first half of a CRLF split across chunks: wait.
        if (ch === '\r' && i === buffer.length - 1) break;
        line(buffer.slice(start, i), out);
        if (ch === '\r' && buffer[i + 1] === '\n') i += 1;
        start = i + 1;
      }
      buffer = buffer.slice(start);
      return out;
    },
    // The stream ended. The standard drops an event not closed by a blank line; servers that
    // close right after the last `data:` line exist, so a pending event is still delivered.
    end() {
      const out = [];
      if (buffer) {
        const rest = buffer.replace(/\r$/, '');
        buffer = '';
        line(rest, out);
      }
      dispatch(out);
      return out;
    },
  };
}

// One event of the chat stream, read: {type: 'done'} | {type: 'delta', reasoning, content,
// finishReason} | {type: 'error', error: {code, message, status, params}} | {type: 'ignore'}.
export function readChatEvent(event) {
  const text = event.data;
  if (text.trim() === '[DONE]') return { type: 'done' };
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    if (event.event === 'error') return { type: 'error', error: { code: 'StreamError', message: text, params: {} } };
    return { type: 'ignore' };
  }
  if (event.event === 'error' || (body && typeof body === 'object' && (body.error || (body.code && body.message && !body.choices)))) {
    return { type: 'error', error: streamError(body) };
  }
  const choice = body && Array.isArray(body.choices) ? body.choices[0] : null;
  if (!choice) return { type: 'ignore' }; // e.g. the usage chunk, which has choices: []
  const delta = choice.delta || choice.message || {};
  return {
    type: 'delta',
    // ollama's own OpenAI layer says `reasoning`; DeepSeek's API and the gateway say
    // `reasoning_content` (shared/reference/upstream-facts.md, ollama openai/openai.go:46).
    reasoning: str(delta.reasoning_content) || str(delta.reasoning),
    content: str(delta.content),
    finishReason: choice.finish_reason || null,
  };
}

function str(value) {
  return typeof value === 'string' ? value : '';
}

// An error event: OpenAI's {"error": {"message", "code", "messages": {en, zh}}}, our envelope
// {"status", "code", "message": {en, zh}}, or a bare {"error": "text"}.
function streamError(body) {
  const inner = body && typeof body.error === 'object' && body.error !== null ? body.error : body || {};
  const message = inner.messages || inner.message || (typeof body.error === 'string' ? body.error : '') || '';
  return {
    code: String(inner.code || inner.type || 'StreamError'),
    message,
    status: typeof inner.status === 'number' ? inner.status : 0,
    params: inner.params && typeof inner.params === 'object' ? inner.params : {},
  };
}

const OPEN = '<think>';
const CLOSE = '</think>';

// Servers before the gateway's reasoning_content (and ollama with thinking off) send R1's
// thinking inside the content as a leading "<think>...</think>". This splits it out, with the
// tags possibly cut across deltas. Only a leading block counts: a "<think>" later in an
// answer is text the model wrote (e.g. explaining these tags) and stays content.
export function createThinkSplitter() {
  let state = 'start'; // 'start' (nothing but whitespace seen yet) | 'think' | 'content'
  let pending = '';

  function longestTagPrefixAtEnd(text, tag) {
    for (let n = Math.min(tag.length - 1, text.length); n > 0; n -= 1) {
      if (text.endsWith(tag.slice(0, n))) return n;
    }
    return 0;
  }

  return {
    // Returns {reasoning, content} of this piece of content.
    push(piece) {
      let text = pending + piece;
      pending = '';
      let reasoning = '';
      let content = '';
      if (state === 'start') {
        const trimmed = text.replace(/^\s+/, '');
        if (trimmed.startsWith(OPEN)) {
          state = 'think';
          text = trimmed.slice(OPEN.length);
        } else if (OPEN.startsWith(trimmed)) {
          pending = text; // whitespace or a cut "<thi": wait for more
          return { reasoning, content };
        } else {
          state = 'content';
        }
      }
      if (state === 'think') {
        const end = text.indexOf(CLOSE);
        if (end < 0) {
          const keep = longestTagPrefixAtEnd(text, CLOSE);
          pending = text.slice(text.length - keep);
          reasoning = text.slice(0, text.length - keep);
          return { reasoning, content };
        }
        reasoning = text.slice(0, end);
        state = 'content';
        // The blank line R1 puts between thinking and answer is not part of the answer.
        text = text.slice(end + CLOSE.length).replace(/^\s+/, '');
        if (!text) {
          state = 'after';
          return { reasoning, content };
        }
      }
      if (state === 'after') {
        const trimmed = text.replace(/^\s+/, '');
        if (!trimmed) return { reasoning, content };
        state = 'content';
        text = trimmed;
      }
      content = text;
      return { reasoning, content };
    },
    // The stream ended: whatever was held back is what it is.
    end() {
      const rest = pending;
      pending = '';
      if (state === 'think') return { reasoning: rest, content: '' };
      if (state === 'start') return { reasoning: '', content: rest.replace(/^\s+/, '') };
      return { reasoning: '', content: state === 'after' ? '' : rest };
    },
  };
}

// Read a whole chat stream (a WHATWG ReadableStream of bytes, e.g. fetch's response.body) and
// report the answer as it grows: onUpdate({reasoning, content, phase}) where phase is
// 'thinking' until the first answer text, then 'answering'. Resolves with
// {reasoning, content, finishReason, done} (done: [DONE] was seen); rejects with a
// StreamError when the server sends an error event, and with the AbortError on abort.
export class StreamError extends Error {
  constructor(error) {
    super(typeof error.message === 'string' ? error.message : (error.message && error.message.en) || error.code);
    this.name = 'StreamError';
    this.code = error.code;
    this.apiMessage = error.message;
    this.status = error.status || 0;
    this.params = error.params || {};
    this.partial = null; // what had arrived before the error
  }
}

export async function readChatStream(body, onUpdate) {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  const parser = createSseParser();
  const splitter = createThinkSplitter();
  const answer = { reasoning: '', content: '', phase: 'thinking', finishReason: null, done: false };

  function apply(events) {
    let changed = false;
    for (const event of events) {
      const read = readChatEvent(event);
      if (read.type === 'done') {
        answer.done = true;
      } else if (read.type === 'error') {
        const error = new StreamError(read.error);
        error.partial = { ...answer };
        throw error;
      } else if (read.type === 'delta') {
        const split = splitter.push(read.content);
        const reasoning = read.reasoning + split.reasoning;
        if (reasoning) answer.reasoning += reasoning;
        if (split.content) {
          answer.content += split.content;
          answer.phase = 'answering';
        }
        if (read.finishReason) answer.finishReason = read.finishReason;
        changed = changed || Boolean(reasoning || split.content);
      }
    }
    if (changed) onUpdate({ ...answer });
  }

  let ended = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      apply(parser.push(decoder.decode(value, { stream: true })));
      if (answer.done) break;
    }
    if (!answer.done) {
      apply(parser.push(decoder.decode()));
      apply(parser.end());
    }
    const rest = splitter.end();
    if (rest.reasoning || rest.content) {
      answer.reasoning += rest.reasoning;
      answer.content += rest.content;
      if (rest.content) answer.phase = 'answering';
      onUpdate({ ...answer });
    }
  } finally {
    // After [DONE] or an error event, let go of the connection rather than wait for its close.
    if (!ended) reader.cancel().catch(() => {});
  }
  return { ...answer };
}
