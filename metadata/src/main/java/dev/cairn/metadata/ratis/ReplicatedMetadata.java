package dev.cairn.metadata.ratis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cairn.metadata.MetaCommand;
import dev.cairn.metadata.MetadataException;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.RocksMetadataStore;

/**
 * Metadata replicated over Apache Ratis: this server's peer of the metadata Raft group (its
 * RocksDB replica, Raft log and snapshots under the data directory) and the client that commits
 * to the group and asks it for read barriers. {@link #store()} is the {@link MetadataStore} the
 * rest of the server uses, exactly as it uses the single-server one.
 *
 * <p>Design note. Every server is a gateway: commits from any of them reach the leader through
 * the Ratis client; reads are served from the local replica after a read barrier. Work that must
 * happen once per cluster (movers, scrub, garbage collection, marking nodes DOWN) asks
 * {@link #isLeader()} each round, so it stops on a deposed leader and starts on the new one from
 * the replicated state (no process-local progress is needed to resume).
 */
public final class ReplicatedMetadata implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedMetadata.class);
    /** One fixed group: all servers of a cluster form it. */
    static final RaftGroupId GROUP_ID = RaftGroupId.valueOf(
            UUID.nameUUIDFromBytes("cairn-metadata".getBytes(StandardCharsets.UTF_8)));
    private static final long READ_TIMEOUT_MILLIS = 15_000;

    /**
     * What a replicated store needs: the peers, this server's id, where to keep its state, tuning,
     * and whether this server joins a running group ({@code join}: its peer waits to be added with
     * {@link #addPeer} instead of forming a group with {@code peers}).
     */
    public record Settings(MetadataPeers peers, String selfId, Path dataDir, Clock clock, Duration gcGrace,
                           long reserveBytes, long snapshotEvery, long segmentBytes, boolean join) {
        public Settings {
            peers.self(selfId);
        }

        /** Raft log segments of 8 MiB: the log is purged a whole segment at a time. */
        public static final long DEFAULT_SEGMENT_BYTES = 8L << 20;

        public static Settings of(MetadataPeers peers, String selfId, Path dataDir, Clock clock, Duration gcGrace,
                                  long reserveBytes) {
            return new Settings(peers, selfId, dataDir, clock, gcGrace, reserveBytes, 10_000, DEFAULT_SEGMENT_BYTES,
                    false);
        }

        public Settings withSnapshotEvery(long entries, long segmentBytes) {
            return new Settings(peers, selfId, dataDir, clock, gcGrace, reserveBytes, entries, segmentBytes, join);
        }

        /** Joins a running group rather than forming one (see {@link Settings}). */
        public Settings joining(boolean joining) {
            return new Settings(peers, selfId, dataDir, clock, gcGrace, reserveBytes, snapshotEvery, segmentBytes,
                    joining);
        }
    }

    /**
     * One peer: its role ({@code leader}, {@code follower}, {@code joining} - being caught up, not yet
     * voting - or {@code leaving}), the commit index it last reported, how many entries it is behind
     * the leader's log, how long ago the leader last heard from it (-1: unknown here), and whether it
     * is caught up (a voting member, at most {@value MetadataMembership#CAUGHT_UP_ENTRIES} entries
     * behind, answering the leader).
     */
    public record PeerStatus(String id, String address, String role, long commitIndex, long lag,
                             long lastContactMillis, boolean caughtUp) {
        public boolean leader() {
            return "leader".equals(role);
        }
    }

    /**
     * The group as this server sees it: its own positions, whether it is a member (a joining server
     * is not until it is added), and the peers (as the leader sees them when it was asked).
     */
    public record Status(String self, String leader, String role, boolean member, long term, long lastIndex,
                         long commitIndex, long appliedIndex, long snapshotIndex, long snapshotAgeMillis,
                         long logStartIndex, long logBytes, long leaderChanges, List<PeerStatus> peers) {
    }

    private final Settings settings;
    private final RaftPeerId selfId;
    private final RaftGroup group;
    private final ReplicatedStore store;
    private final MetadataMachine machine;
    private final CommitStats stats = new CommitStats();
    private final List<Runnable> leaderListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> installedListeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<List<MetaCommand<?>>>> appliedListeners =
            new CopyOnWriteArrayList<>();
    private final RaftServer server;
    private final RaftClient client;
    /** Read barriers go on their own client, unordered, so they never queue behind writes. */
    private final RaftClient readClient;
    private final RatisCommitter committer;
    private final MetadataMembership membership;
    private final Thread epochOpener;
    private volatile boolean epochOpen;
    private volatile boolean closed;

    private ReplicatedMetadata(Settings settings) throws IOException {
        this.settings = settings;
        this.selfId = RaftPeerId.valueOf(settings.selfId());
        List<RaftPeer> peers = new ArrayList<>();
        for (MetadataPeers.Peer p : settings.peers().peers()) {
            peers.add(RaftPeer.newBuilder().setId(p.id()).setAddress(p.address()).build());
        }
        this.group = RaftGroup.valueOf(GROUP_ID, peers);
        Path metaDir = settings.dataDir().resolve("meta");
        RocksMetadataStore first = RocksMetadataStore.openReplica(metaDir, settings.clock(), settings.gcGrace(),
                settings.reserveBytes());
        ReadBarrier barrier = new ReadBarrier(this::sendBarrier, READ_TIMEOUT_MILLIS);
        this.store = new ReplicatedStore(first, () -> RocksMetadataStore.openReplica(metaDir, settings.clock(),
                settings.gcGrace(), settings.reserveBytes()), barrier);
        this.machine = new MetadataMachine(store, (at, leader) -> leaderChanged(leader),
                commands -> appliedListeners.forEach(l -> l.accept(commands)),
                () -> installedListeners.forEach(Runnable::run));
        RaftServer built = null;
        RaftClient c = null;
        RaftClient rc = null;
        try {
            built = RaftServer.newBuilder()
                    .setServerId(selfId)
                    // a joining server starts with no configuration: it never campaigns, it waits for the
                    // leader to add it (an empty server must not form a group or win an election)
                    .setGroup(settings.join() ? RaftGroup.valueOf(GROUP_ID) : group)
                    .setStateMachine(machine)
                    .setProperties(serverProperties(settings))
                    .setOption(RaftStorage.StartupOption.RECOVER)
                    .build();
            built.start();
            c = RaftClient.newBuilder()
                    .setClientId(ClientId.randomId())
                    .setRaftGroup(group)
                    .setProperties(clientProperties())
                    .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(150,
                            TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                    .build();
            rc = RaftClient.newBuilder()
                    .setClientId(ClientId.randomId())
                    .setRaftGroup(group)
                    .setProperties(clientProperties())
                    .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(50,
                            TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                    .build();
        } catch (IOException | RuntimeException e) {
            closeQuietly(rc);
            closeQuietly(c);
            closeQuietly(built);
            store.close();
            throw e;
        }
        this.server = built;
        this.client = c;
        this.readClient = rc;
        this.committer = new RatisCommitter(this::sendEntry, stats);
        this.membership = new MetadataMembership(built, this::transferLeadership);
        store.useCommitter(committer);
        this.epochOpener = new Thread(this::openEpoch, "cairn-metadata-epoch");
        epochOpener.setDaemon(true);
        epochOpener.start();
        LOG.info("Metadata peer {} started in group {} {} {}", selfId, GROUP_ID,
                settings.join() ? "to join the peers of" : "of",
                settings.peers().peers().stream().map(p -> p.id() + "=" + p.address()).collect(Collectors.joining(",")));
    }

    /** Starts this server's peer; commits wait for a leader, which needs a majority of peers up. */
    public static ReplicatedMetadata start(Settings settings) throws IOException {
        return new ReplicatedMetadata(settings);
    }

    static RaftProperties serverProperties(Settings s) {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(s.dataDir().resolve("raft").toFile()));
        GrpcConfigKeys.Server.setPort(p, s.peers().self(s.selfId()).port());
        // a shared or busy host pauses for hundreds of ms; elections that fire on that flap
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(2000, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, s.snapshotEvery());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(s.segmentBytes()));
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, 1);
        return p;
    }

    private static RaftProperties clientProperties() {
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(5, TimeUnit.SECONDS));
        return p;
    }

    private CompletableFuture<byte[]> sendEntry(byte[] entry) {
        return client.async().send(Message.valueOf(ByteString.copyFrom(entry))).thenApply(ReplicatedMetadata::content);
    }

    private CompletableFuture<?> sendBarrier() {
        return readClient.async().sendReadOnlyUnordered(Message.EMPTY, selfId).thenApply(ReplicatedMetadata::content);
    }

    private static byte[] content(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new CompletionException(reply.getException());
        }
        return reply.getMessage().getContent().toByteArray();
    }

    /** Opens this gateway's writer epoch as soon as the group has a leader (retrying until it does). */
    private void openEpoch() {
        boolean told = false;
        while (!closed) {
            if (!membership.isMember()) {
                if (!told) {
                    LOG.info("Metadata peer {} waits to be added to the group (cairn admin metadata add-peer {}={})",
                            selfId, selfId, settings.peers().self(settings.selfId()).address());
                    told = true;
                }
                if (!sleep(500)) {
                    return;
                }
                continue;
            }
            try {
                long epoch = store.replica().openEpoch(settings.selfId());
                epochOpen = true;
                LOG.info("Metadata peer {} opened writer epoch {}", selfId, epoch);
                return;
            } catch (MetadataException e) {
                LOG.info("Metadata peer {} waits for a leader to open its writer epoch: {}", selfId, e.getMessage());
                if (!sleep(500)) {
                    return;
                }
            }
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException ie) {
            return false;
        }
    }

    private void leaderChanged(RaftPeerId leader) {
        stats.leaderChanged();
        LOG.info("Metadata leader is now {} (seen by {})", leader, selfId);
        leaderListeners.forEach(Runnable::run);
    }

    // ---- what the server uses ----

    public MetadataStore store() {
        return store;
    }

    /** Ready to serve: a member of the group whose writer epoch is open (the group had a leader). */
    public boolean ready() {
        return notReadyReason() == null;
    }

    /** Why this server cannot serve S3 requests from its replica now, or null when it can. */
    public String notReadyReason() {
        if (!membership.isRunning()) {
            return "this server's metadata peer has stopped: it was removed from the group (start it again with "
                    + "--metadata-join and add it with cairn admin metadata add-peer)";
        }
        if (!membership.isMember()) {
            return "waiting to be added to the metadata group: cairn admin metadata add-peer "
                    + settings.selfId() + "=" + settings.peers().self(settings.selfId()).address();
        }
        if (!epochOpen) {
            return "waiting for a metadata leader (a majority of the metadata peers must be up)";
        }
        return null;
    }

    /** Whether this server leads the group and may run the once-per-cluster work. */
    public boolean isLeader() {
        try {
            RaftServer.Division d = server.getDivision(GROUP_ID);
            return d.getInfo().isLeader() && d.getInfo().isLeaderReady();
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs {@code listener} (on a Ratis thread: keep it short) whenever the leader changes. */
    public void onLeaderChange(Runnable listener) {
        leaderListeners.add(listener);
    }

    /** Reads this server's replica database without a barrier, safe from a snapshot install (tests). */
    <T> T local(java.util.function.Function<RocksMetadataStore, T> read) {
        return store.local(read);
    }

    /**
     * Runs {@code listener} with the commands of every entry this replica applies, on the apply
     * thread, before any read that follows it can pass its barrier: how gateways drop what they
     * cached of state another gateway changed. It must be quick and must read only through
     * {@link #localStore()}.
     */
    public void onApplied(java.util.function.Consumer<List<MetaCommand<?>>> listener) {
        appliedListeners.add(listener);
    }

    /**
     * Runs {@code listener} (on a Ratis thread: hand the work to another) after this replica's
     * database was replaced by a snapshot from the leader - a peer that joined, or fell behind the
     * leader's purged log - so a gateway reloads what it cached of it (no command was applied).
     */
    public void onSnapshotInstalled(Runnable listener) {
        installedListeners.add(listener);
    }

    /**
     * This replica's metadata without read barriers: what it has applied so far. For startup
     * (before the group has a leader), gauges, and {@link #onApplied} listeners.
     */
    public MetadataStore localStore() {
        return store.withoutBarrier();
    }

    public CommitStats stats() {
        return stats;
    }

    public String selfId() {
        return settings.selfId();
    }

    /** The status with the peers as this server knows them (no request to another server: for gauges). */
    public Status status() throws IOException {
        return status(false);
    }

    /**
     * The status; with {@code askLeader}, the peers (members, joining and leaving ones, each one's
     * lag and last contact) as the leader sees them, asked over Raft when it is another server.
     */
    public Status status(boolean askLeader) throws IOException {
        RaftServer.Division d = server.getDivision(GROUP_ID);
        RaftLog log = d.getRaftLog();
        TermIndex last = log.getLastEntryTermIndex();
        long lastIndex = last == null ? 0 : last.getIndex();
        RaftPeerId leader = d.getInfo().getLeaderId();
        List<PeerStatus> peers = membership.peers(askLeader);
        long snapshotMillis = machine.snapshotMillis();
        return new Status(settings.selfId(), leader == null ? "" : leader.toString(),
                d.getInfo().getCurrentRole().name(), membership.isMember(), d.getInfo().getCurrentTerm(), lastIndex,
                log.getLastCommittedIndex(), d.getInfo().getLastAppliedIndex(), log.getSnapshotIndex(),
                snapshotMillis == 0 ? -1 : Math.max(0, System.currentTimeMillis() - snapshotMillis),
                log.getStartIndex(), logBytes(), stats.leaderChanges(), peers);
    }

    /** Bytes of Raft log segments on this server's disk. */
    public long logBytes() {
        Path raft = settings.dataDir().resolve("raft");
        try (Stream<Path> s = Files.walk(raft)) {
            return s.filter(f -> f.getFileName().toString().startsWith("log_")).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Hands leadership to {@code target}, or to the most up-to-date other peer when it is null
     * or empty; returns the peer asked to lead.
     */
    public String transferLeadership(String target) throws IOException {
        Status s = status();
        String to = target;
        if (to == null || to.isEmpty()) {
            to = s.peers().stream().filter(p -> p.role().equals("follower"))
                    .max(java.util.Comparator.comparingLong(PeerStatus::commitIndex))
                    .map(PeerStatus::id).orElseThrow(() -> new IOException("no other metadata peer to lead"));
        } else if (!membership.memberIds().contains(to)) {
            throw new IllegalArgumentException("'" + to + "' is not one of the metadata peers " + membership.memberIds());
        }
        RaftClientReply reply = client.admin().transferLeadership(RaftPeerId.valueOf(to), 10_000);
        if (!reply.isSuccess()) {
            throw new IOException("leadership transfer to " + to + " failed: " + reply.getException());
        }
        return to;
    }

    /**
     * Adds peer {@code id} at {@code host:port} to the group: its server must run with
     * {@code --metadata-join}; returns once it is a voting member, with the peers as the leader sees
     * them. See {@link MetadataMembership}.
     */
    public List<PeerStatus> addPeer(String id, String host, int port) throws IOException, MetadataMembership.Refused {
        return membership.add(id, host, port);
    }

    /** Removes peer {@code id} (leadership moves off it first); refused when the group left would be unsafe. */
    public List<PeerStatus> removePeer(String id)
            throws IOException, MetadataMembership.Refused, MetadataMembership.NoSuchPeer {
        List<PeerStatus> after = membership.remove(id);
        retireWriterEpochsOf(id);
        return after;
    }

    /**
     * Retires the writer epochs of a removed peer, so the collector deletes the pieces of the
     * uploads its gateway left unfinished (a removed gateway never comes back under that epoch;
     * re-added, it opens a new one).
     */
    private void retireWriterEpochsOf(String id) {
        store.getBucket(""); // a read barrier: every epoch the peer opened is applied here
        for (long epoch : store.local(s -> s.openEpochsOf(id))) {
            store.replica().retireEpoch(epoch);
            LOG.info("Retired writer epoch {} of removed metadata peer {}", epoch, id);
        }
    }

    /**
     * Writes a consistent checkpoint of the metadata into {@code target} (which must not exist):
     * every write acknowledged before the call is in it. Start a server from one by putting it in
     * place of the data directory's {@code meta} directory.
     */
    public void snapshot(Path target) {
        store.getBucket(""); // a read barrier: everything acknowledged before is applied here
        store.local(s -> {
            s.checkpoint(target);
            return null;
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        epochOpener.interrupt();
        committer.close();
        closeQuietly(readClient);
        closeQuietly(client);
        closeQuietly(server);
        store.close();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
        }
    }
}
