// The server's own metrics (GET /metrics, Prometheus text) turned into the dashboard's rates:
// requests, errors, latency quantiles (from the request-time histogram) and throughput.

/** Parses the Prometheus text format: [{name, labels, value}]. */
export function parse(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line || line[0] === '#') continue;
    let i = 0;
    while (i < line.length && line[i] !== '{' && line[i] !== ' ') i++;
    const name = line.slice(0, i);
    const labels = {};
    if (line[i] === '{') {
      i++;
      while (i < line.length && line[i] !== '}') {
        const eq = line.indexOf('=', i);
        const label = line.slice(i, eq).trim();
        let j = eq + 2; // past ="
        let value = '';
        while (j < line.length && line[j] !== '"') {
          if (line[j] === '\\' && j + 1 < line.length) {
            j++;
            value += line[j] === 'n' ? '\n' : line[j];
          } else {
            value += line[j];
          }
          j++;
        }
        labels[label] = value;
        i = j + 1;
        if (line[i] === ',') i++;
      }
      i++;
    }
    const value = Number(line.slice(i).trim().split(/\s+/)[0]);
    out.push({ name, labels, value });
  }
  return out;
}

function total(samples, name, filter = () => true) {
  let s = 0;
  for (const x of samples) {
    if (x.name === name && filter(x.labels) && Number.isFinite(x.value)) s += x.value;
  }
  return s;
}

/** The counters the charts need, at time t (ms). */
export function snapshot(text, t) {
  const samples = parse(text);
  const buckets = new Map();
  for (const x of samples) {
    if (x.name === 'cairn_s3_requests_seconds_bucket') {
      const le = x.labels.le === '+Inf' ? Infinity : Number(x.labels.le);
      buckets.set(le, (buckets.get(le) || 0) + x.value);
    }
  }
  return {
    t,
    requests: total(samples, 'cairn_s3_requests_seconds_count'),
    errors: total(samples, 'cairn_s3_errors_total'),
    serverErrors: total(samples, 'cairn_s3_requests_seconds_count', (l) => l.status === '5xx'),
    bytesIn: total(samples, 'cairn_s3_bytes_received_bytes_total'),
    bytesOut: total(samples, 'cairn_s3_bytes_sent_bytes_total'),
    buckets,
  };
}

/** The q-quantile (seconds) of the requests between two snapshots, or null when there were none. */
export function quantile(prev, cur, q) {
  const les = [...cur.buckets.keys()].sort((a, b) => a - b);
  const delta = les.map((le) => Math.max(0, cur.buckets.get(le) - (prev.buckets.get(le) || 0)));
  const count = delta.length ? delta[delta.length - 1] : 0;
  if (count <= 0) return null;
  const target = q * count;
  for (let i = 0; i < les.length; i++) {
    if (delta[i] >= target) {
      const lower = i === 0 ? 0 : les[i - 1];
      const below = i === 0 ? 0 : delta[i - 1];
      if (!Number.isFinite(les[i])) return lower;
      const inBucket = delta[i] - below;
      return inBucket > 0 ? lower + ((les[i] - lower) * (target - below)) / inBucket : les[i];
    }
  }
  return les.length > 1 ? les[les.length - 2] : null;
}

/** Per-second rates and latency between two snapshots. */
export function rates(prev, cur) {
  const dt = (cur.t - prev.t) / 1000;
  const per = (f) => (dt > 0 ? Math.max(0, (cur[f] - prev[f]) / dt) : 0);
  return {
    requests: per('requests'),
    errors: per('errors'),
    serverErrors: per('serverErrors'),
    bytesIn: per('bytesIn'),
    bytesOut: per('bytesOut'),
    p50: quantile(prev, cur, 0.5),
    p99: quantile(prev, cur, 0.99),
  };
}
