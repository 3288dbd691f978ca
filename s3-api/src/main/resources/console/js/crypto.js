// Hashing for request signing: Web Crypto when the page has it (a secure context: HTTPS or
// loopback), the console's own SHA-256 (sha256.js) otherwise.
import * as js from './sha256.js';

const subtle = globalThis.crypto && globalThis.crypto.subtle;
const encoder = new TextEncoder();

/** Whether hashing runs in Web Crypto (true) or in JavaScript. */
export const nativeCrypto = Boolean(subtle);

export function utf8(text) {
  return encoder.encode(text);
}

export function hex(bytes) {
  let out = '';
  for (const b of bytes) {
    out += b.toString(16).padStart(2, '0');
  }
  return out;
}

export function fromHex(text) {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(text.substr(i * 2, 2), 16);
  }
  return out;
}

export function base64(bytes) {
  let s = '';
  for (const b of bytes) {
    s += String.fromCharCode(b);
  }
  return btoa(s);
}

function bytesOf(data) {
  if (typeof data === 'string') return utf8(data);
  if (data instanceof Uint8Array) return data;
  return new Uint8Array(data);
}

/** SHA-256 of a string, ArrayBuffer or Uint8Array, as 32 bytes. */
export async function sha256(data) {
  const bytes = bytesOf(data);
  if (subtle) {
    return new Uint8Array(await subtle.digest('SHA-256', bytes));
  }
  return js.sha256(bytes);
}

/** HMAC-SHA256 of a string or bytes under key bytes, as 32 bytes. */
export async function hmac(key, message) {
  const bytes = bytesOf(message);
  if (subtle) {
    const k = await subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return new Uint8Array(await subtle.sign('HMAC', k, bytes));
  }
  return js.hmacSha256(key, bytes);
}
