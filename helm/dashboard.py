#!/usr/bin/env python3
"""Generates helm/cairn/dashboards/cairn.json, the Grafana dashboard of Cairn.

Run `python3 helm/dashboard.py` after changing it. Each row is a row() call followed by panel()
calls (8 high, widths summing to 24 per line) and endrow(); to add a row, add a block before
"JVM". Every expr must return data in tools' PrometheusDashboardIT, so use only metrics the code
exports, and series that exist from the start.

Many deployments can share one Prometheus: every series is picked with s() (or m()), which adds
the `cluster` and `instance` template variables as matchers, so one cluster (or one process) is
shown at a time and nothing is summed across deployments. `cluster` is the label a multi-cluster
Prometheus puts on its targets (external or relabelled); where there is none, "All" still matches.
PrometheusDashboardIT checks that every metric in every expr carries both matchers.
"""
import json
import os
RI = "$__rate_interval"
SEL = 'cluster=~"$cluster", instance=~"$instance"'


def s(metric, extra=""):
    """`metric` limited to the selected cluster and instances (and `extra` matchers)."""
    return metric + "{" + SEL + (", " + extra if extra else "") + "}"


def m(metric, extra=""):
    """A per-second rate of the counter `metric` over Grafana's rate interval."""
    return f"rate({s(metric, extra)}[{RI}])"


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
def panel(title, targets, unit="short", kind="timeseries", w=8, h=8, desc="", mappings=None, instant=False):
    """A panel of `targets` [(expr, legend)], placed right of the previous one."""
    global x, y
    if x + w > 24:
        x = 0
        y += h
    defaults = {"unit": unit}
    if mappings:
        defaults["mappings"] = mappings
    p = {"type": kind, "id": nid(), "title": title, "description": desc, "datasource": DS,
         "gridPos": {"h": h, "w": w, "x": x, "y": y},
         "fieldConfig": {"defaults": defaults, "overrides": []},
         "options": {},
         "targets": [{"refId": chr(65 + i), "datasource": DS, "expr": e, "legendFormat": l}
                     for i, (e, l) in enumerate(targets)]}
    if instant:
        for t in p["targets"]:
            t["instant"] = True
            t["format"] = "table"
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
panel("Request rate by operation", [(f"sum by (operation) ({m('cairn_s3_requests_seconds_count')})", "{{operation}}")], "reqps")
panel("Request rate by status class", [(f"sum by (status) ({m('cairn_s3_requests_seconds_count')})", "{{status}}")], "reqps")
panel("Errors by S3 error code", [(f"sum by (code) ({m('cairn_s3_errors_total')})", "{{code}}")], "reqps")
endrow()
q = lambda metric, p: (f"histogram_quantile({p}, sum by (le) ({m(metric + '_bucket')}))", f"p{int(float(p)*100)}")
panel("Latency, total (p50 / p90 / p99)", [q("cairn_s3_requests_seconds", p) for p in ("0.5", "0.9", "0.99")], "s")
panel("Latency, time to first byte (p50 / p90 / p99)", [q("cairn_s3_request_first_byte_seconds", p) for p in ("0.5", "0.9", "0.99")], "s")
panel("Throughput", [(f"sum({m('cairn_s3_bytes_received_bytes_total')})", "in (request bodies)"),
                     (f"sum({m('cairn_s3_bytes_sent_bytes_total')})", "out (response bodies)")], "Bps")
endrow()
row("Stored data")
panel("Stored bytes", [(f"sum({s('cairn_stored_bytes')})", "bytes")], "bytes", "stat", w=4)
panel("Objects", [(f"sum({s('cairn_objects')})", "objects")], "short", "stat", w=4)
panel("Buckets", [(f"sum({s('cairn_buckets')})", "buckets")], "short", "stat", w=4)
panel("Top buckets by bytes", [(f"topk(10, {s('cairn_bucket_bytes')})", "{{bucket}}")], "bytes", "bargauge", w=6,
      desc="The largest buckets (--metrics-max-buckets are reported by name, the rest as _other)")
panel("Top buckets by objects", [(f"topk(10, {s('cairn_bucket_objects')})", "{{bucket}}")], "short", "bargauge", w=6)
endrow()
row("Capacity and nodes")
NODE = 'node!=""'  # the server's per-node series (chunkstores export theirs without a node label)
HEAP = 'area="heap"'
CAP = s("cairn_node_capacity_bytes", NODE)
panel("Capacity", [(f"sum({CAP}) * (min({CAP}) > bool 0)", "capacity")], "bytes", "stat", w=4,
      desc="What the nodes offer together; unlimited when any node reports no capacity (--capacity unset)",
      mappings=[{"type": "value", "options": {"0": {"text": "unlimited", "index": 0}}}])
panel("Capacity used vs total", [(f"sum({s('cairn_node_used_bytes', NODE)})", "used"),
                                 (f"sum({CAP}) and on() (min({CAP}) > 0)", "capacity")], "bytes", w=10,
      desc="As the server's cluster map last heard from each node; no capacity line while a node is unlimited")
