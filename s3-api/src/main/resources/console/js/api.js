// The console's client for the S3 API (mounted at /s3 on this origin) and the admin API, every
// request SigV4-signed in the page.
import { canonicalQuery, EMPTY_SHA256, uriEncode } from './sigv4.js';
import { base64, hex, sha256 } from './crypto.js';
import * as sessions from './session.js';
import * as xml from './xml.js';

export class ApiError extends Error {
  constructor({ status, code, message, requestId }) {
    super(message || code || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

async function s3Error(resp) {
  const text = await resp.text().catch(() => '');
  let code = null;
  let message = null;
  let requestId = resp.headers.get('x-amz-request-id');
  if (text.trim().startsWith('<')) {
    try {
      const root = xml.parse(text);
      code = xml.childText(root, 'Code');
      message = xml.childText(root, 'Message');
      requestId = xml.childText(root, 'RequestId') || requestId;
    } catch (e) {
      // fall through to the status line
    }
  }
  return new ApiError({ status: resp.status, code: code || `HTTP${resp.status}`, message, requestId });
}

function networkError(e) {
  return new ApiError({ status: 0, code: 'NetworkError', message: `The server could not be reached (${e.message}).` });
}

const decode = (s) => (s == null ? s : decodeURIComponent(s));

export class Api {
  constructor(session, config) {
    this.session = session;
    this.config = config;
    this.signer = sessions.signer(session);
  }

  /** The encoded path of a bucket or object, as S3 sees it. */
  static path(bucket, key) {
    let p = '/';
    if (bucket) {
      p += uriEncode(bucket);
      if (key != null) {
        p += '/' + uriEncode(key, true);
      }
    }
    return p;
  }

  checkAlive() {
    if (!sessions.alive(this.session)) {
      throw new sessions.SessionExpired();
    }
  }

  async signedHeaders(method, path, params, headers, payloadHash) {
    this.checkAlive();
    const lower = { host: location.host };
    for (const [k, v] of Object.entries(headers)) {
      lower[k.toLowerCase()] = v;
    }
    return this.signer.sign(method, path, params, lower, payloadHash);
  }

  /** A signed S3 request; resolves to the Response, rejects with ApiError unless 2xx. */
  async s3(method, { bucket, key, params = [], headers = {}, body = null, payloadHash } = {}) {
    const path = Api.path(bucket, key);
    const hash = payloadHash || (body == null ? EMPTY_SHA256 : hex(await sha256(body)));
    const signed = await this.signedHeaders(method, path, params, headers, hash);
    const query = canonicalQuery(params);
    let resp;
    try {
      resp = await fetch(this.config.s3Path + path + (query ? '?' + query : ''), {
        method, headers: signed, body, credentials: 'omit', redirect: 'error',
        // reads bypass the browser's cache; a write keeps the default mode, whose request carries no
        // Cache-Control header that S3 would store with the object
        cache: method === 'GET' || method === 'HEAD' ? 'no-store' : 'default',
      });
    } catch (e) {
      throw networkError(e);
    }
    if (!resp.ok) {
      throw await s3Error(resp);
    }
    return resp;
  }

  async s3Xml(method, options) {
    const text = await (await this.s3(method, options)).text();
    const root = xml.parse(text);
    if (root.localName === 'Error') {
      throw new ApiError({ status: 200, code: xml.childText(root, 'Code'), message: xml.childText(root, 'Message') });
    }
    return root;
  }

  async listBuckets() {
    const root = await this.s3Xml('GET', {});
    const buckets = xml.children(root, 'Buckets')[0];
    return (buckets ? xml.children(buckets, 'Bucket') : []).map((b) => ({
      name: xml.childText(b, 'Name'),
      created: xml.childText(b, 'CreationDate'),
    }));
  }

  createBucket(name) {
    return this.s3('PUT', { bucket: name });
  }

  deleteBucket(name) {
    return this.s3('DELETE', { bucket: name });
  }

  /** One page of ListObjectsV2: folders (common prefixes) and objects, and the next page's token. */
  async list(bucket, { prefix = '', delimiter = '/', maxKeys = 200, token = null } = {}) {
    const params = [['list-type', '2'], ['encoding-type', 'url'], ['max-keys', String(maxKeys)], ['prefix', prefix]];
    if (delimiter) params.push(['delimiter', delimiter]);
    if (token) params.push(['continuation-token', token]);
    const root = await this.s3Xml('GET', { bucket, params });
    return {
      folders: xml.children(root, 'CommonPrefixes').map((p) => decode(xml.childText(p, 'Prefix'))),
      objects: xml.children(root, 'Contents').map((c) => ({
        key: decode(xml.childText(c, 'Key')),
        size: Number(xml.childText(c, 'Size')),
        lastModified: xml.childText(c, 'LastModified'),
        etag: xml.childText(c, 'ETag'),
        storageClass: xml.childText(c, 'StorageClass'),
      })),
      truncated: xml.childText(root, 'IsTruncated') === 'true',
      nextToken: xml.childText(root, 'NextContinuationToken'),
    };
  }

  /** HeadObject with checksums: the response headers. */
  async head(bucket, key) {
    const resp = await this.s3('HEAD', { bucket, key, headers: { 'x-amz-checksum-mode': 'ENABLED' } });
    return resp.headers;
  }

  async tags(bucket, key) {
    const root = await this.s3Xml('GET', { bucket, key, params: [['tagging', '']] });
    const set = xml.children(root, 'TagSet')[0];
    return (set ? xml.children(set, 'Tag') : []).map((t) => ({ key: xml.childText(t, 'Key'), value: xml.childText(t, 'Value') }));
  }

  /** Bytes [start, end] of an object (inclusive), as an ArrayBuffer. */
  async range(bucket, key, start, end) {
    const resp = await this.s3('GET', { bucket, key, headers: { range: `bytes=${start}-${end}` } });
    return resp.arrayBuffer();
  }

  async blob(bucket, key) {
    return (await this.s3('GET', { bucket, key })).blob();
  }

  deleteObject(bucket, key) {
    return this.s3('DELETE', { bucket, key });
  }

  /** DeleteObjects, 1,000 keys a request: the keys deleted and the errors. */
  async deleteObjects(bucket, keys) {
    const deleted = [];
    const errors = [];
    for (let i = 0; i < keys.length; i += 1000) {
      const body = '<Delete><Quiet>false</Quiet>'
        + keys.slice(i, i + 1000).map((k) => `<Object><Key>${xml.escape(k)}</Key></Object>`).join('')
        + '</Delete>';
      const checksum = base64(await sha256(body));
      const root = await this.s3Xml('POST', {
        bucket, params: [['delete', '']], body,
        headers: { 'content-type': 'application/xml', 'x-amz-checksum-sha256': checksum, 'x-amz-sdk-checksum-algorithm': 'SHA256' },
      });
      xml.children(root, 'Deleted').forEach((d) => deleted.push(xml.childText(d, 'Key')));
      xml.children(root, 'Error').forEach((e) => errors.push({
        key: xml.childText(e, 'Key'), code: xml.childText(e, 'Code'), message: xml.childText(e, 'Message'),
      }));
    }
    return { deleted, errors };
  }

  async createUpload(bucket, key, contentType) {
    const root = await this.s3Xml('POST', { bucket, key, params: [['uploads', '']], headers: { 'content-type': contentType } });
    return xml.childText(root, 'UploadId');
  }

  async completeUpload(bucket, key, uploadId, parts) {
    const body = '<CompleteMultipartUpload>'
      + parts.map((p) => `<Part><PartNumber>${p.number}</PartNumber><ETag>${xml.escape(p.etag)}</ETag></Part>`).join('')
      + '</CompleteMultipartUpload>';
    return this.s3Xml('POST', { bucket, key, params: [['uploadId', uploadId]], body, headers: { 'content-type': 'application/xml' } });
  }

  abortUpload(bucket, key, uploadId) {
    return this.s3('DELETE', { bucket, key, params: [['uploadId', uploadId]] });
  }

  /**
   * A PUT with upload progress (fetch has none): PutObject, or UploadPart when params name the
   * part. body is a Blob (a slice of the file: the browser streams it from disk, the page holds no
   * copy), payloadHash its SHA-256. Resolves to the ETag; abort with signal.
   */
  async put({ bucket, key, params = [], headers = {}, body, payloadHash, onProgress, signal }) {
    const path = Api.path(bucket, key);
    const signed = await this.signedHeaders('PUT', path, params, headers, payloadHash);
    const query = canonicalQuery(params);
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('PUT', this.config.s3Path + path + (query ? '?' + query : ''));
      for (const [k, v] of Object.entries(signed)) {
        xhr.setRequestHeader(k, v);
      }
      xhr.upload.onprogress = (e) => onProgress && onProgress(e.loaded);
      xhr.onload = async () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          resolve(xhr.getResponseHeader('ETag'));
        } else {
          reject(await s3Error(new Response(xhr.responseText, { status: xhr.status })));
        }
      };
      xhr.onerror = () => reject(networkError(new Error('connection failed')));
      xhr.onabort = () => reject(new ApiError({ status: 0, code: 'Aborted', message: 'stopped' }));
      if (signal) {
        if (signal.aborted) {
          xhr.abort();
          return;
        }
        signal.addEventListener('abort', () => xhr.abort(), { once: true });
      }
      xhr.send(body);
    });
  }

  /**
   * A presigned GET URL of an object, valid for seconds. origin: where it will be fetched
   * ('' for this page's /s3 mount; a share link names the S3 endpoint); params: response
   * overrides such as response-content-disposition.
   */
  async presign(bucket, key, seconds, { origin = '', params = [] } = {}) {
    this.checkAlive();
    const path = Api.path(bucket, key);
    const host = origin ? new URL(origin).host : location.host;
    const query = await this.signer.presign('GET', path, params, host, seconds);
    return (origin ? origin.replace(/\/+$/, '') : this.config.s3Path) + path + '?' + query;
  }

  /** A signed admin API request (params: [name, value] query pairs): the parsed JSON answer; ApiError otherwise. */
  async admin(method, path, json, params = []) {
    const body = json === undefined ? null : JSON.stringify(json);
    const headers = body == null ? {} : { 'content-type': 'application/json' };
    const hash = body == null ? EMPTY_SHA256 : hex(await sha256(body));
    const signed = await this.signedHeaders(method, path, params, headers, hash);
    const query = canonicalQuery(params);
    let resp;
    try {
      resp = await fetch(path + (query ? '?' + query : ''), { method, headers: signed, body, cache: 'no-store', credentials: 'omit', redirect: 'error' });
    } catch (e) {
      throw networkError(e);
    }
    const text = await resp.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch (e) {
      data = null;
    }
    if (!resp.ok) {
      throw new ApiError({ status: resp.status, code: data && data.error, message: data && data.message });
    }
    return data;
  }
}
