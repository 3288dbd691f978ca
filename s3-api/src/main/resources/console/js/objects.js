// The object browser: one folder (prefix) of one bucket, a page at a time (ListObjectsV2 with a
// delimiter and continuation tokens; never the whole listing), prefix search, sort within the
// page, upload by picker or drag-and-drop, download, share, and deleting several objects.
import { h, replace, bytes, date, confirmDialog, promptDialog, toast, errorText } from './dom.js';
import { download } from './transfer.js';
import { openShare } from './share.js';
import { filesFromDrop } from './drop.js';

const PAGE_SIZES = [100, 200, 500, 1000];

function crumbs(ctx, bucket, prefix) {
  const parts = prefix.split('/').filter((p, i, all) => p !== '' || i < all.length - 1);
  const items = [h('a', { href: ctx.links.buckets() }, 'Buckets'), h('a', { href: ctx.links.folder(bucket, '') }, bucket)];
  let path = '';
  for (const p of parts) {
    path += p + '/';
    items.push(h('a', { href: ctx.links.folder(bucket, path) }, p === '' ? '(empty name)' : p));
  }
  const nav = h('nav.crumbs', { 'aria-label': 'Folder', id: 'crumbs' });
  items.forEach((it, i) => {
    if (i > 0) nav.append(h('span.sep', { 'aria-hidden': 'true' }, '/'));
    nav.append(it);
  });
  nav.lastChild.setAttribute('aria-current', 'page');
  return nav;
}

