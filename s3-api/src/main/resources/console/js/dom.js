// Building the page. Every piece of text - bucket names, keys, metadata, messages from the
// server - goes in with textContent (or an attribute), never as HTML: nothing a user names can
// become markup or script.

/** h('tag.class1.class2', {attr: value, onclick: fn}, ...children): an element. */
export function h(spec, attrs, ...children) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'class') {
      el.className = [el.className, v].filter(Boolean).join(' ');
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'indeterminate') {
      el[k] = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  return append(el, children);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

export function bytes(n) {
  if (n == null || Number.isNaN(Number(n))) return '—';
  let v = Number(n);
  let i = 0;
  while (Math.abs(v) >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return (i === 0 ? String(v) : v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)) + ' ' + UNITS[i];
}

export function count(n) {
  return n == null ? '—' : Number(n).toLocaleString('en-US');
}

export function rate(bytesPerSecond) {
  return bytes(Math.round(bytesPerSecond || 0)) + '/s';
}

export function duration(seconds) {
  if (seconds == null || seconds < 0 || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
}

const DATES = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function date(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : DATES.format(d);
}

/** "12 s ago" from an ISO time and the server-corrected now. */
export function ago(iso, now = Date.now()) {
  if (!iso) return '—';
  const s = (now - new Date(iso).getTime()) / 1000;
  return s < 1 ? 'just now' : duration(s) + ' ago';
}

/** A modal question; resolves true when the user confirms. */
export function confirmDialog({ title, message, confirm = 'OK', danger = false, details = [] }) {
  return new Promise((resolve) => {
    const dialog = h('dialog.modal', { 'aria-labelledby': 'confirm-title' },
      h('h2', { id: 'confirm-title' }, title),
      h('p', message),
      details.length ? h('ul.details', details.slice(0, 10).map((d) => h('li', d)),
        details.length > 10 ? h('li', `and ${details.length - 10} more`) : null) : null,
      h('div.actions',
        h('button', { type: 'button', class: 'secondary', id: 'confirm-cancel', onclick: () => close(false) }, 'Cancel'),
        h('button', { type: 'button', class: danger ? 'danger' : 'primary', id: 'confirm-ok', onclick: () => close(true) }, confirm)));
    function close(answer) {
      dialog.close();
      dialog.remove();
      resolve(answer);
    }
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      close(false);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** A modal asking for one line of text; resolves to it, or null when cancelled. */
export function promptDialog({ title, label, confirm = 'OK', value = '' }) {
  return new Promise((resolve) => {
    const input = h('input', { id: 'prompt-input', value, spellcheck: 'false', autocapitalize: 'off' });
    const form = h('form', { method: 'dialog' },
      h('h2', title), h('label', { for: 'prompt-input' }, label), input,
      h('div.actions',
        h('button', { type: 'button', class: 'secondary', onclick: () => close(null) }, 'Cancel'),
        h('button', { type: 'submit', class: 'primary', id: 'prompt-ok' }, confirm)));
    const dialog = h('dialog.modal', form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      close(input.value);
    });
    function close(answer) {
      dialog.close();
      dialog.remove();
      resolve(answer);
    }
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      close(null);
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}

/** A short message in the corner. kind: info, ok or error. */
export function toast(message, kind = 'info') {
  let box = document.getElementById('toasts');
  if (!box) {
    box = h('div', { id: 'toasts', 'aria-live': 'polite' });
    document.body.append(box);
  }
  const t = h('div.toast.' + kind, { role: kind === 'error' ? 'alert' : 'status' }, message);
  box.append(t);
  setTimeout(() => t.remove(), kind === 'error' ? 9000 : 4000);
}

/** A message for an error from the API, with the S3 error code and request id when there are. */
export function errorText(e) {
  if (!e) return '';
  const parts = [e.message || String(e)];
  if (e.code && !parts[0].includes(e.code)) parts.push(`(${e.code})`);
  if (e.requestId) parts.push(`request ${e.requestId}`);
  return parts.join(' ');
}
