// Uploads from the browser: one PutObject for small files, a multipart upload for large ones
// (PART_SIZE parts, PARALLEL at a time per file), each request signed with its payload's SHA-256.
// Per file: progress, speed, pause (in-flight parts stop and are sent again on resume), resume,
// retry of failed parts (the upload id and finished parts are kept), cancel (aborts the upload).
import { h, replace, bytes, rate, duration, errorText } from './dom.js';
import { hex, sha256 } from './crypto.js';

export const PART_SIZE = 8 * 1024 * 1024;
const PARALLEL = 3;
const FILES_AT_ONCE = 2;
const ATTEMPTS = 4;
const BACKOFF_MS = [500, 1000, 2000];

class Upload {
  constructor(owner, bucket, key, file) {
    this.owner = owner;
    this.api = owner.api;
    this.bucket = bucket;
    this.key = key;
    this.file = file;
    this.state = 'queued';
    this.error = null;
    this.uploadId = null;
    this.multipart = file.size > PART_SIZE;
    this.partCount = this.multipart ? Math.ceil(file.size / PART_SIZE) : 1;
    this.parts = new Map(); // number -> {etag, size} once done
    this.inFlight = new Map(); // number -> {controller, loaded}
    this.failures = new Map(); // number -> attempts failed
    this.samples = [];
    this.element = this.view();
  }

  get loaded() {
    let n = 0;
    for (const p of this.parts.values()) n += p.size;
    for (const f of this.inFlight.values()) n += f.loaded;
    return Math.min(n, this.file.size);
  }

  partRange(number) {
    const start = (number - 1) * PART_SIZE;
    return [start, Math.min(this.file.size, start + PART_SIZE)];
  }

  async start() {
    if (this.state !== 'queued' && this.state !== 'resuming') return;
    this.state = 'uploading';
    this.error = null;
    this.update();
    try {
      if (this.multipart && !this.uploadId) {
        this.uploadId = await this.api.createUpload(this.bucket, this.key, this.contentType());
      }
      await this.pump();
    } catch (e) {
      this.fail(e);
    }
  }

  contentType() {
    return this.file.type || 'application/octet-stream';
  }

  /** Starts parts until PARALLEL are in flight; completes the upload when all are done. */
  async pump() {
    if (this.state !== 'uploading') return;
    for (let n = 1; n <= this.partCount && this.inFlight.size < PARALLEL; n++) {
      if (!this.parts.has(n) && !this.inFlight.has(n) && (this.failures.get(n) || 0) < ATTEMPTS) {
        this.send(n);
      }
    }
    if (this.inFlight.size === 0) {
      if (this.parts.size === this.partCount) {
        await this.finish();
      } else if ([...this.failures.values()].some((f) => f >= ATTEMPTS)) {
        const failed = [...this.failures.entries()].filter(([, f]) => f >= ATTEMPTS).map(([n]) => n);
        this.fail(this.lastError, failed);
      }
    }
  }

  async send(number) {
    const controller = new AbortController();
    const flight = { controller, loaded: 0 };
    this.inFlight.set(number, flight);
    const [start, end] = this.partRange(number);
    try {
      const slice = this.file.slice(start, end);
      const payloadHash = hex(await sha256(await slice.arrayBuffer()));
      if (controller.signal.aborted) throw new Error('stopped');
      const params = this.multipart ? [['partNumber', String(number)], ['uploadId', this.uploadId]] : [];
      const headers = this.multipart ? {} : { 'content-type': this.contentType() };
      const etag = await this.api.put({
        bucket: this.bucket, key: this.key, params, headers, body: slice, payloadHash, signal: controller.signal,
        onProgress: (loaded) => {
          flight.loaded = loaded;
          this.update();
        },
      });
      this.inFlight.delete(number);
      this.parts.set(number, { etag, size: end - start });
      this.failures.delete(number);
    } catch (e) {
      this.inFlight.delete(number);
      if (controller.signal.aborted) {
        this.update();
        return; // paused or cancelled: the part is sent again on resume
      }
      this.lastError = e;
      const failed = (this.failures.get(number) || 0) + 1;
      this.failures.set(number, failed);
      if (failed < ATTEMPTS && this.state === 'uploading') {
        await new Promise((r) => setTimeout(r, BACKOFF_MS[Math.min(failed - 1, BACKOFF_MS.length - 1)]));
      }
    }
    this.update();
    try {
      await this.pump();
    } catch (e) {
      this.fail(e);
    }
  }

  async finish() {
    if (this.state !== 'uploading') return;
    this.state = 'completing';
    this.update();
    if (this.multipart) {
      const parts = [...this.parts.entries()].sort((a, b) => a[0] - b[0]).map(([number, p]) => ({ number, etag: p.etag }));
      await this.api.completeUpload(this.bucket, this.key, this.uploadId, parts);
    }
    this.state = 'done';
    this.update();
    this.owner.finished(this);
  }

  fail(e, parts = []) {
    if (this.state === 'cancelled') return;
    this.state = 'failed';
    this.error = (parts.length ? `Part ${parts.join(', ')} failed: ` : '') + errorText(e);
    this.update();
    this.owner.finished(this);
  }

  pause() {
    if (this.state !== 'uploading') return;
    this.state = 'paused';
    for (const f of this.inFlight.values()) f.controller.abort();
    this.update();
    this.owner.finished(this);
  }

  resume() {
    if (this.state !== 'paused' && this.state !== 'failed') return;
    this.failures.clear();
    this.state = 'resuming';
    this.update();
    this.owner.enqueue(this);
  }

