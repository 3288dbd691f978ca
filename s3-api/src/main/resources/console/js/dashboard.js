// The operator's dashboard, wired to the admin API: health and why, nodes (drain, remove),
// the movers (state as the server names it, with its reason; progress, rate, ETA, throttle,
// pause/resume), storage by bucket, and live charts from the server's own /metrics.
import { h, replace, bytes, count, rate, duration, ago, confirmDialog, toast, errorText } from './dom.js';
import { LineChart } from './charts.js';
import * as metrics from './metrics.js';

const STATUS_EVERY_MS = 2000;
const METRICS_EVERY_MS = 5000;
const USAGE_EVERY_MS = 10000;
const KNOWN_STATES = ['idle', 'planning', 'moving', 'done', 'paused', 'blocked'];

/** A badge for any state string the server gives, styled when it is a known one. */
function badge(state, id) {
  const s = String(state == null ? 'unknown' : state);
  const known = KNOWN_STATES.includes(s.toLowerCase()) || ['optimal', 'degraded', 'critical', 'up', 'suspect', 'down', 'draining', 'removed'].includes(s.toLowerCase());
  return h('span.badge', { class: 'state-' + (known ? s.toLowerCase() : 'other'), id }, s);
}

function stat(label, value, id) {
  return h('div.stat', h('span.label', label), h('span.value', { id }, value));
}

/** A bar of used over capacity; warn: turns red past 90% (a node filling up, not a bucket's share). */
function usageBar(used, capacity, warn = true) {
  const bar = h('span.fill');
  const fraction = capacity > 0 ? Math.min(1, used / capacity) : 0;
  bar.style.width = (fraction * 100).toFixed(1) + '%';
  if (warn && fraction > 0.9) bar.classList.add('high');
  return h('span.bar', { title: `${bytes(used)} of ${capacity > 0 ? bytes(capacity) : 'unlimited'}` }, bar);
}

