// The bucket list: create, open, delete when empty; object count and size from the admin API's
// per-bucket usage (root only).
import { h, replace, bytes, count, date, confirmDialog, toast, errorText } from './dom.js';

const NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function render(main, ctx) {
  const list = h('div.table-wrap', h('p.muted', 'Loading…'));
  const nameInput = h('input', { id: 'new-bucket', placeholder: 'new-bucket-name', spellcheck: 'false', autocapitalize: 'off', 'aria-label': 'New bucket name' });
  const formError = h('p.form-error', { id: 'bucket-error', role: 'alert' });
  const form = h('form.inline-form', { id: 'create-bucket' },
    nameInput, h('button.primary', { type: 'submit', id: 'create-bucket-button' }, 'Create bucket'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const name = nameInput.value.trim();
    formError.textContent = '';
    if (!NAME.test(name) || name.includes('..')) {
      formError.textContent = 'A bucket name is 3 to 63 lower-case letters, digits, dots and hyphens, '
        + 'starting and ending with a letter or digit.';
      return;
    }
    try {
      await ctx.api.createBucket(name);
      nameInput.value = '';
      toast(`Bucket “${name}” created.`, 'ok');
      load();
    } catch (e) {
      formError.textContent = e.code === 'BucketAlreadyOwnedByYou' || e.code === 'BucketAlreadyExists'
        ? `A bucket named “${name}” already exists.` : errorText(e);
    }
  });
  replace(main, h('section.page',
    h('div.page-head', h('h1', 'Buckets'), form), formError, list));

  async function remove(name) {
    const ok = await confirmDialog({
      title: 'Delete bucket', message: `Delete the bucket “${name}”? Only an empty bucket can be deleted.`,
      confirm: 'Delete bucket', danger: true,
    });
    if (!ok) return;
    try {
      await ctx.api.deleteBucket(name);
      toast(`Bucket “${name}” deleted.`, 'ok');
      load();
    } catch (e) {
      toast(e.code === 'BucketNotEmpty' ? `“${name}” is not empty: delete its objects first.` : errorText(e), 'error');
    }
  }

  async function load() {
    try {
      const [buckets, usage] = await Promise.all([
        ctx.api.listBuckets(),
        ctx.isRoot ? ctx.api.admin('GET', '/admin/buckets').catch(() => null) : Promise.resolve(null),
      ]);
      const byName = new Map(((usage && usage.buckets) || []).map((u) => [u.bucket, u]));
      if (buckets.length === 0) {
        replace(list, h('p.empty', 'No buckets yet. Create one above.'));
        return;
      }
      const rows = buckets.map((b) => {
        const u = byName.get(b.name);
        return h('tr', { dataset: { bucket: b.name } },
          h('td.name', h('a', { href: ctx.links.folder(b.name, ''), class: 'bucket-link' }, b.name)),
          h('td.num', u ? count(u.objects) : '—'),
          h('td.num', u ? bytes(u.bytes) : '—'),
          h('td.hide-narrow', date(b.created)),
          h('td.actions', h('button.link.danger', { type: 'button', class: 'delete-bucket', onclick: () => remove(b.name) }, 'Delete')));
      });
      replace(list, h('table.grid', { id: 'bucket-table' },
        h('thead', h('tr', h('th', 'Name'), h('th.num', 'Objects'), h('th.num', 'Size'), h('th.hide-narrow', 'Created'), h('th', ''))),
        h('tbody', rows)));
    } catch (e) {
      ctx.fail(e);
    }
  }
  load();
  return null;
}