panel("Used bytes per node", [(f"{s('cairn_node_used_bytes', NODE)}", "{{node}}")], "bytes", w=10)
endrow()
panel("Node states", [(f"sum by (state) ({s('cairn_nodes')})", "{{state}}")], "short", "bargauge")
panel("Pieces per node", [(f"{s('cairn_node_pieces', NODE)}", "{{node}}")], "short")
panel("Piece failures and reconstructions", [(f"sum by (reason) ({m('cairn_piece_failures_total')})", "failed: {{reason}}"),
                                             (f"sum({m('cairn_chunk_reconstructions_total')})", "reconstructed chunks"),
                                             (f"sum by (instance) ({m('cairn_node_checksum_failures_total')})", "checksum failures {{instance}}")], "ops")
endrow()
panel("Chunkstore piece I/O", [(f"sum by (instance) ({m('cairn_node_written_bytes_total')})", "written {{instance}}"),
                               (f"sum by (instance) ({m('cairn_node_read_bytes_total')})", "read {{instance}}")], "Bps",
      desc="Piece bytes stored and served, from each chunkstore's own /metrics")
panel("Chunkstore piece operations", [(f"sum by (instance) ({m('cairn_node_piece_writes_total')})", "writes {{instance}}"),
                                      (f"sum by (instance) ({m('cairn_node_piece_reads_total')})", "reads {{instance}}")], "ops")
panel("Chunkstore request latency (mean)", [(f"sum by (instance, op) ({m('cairn_node_requests_seconds_sum')}) / sum by (instance, op) ({m('cairn_node_requests_seconds_count')})", "{{instance}} {{op}}")], "s")
endrow()
panel("Scrape targets up", [(f"sum by (job) ({s('up')})", "{{job}}")], "short")
panel("State of each node", [(f"max by (node, state) ({s('cairn_node_state')}) > 0", "{{node}}: {{state}}")], "short", "table", w=8,
      desc="The cluster map's state of every storage node (up, suspect, down, draining)")
panel("Server build", [(f"max by (cluster, instance, version, revision, java) ({s('cairn_build_info')})", "{{instance}} {{version}}")],
      "short", "table", w=8, instant=True, desc="Which Cairn version (and git commit) each server runs")
endrow()
row("Data movement (repair, rebalance, drain, scrub)")
panel("Bytes left to move", [(f"sum by (mover) ({s('cairn_mover_pending_bytes')})", "{{mover}}")], "bytes",
      desc="What each mover still has to write in its current pass; repair comes first")
panel("Chunks left to move", [(f"sum by (mover) ({s('cairn_mover_pending_chunks')})", "{{mover}}")], "short")
panel("Move rate", [(f"sum by (mover) ({m('cairn_mover_moved_bytes_total')})", "{{mover}}")], "Bps",
      desc="Bytes copied or rebuilt and committed; capped by the mover byte throttle")
endrow()
panel("Pieces moved", [(f"sum by (mover) ({m('cairn_mover_moved_pieces_total')})", "{{mover}}")], "ops")
panel("Mover errors", [(f"sum by (mover) ({m('cairn_mover_errors_total')})", "{{mover}}")], "ops")
panel("Scrub results", [(f"sum by (result) ({m('cairn_scrub_pieces_total')})", "{{result}}")], "ops",
      desc="Pieces re-read and verified by the scrubber; corrupt and missing pieces go to repair")
endrow()
row("Metadata (RocksDB)")
panel("Live data and SST files", [(f"sum by (cf) ({s('cairn_rocksdb_live_data_bytes')})", "live {{cf}}"),
                                  (f"sum({s('cairn_rocksdb_sst_files_size_bytes')})", "SST files (all)")], "bytes")
panel("Memtables", [(f"sum by (cf) ({s('cairn_rocksdb_memtables_size_bytes')})", "{{cf}}")], "bytes")
panel("Compaction", [(f"sum({s('cairn_rocksdb_pending_compaction_bytes')})", "pending compaction bytes")], "bytes")
endrow()
panel("Running compactions and flushes", [(f"sum({s('cairn_rocksdb_running_compactions')})", "compactions"),
                                          (f"sum({s('cairn_rocksdb_running_flushes')})", "flushes")], "short")
panel("Estimated keys", [(f"sum by (cf) ({s('cairn_rocksdb_estimated_keys')})", "{{cf}}")], "short")
endrow()
row("Replicated metadata (Raft)")
# Only servers started with --metadata-peers export these; a single server has no Raft group, so
# the row is empty for it (PrometheusDashboardIT checks both).
RAFT_NOTE = "Servers with --metadata-peers only. "
panel("Commit latency (mean)", [(f"sum by (instance) ({m('cairn_metadata_commit_seconds_total')}) / sum by (instance) ({m('cairn_metadata_commit_entries_total')})", "{{instance}}")], "s",
      desc=RAFT_NOTE + "From a gateway sending a log entry to the leader's applied reply, averaged over the entries each gateway committed")
