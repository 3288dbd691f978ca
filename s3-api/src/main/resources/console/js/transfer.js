// Downloads: a short-lived presigned link on this origin, opened as an attachment, so the
// browser streams the object to disk (no copy held in the page).
import { h } from './dom.js';

const LINK_SECONDS = 300;

export function baseName(key) {
  const parts = key.split('/').filter(Boolean);
  return parts.length ? parts[parts.length - 1] : 'download';
}

/** Content-Disposition: attachment, with an ASCII fallback name and the UTF-8 one (RFC 6266). */
export function attachment(name) {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function download(api, bucket, key) {
  const url = await api.presign(bucket, key, LINK_SECONDS, {
    params: [['response-content-disposition', attachment(baseName(key))]],
  });
  const a = h('a', { href: url, download: baseName(key), class: 'visually-hidden' });
  document.body.append(a);
  a.click();
  a.remove();
}
