// Reading S3's XML answers (namespace-agnostic, by local name).

export function parse(text) {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) {
    throw new Error('the server sent XML that does not parse');
  }
  return doc.documentElement;
}

/** The direct children of el named name. */
export function children(el, name) {
  return Array.from(el.children).filter((c) => c.localName === name);
}

/** The text of el's first direct child named name, or null. */
export function childText(el, name) {
  const c = children(el, name)[0];
  return c ? c.textContent : null;
}

/** Escapes text for an XML element body the page writes (DeleteObjects, CompleteMultipartUpload). */
export function escape(text) {
  return String(text).replace(/[<>&'"\r]/g, (c) => ({
    '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;', '\r': '&#13;',
  })[c]);
}
