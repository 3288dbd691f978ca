#!/usr/bin/env python3
"""Generates helm/cairn/dashboards/cairn.json, the Grafana dashboard of Cairn.

Run `python3 helm/dashboard.py` after changing it. Each row is a row() call followed by panel()
calls (8 high, widths summing to 24 per line) and endrow(); to add a row, add a block before
"JVM". Every expr must return data in tools' PrometheusDashboardIT, so use only
metrics the code exports, and series that exist from the start.
"""
import json
import os
RI = "$__rate_interval"
panels = []
y = 0
pid = [0]
def nid():
    pid[0] += 1
    return pid[0]
DS = {"type": "prometheus", "uid": "${datasource}"}
def row(title):
    global y
    panels.append({"type": "row", "id": nid(), "title": title, "collapsed": False,
                   "gridPos": {"h": 1, "w": 24, "x": 0, "y": y}, "panels": []})
    y += 1
x = 0
def panel(title, targets, unit="short", kind="timeseries", w=8, h=8, desc=""):
    """A panel of `targets` [(expr, legend)], placed right of the previous one."""
    global x, y
    if x + w > 24:
        x = 0
        y += h
    p = {"type": kind, "id": nid(), "title": title, "description": desc, "datasource": DS,
         "gridPos": {"h": h, "w": w, "x": x, "y": y},
         "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
         "options": {},
         "targets": [{"refId": chr(65 + i), "datasource": DS, "expr": e, "legendFormat": l}
                     for i, (e, l) in enumerate(targets)]}
    if kind == "timeseries":
        p["options"] = {"legend": {"displayMode": "list", "placement": "bottom"}, "tooltip": {"mode": "multi"}}
    panels.append(p)
    x += w
def endrow(h=8):
    """Ends a line of panels `h` high."""
    global x, y
    x = 0
    y += h

row("S3 requests")
panel("Request rate by operation", [(f"sum by (operation) (rate(cairn_s3_requests_seconds_count[{RI}]))", "{{operation}}")], "reqps")
panel("Request rate by status class", [(f"sum by (status) (rate(cairn_s3_requests_seconds_count[{RI}]))", "{{status}}")], "reqps")
panel("Errors by S3 error code", [(f"sum by (code) (rate(cairn_s3_errors_total[{RI}]))", "{{code}}")], "reqps")
endrow()
q = lambda m, p: (f"histogram_quantile({p}, sum by (le) (rate({m}_bucket[{RI}])))", f"p{int(float(p)*100)}")
panel("Latency, total (p50 / p90 / p99)", [q("cairn_s3_requests_seconds", p) for p in ("0.5", "0.9", "0.99")], "s")
panel("Latency, time to first byte (p50 / p90 / p99)", [q("cairn_s3_request_first_byte_seconds", p) for p in ("0.5", "0.9", "0.99")], "s")
panel("Throughput", [(f"sum(rate(cairn_s3_bytes_received_bytes_total[{RI}]))", "in (request bodies)"),
                     (f"sum(rate(cairn_s3_bytes_sent_bytes_total[{RI}]))", "out (response bodies)")], "Bps")
endrow()
row("Stored data")
panel("Stored bytes", [("sum(cairn_stored_bytes)", "bytes")], "bytes", "stat", w=4)
panel("Objects", [("sum(cairn_objects)", "objects")], "short", "stat", w=4)
panel("Buckets", [("sum(cairn_buckets)", "buckets")], "short", "stat", w=4)
panel("Top buckets by bytes", [("topk(10, cairn_bucket_bytes)", "{{bucket}}")], "bytes", "bargauge", w=6,
      desc="The largest buckets (--metrics-max-buckets are reported by name, the rest as _other)")
panel("Top buckets by objects", [("topk(10, cairn_bucket_objects)", "{{bucket}}")], "short", "bargauge", w=6)
endrow()
row("Capacity and nodes")
panel("Capacity used vs total", [('sum(cairn_node_used_bytes{node!=""})', "used"),
                                 ('sum(cairn_node_capacity_bytes{node!=""})', "capacity (0 = unlimited)")], "bytes",
      desc="As the server's cluster map last heard from each node")
panel("Used bytes per node", [('cairn_node_used_bytes{node!=""}', "{{node}}")], "bytes")
panel("Node states", [("sum by (state) (cairn_nodes)", "{{state}}")], "short", "bargauge")
endrow()
panel("Pieces per node", [('cairn_node_pieces{node!=""}', "{{node}}")], "short")
panel("Piece failures and reconstructions", [(f"sum by (reason) (rate(cairn_piece_failures_total[{RI}]))", "failed: {{reason}}"),
                                             (f"sum(rate(cairn_chunk_reconstructions_total[{RI}]))", "reconstructed chunks"),
                                             (f"sum by (instance) (rate(cairn_node_checksum_failures_total[{RI}]))", "checksum failures {{instance}}")], "ops")