export function render(main, ctx) {
  const now = () => Date.now() + (ctx.config.clockOffset || 0);
  const health = h('div.card.health', { id: 'health' }, h('p.muted', 'Loading…'));
  const nodes = h('div.table-wrap', { id: 'nodes-box' });
  const movers = h('div.card', { id: 'movers' });
  const usage = h('div.table-wrap', { id: 'usage-box' });
  const charts = {
    requests: new LineChart('chart-requests', 'Requests per second', ['all', '5xx'], (v) => v.toFixed(v < 10 ? 1 : 0)),
    errors: new LineChart('chart-errors', 'S3 errors per second', ['errors'], (v) => v.toFixed(v < 10 ? 1 : 0)),
    latency: new LineChart('chart-latency', 'Latency', ['p50', 'p99'], (v) => (v < 1 ? (v * 1000).toFixed(0) + ' ms' : v.toFixed(2) + ' s')),
    throughput: new LineChart('chart-throughput', 'Throughput', ['in', 'out'], (v) => rate(v)),
  };
  replace(main, h('section.page.dashboard', { id: 'dashboard' },
    h('h1', 'Dashboard'),
    health,
    h('h2', 'Nodes'), nodes,
    h('h2', 'Data movement'), movers,
    h('h2', 'Storage by bucket'), usage,
    h('h2', 'Activity'), h('div.charts', Object.values(charts).map((c) => c.element))));

  let alive = true;
  const timers = [];
  const every = (ms, f) => {
    let busy = false;
    const tick = async () => {
      if (busy || !alive || document.hidden) return;
      busy = true;
      try {
        await f();
      } finally {
        busy = false;
      }
    };
    tick();
    timers.push(setInterval(tick, ms));
  };

  const last = {};
  const changed = (name, data) => {
    const json = JSON.stringify(data);
    if (last[name] === json) return false;
    last[name] = json;
    return true;
  };

  // --- health, nodes, movers ---
  async function status() {
    try {
      const [summary, nodeList, progress] = await Promise.all([
        ctx.api.admin('GET', '/admin/summary'), ctx.api.admin('GET', '/admin/nodes'), ctx.api.admin('GET', '/admin/rebalances'),
      ]);
      if (!alive) return;
      // a section is rebuilt only when its data changed, so a button is not replaced under a click
      if (changed('health', summary)) drawHealth(summary);
      const list = nodeList.nodes || [];
      if (changed('nodes', list.map((n) => ({ ...n, lastHeartbeat: null })))) drawNodes(list);
      updateHeartbeats(list);
      if (changed('movers', progress)) drawMovers(progress);
    } catch (e) {
      if (!alive) return;
      if (e.name === 'SessionExpired' || e.name === 'NoSigningKey') ctx.fail(e);
      else replace(health, h('div.error-box', { role: 'alert' }, 'The admin API did not answer: ' + errorText(e)));
    }
  }

  function drawHealth(s) {
    const states = Object.entries(s.nodes || {}).map(([k, v]) => `${v} ${k}`).join(', ') || 'none';
    replace(health,
      h('div.health-line', badge(s.health, 'health-status'), h('span.reason', { id: 'health-reason' }, s.reason || '')),
      h('div.stats',
        stat('Protection', `${s.protection} (${s.protectionPolicy})`),
        stat('Nodes', states, 'node-states'),
        stat('Writable nodes', count(s.writableNodes)),
        stat('Repairs pending', count(s.repairsPending), 'repairs-pending'),
        stat('Buckets', count(s.buckets)),
        stat('Objects', count(s.objects), 'total-objects'),
        stat('Stored', bytes(s.bytes), 'total-bytes'),
        s.version ? stat('Version', s.version) : null));
  }

  async function nodeAction(node, action) {
    const drain = action === 'drain';
    const ok = await confirmDialog({
      title: drain ? 'Drain node' : 'Remove node',
      message: drain
        ? `Drain “${node.id}”? The movers copy every piece on it to other nodes; it stays readable meanwhile and takes no new writes.`
        : `Remove “${node.id}” from the cluster? The server refuses while any chunk still places a piece on it (drain it first).`,
      confirm: drain ? 'Drain' : 'Remove', danger: true,
    });
    if (!ok) return;
    try {
      const n = await ctx.api.admin('POST', `/admin/nodes/${encodeURIComponent(node.id)}/${action}`);
      toast(`${node.id} is now ${n.state}.`, 'ok');
      last.nodes = null;
      status();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  function drawNodes(list) {
    if (!list.length) {
      replace(nodes, h('p.empty', 'No storage nodes.'));
      return;
    }
    const rows = list.map((n) => h('tr', { dataset: { node: n.id, state: n.state } },
      h('td.name', h('div', n.id), h('div.muted.small.hide-narrow', n.address || '')),
      h('td.hide-narrow', n.zone || '—'),
      h('td', badge(n.state)),
      h('td.used', usageBar(n.used, n.capacity), h('div.small', `${bytes(n.used)} / ${n.capacity > 0 ? bytes(n.capacity) : '∞'}`)),
      h('td.num', count(n.pieces)),
      h('td.hide-narrow.heartbeat', { title: n.lastHeartbeat }, ago(n.lastHeartbeat, now())),
      h('td.actions',
        n.state !== 'DRAINING' && n.state !== 'REMOVED'
          ? h('button.link', { type: 'button', class: 'drain', onclick: () => nodeAction(n, 'drain') }, 'Drain') : null,
        n.state !== 'REMOVED'
          ? h('button.link.danger', { type: 'button', class: 'remove', onclick: () => nodeAction(n, 'remove') }, 'Remove') : null)));
    replace(nodes, h('table.grid', { id: 'nodes' },
      h('thead', h('tr', h('th', 'Node'), h('th.hide-narrow', 'Zone'), h('th', 'State'), h('th', 'Used'), h('th.num', 'Pieces'),
        h('th.hide-narrow', 'Last heartbeat'), h('th', ''))),
      h('tbody', rows)));
  }

  function updateHeartbeats(list) {
    for (const n of list) {
      const row = [...nodes.querySelectorAll('tr')].find((tr) => tr.dataset.node === n.id);
      const cell = row && row.querySelector('td.heartbeat');
      if (cell) {
        cell.title = n.lastHeartbeat;
        cell.textContent = ago(n.lastHeartbeat, now());
      }
    }
  }

  let throttleForm = null;
  function drawMovers(p) {
    const perMover = Object.entries(p.movers || {}).map(([name, c]) => h('tr', { dataset: { mover: name } },
      h('td', name, c.state ? [' ', badge(c.state)] : null, c.reason ? h('div.small', c.reason) : null),
      h('td.num', count(c.chunksToMove)), h('td.num', bytes(c.bytesToMove)),
      h('td.num.hide-narrow', count(c.chunksMoved)), h('td.num.hide-narrow', count(c.piecesMoved)), h('td.num', bytes(c.bytesMoved)),
      h('td.num', count(c.errors))));
    const pause = p.paused
      ? h('button.primary', { type: 'button', id: 'movers-resume', onclick: () => setPaused(false) }, 'Resume')
      : h('button.secondary', { type: 'button', id: 'movers-pause', onclick: () => setPaused(true) }, 'Pause');
    if (!throttleForm) throttleForm = throttleControls(p.throttle || {});
    replace(movers,
      h('div.health-line', badge(p.state, 'movers-state'), p.paused ? h('span.badge.state-paused', 'paused') : null,
        p.reason ? h('span.reason', { id: 'movers-reason' }, p.reason) : null, h('span.spacer'), pause),
      h('div.stats',
        stat('Chunks to move', count(p.chunksToMove), 'movers-chunks-left'),
        stat('Bytes to move', bytes(p.bytesToMove), 'movers-bytes-left'),
        stat('Chunks moved', count(p.chunksMoved), 'movers-chunks-moved'),
        stat('Bytes moved', bytes(p.bytesMoved), 'movers-bytes-moved'),
        stat('Rate', rate(p.bytesPerSecond), 'movers-rate'),
        stat('ETA', p.etaSeconds > 0 ? duration(p.etaSeconds) : '—', 'movers-eta'),
        stat('Errors', count(p.errors), 'movers-errors')),
      p.lastError ? h('p.form-error', 'Last error: ', p.lastError) : null,
      h('div.table-wrap.inner', h('table.grid.small', { id: 'mover-table' },
        h('thead', h('tr', h('th', 'Mover'), h('th.num', 'Chunks left'), h('th.num', 'Bytes left'), h('th.num.hide-narrow', 'Chunks moved'),
          h('th.num.hide-narrow', 'Pieces moved'), h('th.num', 'Bytes moved'), h('th.num', 'Errors'))),
        h('tbody', perMover))),
      p.scrub ? h('p.muted.small', { id: 'scrub' }, `Scrub: ${count(p.scrub.piecesChecked)} pieces checked, `
        + `${count(p.scrub.corruptFound)} corrupt, ${count(p.scrub.missingFound)} missing; last pass `
        + (p.scrub.lastPassFinished ? ago(p.scrub.lastPassFinished, now()) : 'not finished yet')) : null,
      throttleForm);
  }

  function throttleControls(t) {
    const mib = h('input', { type: 'number', min: 1, step: 1, id: 'throttle-bytes', value: Math.round((t.bytesPerSecond || 0) / 1048576), 'aria-label': 'MiB per second' });
    const moves = h('input', { type: 'number', min: 1, max: 1000, step: 1, id: 'throttle-moves', value: t.movesPerNode || 1, 'aria-label': 'Moves per node' });
    const form = h('form.inline-form.throttle', { id: 'throttle' },
      h('span', 'Throttle'), mib, h('span', 'MiB/s and'), moves, h('span', 'moves per node'),
      h('button.secondary', { type: 'submit', id: 'throttle-apply' }, 'Apply'));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        const r = await ctx.api.admin('PUT', '/admin/rebalances/throttle',
          { bytesPerSecond: Number(mib.value) * 1048576, movesPerNode: Number(moves.value) });
        toast(`Throttle: ${rate(r.bytesPerSecond)}, ${r.movesPerNode} moves per node.`, 'ok');
      } catch (e) {
        toast(errorText(e), 'error');
      }
    });
    return form;
  }

  async function setPaused(pause) {
    try {
      await ctx.api.admin('POST', pause ? '/admin/rebalances/pause' : '/admin/rebalances/resume');
      status();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  // --- storage by bucket ---
  async function bucketUsage() {
    try {
      const u = await ctx.api.admin('GET', '/admin/buckets');
      if (!alive) return;
      const list = u.buckets || [];
      const max = Math.max(1, ...list.map((b) => b.bytes));
      replace(usage, list.length ? h('table.grid', { id: 'bucket-usage' },
        h('thead', h('tr', h('th', 'Bucket'), h('th.num', 'Objects'), h('th.num', 'Size'), h('th.hide-narrow', ''))),
        h('tbody', list.map((b) => h('tr', { dataset: { bucket: b.bucket } },
          h('td.name', h('a', { href: ctx.links.folder(b.bucket, '') }, b.bucket)),
          h('td.num', count(b.objects)), h('td.num', bytes(b.bytes)),
          h('td.hide-narrow.used', usageBar(b.bytes, max, false))))))
        : h('p.empty', 'No buckets.'));
    } catch (e) {
      if (alive) replace(usage, h('p.form-error', errorText(e)));
    }
  }

  // --- charts ---
  let previous = null;
  async function activity() {
    try {
      const resp = await fetch('/metrics', { cache: 'no-store', credentials: 'omit' });
      const snap = metrics.snapshot(await resp.text(), performance.now());
      if (previous && alive) {
        const r = metrics.rates(previous, snap);
        charts.requests.push([r.requests, r.serverErrors]);
        charts.errors.push([r.errors]);
        charts.latency.push([r.p50, r.p99]);
        charts.throughput.push([r.bytesIn, r.bytesOut]);
      }
      previous = snap;
    } catch (e) {
      // a missed scrape leaves a gap; the next one fills in
    }
  }

  every(STATUS_EVERY_MS, status);
  every(USAGE_EVERY_MS, bucketUsage);
  every(METRICS_EVERY_MS, activity);
  const resize = () => Object.values(charts).forEach((c) => c.draw());
  window.addEventListener('resize', resize);
  return () => {
    alive = false;
    timers.forEach(clearInterval);
    window.removeEventListener('resize', resize);
  };
}