export function render(main, ctx, { bucket, prefix }) {
  const state = { search: '', pageSize: 200, page: 0, tokens: [null], sort: { by: 'name', dir: 1 }, listing: null, selected: new Set() };
  let started = performance.now();
  let alive = true;

  const search = h('input', { type: 'search', id: 'search', placeholder: 'Search by prefix', spellcheck: 'false', autocapitalize: 'off', 'aria-label': 'Search by prefix' });
  const pageSize = h('select', { id: 'page-size', 'aria-label': 'Items per page' },
    PAGE_SIZES.map((n) => h('option', { value: n, selected: n === state.pageSize }, `${n} per page`)));
  const fileInput = h('input', { type: 'file', id: 'file-input', multiple: true, class: 'visually-hidden' });
  const deleteButton = h('button.danger', { type: 'button', id: 'delete-selected', disabled: true }, 'Delete');
  const newFolder = h('button.secondary', { type: 'button', id: 'new-folder' }, 'New folder');
  const refresh = h('button.secondary', { type: 'button', id: 'refresh' }, 'Refresh');
  const table = h('div.table-wrap', h('p.muted', 'Loading…'));
  const prev = h('button.secondary', { type: 'button', id: 'prev-page', disabled: true }, '‹ Previous');
  const next = h('button.secondary', { type: 'button', id: 'next-page', disabled: true }, 'Next ›');
  const pageInfo = h('span.page-info', { id: 'page-info' });
  const dropHint = h('div.drop-hint', { 'aria-hidden': 'true' }, 'Drop files to upload to ', h('strong', '/' + prefix));

  const view = h('section.page.browser', { id: 'browser', dataset: { bucket, prefix } },
    crumbs(ctx, bucket, prefix),
    h('div.toolbar',
      search, pageSize,
      h('label.button.primary', { for: 'file-input', id: 'upload-button', tabindex: 0 }, 'Upload'), fileInput,
      newFolder, deleteButton, refresh),
    table,
    h('div.pager', prev, pageInfo, next),
    dropHint);
  replace(main, view);

  // --- listing ---
  async function load() {
    const page = state.page;
    const t0 = started;
    try {
      const listing = await ctx.api.list(bucket, {
        prefix: prefix + state.search, maxKeys: state.pageSize, token: state.tokens[page],
      });
      if (!alive || page !== state.page) return;
      const fetched = performance.now();
      state.listing = listing;
      state.tokens[page + 1] = listing.truncated ? listing.nextToken : undefined;
      state.selected.clear();
      draw();
      requestAnimationFrame(() => {
        const grid = document.getElementById('object-table');
        if (grid) {
          grid.dataset.renderMs = String(Math.round(performance.now() - t0));
          grid.dataset.fetchMs = String(Math.round(fetched - t0));
          grid.dataset.page = String(page + 1);
        }
      });
    } catch (e) {
      if (e && e.code === 'NoSuchBucket') {
        replace(table, h('div.error-box', { role: 'alert' }, `There is no bucket “${bucket}”.`));
      } else {
        ctx.fail(e);
      }
    }
  }

  function go(page) {
    started = performance.now();
    if (page !== state.page) window.scrollTo(0, 0);
    state.page = page;
    load();
  }

  function sorted(objects) {
    const { by, dir } = state.sort;
    const key = { name: (o) => o.key, size: (o) => o.size, modified: (o) => o.lastModified }[by];
    return [...objects].sort((a, b) => (key(a) < key(b) ? -dir : key(a) > key(b) ? dir : 0));
  }

  // rows are clones of one template (a page may hold 1,000): far cheaper than building each cell;
  // no listener per row either, the table handles clicks for all of them (see onTableClick)
  const template = h('tr.object', { role: 'row' },
    h('td.check', { role: 'cell' }, h('input', { type: 'checkbox', class: 'select' })),
    h('td.name', { role: 'cell' }, h('a', { class: 'object-link' })),
    h('td.num', { role: 'cell' }), h('td.hide-narrow', { role: 'cell' }), h('td.hide-narrow', { role: 'cell' }),
    h('td.actions', { role: 'cell' }, h('button.link', { type: 'button', class: 'download' }, 'Download'),
      h('button.link', { type: 'button', class: 'share' }, 'Share')));

  function objectRow(o) {
    const tr = template.cloneNode(true);
    const name = o.key.slice(prefix.length);
    const [check, link, size, modified, storageClass] = tr.children;
    tr.dataset.key = o.key;
    check.firstChild.setAttribute('aria-label', 'Select ' + name);
    link.firstChild.href = ctx.links.object(bucket, o.key);
    link.firstChild.textContent = name;
    size.textContent = bytes(o.size);
    modified.textContent = date(o.lastModified);
    storageClass.textContent = o.storageClass || '';
    return tr;
  }

  function header(label, by, cls) {
    const active = state.sort.by === by;
    const arrow = active ? (state.sort.dir > 0 ? ' ▲' : ' ▼') : '';
    return h('th' + (cls ? '.' + cls : ''), { role: 'columnheader', 'aria-sort': active ? (state.sort.dir > 0 ? 'ascending' : 'descending') : 'none' },
      h('button.sort', {
        type: 'button', id: 'sort-' + by,
        onclick: () => {
          state.sort = { by, dir: active ? -state.sort.dir : 1 };
          draw();
        },
      }, label + arrow));
  }

  function draw() {
    const l = state.listing;
    const folders = l.folders.filter((f) => f.startsWith(prefix));
    const objects = sorted(l.objects.filter((o) => o.key !== prefix));
    if (state.sort.by === 'name' && state.sort.dir < 0) folders.reverse();
    const rows = [];
    for (const f of folders) {
      const name = f.slice(prefix.length);
      rows.push(h('tr.folder', { dataset: { prefix: f }, role: 'row' },
        h('td.check', { role: 'cell' }),
        h('td.name', { role: 'cell' }, h('a', { href: ctx.links.folder(bucket, f), class: 'folder-link' }, h('span.icon', { 'aria-hidden': 'true' }, '▸ '), name)),
        h('td.num', { role: 'cell' }, '—'), h('td.hide-narrow', { role: 'cell' }), h('td.hide-narrow', { role: 'cell' }), h('td.actions', { role: 'cell' })));
    }
    for (const o of objects) rows.push(objectRow(o));
    const all = h('input', { type: 'checkbox', id: 'select-all', 'aria-label': 'Select all on this page' });
    if (rows.length === 0) {
      replace(table, h('p.empty', { id: 'object-table', dataset: { page: String(state.page + 1) } },
        state.search ? `Nothing starts with “${state.search}” here.` : 'This folder is empty. Upload files or drop them here.'));
    } else {
      replace(table, h('table.grid.objects', { id: 'object-table', role: 'table', onclick: onTableClick, onchange: onTableChange },
        h('thead', { role: 'rowgroup' }, h('tr', { role: 'row' }, h('th.check', { role: 'columnheader' }, all), header('Name', 'name'),
          header('Size', 'size', 'num'), header('Last modified', 'modified', 'hide-narrow'),
          h('th.hide-narrow', { role: 'columnheader' }, 'Class'), h('th', { role: 'columnheader' }))),
        h('tbody', { role: 'rowgroup' }, rows)));
    }
    const first = state.page * state.pageSize;
    const shown = folders.length + objects.length;
    pageInfo.textContent = `Page ${state.page + 1}` + (shown ? ` · items ${first + 1}–${first + shown}` : '')
      + (state.sort.by !== 'name' || state.sort.dir < 0 ? ' · sorted within this page' : '');
    prev.disabled = state.page === 0;
    next.disabled = !l.truncated;
    updateSelection();
  }

  function onTableClick(e) {
    const button = e.target.closest('button.download, button.share');
    const row = button && button.closest('tr.object');
    if (!row) return;
    const key = row.dataset.key;
    if (button.classList.contains('download')) {
      download(ctx.api, bucket, key).catch((err) => toast(errorText(err), 'error'));
    } else {
      openShare(ctx, bucket, key);
    }
  }

  function onTableChange(e) {
    if (e.target.id === 'select-all') {
      view.querySelectorAll('tr.object input.select').forEach((b) => {
        b.checked = e.target.checked;
        if (b.checked) state.selected.add(b.closest('tr').dataset.key); else state.selected.delete(b.closest('tr').dataset.key);
      });
    } else if (e.target.classList.contains('select')) {
      const key = e.target.closest('tr').dataset.key;
      if (e.target.checked) state.selected.add(key); else state.selected.delete(key);
    }
    updateSelection();
  }

  function updateSelection() {
    const n = state.selected.size;
    deleteButton.disabled = n === 0;
    deleteButton.textContent = n ? `Delete (${n})` : 'Delete';
  }

  // --- actions ---
  prev.addEventListener('click', () => go(Math.max(0, state.page - 1)));
  next.addEventListener('click', () => state.tokens[state.page + 1] && go(state.page + 1));
  refresh.addEventListener('click', () => go(state.page));
  pageSize.addEventListener('change', () => {
    state.pageSize = Number(pageSize.value);
    state.tokens = [null];
    go(0);
  });
  let searchTimer = null;
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      state.search = search.value;
      state.tokens = [null];
      go(0);
    }, 250);
  });

  deleteButton.addEventListener('click', async () => {
    const keys = [...state.selected];
    const ok = await confirmDialog({
      title: 'Delete objects', message: `Delete ${keys.length} object${keys.length === 1 ? '' : 's'}? This cannot be undone.`,
      confirm: 'Delete', danger: true, details: keys,
    });
    if (!ok) return;
    try {
      const r = await ctx.api.deleteObjects(bucket, keys);
      if (r.errors.length) {
        toast(`Deleted ${r.deleted.length}; ${r.errors.length} failed: ${r.errors[0].key}: ${r.errors[0].message}`, 'error');
      } else {
        toast(`Deleted ${r.deleted.length} object${r.deleted.length === 1 ? '' : 's'}.`, 'ok');
      }
      go(state.page);
    } catch (e) {
      toast(errorText(e), 'error');
    }
  });

  newFolder.addEventListener('click', async () => {
    const name = await promptDialog({ title: 'New folder', label: `Folder name in /${prefix}`, confirm: 'Create' });
    if (!name) return;
    const clean = name.replace(/^\/+|\/+$/g, '');
    if (!clean) return;
    try {
      await ctx.api.s3('PUT', { bucket, key: prefix + clean + '/', body: new Uint8Array(0) });
      go(state.page);
    } catch (e) {
      toast(errorText(e), 'error');
    }
  });

  fileInput.addEventListener('change', () => {
    ctx.uploads.add(bucket, prefix, [...fileInput.files].map((f) => ({ file: f, path: f.name })));
    fileInput.value = '';
  });

  let depth = 0;
  view.addEventListener('dragenter', (e) => {
    e.preventDefault();
    depth++;
    view.classList.add('dragging');
  });
  view.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) view.classList.remove('dragging');
  });
  view.addEventListener('dragover', (e) => e.preventDefault());
  view.addEventListener('drop', async (e) => {
    e.preventDefault();
    depth = 0;
    view.classList.remove('dragging');
    const files = await filesFromDrop(e.dataTransfer);
    if (files.length) ctx.uploads.add(bucket, prefix, files);
  });

  const onUploaded = (e) => {
    if (e.detail && e.detail.bucket === bucket) go(state.page);
  };
  window.addEventListener('cairn:uploaded', onUploaded);

  load();
  return () => {
    alive = false;
    window.removeEventListener('cairn:uploaded', onUploaded);
  };
}