panel("Chunkstore piece I/O", [(f"sum by (instance) (rate(cairn_node_written_bytes_total[{RI}]))", "written {{instance}}"),
                               (f"sum by (instance) (rate(cairn_node_read_bytes_total[{RI}]))", "read {{instance}}")], "Bps",
      desc="Piece bytes stored and served, from each chunkstore's own /metrics")
endrow()
panel("Chunkstore piece operations", [(f"sum by (instance) (rate(cairn_node_piece_writes_total[{RI}]))", "writes {{instance}}"),
                                      (f"sum by (instance) (rate(cairn_node_piece_reads_total[{RI}]))", "reads {{instance}}")], "ops")
panel("Chunkstore request latency (mean)", [(f"sum by (instance, op) (rate(cairn_node_requests_seconds_sum[{RI}])) / sum by (instance, op) (rate(cairn_node_requests_seconds_count[{RI}]))", "{{instance}} {{op}}")], "s")
panel("Scrape targets up", [("sum by (job) (up)", "{{job}}")], "short")
endrow()
panel("State of each node", [("max by (node, state) (cairn_node_state) > 0", "{{node}}: {{state}}")], "short", "table", w=24, h=6,
      desc="The cluster map's state of every storage node (up, suspect, down, draining)")
endrow(6)
row("Data movement (repair, rebalance, drain, scrub)")
panel("Bytes left to move", [("sum by (mover) (cairn_mover_pending_bytes)", "{{mover}}")], "bytes",
      desc="What each mover still has to write in its current pass; repair comes first")
panel("Chunks left to move", [("sum by (mover) (cairn_mover_pending_chunks)", "{{mover}}")], "short")
panel("Move rate", [(f"sum by (mover) (rate(cairn_mover_moved_bytes_total[{RI}]))", "{{mover}}")], "Bps",
      desc="Bytes copied or rebuilt and committed; capped by the mover byte throttle")
endrow()
panel("Pieces moved", [(f"sum by (mover) (rate(cairn_mover_moved_pieces_total[{RI}]))", "{{mover}}")], "ops")
panel("Mover errors", [(f"sum by (mover) (rate(cairn_mover_errors_total[{RI}]))", "{{mover}}")], "ops")
panel("Scrub results", [(f"sum by (result) (rate(cairn_scrub_pieces_total[{RI}]))", "{{result}}")], "ops",
      desc="Pieces re-read and verified by the scrubber; corrupt and missing pieces go to repair")
endrow()
row("Metadata (RocksDB)")
panel("Live data and SST files", [("sum by (cf) (cairn_rocksdb_live_data_bytes)", "live {{cf}}"),
                                  ("sum(cairn_rocksdb_sst_files_size_bytes)", "SST files (all)")], "bytes")
panel("Memtables", [("sum by (cf) (cairn_rocksdb_memtables_size_bytes)", "{{cf}}")], "bytes")
panel("Compaction", [("sum(cairn_rocksdb_pending_compaction_bytes)", "pending compaction bytes")], "bytes")
endrow()
panel("Running compactions and flushes", [("sum(cairn_rocksdb_running_compactions)", "compactions"),
                                          ("sum(cairn_rocksdb_running_flushes)", "flushes")], "short")
panel("Estimated keys", [("sum by (cf) (cairn_rocksdb_estimated_keys)", "{{cf}}")], "short")
endrow()
row("JVM")
panel("Heap used", [('sum by (instance) (jvm_memory_used_bytes{area="heap"})', "{{instance}}")], "bytes")
panel("GC pause time", [(f"sum by (instance) (rate(jvm_gc_pause_seconds_sum[{RI}]))", "{{instance}}")], "s")
panel("Process CPU", [("process_cpu_usage", "{{instance}}")], "percentunit")
endrow()

dash = {
  "__inputs": [],
  "title": "Cairn",
  "uid": "cairn-overview",
  "description": "Cairn S3 gateway and chunkstores: requests, errors, latency, throughput, stored data, capacity, nodes, RocksDB, JVM",
  "tags": ["cairn", "s3", "storage"],
  "timezone": "browser",
  "editable": True,
  "schemaVersion": 39,
  "version": 1,
  "refresh": "30s",
  "time": {"from": "now-1h", "to": "now"},
  "templating": {"list": [{"name": "datasource", "label": "Prometheus", "type": "datasource",
                           "query": "prometheus", "current": {}, "hide": 0, "refresh": 1}]},
  "annotations": {"list": []},
  "panels": panels,
}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cairn", "dashboards", "cairn.json")
with open(out, "w") as f:
    json.dump(dash, f, indent=2)
    f.write("\n")
