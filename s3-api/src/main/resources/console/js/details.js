// One object: its properties (HeadObject with checksums), user metadata, tags, and a preview of
// images, text and PDF built from bytes the page fetched (a blob of a type the page chose, so a
// stored HTML or script object is never rendered as a page).
import { h, replace, bytes, date, count, confirmDialog, toast, errorText } from './dom.js';
import { download, baseName } from './transfer.js';
import { openShare } from './share.js';

const IMAGE_MAX = 20 * 1024 * 1024;
const PDF_MAX = 50 * 1024 * 1024;
const TEXT_BYTES = 256 * 1024;
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp', 'image/svg+xml'];
const TEXT_EXT = /\.(txt|md|csv|tsv|log|json|xml|ya?ml|toml|ini|conf|cfg|sh|py|js|ts|java|c|h|cpp|go|rs|rb|sql|html?|css)$/i;
const IMAGE_EXT = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml', bmp: 'image/bmp', avif: 'image/avif' };

/** What kind of preview an object gets: image (with the type to show it as), text, pdf, or none. */
export function previewKind(key, contentType) {
  const type = (contentType || '').split(';')[0].trim().toLowerCase();
  const ext = (key.match(/\.([a-z0-9]+)$/i) || [])[1];
  if (IMAGE_TYPES.includes(type)) return { kind: 'image', type };
  if (ext && IMAGE_EXT[ext.toLowerCase()] && (type === '' || type === 'application/octet-stream')) {
    return { kind: 'image', type: IMAGE_EXT[ext.toLowerCase()] };
  }
  if (type === 'application/pdf' || /\.pdf$/i.test(key)) return { kind: 'pdf', type: 'application/pdf' };
  if (type.startsWith('text/') || ['application/json', 'application/xml', 'application/x-yaml', 'application/javascript'].includes(type)
    || TEXT_EXT.test(key)) {
    return { kind: 'text' };
  }
  return { kind: 'none' };
}

function row(label, value, id) {
  return [h('dt', label), h('dd', id ? { id } : null, value)];
}

