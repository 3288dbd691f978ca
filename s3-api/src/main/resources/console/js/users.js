// Users and their access keys (root only), through the admin API's /admin/users: list users
// with their keys, policies and usage; create and delete users; create, deactivate, activate and
// delete keys. A new key's secret is shown once, on this page, and is never fetched again.
import { h, replace, bytes, count, date, confirmDialog, toast, errorText } from './dom.js';

const NAME = /^[\w+=,.@-]{1,64}$/;

function path(user, ...rest) {
  return ['/admin/users', encodeURIComponent(user), ...rest.map(encodeURIComponent)].join('/');
}

export function render(main, ctx) {
  const list = h('div.table-wrap', h('p.muted', 'Loading…'));
  const secretBox = h('div', { id: 'new-key' });
  const nameInput = h('input', { id: 'new-user', placeholder: 'user-name', spellcheck: 'false', autocapitalize: 'off', 'aria-label': 'New user name' });
  const formError = h('p.form-error', { id: 'user-error', role: 'alert' });
  const form = h('form.inline-form', { id: 'create-user' },
    nameInput, h('button.primary', { type: 'submit', id: 'create-user-button' }, 'Create user'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const name = nameInput.value.trim();
    formError.textContent = '';
    if (!NAME.test(name)) {
      formError.textContent = 'A user name is 1 to 64 letters, digits and + = , . @ _ - characters.';
      return;
    }
    try {
      await ctx.api.admin('POST', '/admin/users', { name });
      nameInput.value = '';
      toast(`User “${name}” created.`, 'ok');
      load();
    } catch (e) {
      formError.textContent = e.code === 'EntityAlreadyExists' ? `A user named “${name}” already exists.` : errorText(e);
    }
  });
  replace(main, h('section.page',
    h('div.page-head', h('h1', 'Users'), form), formError, secretBox, list));

  /** Runs one change, then reloads the list; errors are shown as a toast. */
  async function change(work, done) {
    try {
      const result = await work();
      if (done) toast(done, 'ok');
      await load();
      return result;
    } catch (e) {
      toast(errorText(e), 'error');
      return null;
    }
  }

  async function createKey(user) {
    formError.textContent = '';
    const key = await change(() => ctx.api.admin('POST', path(user, 'keys')), `Access key created for “${user}”.`);
    if (!key) return;
    replace(secretBox, h('div.notice', { role: 'status' },
      h('p', h('strong', `New access key for “${user}”. `), 'Copy the secret now: it is not shown again.'),
      h('dl',
        h('dt', 'Access key'), h('dd', h('code', { id: 'new-key-id' }, key.accessKeyId)),
        h('dt', 'Secret key'), h('dd', h('code', { id: 'new-key-secret' }, key.secretAccessKey))),
      h('button.secondary', { type: 'button', id: 'dismiss-key', onclick: () => replace(secretBox) }, 'Done')));
  }

  function setActive(user, key, active) {
    return change(() => ctx.api.admin('PUT', path(user, 'keys', key), { active }),
      `Key ${key} ${active ? 'activated' : 'deactivated'}.`);
  }

  async function deleteKey(user, key) {
    const ok = await confirmDialog({
      title: 'Delete access key', message: `Delete the key ${key} of “${user}”? Requests signed with it are refused from now on.`,
      confirm: 'Delete key', danger: true,
    });
    if (ok) await change(() => ctx.api.admin('DELETE', path(user, 'keys', key)), `Key ${key} deleted.`);
  }

  async function deleteUser(u) {
    const ok = await confirmDialog({
      title: 'Delete user',
      message: `Delete “${u.name}” with its ${u.accessKeys.length} access key(s) and policies? The buckets it owns stay.`,
      confirm: 'Delete user', danger: true,
    });
    if (ok) {
      replace(secretBox);
      await change(() => ctx.api.admin('DELETE', path(u.name), undefined, [['force', 'true']]), `User “${u.name}” deleted.`);
    }
  }

  function keyItem(u, k) {
    const active = k.status === 'Active';
    return h('li.key-row', { dataset: { key: k.accessKeyId, status: k.status } },
      h('code', k.accessKeyId), ' ',
      h('span.badge', { class: active ? 'state-up' : 'state-removed' }, active ? 'Active' : 'Inactive'), ' ',
      h('button.link', { type: 'button', class: 'toggle-key', onclick: () => setActive(u.name, k.accessKeyId, !active) },
        active ? 'Deactivate' : 'Activate'), ' ',
      h('button.link.danger', { type: 'button', class: 'delete-key', onclick: () => deleteKey(u.name, k.accessKeyId) }, 'Delete'));
  }

  function quotaText(q) {
    const parts = [];
    if (q.maxBytes != null) parts.push(bytes(q.maxBytes));
    if (q.maxObjects != null) parts.push(count(q.maxObjects) + ' objects');
    return parts.length ? parts.join(', ') : 'none';
  }

  async function load() {
    try {
      const { users } = await ctx.api.admin('GET', '/admin/users');
      if (users.length === 0) {
        replace(list, h('p.empty', 'No users yet: only the root key. Create one above.'));
        return;
      }
      const rows = users.map((u) => h('tr', { dataset: { user: u.name } },
        h('td.name', h('strong', u.name), h('div.muted.hide-narrow', u.arn)),
        h('td', h('ul.keys', u.accessKeys.map((k) => keyItem(u, k))),
          h('button.link', { type: 'button', class: 'create-key', onclick: () => createKey(u.name) }, 'New access key')),
        h('td.hide-narrow', [...u.policies, ...u.attachedPolicies].join(', ') || '—'),
        h('td.num', bytes(u.usage.bytes), h('div.muted', count(u.usage.objects) + ' objects')),
        h('td.hide-narrow', quotaText(u.quota)),
        h('td.hide-narrow', date(u.created)),
        h('td.actions', h('button.link.danger', { type: 'button', class: 'delete-user', onclick: () => deleteUser(u) }, 'Delete'))));
      replace(list, h('table.grid', { id: 'user-table' },
        h('thead', h('tr', h('th', 'Name'), h('th', 'Access keys'), h('th.hide-narrow', 'Policies'), h('th.num', 'Stored'),
          h('th.hide-narrow', 'Quota'), h('th.hide-narrow', 'Created'), h('th', ''))),
        h('tbody', rows)));
    } catch (e) {
      ctx.fail(e);
    }
  }
  load();
  return null;
}
