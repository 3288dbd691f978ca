// The signed-in session. The secret key is used once, at sign-in, to derive the SigV4 signing
// keys of today and tomorrow (UTC); only those derived keys are kept - in sessionStorage, which
// belongs to this tab alone and is gone when it closes - so a reload stays signed in. A derived
// key cannot give back the secret and the server accepts it only for requests dated that day,
// within 15 minutes of its clock. The session ends after LIFETIME_MS, at sign-out, or when the
// tab closes. Nothing goes to localStorage or cookies.
import { amzDate, signingKey, Signer } from './sigv4.js';
import { fromHex, hex } from './crypto.js';

const STORE = 'cairn.console.session';
export const LIFETIME_MS = 12 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

export class SessionExpired extends Error {
  constructor() {
    super('Your session has ended. Sign in again.');
    this.name = 'SessionExpired';
  }
}

/** Derives the signing keys from the secret (which is not kept) and returns a new session. */
export async function create(accessKey, secret, region, clockOffset) {
  const now = Date.now() + clockOffset;
  const keys = {};
  for (const t of [now, now + DAY_MS]) {
    const date = amzDate(t).slice(0, 8);
    keys[date] = hex(await signingKey(secret, date, region));
  }
  return { accessKey, region, keys, clockOffset, expiresAt: now + LIFETIME_MS };
}

export function save(session) {
  sessionStorage.setItem(STORE, JSON.stringify(session));
}

/** The stored session, or null when there is none or it has ended (then it is removed). */
export function load() {
  let s = null;
  try {
    s = JSON.parse(sessionStorage.getItem(STORE) || 'null');
  } catch (e) {
    s = null;
  }
  if (s && !alive(s)) {
    clear();
    return null;
  }
  return s;
}

export function alive(session) {
  return Date.now() + session.clockOffset < session.expiresAt;
}

export function clear() {
  sessionStorage.removeItem(STORE);
}

export function signer(session) {
  const keys = {};
  for (const [date, k] of Object.entries(session.keys)) {
    keys[date] = fromHex(k);
  }
  return new Signer({ accessKey: session.accessKey, region: session.region, keys, clockOffset: session.clockOffset });
}
