// Conversations kept in the browser (localStorage), per console user, with a size bound.
// Pure except for the `storage` handed in (window.localStorage in the page, a Map-backed
// stand-in in frontend-config/test/stream.test.js).
//
// Bound: localStorage holds ~5 MB per origin and the console (and other extensions) share the
// origin, so we keep at most MAX_CONVERSATIONS conversations and MAX_BYTES of JSON, dropping the
// least recently updated first; a conversation alone over the bound loses its oldest messages.
export const MAX_CONVERSATIONS = 50;
export const MAX_BYTES = 1_000_000;
const VERSION = 1;

export function storageKey(user) {
  return `deepseek.chat.v${VERSION}.${user || 'anonymous'}`;
}

export function newConversation(model, now = Date.now()) {
  return { id: `c${now.toString(36)}${Math.random().toString(36).slice(2, 8)}`, title: '', model, messages: [], updated: now };
}

// The title: the first words of the first question, on one line.
export function titleOf(conversation) {
  if (conversation.title) return conversation.title;
  const first = conversation.messages.find(m => m.role === 'user');
  if (!first) return '';
  const line = first.content.replace(/\s+/g, ' ').trim();
  return line.length > 48 ? `${line.slice(0, 47)}…` : line;
}

function valid(conversation) {
  return conversation && typeof conversation.id === 'string' && Array.isArray(conversation.messages);
}

export function load(storage, user) {
  try {
    const raw = storage.getItem(storageKey(user));
    if (!raw) return [];
    const parsed = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter(valid) : [];
  } catch (e) {
    return []; // unreadable or disabled storage: start empty rather than break the page
  }
}

// Newest first, within both bounds.
export function bound(conversations, maxBytes = MAX_BYTES, maxCount = MAX_CONVERSATIONS) {
  const sorted = [...conversations].sort((a, b) => (b.updated || 0) - (a.updated || 0)).slice(0, maxCount);
  const kept = [];
  let size = 2;
  for (const conversation of sorted) {
    let item = conversation;
    let bytes = JSON.stringify(item).length + 1;
    while (bytes + size > maxBytes && item.messages.length > 2 && kept.length === 0) {
      item = { ...item, messages: item.messages.slice(2) }; // drop the oldest question and answer
      bytes = JSON.stringify(item).length + 1;
    }
    if (bytes + size > maxBytes) break;
    kept.push(item);
    size += bytes;
  }
  return kept;
}

// Returns what was kept (the page shows that, so it never promises more than is stored).
export function save(storage, user, conversations) {
  const kept = bound(conversations.filter(c => c.messages.length > 0));
  try {
    storage.setItem(storageKey(user), JSON.stringify(kept));
  } catch (e) {
    // Quota exceeded (other data on the origin) or storage disabled: keep the page working.
  }
  return kept;
}
