// Model output as HTML, safe to put into the console page.
//
// marked turns markdown into HTML (GFM: tables, fenced code, lists) but passes raw HTML through,
// so every result goes through DOMPurify, the sanitizer the browser vendors' own security teams
// review and fuzz: the allow-list is DOMPurify's default minus the tags a chat answer never
// needs (forms, media, style), and links are forced to open outside the console with no opener.
// Sanitizing what the parser produced (rather than trusting a parser option such as
// markdown-it's html: false) means a parser bug or a crafted link can still not run script.
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

// silent: a markdown the parser chokes on becomes an error paragraph, never an exception in the page.
const marked = new Marked({ gfm: true, breaks: true, async: false, silent: true });

const FORBID_TAGS = ['style', 'form', 'input', 'button', 'textarea', 'select', 'img', 'video', 'audio',
  'iframe', 'object', 'embed', 'svg', 'math'];

let hooked = false;
function purifier() {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', node => {
      if (node.tagName === 'A' && node.getAttribute('href')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
    });
    hooked = true;
  }
  return DOMPurify;
}

export function renderMarkdown(text) {
  const html = marked.parse(text || '');
  return purifier().sanitize(html, {
    FORBID_TAGS,
    FORBID_ATTR: ['style', 'class', 'id'],
    ALLOW_DATA_ATTR: false,
    // Links only to http(s) and mailto; no javascript:, data: or relative console paths.
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
  });
}
