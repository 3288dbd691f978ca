// AWS Signature Version 4, as the server verifies it (s3-api/.../auth/SigV4Verifier): header
// auth for the page's own requests and query auth for links (downloads, share links).
// Docs: https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html
import { hex, hmac, sha256, utf8 } from './crypto.js';

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** The longest a presigned URL may live (7 days), as in AWS. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/** Thrown when the page holds no signing key for today (the session is over). */
export class NoSigningKey extends Error {
  constructor(date) {
    super('no signing key for ' + date);
    this.name = 'NoSigningKey';
  }
}

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** RFC 3986 encoding of every byte but the unreserved ones (and '/' when keepSlash). */
export function uriEncode(text, keepSlash = false) {
  let out = '';
  for (const b of utf8(text)) {
    const c = String.fromCharCode(b);
    if ((b < 0x80 && UNRESERVED.test(c)) || (keepSlash && c === '/')) {
      out += c;
    } else {
      out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
    }
  }
  return out;
}

/** The canonical query string of [name, value] pairs (unencoded): encoded, sorted, joined. */
export function canonicalQuery(params) {
  return params
    .map(([k, v]) => [uriEncode(k), uriEncode(v == null ? '' : String(v))])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => k + '=' + v)
    .join('&');
}

/** 20260102T030405Z */
export function amzDate(millis) {
  return new Date(millis).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** The SigV4 signing key of one day: HMAC chain over date, region, "s3", "aws4_request". */
export async function signingKey(secret, date, region) {
  let k = await hmac(utf8('AWS4' + secret), date);
  k = await hmac(k, region);
  k = await hmac(k, 's3');
  return hmac(k, 'aws4_request');
}

/**
 * Signs with day-scoped signing keys (never the secret): keys maps 'YYYYMMDD' to the signing
 * key bytes of that day; clockOffset (ms) corrects this machine's clock to the server's; clock
 * replaces the clock altogether (tests sign AWS's examples at their own time).
 */
export class Signer {
  constructor({ accessKey, region, keys, clockOffset = 0, clock = null }) {
    this.accessKey = accessKey;
    this.region = region;
    this.keys = keys;
    this.clock = clock || (() => Date.now() + clockOffset);
  }

  now() {
    return this.clock();
  }

  key(date) {
    const k = this.keys[date];
    if (!k) {
      throw new NoSigningKey(date);
    }
    return k;
  }

  scope(date) {
    return `${date}/${this.region}/s3/aws4_request`;
  }

  async signature(date, stamp, canonicalRequest) {
    const toSign = ['AWS4-HMAC-SHA256', stamp, this.scope(date), hex(await sha256(canonicalRequest))].join('\n');
    return hex(await hmac(this.key(date), toSign));
  }

  /**
   * Header auth. path: the encoded path the server sees; params: [name, value] pairs;
   * headers: lower-case names to values, with host. Returns the headers to send (no host: the
   * browser sets it).
   */
  async sign(method, path, params, headers, payloadHash) {
    const stamp = amzDate(this.now());
    const date = stamp.slice(0, 8);
    const all = { ...headers, 'x-amz-date': stamp, 'x-amz-content-sha256': payloadHash };
    const names = Object.keys(all).map((n) => n.toLowerCase()).sort();
    const lower = {};
    for (const [n, v] of Object.entries(all)) {
      lower[n.toLowerCase()] = String(v).trim().replace(/\s+/g, ' ');
    }
    const canonicalHeaders = names.map((n) => `${n}:${lower[n]}\n`).join('');
    const signed = names.join(';');
    const request = [method, path, canonicalQuery(params), canonicalHeaders, signed, payloadHash].join('\n');
    const signature = await this.signature(date, stamp, request);
    const out = { ...all };
    delete out.host;
    out.authorization = `AWS4-HMAC-SHA256 Credential=${this.accessKey}/${this.scope(date)}, `
      + `SignedHeaders=${signed}, Signature=${signature}`;
    return out;
  }

  /** Query auth: the full query string (with X-Amz-Signature) of a GET link valid for seconds. */
  async presign(method, path, params, host, seconds) {
    const stamp = amzDate(this.now());
    const date = stamp.slice(0, 8);
    const all = [
      ...params,
      ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
      ['X-Amz-Credential', `${this.accessKey}/${this.scope(date)}`],
      ['X-Amz-Date', stamp],
      ['X-Amz-Expires', String(seconds)],
      ['X-Amz-SignedHeaders', 'host'],
    ];
    const request = [method, path, canonicalQuery(all), `host:${host}\n`, 'host', UNSIGNED_PAYLOAD].join('\n');
    const signature = await this.signature(date, stamp, request);
    return canonicalQuery([...all, ['X-Amz-Signature', signature]]);
  }
}
