package dev.cairn.metadata.ratis;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.apache.ratis.io.MD5Hash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cairn.metadata.MetaCommand;
import dev.cairn.metadata.MetaResult;
import dev.cairn.metadata.RocksMetadataStore;

/**
 * The Ratis state machine of replicated metadata: every peer applies the committed log entries,
 * in log order, through the same deterministic {@link dev.cairn.metadata.MetadataStateMachine}
 * as a single server does; the leader's reply carries the results back to the committer.
 *
 * <p>Design note. The RocksDB database is the state, and it records the log position it has
 * applied in the same write as each entry ({@link RocksMetadataStore#applyReplicated}), without
 * fsync: the Raft log is the durable record. After a restart Ratis replays from its latest
 * snapshot; entries at or below the database's position are skipped, so a crash never applies
 * an entry twice or loses one. A snapshot is a RocksDB checkpoint taken at the last applied
 * entry, packed into one file ({@link SnapshotFile}) so Ratis can keep it, purge the log
 * behind it, and send it to a peer that is too far behind; installing one replaces the database
 * ({@link ReplicatedStore#replaceWith}). A database behind the newest local snapshot (its
 * directory was lost) is restored from that snapshot at start.
 */
final class MetadataMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataMachine.class);

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final ReplicatedStore store;
    private final BiConsumer<Long, RaftPeerId> leaderChanged;
    private final java.util.function.Consumer<List<MetaCommand<?>>> applied;
    private final Runnable installed;
    /** The index the database has applied up to (the skip line for replays). */
    private final AtomicLong dbApplied = new AtomicLong(-1);
    private final AtomicLong snapshotMillis = new AtomicLong(0);

    MetadataMachine(ReplicatedStore store, BiConsumer<Long, RaftPeerId> leaderChanged,
                    java.util.function.Consumer<List<MetaCommand<?>>> applied, Runnable installed) {
        this.store = store;
        this.leaderChanged = leaderChanged;
        this.applied = applied;
        this.installed = installed;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        getLifeCycle().startAndTransition(this::load, IOException.class);
    }

    /** Brings the database level with the newest local snapshot when it is behind it. */
    private void load() throws IOException {
        SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
        long[] at = store.replica().appliedPosition();
        if (snapshot != null && (at == null || at[1] < snapshot.getIndex())) {
            LOG.info("metadata database is at {} behind the local snapshot at {}: restoring the snapshot",
                    at == null ? "nothing" : at[1], snapshot.getTermIndex());
            install(snapshot);
            return;
        }
        if (at != null) {
            setLastAppliedTermIndex(TermIndex.valueOf(at[0], at[1]));
            dbApplied.set(at[1]);
        }
        if (snapshot != null) {
            snapshotMillis.set(snapshot.getFile().getPath().toFile().lastModified());
        }
    }

    /** Called before a snapshot from the leader is written (once per chunk of it): stop applying. */
    @Override
    public void pause() {
        LifeCycle lc = getLifeCycle();
        if (lc.compareAndTransition(LifeCycle.State.RUNNING, LifeCycle.State.PAUSING)) {
            lc.transition(LifeCycle.State.PAUSED);
        }
    }

    /** The leader's snapshot is in place: load it and resume. */
    @Override
    public void reinitialize() throws IOException {
        getLifeCycle().startAndTransition(() -> {
            SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
            if (snapshot == null) {
                throw new IOException("no metadata snapshot to load after an install");
            }
            LOG.info("installing metadata snapshot {} from the leader", snapshot.getTermIndex());
            install(snapshot);
            try {
                installed.run();
            } catch (RuntimeException e) {
                LOG.warn("a listener of installed metadata snapshots failed: {}", e.toString());
            }
        }, IOException.class);
    }

    private void install(SingleFileSnapshotInfo snapshot) throws IOException {
        Path file = snapshot.getFile().getPath();
        Path unpacked = store.replica().directory().resolveSibling("meta.snapshot-" + snapshot.getIndex());
        ReplicatedStore.deleteTree(unpacked);
        SnapshotFile.unpack(file, unpacked);
        store.replaceWith(unpacked);
        long[] at = store.replica().appliedPosition();
        TermIndex ti = at == null ? snapshot.getTermIndex() : TermIndex.valueOf(at[0], at[1]);
        setLastAppliedTermIndex(ti);
        dbApplied.set(ti.getIndex());
        snapshotMillis.set(file.toFile().lastModified());
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public SingleFileSnapshotInfo getLatestSnapshot() {
        return storage.getLatestSnapshot();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long index = entry.getIndex();
        long term = entry.getTerm();
        if (index <= dbApplied.get()) {
            advance(term, index);
            return CompletableFuture.completedFuture(Message.EMPTY);
        }
        try {
            List<MetaCommand<?>> commands = EntryCodec.decodeCommands(
                    entry.getStateMachineLogEntry().getLogData().toByteArray());
            List<MetaResult> results = store.replica().applyReplicated(commands, term, index);
            dbApplied.set(index);
            advance(term, index);
            try {
                applied.accept(commands);
            } catch (RuntimeException e) {
                LOG.warn("a listener of applied metadata commands failed: {}", e.toString());
            }
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(
                    EntryCodec.encodeResults(results))));
        } catch (RuntimeException e) {
            // the database refused the write: this replica cannot go on applying in order
            LOG.error("applying metadata log entry {} failed; this replica stops applying: {}", index, e.toString());
            throw e;
        }
    }

    /** A read barrier: answered once this peer has applied everything committed before it began. */
    @Override
    public CompletableFuture<Message> query(Message request) {
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        advance(term, index);
    }

    private void advance(long term, long index) {
        TermIndex now = getLastAppliedTermIndex();
        if (now == null || index > now.getIndex()) {
            updateLastAppliedTermIndex(term, index);
        }
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() <= 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        SingleFileSnapshotInfo latest = storage.getLatestSnapshot();
        if (latest != null && latest.getIndex() >= last.getIndex()) {
            return latest.getIndex();
        }
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        Path checkpoint = file.toPath().resolveSibling("checkpoint-" + last.getIndex());
        ReplicatedStore.deleteTree(checkpoint);
        try {
            store.replica().checkpoint(checkpoint);
            SnapshotFile.pack(checkpoint, file.toPath());
        } finally {
            ReplicatedStore.deleteTree(checkpoint);
        }
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
        snapshotMillis.set(System.currentTimeMillis());
        LOG.info("took metadata snapshot at {} ({} bytes)", last, Files.size(file.toPath()));
        return last.getIndex();
    }

    /** When the newest snapshot was taken or installed (0 when there is none). */
    long snapshotMillis() {
        return snapshotMillis.get();
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        leaderChanged.accept(System.currentTimeMillis(), newLeaderId);
    }
}
