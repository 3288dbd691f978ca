package dev.cairn.placement.storage;

import dev.cairn.chunkstore.ChunkStoreClient;
import dev.cairn.chunkstore.PieceException;
import dev.cairn.chunkstore.PieceId;
import dev.cairn.chunkstore.codec.ReedSolomonCodec;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.PieceLocation;
import dev.cairn.metadata.Protection;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads byte ranges of chunks from the nodes that hold their pieces.
 *
 * <p>Copies: the readable copies are tried in turn, starting at a rotating position so reads share
 * the load; a copy that is missing, unreachable or corrupt is reported for repair and the next
 * one is tried.
 *
 * <p>Reed-Solomon (systematic): a chunk byte range maps onto ranges of the data pieces, which are
 * read in parallel. When one of them fails - or has not answered after {@link #HEDGE_MILLIS} - the
 * same piece range is read from k other pieces (a rotating choice, the suspect ones last; one
 * more per failure, all of them after another {@link #HEDGE_MILLIS}) and the missing data is
 * rebuilt from them (a range of every piece is enough: the code works byte column by byte
 * column). Bad pieces are reported for repair.
 */
public final class ChunkReader {
    static final long HEDGE_MILLIS = 2_000;

    private final StorageNodes nodes;
    private final RepairReporter repairs;
    private final Executor worker;
    private final AtomicInteger rotation = new AtomicInteger();

    public ChunkReader(StorageNodes nodes, RepairReporter repairs, Executor worker) {
        this.nodes = nodes;
        this.repairs = repairs;
        this.worker = worker;
    }

    /** Reads {@code length} bytes at {@code offset} within the chunk. */
    public CompletableFuture<ByteBuffer> read(ChunkRecord chunk, long offset, int length) {
        return read(chunk, offset, length, Set.of());
    }

    /**
     * Reads the whole chunk without touching the pieces whose index is in {@code avoid} (pieces
     * known bad, or being rebuilt): the source of the movers' rebuilds.
     */
    public CompletableFuture<ByteBuffer> readWhole(ChunkRecord chunk, Set<Integer> avoid) {
        return read(chunk, 0, (int) chunk.size(), avoid);
    }

    private CompletableFuture<ByteBuffer> read(ChunkRecord chunk, long offset, int length, Set<Integer> avoid) {
        if (chunk.protection().kind() == Protection.Kind.REPLICA) {
            List<PieceLocation> readable = new ArrayList<>();
            List<PieceLocation> others = new ArrayList<>();
            for (PieceLocation p : chunk.pieces()) {
                if (!avoid.contains(p.index())) {
                    (nodes.readable(p.nodeId()) ? readable : others).add(p);
                }
            }
            List<PieceLocation> order = rotated(readable);
            order.addAll(others);
            return readCopy(chunk, order, 0, offset, length, null);
        }
        return new ErasureRead(chunk, offset, length, avoid).start();
    }

    /** {@code list} starting at the next position of a shared rotation: successive reads start at successive pieces. */
    private <T> List<T> rotated(List<T> list) {
        List<T> out = new ArrayList<>(list.size());
        if (list.isEmpty()) {
            return out;
        }
        int start = Math.floorMod(rotation.getAndIncrement(), list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(list.get((start + i) % list.size()));
        }
        return out;
    }

    private CompletableFuture<ByteBuffer> readCopy(ChunkRecord chunk, List<PieceLocation> order, int attempt,
                                                   long offset, int length, Throwable last) {
        if (attempt >= order.size()) {
            return CompletableFuture.failedFuture(new PieceException.Unavailable(
                    "no readable copy of chunk " + chunk.id(), last));
        }
        PieceLocation piece = order.get(attempt);
        return readPiece(chunk, piece, offset, length)
                .thenApply(CompletableFuture::completedFuture)
                .exceptionally(e -> {
                    repairs.pieceFailed(chunk, piece.index(), piece.nodeId(), e);
                    return readCopy(chunk, order, attempt + 1, offset, length, RepairReporter.unwrap(e));
                })
                .thenCompose(f -> f);
    }

    private CompletableFuture<ByteBuffer> readPiece(ChunkRecord chunk, PieceLocation piece, long offset, int length) {
        ChunkStoreClient client = nodes.client(piece.nodeId()).orElse(null);
        if (client == null) {
            return CompletableFuture.failedFuture(
                    new PieceException.Unavailable("node " + piece.nodeId() + " is not in the cluster", null));
        }
        return client.get(new PieceId(chunk.id().bytes(), piece.index()), offset, length).whenComplete((b, e) -> {
            if (e != null && RepairReporter.unwrap(e) instanceof PieceException.Unavailable) {
                nodes.reachability().failed(piece.nodeId(), System.currentTimeMillis()); // no new pieces for it
            }
        }).thenApply(b -> {
            if (b.remaining() != length) {
                throw new java.util.concurrent.CompletionException(new PieceException.Corrupt(
                        new PieceId(chunk.id().bytes(), piece.index()),
                        "short read: " + b.remaining() + " of " + length + " bytes"));
            }
            return b;
        });
    }

    /** One ranged read of an erasure-coded chunk. */
    private final class ErasureRead {
        private final ChunkRecord chunk;
        private final long offset;
        private final int length;
        private final ReedSolomonCodec codec;
        private final int pieceSize;
        private final int first;
        private final int last;
        private final PieceLocation[] byIndex;
        private final CompletableFuture<ByteBuffer> result = new CompletableFuture<>();
        private final AtomicBoolean degraded = new AtomicBoolean();
        /** Pieces that failed, or had not answered, in the direct read: asked last in a degraded read. */
        private final Set<Integer> suspect = java.util.concurrent.ConcurrentHashMap.newKeySet();

        ErasureRead(ChunkRecord chunk, long offset, int length, Set<Integer> avoid) {
            this.chunk = chunk;
            this.offset = offset;
            this.length = length;
            Protection p = chunk.protection();
            this.codec = ReedSolomonCodec.of(p.dataPieces(), p.parityPieces());
            this.pieceSize = codec.pieceSize(chunk.size());
            this.first = (int) (offset / pieceSize);
            this.last = (int) ((offset + length - 1) / pieceSize);
            this.byIndex = new PieceLocation[p.totalPieces()];
            for (PieceLocation l : chunk.pieces()) {
                if (!avoid.contains(l.index())) {
                    byIndex[l.index()] = l;
                }
            }
        }

        CompletableFuture<ByteBuffer> start() {
            if (length == 0) {
                return CompletableFuture.completedFuture(ByteBuffer.allocate(0));
            }
            List<CompletableFuture<ByteBuffer>> parts = new ArrayList<>();
            boolean allPresent = true;
            for (int i = first; i <= last; i++) {
                PieceLocation loc = byIndex[i];
                if (loc == null || !nodes.readable(loc.nodeId())) {
                    allPresent = false;
                    break;
                }
                long from = Math.max(offset, (long) i * pieceSize) - (long) i * pieceSize;
                long to = Math.min(offset + length, (long) (i + 1) * pieceSize) - (long) i * pieceSize;
                int index = i;
                parts.add(readPiece(chunk, loc, from, (int) (to - from)).whenComplete((b, e) -> {
                    if (e != null) {
                        suspect.add(index);
                        repairs.pieceFailed(chunk, index, loc.nodeId(), e);
                        degrade();
                    }
                }));
            }
            int firstIndex = first;
            if (!allPresent) {
                degrade();
                return result;
            }
            CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenAccept(v -> {
                ByteBuffer out = ByteBuffer.allocate(length);
                parts.forEach(p -> out.put(p.join()));
                result.complete(out.flip());
            });
            // the hedge holds the read weakly: a strong reference would keep every finished segment
            // (1 MiB) reachable for HEDGE_MILLIS after its GET moved on, hundreds of MiB under load
            java.lang.ref.WeakReference<ErasureRead> self = new java.lang.ref.WeakReference<>(this);
            CompletableFuture.delayedExecutor(HEDGE_MILLIS, TimeUnit.MILLISECONDS, worker).execute(() -> {
                ErasureRead read = self.get();
                if (read != null && !read.result.isDone()) {
                    for (int j = 0; j < parts.size(); j++) {
                        if (!parts.get(j).isDone()) {
                            read.suspect.add(firstIndex + j);
                        }
                    }
                    read.degrade();
                }
            });
            return result;
        }

        /**
         * Reads the covering piece range from k of the readable pieces and rebuilds the data
         * pieces: those the direct read did not suspect first, starting at a rotating position so
         * successive reads share the load; each failure asks the next piece, and if the k have not
         * all answered after {@link #HEDGE_MILLIS} every remaining piece is asked too.
         */
        private void degrade() {
            if (!degraded.compareAndSet(false, true) || result.isDone()) {
                return;
            }
            int k = codec.dataPieces();
            long from = first == last ? offset - (long) first * pieceSize : 0;
            long to = first == last ? offset + length - (long) first * pieceSize : pieceSize;
            List<Integer> fresh = new ArrayList<>();
            List<Integer> doubtful = new ArrayList<>();
            for (int i = 0; i < byIndex.length; i++) {
                if (byIndex[i] != null && nodes.readable(byIndex[i].nodeId())) {
                    (suspect.contains(i) ? doubtful : fresh).add(i);
                }
            }
            List<Integer> order = rotated(fresh);
            order.addAll(doubtful);
            if (order.size() < k) {
                result.completeExceptionally(new PieceException.Unavailable("chunk " + chunk.id() + ": only "
                        + order.size() + " readable pieces, " + k + " needed", null));
                return;
            }
            new Rebuild(order, from, (int) (to - from)).begin();
        }

        /** The piece reads of one degraded read: k at first, one more per failure, the rest on the hedge. */
        private final class Rebuild {
            private final List<Integer> order;
            private final long from;
            private final int span;
            private final ByteBuffer[] got = new ByteBuffer[byIndex.length];
            private int launched; // guarded by this
            private int failed; // guarded by this
            private int arrived; // guarded by this
            private Throwable lastFailure; // guarded by this

            Rebuild(List<Integer> order, long from, int span) {
                this.order = order;
                this.from = from;
                this.span = span;
            }

            void begin() {
                int k = codec.dataPieces();
                for (int j = 0; j < k; j++) {
                    launchNext();
                }
                java.lang.ref.WeakReference<Rebuild> self = new java.lang.ref.WeakReference<>(this);
                CompletableFuture.delayedExecutor(HEDGE_MILLIS, TimeUnit.MILLISECONDS, worker).execute(() -> {
                    Rebuild r = self.get();
                    while (r != null && !result.isDone() && r.launchNext()) {
                        // ask every remaining piece
                    }
                });
            }

            /** Starts the read of the next piece in order; false when none is left. */
            boolean launchNext() {
                int i;
                synchronized (this) {
                    if (launched == order.size()) {
                        return false;
                    }
                    i = order.get(launched++);
                }
                PieceLocation loc = byIndex[i];
                readPiece(chunk, loc, from, span).whenComplete((b, e) -> settle(i, loc, b, e));
                return true;
            }

            private void settle(int i, PieceLocation loc, ByteBuffer b, Throwable e) {
                int k = codec.dataPieces();
                boolean rebuildNow = false;
                boolean next = false;
                boolean fail = false;
                synchronized (this) {
                    if (e == null) {
                        got[i] = b;
                        rebuildNow = ++arrived == k;
                    } else {
                        failed++;
                        lastFailure = e;
                        next = true;
                        fail = launched == order.size() && arrived + (launched - arrived - failed) < k;
                    }
                }
                if (e != null) {
                    repairs.pieceFailed(chunk, i, loc.nodeId(), e);
                }
                if (rebuildNow) {
                    worker.execute(() -> {
                        synchronized (this) {
                            rebuild(got, from);
                        }
                    });
                } else if (next && !launchNext() && fail) {
                    result.completeExceptionally(new PieceException.Unavailable("chunk " + chunk.id()
                            + ": fewer than " + k + " pieces readable", RepairReporter.unwrap(lastFailure)));
                }
            }
        }

        private void rebuild(ByteBuffer[] got, long from) {
            try {
                ByteBuffer[] pieces = new ByteBuffer[got.length];
                boolean[] present = new boolean[got.length];
                int sources = 0;
                int span = -1;
                synchronized (got) {
                    for (int i = 0; i < got.length && sources < codec.dataPieces(); i++) {
                        if (got[i] != null) {
                            pieces[i] = got[i].duplicate();
                            present[i] = true;
                            span = got[i].remaining();
                            sources++;
                        }
                    }
                }
                for (int i = first; i <= last; i++) {
                    if (!present[i]) {
                        pieces[i] = ByteBuffer.allocate(span); // only the data stripes the range needs
                    }
                }
                codec.decode(pieces, present);
                ByteBuffer out = ByteBuffer.allocate(length);
                for (int i = first; i <= last; i++) {
                    long pieceStart = (long) i * pieceSize + from;
                    long a = Math.max(offset, pieceStart);
                    long b = Math.min(offset + length, (long) i * pieceSize + from + pieces[i].remaining());
                    ByteBuffer src = pieces[i].duplicate();
                    src.position(src.position() + (int) (a - pieceStart));
                    src.limit(src.position() + (int) (b - a));
                    out.put(src);
                }
                repairs.reconstructed();
                result.complete(out.flip());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }
}
