// Sign-in: the access key and secret key are checked with a signed ListBuckets; the secret is
// used only to derive the session's signing keys (session.js) and is then dropped.
import { h, errorText } from './dom.js';
import { Api } from './api.js';
import * as sessions from './session.js';

/** What to tell a person whose sign-in failed, from the S3 error. */
export function explain(e, accessKey) {
  switch (e && e.code) {
    case 'InvalidAccessKeyId':
      return `Sign-in failed: there is no access key “${accessKey}” on this server.`;
    case 'SignatureDoesNotMatch':
      return `Sign-in failed: the secret key is wrong for access key “${accessKey}”.`;
    case 'RequestTimeTooSkewed':
      return 'Sign-in failed: this computer’s clock differs from the server’s by more than 15 minutes.';
    case 'AccessDenied':
      return `Sign-in failed: access key “${accessKey}” may not list buckets.`;
    case 'NetworkError':
      return 'Sign-in failed: the server could not be reached.';
    default:
      return 'Sign-in failed: ' + errorText(e);
  }
}

export function render(config, onSignedIn, message) {
  const error = h('p.form-error', { id: 'signin-error', role: 'alert' }, message || '');
  const accessKey = h('input', { id: 'access-key', name: 'access-key', autocomplete: 'username', required: true, spellcheck: 'false', autocapitalize: 'off' });
  const secretKey = h('input', { id: 'secret-key', name: 'secret-key', type: 'password', autocomplete: 'current-password', required: true });
  const button = h('button.primary', { type: 'submit', id: 'sign-in' }, 'Sign in');
  const form = h('form.signin', { novalidate: true },
    h('div.signin-brand', h('img', { src: '/console/img/cairn.svg', alt: '' }), h('h1', 'Cairn')),
    h('label', { for: 'access-key' }, 'Access key'), accessKey,
    h('label', { for: 'secret-key' }, 'Secret key'), secretKey,
    button, error,
    h('p.hint', 'Your secret key never leaves this page: requests are signed here (AWS Signature V4). '
      + `The session lasts ${sessions.LIFETIME_MS / 3600000} hours or until you sign out or close the tab.`));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const key = accessKey.value.trim();
    const secret = secretKey.value;
    if (!key || !secret) {
      error.textContent = 'Enter an access key and a secret key.';
      return;
    }
    button.disabled = true;
    error.textContent = '';
    try {
      const session = await sessions.create(key, secret, config.region, config.clockOffset);
      await new Api(session, config).listBuckets();
      secretKey.value = '';
      await onSignedIn(session);
    } catch (e) {
      error.textContent = explain(e, key);
      button.disabled = false;
    }
  });
  return h('div.signin-page', form);
}
