// Share links: a presigned GET URL on the S3 endpoint (so it works with plain HTTP, without the
// console), valid for the time the user picks up to 7 days, copied with one click, and a QR code.
import { h, replace, date, errorText } from './dom.js';
import { MAX_PRESIGN_SECONDS } from './sigv4.js';
import * as qr from './qr.js';

const CHOICES = [
  ['15 minutes', 900], ['1 hour', 3600], ['6 hours', 21600], ['1 day', 86400], ['3 days', 259200], ['7 days', MAX_PRESIGN_SECONDS],
];
const ENDPOINT_STORE = 'cairn.console.shareEndpoint'; // where share links point; not a secret

function defaultEndpoint(config) {
  return `${location.protocol}//${location.hostname}:${config.s3Port}`;
}

async function copy(text, input) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (e) {
    input.select();
    return document.execCommand && document.execCommand('copy');
  }
}

export function openShare(ctx, bucket, key) {
  const expiry = h('select', { id: 'share-expiry' }, CHOICES.map(([label, s]) => h('option', { value: s, selected: s === 86400 }, label)));
  const endpoint = h('input', { id: 'share-endpoint', value: localStorage.getItem(ENDPOINT_STORE) || defaultEndpoint(ctx.config), spellcheck: 'false' });
  const url = h('input', { id: 'share-url', readonly: true, 'aria-label': 'Share link' });
  const status = h('p.muted', { id: 'share-status', role: 'status' });
  const canvas = h('canvas', { id: 'share-qr', 'aria-label': 'QR code of the link' });
  const copyButton = h('button.secondary', { type: 'button', id: 'share-copy', disabled: true }, 'Copy');
  const result = h('div.share-result', { hidden: true }, h('div.copy-row', url, copyButton), status, canvas);
  const create = h('button.primary', { type: 'button', id: 'share-create' }, 'Create link');
  const dialog = h('dialog.modal.share', { id: 'share-dialog', 'aria-labelledby': 'share-title' },
    h('h2', { id: 'share-title' }, 'Share a link'),
    h('p', h('code', `${bucket}/${key}`)),
    h('p.hint', 'Anyone with the link can download this object until the link expires. '
      + 'It is signed with your access key; it stops working early only if the key is removed.'),
    h('div.form-grid',
      h('label', { for: 'share-expiry' }, 'Expires after'), expiry,
      h('label', { for: 'share-endpoint' }, 'S3 endpoint'), endpoint),
    create, result,
    h('div.actions', h('button.secondary', { type: 'button', id: 'share-close', onclick: () => close() }, 'Close')));
  function close() {
    dialog.close();
    dialog.remove();
  }
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    close();
  });
  create.addEventListener('click', async () => {
    let origin;
    try {
      const u = new URL(endpoint.value.trim());
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
      origin = u.origin;
    } catch (e) {
      replace(status, 'The S3 endpoint must be an http:// or https:// URL.');
      result.hidden = false;
      return;
    }
    localStorage.setItem(ENDPOINT_STORE, origin);
    const seconds = Number(expiry.value);
    try {
      const link = await ctx.api.presign(bucket, key, seconds, { origin });
      url.value = link;
      copyButton.disabled = false;
      replace(status, `Valid until ${date(new Date(Date.now() + seconds * 1000).toISOString())}.`);
      try {
        qr.draw(canvas, qr.encode(link, 'L'), 3);
        canvas.hidden = false;
      } catch (e) {
        canvas.hidden = true;
      }
      result.hidden = false;
    } catch (e) {
      replace(status, errorText(e));
      result.hidden = false;
    }
  });
  copyButton.addEventListener('click', async () => {
    const ok = await copy(url.value, url);
    copyButton.textContent = ok ? 'Copied' : 'Copy failed';
    setTimeout(() => { copyButton.textContent = 'Copy'; }, 2000);
  });
  document.body.append(dialog);
  dialog.showModal();
}
