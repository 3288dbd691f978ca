package dev.cairn.s3.data;

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
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerResponse;
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

    private final MetadataStore metadata;
    private final ChunkReader reader;
    private final Executor pool;
    private final ReadLeases leases;

    public ObjectStreamer(MetadataStore metadata, ChunkReader reader, Executor pool, ReadLeases leases) {
        this.metadata = metadata;
        this.reader = reader;
        this.pool = pool;
        this.leases = leases;
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

    /** {@link #open(Context, ObjectRecord, long, long, ChunkCodec)} for an unencrypted object. */
    public Future<Transfer> open(Context context, ObjectRecord object, long start, long length) {
        return open(context, object, start, length, CompressingCodec.INSTANCE);
    }

    /**
     * Reads the first segment of bytes [start, start + length): completes with a transfer that
     * streams them, or fails - with nothing written, so the caller can still answer an error
     * (503 when the pieces cannot be read) - when even the first segment cannot be read. A
     * transfer that opened must be ended: {@link Transfer#to} or {@link Transfer#abandon}.
     * {@code codec} turns the object's stored chunks back into their original bytes.
     */
    public Future<Transfer> open(Context context, ObjectRecord object, long start, long length, ChunkCodec codec) {
        return new Transfer(context, object, start, length, codec).open();
    }

    private static HttpClosedException clientClosed() {
        return new HttpClosedException("connection closed by client");
    }

    private record Segment(int chunkIndex, long offset, int length) {
    }

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
        private final Map<Integer, CompletableFuture<ByteBuffer>> reads = new HashMap<>();
        private final List<ChunkId> leased;
        private final ObjectChunks data;
        private final Promise<Void> promise = Promise.promise();
        private int next;
        private boolean closed;

        Transfer(Context context, ObjectRecord object, long start, long length, ChunkCodec codec) {
            this.context = context;
            this.data = new ObjectChunks(object, reader, codec, pool);
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
                // a read still in flight must not find its chunk collected
                CompletableFuture<?>[] inFlight = reads.values().toArray(CompletableFuture[]::new);
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
                reads.remove(index);
                next = index + 1;
                if (next < segments.size()) {
                    read(next); // read ahead
                }
                ByteBuffer data = r.result();
                Buffer buffer = data.hasArray() && data.arrayOffset() == 0 && data.position() == 0
                        && data.remaining() == data.array().length
                        ? Buffer.buffer(data.array())
                        : bufferOf(data);
                if (buffer.length() != segments.get(index).length()) {
                    LOG.error("short read of chunk {}: wanted {} bytes, got {}",
                            chunks.get(segments.get(index).chunkIndex()).id(), segments.get(index).length(),
                            buffer.length());
                    response.reset();
                    promise.tryFail("short read");
                    return;
                }
                response.write(buffer);
                if (response.writeQueueFull()) {
                    response.drainHandler(v -> step());
                } else {
                    // a later event-loop turn: a read that is already done would otherwise recurse
                    // into the next segment, holding the loop (and growing the stack) for as long as
                    // the client keeps up
                    context.runOnContext(v -> step());
                }
            });
        }

        private CompletableFuture<ByteBuffer> read(int index) {
            CompletableFuture<ByteBuffer> existing = reads.get(index);
            if (existing != null) {
                return existing;
            }
            Segment s = segments.get(index);
            CompletableFuture<ByteBuffer> f = record(s.chunkIndex())
                    .thenCompose(rec -> data.read(s.chunkIndex(), rec, s.offset(), s.length()));
            reads.put(index, f);
            return f;
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

    private static Buffer bufferOf(ByteBuffer data) {
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return Buffer.buffer(copy);
    }
}
