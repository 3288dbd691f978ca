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
import java.util.Comparator;
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
 * <p>Copies: the first readable copy is read; a copy that is missing, unreachable or corrupt is
 * reported for repair and the next one is tried.
 *
 * <p>Reed-Solomon (systematic): a chunk byte range maps onto ranges of the data pieces, which are
 * read in parallel. When one of them fails - or has not answered after {@link #HEDGE_MILLIS} - the
 * same piece range is read from the other pieces and the missing data is rebuilt from any k of
 * them (a range of every piece is enough: the code works byte column by byte column). Bad pieces
 * are reported for repair.
 */
public final class ChunkReader {
    static final long HEDGE_MILLIS = 2_000;

    private final StorageNodes nodes;
    private final RepairReporter repairs;
    private final Executor worker;

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
            List<PieceLocation> order = new ArrayList<>(chunk.pieces());
            order.removeIf(p -> avoid.contains(p.index()));
            order.sort(Comparator.comparing(p -> nodes.readable(p.nodeId()) ? 0 : 1));
            return readCopy(chunk, order, 0, offset, length, null);
        }
        return new ErasureRead(chunk, offset, length, avoid).start();
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
        return client.get(new PieceId(chunk.id().bytes(), piece.index()), offset, length).thenApply(b -> {
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
                        repairs.pieceFailed(chunk, index, loc.nodeId(), e);
                        degrade();
                    }
                }));
            }
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
                    read.degrade();
                }
            });
            return result;
        }

        /** Reads the covering piece range from every other piece and rebuilds the data pieces. */
        private void degrade() {
            if (!degraded.compareAndSet(false, true) || result.isDone()) {
                return;
            }
            int k = codec.dataPieces();
            long from = first == last ? offset - (long) first * pieceSize : 0;
            long to = first == last ? offset + length - (long) first * pieceSize : pieceSize;
            int span = (int) (to - from);
            ByteBuffer[] got = new ByteBuffer[byIndex.length];
            AtomicInteger arrived = new AtomicInteger();
            AtomicInteger settled = new AtomicInteger();
            List<Integer> candidates = new ArrayList<>();
            for (int i = 0; i < byIndex.length; i++) {
                if (byIndex[i] != null && nodes.readable(byIndex[i].nodeId())) {
                    candidates.add(i);
                }
            }
            if (candidates.size() < k) {
                result.completeExceptionally(new PieceException.Unavailable("chunk " + chunk.id() + ": only "
                        + candidates.size() + " readable pieces, " + k + " needed", null));
                return;
            }
            for (int i : candidates) {
                PieceLocation loc = byIndex[i];
                readPiece(chunk, loc, from, span).whenComplete((b, e) -> {
                    if (e != null) {
                        repairs.pieceFailed(chunk, i, loc.nodeId(), e);
                    } else {
                        synchronized (got) {
                            got[i] = b;
                        }
                        if (arrived.incrementAndGet() == k) {
                            worker.execute(() -> rebuild(got, from));
                        }
                    }
                    if (settled.incrementAndGet() == candidates.size() && arrived.get() < k) {
                        result.completeExceptionally(new PieceException.Unavailable("chunk " + chunk.id()
                                + ": fewer than " + k + " pieces readable", e));
                    }
                });
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