  async cancel() {
    const was = this.state;
    this.state = 'cancelled';
    for (const f of this.inFlight.values()) f.controller.abort();
    this.update();
    if (this.uploadId && was !== 'done') {
      await this.api.abortUpload(this.bucket, this.key, this.uploadId).catch(() => {});
    }
    this.owner.finished(this);
  }

  speed() {
    const now = performance.now();
    this.samples.push([now, this.loaded]);
    while (this.samples.length > 2 && now - this.samples[0][0] > 3000) this.samples.shift();
    const [t0, b0] = this.samples[0];
    return now - t0 > 200 ? ((this.loaded - b0) * 1000) / (now - t0) : 0;
  }

  view() {
    this.bar = h('progress.progress', { max: this.file.size || 1, value: 0 });
    this.percent = h('span.percent', '0%');
    this.detail = h('span.detail');
    this.stateText = h('span.state');
    this.buttons = h('span.upload-actions');
    return h('li.upload', { dataset: { key: this.key, bucket: this.bucket, state: this.state } },
      h('div.upload-name', { title: this.bucket + '/' + this.key }, this.key),
      h('div.upload-bar', this.bar, this.percent),
      h('div.upload-meta', this.stateText, this.detail, this.buttons));
  }

  update() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.render();
    });
  }

  render() {
    const loaded = this.state === 'done' ? this.file.size : this.loaded;
    const pct = this.file.size ? Math.floor((loaded * 100) / this.file.size) : (this.state === 'done' ? 100 : 0);
    this.element.dataset.state = this.state;
    this.bar.value = this.file.size ? loaded : (this.state === 'done' ? 1 : 0);
    this.percent.textContent = pct + '%';
    const speed = this.state === 'uploading' ? this.speed() : 0;
    const eta = speed > 0 ? (this.file.size - loaded) / speed : null;
    this.detail.textContent = `${bytes(loaded)} of ${bytes(this.file.size)}`
      + (this.state === 'uploading' && speed > 0 ? ` · ${rate(speed)} · ${duration(eta)} left` : '')
      + (this.multipart ? ` · ${this.parts.size}/${this.partCount} parts` : '');
    this.stateText.textContent = this.state === 'failed' ? this.error : this.state;
    this.stateText.classList.toggle('error', this.state === 'failed');
    if (this.buttonsFor === this.state) return; // buttons change with the state only, so a click never lands on a replaced one
    this.buttonsFor = this.state;
    const b = [];
    if (this.state === 'uploading') b.push(h('button.link', { type: 'button', class: 'pause', onclick: () => this.pause() }, 'Pause'));
    if (this.state === 'paused') b.push(h('button.link', { type: 'button', class: 'resume', onclick: () => this.resume() }, 'Resume'));
    if (this.state === 'failed') b.push(h('button.link', { type: 'button', class: 'retry', onclick: () => this.resume() }, 'Retry'));
    if (['queued', 'uploading', 'paused', 'failed', 'resuming'].includes(this.state)) {
      b.push(h('button.link.danger', { type: 'button', class: 'cancel', onclick: () => this.cancel() }, 'Cancel'));
    } else {
      b.push(h('button.link', { type: 'button', class: 'dismiss', onclick: () => this.owner.dismiss(this) }, 'Dismiss'));
    }
    replace(this.buttons, b);
  }
}

/** The upload queue and its panel. */
export class Uploads {
  constructor(api, onUploaded) {
    this.api = api;
    this.onUploaded = onUploaded;
    this.items = [];
    this.queue = [];
    this.running = new Set();
    this.list = h('ul.upload-list', { id: 'upload-list' });
    this.title = h('h2', 'Uploads');
    this.panel = h('aside.uploads', { id: 'uploads', hidden: true, 'aria-label': 'Uploads' },
      h('div.uploads-head', this.title,
        h('button.link', { type: 'button', id: 'clear-uploads', onclick: () => this.clearFinished() }, 'Clear finished')),
      this.list);
  }

  /** files: [{file, path}]; each goes to key prefix + path. */
  add(bucket, prefix, files) {
    for (const { file, path } of files) {
      const u = new Upload(this, bucket, prefix + path, file);
      this.items.push(u);
      this.list.append(u.element);
      u.render();
      this.enqueue(u);
    }
    this.panel.hidden = false;
  }

  enqueue(u) {
    if (!this.queue.includes(u)) this.queue.push(u);
    this.next();
  }

  next() {
    while (this.running.size < FILES_AT_ONCE && this.queue.length) {
      const u = this.queue.shift();
      if (u.state !== 'queued' && u.state !== 'resuming') continue;
      this.running.add(u);
      u.start();
    }
    const active = this.items.filter((u) => !['done', 'cancelled', 'failed'].includes(u.state)).length;
    this.title.textContent = active ? `Uploads (${active} active)` : 'Uploads';
  }

  finished(u) {
    this.running.delete(u);
    if (u.state === 'done') this.onUploaded({ bucket: u.bucket, key: u.key });
    this.next();
  }

  dismiss(u) {
    this.items = this.items.filter((x) => x !== u);
    u.element.remove();
    if (!this.items.length) this.panel.hidden = true;
  }

  clearFinished() {
    this.items.filter((u) => u.state === 'done' || u.state === 'cancelled').forEach((u) => this.dismiss(u));
  }

  stopAll() {
    this.items.forEach((u) => {
      if (u.state === 'uploading') u.pause();
    });
  }
}
