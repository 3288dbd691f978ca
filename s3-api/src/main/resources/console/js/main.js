// The console's shell: settings, sign-in, the top bar, and the hash router that shows one view
// at a time. A view is a module whose render(container, ctx, params) returns a cleanup function.
//
// Sections are listed in SECTIONS, each a view module; admin sections (the dashboard, users and
// their keys) call the admin API through ctx.api and show only to root.
import { h, replace, errorText } from './dom.js';
import { Api, ApiError } from './api.js';
import * as sessions from './session.js';
import { nativeCrypto } from './crypto.js';
import * as signin from './signin.js';
import * as buckets from './buckets.js';
import * as objects from './objects.js';
import * as details from './details.js';
import * as dashboard from './dashboard.js';
import * as users from './users.js';
import { Uploads } from './uploads.js';

const SECTIONS = [
  { id: 'buckets', label: 'Buckets', href: '#/', admin: false },
  { id: 'dashboard', label: 'Dashboard', href: '#/dashboard', admin: true },
  { id: 'users', label: 'Users', href: '#/users', admin: true },
];

const app = {
  config: null,
  session: null,
  api: null,
  isRoot: false,
  uploads: null,
  cleanup: null,
  expiryTimer: null,
};

function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const take = (prefix) => {
    const rest = hash.slice(prefix.length);
    const slash = rest.indexOf('/');
    const first = decodeURIComponent(slash < 0 ? rest : rest.slice(0, slash));
    const second = slash < 0 ? '' : decodeURIComponent(rest.slice(slash + 1));
    return [first, second];
  };
  if (hash.startsWith('/b/')) {
    const [bucket, prefix] = take('/b/');
    return { section: 'buckets', view: objects, params: { bucket, prefix } };
  }
  if (hash.startsWith('/o/')) {
    const [bucket, key] = take('/o/');
    return { section: 'buckets', view: details, params: { bucket, key } };
  }
  if (hash === '/dashboard') {
    return { section: 'dashboard', view: dashboard, params: {} };
  }
  if (hash === '/users') {
    return { section: 'users', view: users, params: {} };
  }
  return { section: 'buckets', view: buckets, params: {} };
}

/** Links inside the console. */
export const links = {
  buckets: () => '#/',
  folder: (bucket, prefix = '') => '#/b/' + encodeURIComponent(bucket) + '/' + encodeURIComponent(prefix),
  object: (bucket, key) => '#/o/' + encodeURIComponent(bucket) + '/' + encodeURIComponent(key),
  dashboard: () => '#/dashboard',
  users: () => '#/users',
};

function topBar() {
  const nav = h('nav.sections', { 'aria-label': 'Sections' },
    SECTIONS.filter((s) => !s.admin || app.isRoot).map((s) => h('a', { href: s.href, id: 'nav-' + s.id }, s.label)));
  return h('header.topbar',
    h('a.brand', { href: '#/' }, h('img', { src: '/console/img/cairn.svg', alt: '' }), h('span', 'Cairn')),
    nav,
    h('div.who',
      h('span.key', { title: 'Signed in as' }, app.session.accessKey),
      h('button.secondary', { type: 'button', id: 'sign-out', onclick: () => signOut() }, 'Sign out')));
}

function render() {
  if (app.cleanup) {
    app.cleanup();
    app.cleanup = null;
  }
  const root = document.getElementById('app');
  if (!app.session) {
    replace(root, signin.render(app.config, onSignedIn, app.signInMessage));
    app.signInMessage = null;
    return;
  }
  const r = route();
  if (!app.isRoot && SECTIONS.some((s) => s.id === r.section && s.admin)) {
    location.hash = links.buckets(); // a section for root only: the hash change renders the buckets
    return;
  }
  const main = h('main', { id: 'view' });
  replace(root, topBar(), main, app.uploads.panel);
  document.querySelectorAll('nav.sections a').forEach((a) => a.classList.toggle('active', a.id === 'nav-' + r.section));
  const ctx = {
    api: app.api,
    config: app.config,
    isRoot: app.isRoot,
    uploads: app.uploads,
    links,
    fail: (e) => failed(e, main),
  };
  try {
    app.cleanup = r.view.render(main, ctx, r.params) || null;
  } catch (e) {
    failed(e, main);
  }
}

/** Errors a view cannot handle itself: an ended session signs out, the rest is shown. */
function failed(e, main) {
  if (e instanceof sessions.SessionExpired || (e && e.name === 'NoSigningKey')) {
    signOut(new sessions.SessionExpired().message);
    return;
  }
  replace(main, h('div.error-box', { role: 'alert' }, errorText(e)));
}

async function onSignedIn(session) {
  sessions.save(session);
  await start(session);
}

async function start(session) {
  app.session = session;
  app.api = new Api(session, app.config);
  app.isRoot = false;
  try {
    await app.api.admin('GET', '/admin/summary');
    app.isRoot = true;
  } catch (e) {
    if (!(e instanceof ApiError) || (e.status !== 403 && e.status !== 401)) throw e;
  }
  app.uploads = new Uploads(app.api, (detail) => window.dispatchEvent(new CustomEvent('cairn:uploaded', { detail })));
  clearInterval(app.expiryTimer);
  app.expiryTimer = setInterval(() => {
    if (app.session && !sessions.alive(app.session)) signOut(new sessions.SessionExpired().message);
  }, 10000);
  render();
}

function signOut(message) {
  if (app.uploads) app.uploads.stopAll();
  sessions.clear();
  clearInterval(app.expiryTimer);
  app.session = null;
  app.api = null;
  app.isRoot = false;
  app.signInMessage = message || null;
  render();
}

async function boot() {
  const root = document.getElementById('app');
  try {
    const t0 = Date.now();
    const resp = await fetch('/console/config.json', { cache: 'no-store', credentials: 'omit' });
    app.config = await resp.json();
    // the server's clock, as SigV4 needs it within 15 minutes; half the round trip is the delay
    app.config.clockOffset = app.config.serverTime - Math.round((t0 + Date.now()) / 2);
    app.config.nativeCrypto = nativeCrypto;
  } catch (e) {
    replace(root, h('div.error-box', { role: 'alert' }, 'The console could not load its settings: ' + e.message));
    return;
  }
  window.addEventListener('hashchange', () => app.session && render());
  const session = sessions.load();
  if (session) {
    try {
      await start(session);
      return;
    } catch (e) {
      sessions.clear();
    }
  }
  app.session = null;
  render();
}

boot();
