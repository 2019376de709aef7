// Only http(s) URLs may become a frame or a link: addresses come from the API, and a
// `javascript:` URL there must not run inside the console.
export function safeUrl(value) {
  if (typeof value !== 'string' || !value) return null;
  try {
    const url = new URL(value);
    // The address as the API wrote it (no trailing slash added): it is what users type too.
    return url.protocol === 'http:' || url.protocol === 'https:' ? value : null;
  } catch (e) {
    return null;
  }
}