panel("Commits", [(f"sum by (instance) ({m('cairn_metadata_commit_entries_total')})", "entries {{instance}}"),
                  (f"sum by (instance) ({m('cairn_metadata_commit_commands_total')})", "commands {{instance}}")], "ops",
      desc=RAFT_NOTE + "Log entries and metadata commands each gateway committed per second")
panel("Commands per log entry", [(f"sum({m('cairn_metadata_commit_commands_total')}) / sum({m('cairn_metadata_commit_entries_total')})", "commands per entry")], "short",
      desc=RAFT_NOTE + "How many concurrent commands share one Raft round trip and log fsync (group commit)")
endrow()
panel("Leader", [(f"max by (instance) ({s('cairn_metadata_leader')})", "{{instance}}")], "short",
      desc=RAFT_NOTE + "1 on the server that leads the metadata group (it runs the movers, scrub and garbage collection)")
panel("Leader changes", [(f"sum by (instance) (increase({s('cairn_metadata_leader_changes_total')}[{RI}]))", "{{instance}}")], "short",
      desc=RAFT_NOTE + "Leader changes each server saw: elections after a leader failed, transfers, membership changes")
panel("Term", [(f"max({s('cairn_metadata_term')})", "term")], "short", "stat", w=8,
      desc=RAFT_NOTE + "The Raft term: it grows with every election")
endrow()
APPLIED = s('cairn_metadata_applied_index')
panel("Applied index per peer", [(APPLIED, "{{instance}}")], "short",
      desc=RAFT_NOTE + "The last log entry each replica applied to its RocksDB")
panel("Apply lag per peer", [(f"scalar(max({APPLIED})) - {APPLIED}", "{{instance}}")], "short",
      desc=RAFT_NOTE + "Entries each replica is behind the most advanced one (a peer catching up, or cut off)")
panel("Raft log on disk", [(f"{s('cairn_metadata_log_bytes')}", "log {{instance}}")], "bytes",
      desc=RAFT_NOTE + "Raft log segments on each server's disk; purged behind each snapshot")
endrow()
panel("Snapshot age", [(f"{s('cairn_metadata_snapshot_age_seconds')}", "{{instance}}")], "s",
      desc=RAFT_NOTE + "Time since each server's newest metadata snapshot (-1: none yet, the log holds everything)")
endrow()
row("JVM")
panel("Heap used", [(f"sum by (instance) ({s('jvm_memory_used_bytes', HEAP)})", "{{instance}}")], "bytes")
panel("GC pause time", [(f"sum by (instance) ({m('jvm_gc_pause_seconds_sum')})", "{{instance}}")], "s")
panel("Process CPU", [(s("process_cpu_usage"), "{{instance}}")], "percentunit")
endrow()

# The Cairn series every server and chunkstore exports: the instance variable lists their targets.
CAIRN_SERIES = '{__name__=~"cairn_build_info|cairn_node_requests_seconds_count", cluster=~"$cluster"}'
dash = {
  "__inputs": [],
  "title": "Cairn",
  "uid": "cairn-overview",
  "description": "Cairn S3 gateway and chunkstores: requests, errors, latency, throughput, stored data, capacity, nodes, "
                 "data movement, RocksDB, replicated metadata, JVM; one cluster (and instance) at a time",
  "tags": ["cairn", "s3", "storage"],
  "timezone": "browser",
  "editable": True,
  "schemaVersion": 39,
  "version": 2,
  "refresh": "30s",
  "time": {"from": "now-1h", "to": "now"},
  "templating": {"list": [
      {"name": "datasource", "label": "Prometheus", "type": "datasource",
       "query": "prometheus", "current": {}, "hide": 0, "refresh": 1},
      # "All" is any cluster, including series without a cluster label (a single-cluster Prometheus).
      {"name": "cluster", "label": "Cluster", "type": "query", "datasource": DS,
       "definition": "label_values(cairn_build_info, cluster)",
       "query": {"query": "label_values(cairn_build_info, cluster)", "refId": "cluster"},
       "includeAll": True, "allValue": ".*", "multi": False, "refresh": 2, "sort": 1, "hide": 0,
       "current": {"selected": True, "text": "All", "value": "$__all"}},
      # "All" is every Cairn target of the chosen cluster (no allValue: Grafana joins the values).
      {"name": "instance", "label": "Instance", "type": "query", "datasource": DS,
       "definition": f"label_values({CAIRN_SERIES}, instance)",
       "query": {"query": f"label_values({CAIRN_SERIES}, instance)", "refId": "instance"},
       "includeAll": True, "multi": True, "refresh": 2, "sort": 1, "hide": 0,
       "current": {"selected": True, "text": ["All"], "value": ["$__all"]}},
  ]},
  "annotations": {"list": []},
  "panels": panels,
}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cairn", "dashboards", "cairn.json")
with open(out, "w") as f:
    json.dump(dash, f, indent=2)
    f.write("\n")
