package dev.cairn.s3.data;

import dev.cairn.chunkstore.PieceRange;
import dev.cairn.placement.storage.ReadLeases;
import dev.cairn.placement.storage.ChunkReader;
import dev.cairn.metadata.ChunkId;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.ChunkRef;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.ObjectRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Streams a byte range of an object to an HTTP response with backpressure. Reads go in segments
 * of at most {@link #SEGMENT} bytes with one segment read ahead, so a download holds about two
 * segments in memory whatever the object size; chunk records are fetched from metadata in small
 * batches as the stream advances. The first segment is read before the caller writes any header
 * ({@link #open}), so an object that cannot be read at all gets an error answer; a read failure
 * after the headers went out resets the connection: the client sees a broken transfer, never
 * wrong bytes. When the client goes away the transfer fails at once with
 * {@link HttpClosedException}, and its read leases are released once the reads still in flight
 * have finished.
 */
public final class ObjectStreamer {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectStreamer.class);
    static final int SEGMENT = 1024 * 1024;
    private static final int RECORD_BATCH = 32;
    /**
     * Segment writes a transfer leaves in the response's queue at once; the next segment is read
     * only when fewer are. (Vert.x's HTTP/1 queue says full only after about 16 messages, which
     * held 18 MiB per download.)
     */
    static final int WRITES_IN_FLIGHT = 2;
    /** Idle segment buffers kept for reuse (their memory when no GET runs). */
    private static final int IDLE_SEGMENTS = 32;

    private final MetadataStore metadata;
    private final ChunkReader reader;
    private final Executor pool;
    private final ReadLeases leases;
    private final SegmentBuffers buffers = new SegmentBuffers(SEGMENT, IDLE_SEGMENTS);
    /** Bytes sent as verified piece ranges straight from the piece files (no copy in the JVM). */
    private final java.util.concurrent.atomic.LongAdder sentFromFiles = new java.util.concurrent.atomic.LongAdder();

    public ObjectStreamer(MetadataStore metadata, ChunkReader reader, Executor pool, ReadLeases leases) {
        this.metadata = metadata;
        this.reader = reader;
        this.pool = pool;
        this.leases = leases;
    }

    /** Registers the segment buffers' gauges: how many exist (allocated once, then reused) and how many are idle. */
    public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.Gauge.builder("cairn.get.segment.buffers", buffers, SegmentBuffers::allocated)
                .description("Direct buffers of 1 MiB the GET path has allocated; each is reused after its write")
                .register(registry);
        io.micrometer.core.instrument.Gauge.builder("cairn.get.segment.buffers.idle", buffers, SegmentBuffers::idle)
                .description("Segment buffers kept for reuse and not in use now")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("cairn.get.sent.from.files", sentFromFiles,
                        java.util.concurrent.atomic.LongAdder::sum)
                .description("GET body bytes sent from verified piece files by the kernel (sendfile), not copied through the JVM")
                .baseUnit("bytes")
                .register(registry);
    }

    /**
     * Writes bytes [start, start + length) of the object and ends the response.
     *
     * @param clientGone completes when the client closes the connection before the end
     */
    public Future<Void> stream(Context context, HttpServerResponse response, Future<Void> clientGone,
                               ObjectRecord object, long start, long length) {
        return open(context, object, start, length).compose(t -> t.to(response, clientGone));
    }

    /** {@link #open(Context, ObjectRecord, long, long, ChunkCodec, PieceRegionWriter)} for an unencrypted object, buffers only. */
    public Future<Transfer> open(Context context, ObjectRecord object, long start, long length) {
        return open(context, object, start, length, CompressingCodec.INSTANCE, null);
    }

    /**
     * Reads the first segment of bytes [start, start + length): completes with a transfer that
     * streams them, or fails - with nothing written, so the caller can still answer an error
     * (503 when the pieces cannot be read) - when even the first segment cannot be read. A
     * transfer that opened must be ended: {@link Transfer#to} or {@link Transfer#abandon}.
     * {@code codec} turns the object's stored chunks back into their original bytes. With
     * {@code regions} (the response's connection takes file regions), a segment of a chunk
     * stored as its original bytes in a local piece file is verified there and sent from the file
     * by the kernel; other segments (transformed, erasure-coded or remote chunks, or a copy that
     * failed) are read into a buffer as without it.
     */
    public Future<Transfer> open(Context context, ObjectRecord object, long start, long length, ChunkCodec codec,
                                 PieceRegionWriter regions) {
        return new Transfer(context, object, start, length, codec, regions).open();
    }

    private static HttpClosedException clientClosed() {
        return new HttpClosedException("connection closed by client");
    }

    private record Segment(int chunkIndex, long offset, int length) {
    }

    /** A segment read into {@code buffer}, or opened as a piece range (the future's value; null when in the buffer). */
    private record SegmentRead(ByteBuffer buffer, CompletableFuture<PieceRange> done) {
    }

    private static final Buffer NO_BYTES = Buffer.buffer(new byte[0]);

    /** One object range on its way to a response; {@link #to} streams it. */
    public final class Transfer {
        private final Context context;
        private final ObjectRecord object;
        private final long start;
        private final long length;
        private HttpServerResponse response;
        private final List<ChunkRef> chunks;
        private final List<Segment> segments = new ArrayList<>();
        private final Map<Integer, ChunkRecord> records = new HashMap<>();
        /** Segment reads started and not yet handed to the response, each with the buffer it fills. */
        private final Map<Integer, SegmentRead> reads = new HashMap<>();
        /** Chunk reads started ahead of their first segment and maybe not done (decoded chunks only). */
        private final List<CompletableFuture<Void>> chunksAhead = new ArrayList<>();
        /** The highest chunk index read ahead so far (chunk 0's first segment reads it anyway). */
        private int chunkAheadUpTo;
        private final List<ChunkId> leased;
        private final ObjectChunks data;
        /** Where segments opened as piece ranges are written; null: every segment goes through a buffer. */
        private final PieceRegionWriter regions;
        private final Promise<Void> promise = Promise.promise();
        private int next;
        private boolean closed;
        /** Segments handed to the response whose write has not completed (event loop only). */
        private int writing;
        private boolean waitingForWrite;

        Transfer(Context context, ObjectRecord object, long start, long length, ChunkCodec codec,
                 PieceRegionWriter regions) {
            this.context = context;
            this.regions = regions;
            this.data = new ObjectChunks(object, reader, codec, pool, start, length);
            this.object = object;
            this.start = start;
            this.length = length;
            this.chunks = object.chunks();
            long chunkStart = 0;
            long end = start + length;
            for (int i = 0; i < chunks.size() && chunkStart < end; i++) {
                long size = chunks.get(i).size();
                long from = Math.max(start, chunkStart);
                long to = Math.min(end, chunkStart + size);
                for (long pos = from; pos < to; pos += SEGMENT) {
                    segments.add(new Segment(i, pos - chunkStart, (int) Math.min(SEGMENT, to - pos)));
                }
                chunkStart += size;
            }
            this.leased = chunks.stream().map(ChunkRef::id).toList();
        }

        Future<Transfer> open() {
            if (object.isInline() || segments.isEmpty()) {
                return Future.succeededFuture(this);
            }
            leases.acquire(leased);
            promise.future().onComplete(r -> {
                // a read still in flight must not find its chunk collected, nor its buffer freed
                CompletableFuture<?>[] inFlight = new CompletableFuture<?>[reads.size() + chunksAhead.size()];
                int i = 0;
                for (SegmentRead pending : reads.values()) {
                    inFlight[i++] = pending.done().whenComplete((range, e) -> {
                        buffers.release(pending.buffer());
                        if (range != null) {
                            range.close();
                        }
                    });
                }
                for (CompletableFuture<Void> ahead : chunksAhead) {
                    inFlight[i++] = ahead;
                }
                reads.clear();
                chunksAhead.clear();
                CompletableFuture.allOf(inFlight).whenComplete((v, e) -> leases.release(leased));
            });
            return Future.fromCompletionStage(read(0), context).transform(r -> {
                if (r.failed()) {
                    LOG.warn("cannot read the first bytes of an object: {}", r.cause().toString());
                    promise.tryFail(r.cause());
                    return Future.failedFuture(r.cause());
                }
                return Future.succeededFuture(this);
            });
        }

        /** Gives the transfer up before anything was written (its leases go once its reads are done). */
        public void abandon(Throwable why) {
            promise.tryFail(why);
        }

        /**
         * Writes the range to {@code out} (headers set by the caller, first segment already read)
         * and ends it; fails at once when {@code clientGone} completes first.
         */
        public Future<Void> to(HttpServerResponse out, Future<Void> clientGone) {
            if (object.isInline()) {
                return out.end(Buffer.buffer(java.util.Arrays.copyOfRange(object.inline(), (int) start,
                        (int) (start + length))));
            }
            if (segments.isEmpty()) {
                return out.end();
            }
            this.response = out;
            clientGone.onComplete(v -> {
                closed = true;
                promise.tryFail(clientClosed());
            });
            step();
            return promise.future();
        }

        private void step() {
            if (closed) {
                promise.tryFail(clientClosed());
                return;
            }
            if (next >= segments.size()) {
                response.end().onComplete(promise);
                return;
            }
            int index = next;
            Future.fromCompletionStage(read(index), context).onComplete(r -> {
                if (closed) {
                    promise.tryFail(clientClosed());
                    return;
                }
                if (r.failed()) {
                    LOG.error("read failed mid-stream, resetting connection: {}", r.cause().toString());
                    response.reset();
                    promise.tryFail(r.cause());
                    return;
                }
                SegmentRead done = reads.remove(index);
                if (done == null) { // the transfer ended meanwhile and took its buffer back
                    promise.tryFail(clientClosed());
                    return;
                }
                ByteBuffer data = done.buffer();
                PieceRange range = r.result();
                next = index + 1;
                if (next < segments.size()) {
                    read(next); // read ahead
                }
                writing++;
                Future<Void> written;
                if (range == null) {
                    written = response.write(BufferInternal.buffer(Unpooled.wrappedBuffer(data)));
                } else {
                    buffers.release(data); // never filled: the bytes go from the piece file
                    if (!response.headWritten()) {
                        response.write(NO_BYTES); // the head, through the queue the range takes next
                    }
                    written = regions.write(range);
                }
                written.onComplete(w -> {
                    if (range == null) {
                        buffers.release(data);
                    } else {
                        range.close();
                        if (w.succeeded()) {
                            sentFromFiles.add(range.length());
                        }
                    }
                    writing--;
                    if (waitingForWrite && !promise.future().isComplete()) {
                        waitingForWrite = false;
                        step();
                    }
                });
                if (response.writeQueueFull()) {
                    response.drainHandler(v -> step());
                } else if (writing >= WRITES_IN_FLIGHT) {
                    waitingForWrite = true; // the response's queue takes many segments before it says full
                } else {
                    // a later event-loop turn: a read that is already done would otherwise recurse
                    // into the next segment, holding the loop (and growing the stack) for as long as
                    // the client keeps up
                    context.runOnContext(v -> step());
                }
            });
        }

        /**
         * Starts reading a segment into a reused direct buffer, which the response then writes
         * without a copy, or - with {@link #regions} - opening it as a verified piece range, which
         * the kernel sends from the file; the buffer is reused when its write finished, or when the
         * transfer ended without writing it and its read finished (never while a read may fill it),
         * and a range is closed likewise.
         */
        private CompletableFuture<PieceRange> read(int index) {
            SegmentRead existing = reads.get(index);
            if (existing != null) {
                return existing.done();
            }
            if (promise.future().isComplete()) {
                return CompletableFuture.failedFuture(new IllegalStateException("transfer already ended"));
            }
            Segment s = segments.get(index);
            ByteBuffer buffer = buffers.acquire(s.length());
            CompletableFuture<PieceRange> f = record(s.chunkIndex()).thenCompose(rec -> regions != null
                    ? data.openOrReadInto(s.chunkIndex(), rec, s.offset(), buffer)
                    : data.readInto(s.chunkIndex(), rec, s.offset(), buffer).thenApply(v -> (PieceRange) null));
            reads.put(index, new SegmentRead(buffer, f));
            readChunkAhead(s.chunkIndex() + 1);
            return f;
        }

        /** Starts on chunk {@code chunkIndex} early when the range reaches it (see {@link ObjectChunks#readAhead}). */
        private void readChunkAhead(int chunkIndex) {
            if (chunkIndex <= chunkAheadUpTo || chunkIndex > segments.get(segments.size() - 1).chunkIndex()) {
                return;
            }
            chunkAheadUpTo = chunkIndex;
            chunksAhead.removeIf(CompletableFuture::isDone);
            chunksAhead.add(record(chunkIndex)
                    .thenCompose(rec -> data.readAhead(chunkIndex, rec))
                    .handle((v, e) -> null));
        }

        /** The chunk record, fetched with the next few in one metadata call (results cached per transfer). */
        private CompletableFuture<ChunkRecord> record(int chunkIndex) {
            ChunkRecord known;
            synchronized (records) {
                known = records.get(chunkIndex);
            }
            if (known != null) {
                return CompletableFuture.completedFuture(known);
            }
            return CompletableFuture.supplyAsync(() -> {
                int to = Math.min(chunks.size(), chunkIndex + RECORD_BATCH);
                List<ChunkId> ids = new ArrayList<>(to - chunkIndex);
                for (int i = chunkIndex; i < to; i++) {
                    ids.add(chunks.get(i).id());
                }
                List<Optional<ChunkRecord>> found = metadata.getChunks(ids);
                synchronized (records) {
                    for (int i = 0; i < found.size(); i++) {
                        int at = chunkIndex + i;
                        found.get(i).ifPresent(r -> records.put(at, r));
                    }
                    ChunkRecord r = records.get(chunkIndex);
                    if (r == null) {
                        throw new IllegalStateException("chunk record missing: " + chunks.get(chunkIndex).id());
                    }
                    return r;
                }
            }, pool);
        }
    }
}
