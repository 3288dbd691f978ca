package dev.cairn.placement.storage;

import dev.cairn.chunkstore.ChunkStoreClient;
import dev.cairn.chunkstore.PieceException;
import dev.cairn.chunkstore.PieceId;
import dev.cairn.chunkstore.PieceRange;
import dev.cairn.chunkstore.ReadFence;
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
 * read in parallel, each straight into its part of the caller's buffer for {@link #readInto}. When
 * one of them fails - or has not answered after {@link #HEDGE_MILLIS} - the
 * same piece range is read from k other pieces (a rotating choice, the suspect ones last; one
 * more per failure, all of them after another {@link #HEDGE_MILLIS}) and the missing data is
 * rebuilt from them (a range of every piece is enough: the code works byte column by byte
 * column). Bad pieces are reported for repair.
 */
public final class ChunkReader {
    static final long HEDGE_MILLIS = 2_000;

    private final long hedgeMillis;

    private final StorageNodes nodes;
    private final RepairReporter repairs;
    private final Executor worker;
    private final AtomicInteger rotation = new AtomicInteger();

    public ChunkReader(StorageNodes nodes, RepairReporter repairs, Executor worker) {
        this(nodes, repairs, worker, HEDGE_MILLIS);
    }

    /** @param hedgeMillis how long a read waits for a piece before it asks others (tests shorten it) */
    ChunkReader(StorageNodes nodes, RepairReporter repairs, Executor worker, long hedgeMillis) {
        this.hedgeMillis = hedgeMillis;
        this.nodes = nodes;
        this.repairs = repairs;
        this.worker = worker;
    }

    /** Reads {@code length} bytes at {@code offset} within the chunk. */
    public CompletableFuture<ByteBuffer> read(ChunkRecord chunk, long offset, int length) {
        return read(chunk, offset, length, Set.of());
    }

    /**
     * Reads {@code dst.remaining()} bytes at {@code offset} within the chunk into {@code dst}
     * (its position is not moved). A copy is read straight into {@code dst} (an in-process node
     * fills a direct buffer from the piece file, a remote one's answer is copied in as it
     * arrives); so are the data pieces of a healthy erasure-coded range, each into its part of
     * {@code dst} through a {@link ReadFence}. Nothing is written into {@code dst} once the
     * future completed, whatever its outcome: a copy is tried only after the one before it
     * finished, and an erasure-coded read that rebuilds the range from other pieces (a data piece
     * failed, or is late: the hedge) shuts the fences of the direct reads before it writes the
     * rebuilt bytes, so a straggler can never write into a buffer its caller has reused.
     */
    public CompletableFuture<Void> readInto(ChunkRecord chunk, long offset, ByteBuffer dst) {
        if (chunk.protection().kind() != Protection.Kind.REPLICA) {
            return new ErasureRead(chunk, offset, dst.remaining(), Set.of(), dst, false).start().thenAccept(b -> { });
        }
        return readCopyInto(chunk, copyOrder(chunk, Set.of()), 0, offset, dst, null);
    }

    /**
     * Bytes {@code [offset, offset + dst.remaining())} of the chunk, verified, either as an open
     * {@link PieceRange} of a copy kept in a local piece file (the future's value, to be sent
     * without a copy and then closed; {@code dst} untouched), or read into {@code dst} as
     * {@link #readInto} reads them (the value is null). The first copy in the usual rotating
     * order gives its range when its node {@link ChunkStoreClient#servesRanges serves ranges};
     * when that copy is missing or corrupt it is reported, and the other copies are read into
     * {@code dst}. Erasure-coded chunks are always read into {@code dst}.
     */
    public CompletableFuture<PieceRange> openOrReadInto(ChunkRecord chunk, long offset, ByteBuffer dst) {
        if (chunk.protection().kind() != Protection.Kind.REPLICA) {
            return readInto(chunk, offset, dst).thenApply(v -> null);
        }
        List<PieceLocation> order = copyOrder(chunk, Set.of());
        PieceLocation piece = order.isEmpty() ? null : order.get(0);
        ChunkStoreClient client = piece == null || !nodes.readable(piece.nodeId()) ? null
                : nodes.client(piece.nodeId()).orElse(null);
        if (client == null || !client.servesRanges()) {
            return readCopyInto(chunk, order, 0, offset, dst, null).thenApply(v -> null);
        }
        int length = dst.remaining();
        PieceId id = new PieceId(chunk.id().bytes(), piece.index());
        return client.openRange(id, offset, length).handle((range, e) -> {
            Throwable failure = e;
            if (range != null && range.length() != length) {
                range.close();
                failure = new PieceException.Corrupt(id, "short read: " + range.length() + " of " + length + " bytes");
            }
            if (failure == null) {
                return CompletableFuture.completedFuture(range);
            }
            repairs.pieceFailed(chunk, piece.index(), piece.nodeId(), failure);
            return readCopyInto(chunk, order, 1, offset, dst, RepairReporter.unwrap(failure))
                    .thenApply(v -> (PieceRange) null);
        }).thenCompose(f -> f);
    }

    /**
     * Whether a read of this chunk must rebuild data: it is erasure-coded and one of its data
     * pieces is on a node that is down, removed or failing calls lately. Such a chunk is best
     * read whole, once: each range of a missing piece costs k pieces' ranges.
     */
    public boolean degraded(ChunkRecord chunk) {
        Protection p = chunk.protection();
        if (p.kind() == Protection.Kind.REPLICA) {
            return false;
        }
        boolean[] found = new boolean[p.dataPieces()];
        java.util.Map<String, Long> failing = nodes.failing();
        for (PieceLocation l : chunk.pieces()) {
            if (l.index() < found.length && nodes.readable(l.nodeId()) && !failing.containsKey(l.nodeId())) {
                found[l.index()] = true;
            }
        }
        for (boolean f : found) {
            if (!f) {
                return true;
            }
        }
        return false;
    }

    /**
     * Rebuilds whole pieces of a chunk - the movers' repair - without reading them: a copy of a
     * replicated chunk read from another copy, or Reed-Solomon pieces decoded from k others read
     * as degraded reads are (a rotating choice, one more per failure, all on the hedge). Memory:
     * k pieces read plus the pieces wanted.
     */
    public CompletableFuture<java.util.Map<Integer, ByteBuffer>> rebuildPieces(ChunkRecord chunk, Set<Integer> wanted) {
        Protection p = chunk.protection();
        if (p.kind() == Protection.Kind.REPLICA) {
            return read(chunk, 0, (int) chunk.size(), wanted).thenApply(copy -> {
                java.util.Map<Integer, ByteBuffer> out = new java.util.HashMap<>();
                wanted.forEach(i -> out.put(i, copy.duplicate()));
                return out;
            });
        }
        ReedSolomonCodec codec = ReedSolomonCodec.of(p.dataPieces(), p.parityPieces());
        int pieceSize = codec.pieceSize(chunk.size());
        PieceLocation[] byIndex = new PieceLocation[p.totalPieces()];
        List<Integer> sources = new ArrayList<>();
        for (PieceLocation l : chunk.pieces()) {
            if (l.index() < byIndex.length && !wanted.contains(l.index()) && byIndex[l.index()] == null) {
                byIndex[l.index()] = l;
                if (nodes.readable(l.nodeId())) {
                    sources.add(l.index());
                }
            }
        }
        return new PieceGather(chunk, byIndex, rotated(sources), 0, pieceSize, p.dataPieces(),
                (loc, f, n) -> readPiece(chunk, loc, f, n), repairs).start(worker, hedgeMillis)
                .thenApplyAsync(got -> {
                    ByteBuffer[] pieces = new ByteBuffer[got.length];
                    boolean[] present = new boolean[got.length];
                    int have = 0;
                    for (int i = 0; i < got.length && have < p.dataPieces(); i++) {
                        if (got[i] != null) {
                            pieces[i] = got[i].duplicate();
                            present[i] = true;
                            have++;
                        }
                    }
                    java.util.Map<Integer, ByteBuffer> out = new java.util.HashMap<>();
                    for (int i : wanted) {
                        pieces[i] = ByteBuffer.allocate(pieceSize);
                        out.put(i, pieces[i]);
                    }
                    codec.decode(pieces, present);
                    repairs.reconstructed();
                    return out;
                }, worker);
    }

    private CompletableFuture<ByteBuffer> read(ChunkRecord chunk, long offset, int length, Set<Integer> avoid) {
        if (chunk.protection().kind() == Protection.Kind.REPLICA) {
            return readCopy(chunk, copyOrder(chunk, avoid), 0, offset, length, null);
        }
        return new ErasureRead(chunk, offset, length, avoid, null, false).start();
    }

    /**
     * Reads a whole chunk that is {@link #degraded}: pieces on nodes failing calls lately are not
     * tried directly (each would cost a failed call before the rebuild) and are asked last by it.
     */
    public CompletableFuture<ByteBuffer> readDegraded(ChunkRecord chunk) {
        int size = Math.toIntExact(chunk.size());
        if (chunk.protection().kind() == Protection.Kind.REPLICA) {
            return read(chunk, 0, size);
        }
        return new ErasureRead(chunk, 0, size, Set.of(), null, true).start();
    }

    /** The copies to try, readable ones first from a rotating start, then the others. */
    private List<PieceLocation> copyOrder(ChunkRecord chunk, Set<Integer> avoid) {
        List<PieceLocation> readable = new ArrayList<>();
        List<PieceLocation> others = new ArrayList<>();
        for (PieceLocation p : chunk.pieces()) {
            if (!avoid.contains(p.index())) {
                (nodes.readable(p.nodeId()) ? readable : others).add(p);
            }
        }
        List<PieceLocation> order = rotated(readable);
        order.addAll(others);
        return order;
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

    private CompletableFuture<Void> readCopyInto(ChunkRecord chunk, List<PieceLocation> order, int attempt,
                                                 long offset, ByteBuffer dst, Throwable last) {
        if (attempt >= order.size()) {
            return CompletableFuture.failedFuture(new PieceException.Unavailable(
                    "no readable copy of chunk " + chunk.id(), last));
        }
        PieceLocation piece = order.get(attempt);
        return onPiece(chunk, piece, (client, id) -> client.readInto(id, offset, dst), n -> n, dst.remaining())
                .thenApply(n -> CompletableFuture.<Void>completedFuture(null))
                .exceptionally(e -> {
                    repairs.pieceFailed(chunk, piece.index(), piece.nodeId(), e);
                    return readCopyInto(chunk, order, attempt + 1, offset, dst, RepairReporter.unwrap(e));
                })
                .thenCompose(f -> f);
    }

    private CompletableFuture<ByteBuffer> readPiece(ChunkRecord chunk, PieceLocation piece, long offset, int length) {
        return onPiece(chunk, piece, (client, id) -> client.get(id, offset, length), ByteBuffer::remaining, length);
    }

    /** Reads {@code dst.remaining()} bytes of a piece into {@code dst}, every write through {@code fence}. */
    private CompletableFuture<Integer> readPieceInto(ChunkRecord chunk, PieceLocation piece, long offset,
                                                     ByteBuffer dst, ReadFence fence) {
        return onPiece(chunk, piece, (client, id) -> client.readInto(id, offset, dst, fence), n -> n, dst.remaining());
    }

    /**
     * One read call to the node holding {@code piece}: a node that is unavailable leaves the
     * writable set, and a read of fewer than {@code length} bytes is a corrupt piece.
     */
    private <T> CompletableFuture<T> onPiece(ChunkRecord chunk, PieceLocation piece,
                                             java.util.function.BiFunction<ChunkStoreClient, PieceId, CompletableFuture<T>> call,
                                             java.util.function.ToIntFunction<T> bytesOf, int length) {
        ChunkStoreClient client = nodes.client(piece.nodeId()).orElse(null);
        if (client == null) {
            return CompletableFuture.failedFuture(
                    new PieceException.Unavailable("node " + piece.nodeId() + " is not in the cluster", null));
        }
        PieceId id = new PieceId(chunk.id().bytes(), piece.index());
        return call.apply(client, id).whenComplete((b, e) -> {
            if (e != null && RepairReporter.unwrap(e) instanceof PieceException.Unavailable) {
                nodes.reachability().failed(piece.nodeId(), System.currentTimeMillis()); // no new pieces for it
            }
        }).thenApply(b -> {
            int got = bytesOf.applyAsInt(b);
            if (got != length) {
                throw new java.util.concurrent.CompletionException(new PieceException.Corrupt(id,
                        "short read: " + got + " of " + length + " bytes"));
            }
            return b;
        });
    }

    /**
     * One ranged read of an erasure-coded chunk, into a new buffer or - with {@code dst} - into
     * the caller's. Whoever finishes it first (the direct reads all arrived, or a rebuild from k
     * pieces is done, or everything failed) claims it; only the claimant writes rebuilt bytes
     * and completes the result, after shutting every direct read's fence.
     */
    private final class ErasureRead {
        private final ChunkRecord chunk;
        private final long offset;
        private final int length;
        private final ByteBuffer dst;
        private final ReedSolomonCodec codec;
        private final int pieceSize;
        private final int first;
        private final int last;
        private final PieceLocation[] byIndex;
        private final CompletableFuture<ByteBuffer> result = new CompletableFuture<>();
        private final AtomicBoolean degraded = new AtomicBoolean();
        private final AtomicBoolean claimed = new AtomicBoolean();
        /** Pieces that failed, or had not answered, in the direct read: asked last in a degraded read. */
        private final Set<Integer> suspect = java.util.concurrent.ConcurrentHashMap.newKeySet();
        /** The direct reads of the covering data pieces, in index order from {@link #first}. */
        private final List<CompletableFuture<?>> parts = new ArrayList<>();
        /** With {@code dst}: the fence of each direct read, shut by whoever claims the read. */
        private final List<ReadFence> fences = new ArrayList<>();
        /** Nodes failing calls lately (not yet DOWN): their pieces are read only when nothing else is left. */
        private final Set<String> failing;
        /** Whether a data piece on a failing node counts as missing at once (a degraded whole-chunk read). */
        private final boolean skipFailing;

        ErasureRead(ChunkRecord chunk, long offset, int length, Set<Integer> avoid, ByteBuffer dst,
                    boolean skipFailing) {
            this.chunk = chunk;
            this.offset = offset;
            this.length = length;
            this.dst = dst;
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
            this.failing = nodes.failing().keySet();
            this.skipFailing = skipFailing;
        }

        CompletableFuture<ByteBuffer> start() {
            if (length == 0) {
                return CompletableFuture.completedFuture(dst != null ? dst.duplicate() : ByteBuffer.allocate(0));
            }
            for (int i = first; i <= last; i++) {
                PieceLocation loc = byIndex[i];
                if (loc == null || !nodes.readable(loc.nodeId()) || skipFailing && failing.contains(loc.nodeId())) {
                    suspect.add(i);
                    degrade(); // a data stripe is known missing: read k others at once, nothing wasted
                    return result;
                }
            }
            for (int i = first; i <= last; i++) {
                PieceLocation loc = byIndex[i];
                long from = Math.max(offset, (long) i * pieceSize) - (long) i * pieceSize;
                long to = Math.min(offset + length, (long) (i + 1) * pieceSize) - (long) i * pieceSize;
                int index = i;
                CompletableFuture<?> part;
                if (dst == null) {
                    part = readPiece(chunk, loc, from, (int) (to - from));
                } else {
                    ReadFence fence = new ReadFence();
                    synchronized (fences) { // a piece that failed at once may have let a rebuild claim the read
                        fences.add(fence);
                        if (claimed.get()) {
                            fence.shut();
                        }
                    }
                    int at = (int) ((long) i * pieceSize + from - offset);
                    part = readPieceInto(chunk, loc, from, dst.slice(dst.position() + at, (int) (to - from)), fence);
                }
                parts.add(part.whenComplete((b, e) -> {
                    if (e != null && !(RepairReporter.unwrap(e) instanceof ReadFence.GivenUp)) {
                        suspect.add(index);
                        repairs.pieceFailed(chunk, index, loc.nodeId(), e);
                        degrade();
                    }
                }));
            }
            CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenAccept(v -> {
                if (!claim()) {
                    return;
                }
                try {
                    if (dst != null) {
                        result.complete(dst.duplicate());
                    } else if (parts.size() == 1) { // the range lies in one data piece: its bytes as read, no copy
                        result.complete((ByteBuffer) parts.get(0).join());
                    } else {
                        ByteBuffer out = ByteBuffer.allocate(length);
                        parts.forEach(p -> out.put((ByteBuffer) p.join()));
                        result.complete(out.flip());
                    }
                } catch (Throwable t) { // an Error too: whoever waits on the read must hear of it
                    result.completeExceptionally(t);
                }
            });
            // The hedge holds the read weakly and nothing of it strongly (not even the parts list): a
            // strong reference would keep every finished segment (1 MiB) reachable for HEDGE_MILLIS
            // after its GET moved on, hundreds of MiB under load (RebalanceIT's read-back ran a 512 MiB
            // heap out of memory with 237 such segments held by the hedge's captured parts list).
            scheduleHedge(new java.lang.ref.WeakReference<>(this));
            return result;
        }

        /**
         * Makes this caller the only one to finish the read: false when another did. The direct
         * reads' fences are shut first, so none of them writes into {@code dst} any more.
         */
        private boolean claim() {
            if (!claimed.compareAndSet(false, true)) {
                return false;
            }
            synchronized (fences) {
                fences.forEach(ReadFence::shut);
            }
            return true;
        }

        /** The scheduled task calls a static method, so it captures the weak reference and nothing else. */
        private void scheduleHedge(java.lang.ref.WeakReference<ErasureRead> self) {
            CompletableFuture.delayedExecutor(hedgeMillis, TimeUnit.MILLISECONDS, worker).execute(() -> hedge(self));
        }

        private static void hedge(java.lang.ref.WeakReference<ErasureRead> self) {
            ErasureRead read = self.get();
            if (read != null && !read.result.isDone()) {
                for (int j = 0; j < read.parts.size(); j++) {
                    if (!read.parts.get(j).isDone()) {
                        read.suspect.add(read.first + j);
                    }
                }
                read.degrade();
            }
        }

        /**
         * Reads the covering piece range from k of the readable pieces and rebuilds the data
         * pieces: those the direct read did not suspect first, starting at a rotating position so
         * successive reads share the load; each failure asks the next piece, and if the k have not
         * all answered after {@link #hedgeMillis} every remaining piece is asked too.
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
                    (suspect.contains(i) || failing.contains(byIndex[i].nodeId()) ? doubtful : fresh).add(i);
                }
            }
            List<Integer> order = rotated(fresh);
            order.addAll(doubtful);
            new PieceGather(chunk, byIndex, order, from, (int) (to - from), k, (loc, f, n) -> readPiece(chunk, loc, f, n),
                    repairs).start(worker, hedgeMillis).whenCompleteAsync((got, e) -> {
                        if (e != null) {
                            if (claim()) {
                                result.completeExceptionally(RepairReporter.unwrap(e));
                            }
                        } else {
                            rebuild(got, from);
                        }
                    }, worker);
        }

        private void rebuild(ByteBuffer[] got, long from) {
            try {
                ByteBuffer[] pieces = new ByteBuffer[got.length];
                boolean[] present = new boolean[got.length];
                int sources = 0;
                int span = -1;
                for (int i = 0; i < got.length && sources < codec.dataPieces(); i++) {
                    if (got[i] != null) {
                        pieces[i] = got[i].duplicate();
                        present[i] = true;
                        span = got[i].remaining();
                        sources++;
                    }
                }
                for (int i = first; i <= last; i++) {
                    if (!present[i]) {
                        pieces[i] = ByteBuffer.allocate(span); // only the data stripes the range needs
                    }
                }
                codec.decode(pieces, present);
                if (!claim()) {
                    return; // the direct reads all arrived meanwhile
                }
                ByteBuffer out = dst != null ? dst.slice(dst.position(), length) : ByteBuffer.allocate(length);
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
            } catch (Throwable e) { // an Error too (OutOfMemoryError): whoever waits on the read must hear of it
                claim();
                result.completeExceptionally(e);
            }
        }
    }
}