export function render(main, ctx, { bucket, key }) {
  const urls = [];
  const folder = key.includes('/') ? key.slice(0, key.lastIndexOf('/') + 1) : '';
  const body = h('div.details-body', h('p.muted', 'Loading…'));
  replace(main, h('section.page.details', { id: 'object-details', dataset: { bucket, key } },
    h('nav.crumbs', { 'aria-label': 'Object' },
      h('a', { href: ctx.links.buckets() }, 'Buckets'), h('span.sep', '/'),
      h('a', { href: ctx.links.folder(bucket, '') }, bucket),
      folder ? [h('span.sep', '/'), h('a', { href: ctx.links.folder(bucket, folder), id: 'back-to-folder' }, folder)] : null),
    h('div.page-head', h('h1.object-name', baseName(key)),
      h('div.actions',
        h('button.primary', { type: 'button', id: 'download', onclick: () => download(ctx.api, bucket, key).catch((e) => toast(errorText(e), 'error')) }, 'Download'),
        h('button.secondary', { type: 'button', id: 'share', onclick: () => openShare(ctx, bucket, key) }, 'Share link'),
        h('button.danger', { type: 'button', id: 'delete-object', onclick: remove }, 'Delete'))),
    body));

  async function remove() {
    const ok = await confirmDialog({ title: 'Delete object', message: `Delete “${key}”? This cannot be undone.`, confirm: 'Delete', danger: true });
    if (!ok) return;
    try {
      await ctx.api.deleteObject(bucket, key);
      toast(`Deleted “${key}”.`, 'ok');
      location.hash = ctx.links.folder(bucket, folder);
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  async function load() {
    let headers;
    try {
      headers = await ctx.api.head(bucket, key);
    } catch (e) {
      if (e.status === 404) {
        replace(body, h('div.error-box', { role: 'alert' }, `There is no object “${key}” in “${bucket}”.`));
        return;
      }
      ctx.fail(e);
      return;
    }
    const size = Number(headers.get('content-length'));
    const type = headers.get('content-type') || '';
    const checksums = [];
    const meta = [];
    headers.forEach((value, name) => {
      if (name.startsWith('x-amz-checksum-') && name !== 'x-amz-checksum-type') {
        checksums.push(h('div', h('span.label', name.slice('x-amz-checksum-'.length).toUpperCase() + ' '), h('code', value)));
      } else if (name.startsWith('x-amz-meta-')) {
        meta.push(h('tr', h('td', name.slice('x-amz-meta-'.length)), h('td', value)));
      }
    });
    const tags = h('div', { id: 'tags' }, h('p.muted', 'Loading…'));
    const preview = h('div.preview', { id: 'preview' });
    replace(body,
      h('dl.props', { id: 'properties' },
        row('Key', h('code', key), 'prop-key'),
        row('Size', `${bytes(size)} (${count(size)} bytes)`, 'prop-size'),
        row('Last modified', date(headers.get('last-modified'))),
        row('ETag', h('code', headers.get('etag') || '—'), 'prop-etag'),
        row('Content type', type || '—', 'prop-type'),
        row('Storage class', headers.get('x-amz-storage-class') || 'STANDARD', 'prop-class'),
        headers.get('cache-control') ? row('Cache-Control', headers.get('cache-control')) : null,
        headers.get('content-encoding') ? row('Content-Encoding', headers.get('content-encoding')) : null,
        headers.get('content-disposition') ? row('Content-Disposition', headers.get('content-disposition')) : null,
        row('Checksums', checksums.length ? [checksums, headers.get('x-amz-checksum-type')
          ? h('div.muted', 'type ' + headers.get('x-amz-checksum-type')) : null] : 'none stored', 'prop-checksums'),
        row('Version', 'null (this bucket is not versioned: the object has one version)')),
      h('h2', 'Metadata'),
      meta.length ? h('table.grid.small', { id: 'metadata' }, h('thead', h('tr', h('th', 'Name'), h('th', 'Value'))), h('tbody', meta))
        : h('p.muted', { id: 'metadata' }, 'No user metadata.'),
      h('h2', 'Tags'), tags,
      h('h2', 'Preview'), preview);
    ctx.api.tags(bucket, key).then((list) => {
      replace(tags, list.length
        ? h('table.grid.small', h('thead', h('tr', h('th', 'Key'), h('th', 'Value'))), h('tbody', list.map((t) => h('tr', h('td', t.key), h('td', t.value)))))
        : h('p.muted', 'No tags.'));
    }).catch((e) => replace(tags, h('p.form-error', errorText(e))));
    showPreview(preview, size, type);
  }

  function whole(size) {
    return size === 0 ? Promise.resolve(new ArrayBuffer(0)) : ctx.api.range(bucket, key, 0, size - 1);
  }

  async function showPreview(box, size, type) {
    const p = previewKind(key, type);
    try {
      if (p.kind === 'image' && size <= IMAGE_MAX) {
        const data = await whole(size);
        const url = URL.createObjectURL(new Blob([data], { type: p.type }));
        urls.push(url);
        replace(box, h('img', { src: url, alt: 'Preview of ' + baseName(key), id: 'preview-image' }));
      } else if (p.kind === 'text') {
        const data = size === 0 ? new ArrayBuffer(0) : await ctx.api.range(bucket, key, 0, Math.min(size, TEXT_BYTES) - 1);
        const text = new TextDecoder('utf-8', { fatal: false }).decode(data);
        replace(box, h('pre', { id: 'preview-text' }, text), size > TEXT_BYTES ? h('p.muted', `The first ${bytes(TEXT_BYTES)} of ${bytes(size)}.`) : null);
      } else if (p.kind === 'pdf' && size <= PDF_MAX) {
        const data = await whole(size);
        const url = URL.createObjectURL(new Blob([data], { type: 'application/pdf' }));
        urls.push(url);
        replace(box, h('iframe', { src: url, title: 'Preview of ' + baseName(key), id: 'preview-pdf' }));
      } else {
        replace(box, h('p.muted', p.kind === 'none' ? 'No preview for this type of file.' : 'Too large to preview; download it instead.'));
      }
    } catch (e) {
      replace(box, h('p.form-error', 'No preview: ' + errorText(e)));
    }
  }

  load();
  return () => urls.forEach((u) => URL.revokeObjectURL(u));
}
