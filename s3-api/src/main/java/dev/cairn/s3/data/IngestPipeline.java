package dev.cairn.s3.data;

import dev.cairn.placement.storage.ChunkWriter;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.auth.AwsChunkedDecoder;
import dev.cairn.s3.auth.PayloadMode;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.ReadStream;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Streams one upload body into chunks, through small stages: body decoder ({@link AwsChunkedDecoder}:
 * framing and chunk signatures) -> chunker (this class, on the event loop) -> digests
 * ({@link BodyDigests}, on this upload's serial lane) -> chunk transforms and sink ({@link ChunkSink}:
 * the {@link ChunkCodec} and the {@link ChunkWriter}, on the worker pool). The result is an
 * {@link UncommittedWrite}: the caller commits it to metadata or aborts it.
 *
 * <p>Design: the event loop only frames and copies. Incoming bytes (after aws-chunked decoding)
 * are copied into the current chunk buffer; a full chunk is sealed and handed to the lane, which
 * hashes it and hands it to the sink. At most {@link #MAX_SEALED} sealed chunks may be unfinished
 * (hashed, transformed or being written) at once; beyond that the request is paused, so memory per
 * upload is bounded by (MAX_SEALED + 1) chunks whatever the object size, and the writes of
 * consecutive chunks overlap. Verification happens when the last chunk is hashed; any failure
 * discards every piece written.
 *
 * <p>Copies: the bytes Vert.x hands over are copied once, into the chunk buffer, a direct buffer
 * from {@link ChunkBuffers} (reused, never zeroed or grown by doubling once a chunk is under way);
 * the digests read it through a small staging array and the piece file is written from it with
 * no further copy in the JVM.
 *
 * <p>Memory across uploads: a chunk buffer starts at {@link #INITIAL_BUFFER}; once that is full it
 * is replaced by one of the chunk's whole size (or doubles while the budget is spent), taken from
 * the process's {@link IngestBudget}. While the budget is spent, uploads stop reading, and those
 * waiting or idle write their partial chunk out early (chunks may be shorter than the chunk size),
 * which gives the memory back. A body that sends nothing for the idle timeout while it is read
 * fails with RequestTimeout.
 */
public final class IngestPipeline {
    /**
     * Sealed chunks one upload may have unfinished at once (3; the system property
     * {@code cairn.ingest.chunksInFlight} overrides it, for benchmarks against one at a time).
     */
    static final int MAX_SEALED = Integer.getInteger("cairn.ingest.chunksInFlight", 3);
    /** A chunk buffer starts at this size, so a stalled upload holds kilobytes, not a chunk. */
    static final int INITIAL_BUFFER = 64 * 1024;
    /** Under memory pressure, an upload idle this long writes out its partial chunk. */
    static final long FLUSH_WHEN_IDLE_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(500);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Context context;
    private final ReadStream<Buffer> body;
    private final BodyExpectations expect;
    private final ChunkWriter writer;
    private final MetadataStore metadata;
    private final SerialExecutor lane;
    private final Executor pool;
    private final int chunkSize;
    private final int inlineThreshold;
    private final Promise<UncommittedWrite> promise = Promise.promise();

    // event-loop state
    private final AwsChunkedDecoder decoder;
    private final IngestBudget budget;
    private final ChunkBuffers buffers = ChunkBuffers.shared();
    private final long idleTimeoutNanos;
    private ByteBuffer current; // filled from 0 to filled, by absolute puts
    private int currentTarget; // the size current grows to: the chunk size, or less at the end of a declared body
    private int filled;
    private List<BodyDigests.ChunkEnd> markers = new ArrayList<>();
    private BodyDigests.Trailers trailers;
    private long received;
    private int unfinished;
    private boolean sealedLast;
    private boolean paused;
    private boolean waitingForBudget;
    private long lastActivityNanos;
    private long idleTimer = -1;
    private volatile boolean failed;

    // lane state
    private final BodyDigests digests;
    private final ChunkSink sink;
    private byte[] inline;

    private record Sealed(ByteBuffer data, int length, List<BodyDigests.ChunkEnd> ends, boolean last,
                          BodyDigests.Trailers trailers) {
    }

    /**
     * @param idleTimeout how long the body may send nothing (while this pipeline is reading it)
     *                    before the upload fails with RequestTimeout
     */
    public IngestPipeline(Context context, ReadStream<Buffer> body, BodyExpectations expect, ChunkWriter writer,
                          MetadataStore metadata, Executor pool, int chunkSize, int inlineThreshold,
                          IngestBudget budget, java.time.Duration idleTimeout) {
        this.context = context;
        this.body = body;
        this.expect = expect;
        this.writer = writer;
        this.metadata = metadata;
        this.pool = pool;
        this.lane = new SerialExecutor(pool);
        this.chunkSize = chunkSize;
        this.inlineThreshold = inlineThreshold;
        PayloadMode mode = expect.payloadMode();
        this.digests = new BodyDigests(expect);
        this.sink = new ChunkSink(writer, metadata, pool, expect.codec(), expect.part(), expect.storageClass());
        this.decoder = mode.streaming() ? new AwsChunkedDecoder(mode, new DecoderListener()) : null;
        this.budget = budget;
        this.idleTimeoutNanos = idleTimeout.toNanos();
    }

    /** Starts reading the (paused) body; completes when the body is stored and verified. */
    public Future<UncommittedWrite> run() {
        body.handler(this::onBuffer);
        body.endHandler(v -> onEnd());
        body.exceptionHandler(this::fail);
        lastActivityNanos = System.nanoTime();
        long tick = Math.max(50, Math.min(250, idleTimeoutNanos / 4_000_000));
        idleTimer = context.owner().setPeriodic(tick, t -> checkIdle());
        promise.future().onComplete(r -> stopTimer());
        body.resume();
        return promise.future();
    }

    // ---------------------------------------------------------------- event loop

    private void onBuffer(Buffer buffer) {
        if (failed) {
            return;
        }
        lastActivityNanos = System.nanoTime();
        try {
            if (decoder != null) {
                decoder.feed(buffer);
            } else {
                append(buffer);
            }
            if (budget.over() && !waitingForBudget && !failed) {
                waitingForBudget = true;
                updateFlow();
                budget.await(context, this::budgetReleased);
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void budgetReleased() {
        if (failed) {
            return;
        }
        if (budget.over()) {
            budget.await(context, this::budgetReleased);
            return;
        }
        waitingForBudget = false;
        updateFlow();
    }

    /** Reads the body unless a sealed chunk is still being written or the memory budget is spent. */
    private void updateFlow() {
        boolean hold = !failed && ((unfinished >= MAX_SEALED && !sealedLast) || waitingForBudget);
        if (hold && !paused) {
            paused = true;
            body.pause();
        } else if (!hold && paused) {
            paused = false;
            lastActivityNanos = System.nanoTime(); // the client was not idle while we did not read
            body.resume();
        }
    }

    /**
     * A client that sends nothing for the idle timeout while we read gets RequestTimeout (400), as
     * from S3. While the memory budget is spent, an upload that waits for it or has been idle for
     * a moment writes what it holds as a smaller chunk, so held memory goes back to the uploads
     * that are sending.
     */
    private void checkIdle() {
        if (failed || sealedLast) {
            stopTimer();
            return;
        }
        long idle = System.nanoTime() - lastActivityNanos;
        if (budget.over() && current != null && filled >= INITIAL_BUFFER && unfinished < MAX_SEALED
                && (waitingForBudget || idle >= FLUSH_WHEN_IDLE_NANOS)) {
            seal(false);
        }
        if (paused) {
            lastActivityNanos = System.nanoTime();
        } else if (idle > idleTimeoutNanos) {
            fail(new S3Exception(S3ErrorCode.REQUEST_TIMEOUT));
        }
    }

    private void stopTimer() {
        if (idleTimer >= 0) {
            context.owner().cancelTimer(idleTimer);
            idleTimer = -1;
        }
    }

    private final class DecoderListener implements AwsChunkedDecoder.Listener {
        @Override
        public void onData(Buffer slice) {
            append(slice);
        }

        @Override
        public void onChunkEnd(String chunkSignature) {
            markers.add(new BodyDigests.ChunkEnd(filled, chunkSignature));
        }

        @Override
        public void onTrailers(Map<String, String> values, String canonicalTrailerBlock, String trailerSignature) {
            trailers = new BodyDigests.Trailers(values, canonicalTrailerBlock, trailerSignature);
        }
    }

    private void append(Buffer data) {
        int pos = 0;
        int len = data.length();
        ByteBuf bytes = data instanceof BufferInternal b ? b.getByteBuf() : null;
        while (pos < len) {
            makeRoom();
            int n = Math.min(len - pos, room() - filled);
            copy(data, bytes, pos, n);
            filled += n;
            pos += n;
            received += n;
            if (received > expect.maxLength()) {
                throw new S3Exception(S3ErrorCode.ENTITY_TOO_LARGE);
            }
            if (filled == chunkSize) {
                seal(false);
            }
        }
    }

    /** Copies {@code n} bytes at {@code pos} of {@code data} (whose Netty buffer is {@code bytes}, or null) to the chunk. */
    private void copy(Buffer data, ByteBuf bytes, int pos, int n) {
        if (bytes == null) {
            current.put(filled, data.getBytes(pos, pos + n));
        } else if (bytes.hasArray()) {
            current.put(filled, bytes.array(), bytes.arrayOffset() + pos, n);
        } else {
            bytes.getBytes(pos, current.duplicate().limit(filled + n).position(filled));
        }
    }

    /** How many bytes the chunk buffer may hold: its capacity, but never past the chunk's target. */
    private int room() {
        return Math.min(current.capacity(), currentTarget);
    }

    /**
     * Makes room for at least one more byte in the chunk buffer. It starts small (a stalled upload
     * holds kilobytes, not a chunk); once that is full it is replaced by one of the target size, so
     * the chunk is copied once more only for its first {@link #INITIAL_BUFFER} bytes (while the
     * budget is spent it doubles instead). Every buffer is taken from the budget.
     */
    private void makeRoom() {
        if (current == null) {
            currentTarget = bufferSizeForNextChunk();
            current = take(Math.min(currentTarget, INITIAL_BUFFER));
            filled = 0;
            return;
        }
        if (filled < room()) {
            return;
        }
        if (current.capacity() >= currentTarget) {
            throw tooLong();
        }
        int size = budget.over() ? (int) Math.min(currentTarget, 2L * current.capacity()) : currentTarget;
        ByteBuffer bigger = take(size);
        bigger.put(0, current, 0, filled);
        giveBack(current);
        current = bigger;
    }

    private ByteBuffer take(int size) {
        ByteBuffer b = buffers.take(size, chunkSize);
        budget.reserve(b.capacity());
        return b;
    }

    /** Returns a buffer nothing uses any more to the budget and the pool. */
    private void giveBack(ByteBuffer b) {
        budget.release(b.capacity());
        buffers.give(b);
    }

    private int bufferSizeForNextChunk() {
        long declared = expect.declaredLength();
        if (declared >= 0) {
            long remaining = declared - received;
            if (remaining <= 0) {
                throw tooLong();
            }
            return (int) Math.min(chunkSize, remaining);
        }
        return chunkSize;
    }

    private S3Exception tooLong() {
        return new S3Exception(S3ErrorCode.INVALID_REQUEST,
                "The request body is longer than the declared length " + expect.declaredLength());
    }

    private void seal(boolean last) {
        ByteBuffer data = current == null ? EMPTY : current;
        Sealed s = new Sealed(data, filled, markers, last, last ? trailers : null);
        current = null;
        filled = 0;
        markers = new ArrayList<>();
        unfinished++;
        sealedLast |= last;
        updateFlow();
        lane.execute(() -> process(s));
    }

    private void onEnd() {
        if (failed) {
            return;
        }
        try {
            if (decoder != null) {
                decoder.end();
            }
            if (expect.declaredLength() >= 0 && received != expect.declaredLength()) {
                throw new S3Exception(S3ErrorCode.INCOMPLETE_BODY);
            }
            seal(true);
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void chunkFinished() {
        unfinished--;
        updateFlow();
    }

    private void fail(Throwable error) {
        if (failed) {
            return;
        }
        failed = true;
        stopTimer();
        if (current != null) {
            giveBack(current);
            current = null;
        }
        promise.tryFail(error);
        // everything written so far is garbage; discard once in-flight writes settle
        lane.execute(sink::discardAll);
    }

    // ---------------------------------------------------------------- worker lane

    private void process(Sealed s) {
        boolean released = false; // the buffer goes back once, when its chunk is written or dropped
        try {
            if (failed) {
                released = true;
                giveBack(s.data());
                return;
            }
            ByteBuffer chunk = s.data().slice(0, s.length());
            digests.absorb(chunk, s.ends());
            if (s.last() && received <= inlineThreshold && sink.isEmpty()) {
                inline = new byte[s.length()];
                chunk.get(0, inline);
            }
            CompletableFuture<StoredChunk> write = inline == null && s.length() > 0
                    ? sink.write(chunk, () -> buffers.give(s.data()))
                    : null;
            released = true;
            if (write != null) {
                // the budget counts the chunk until it is written; the pool gets the buffer back
                // once no piece write reads it any more (a straggling copy may still be at it)
                write.whenComplete((v, e) -> budget.release(s.data().capacity()));
            } else {
                giveBack(s.data());
            }
            if (s.last()) {
                BodyDigests.Verified verified = digests.finish(s.trailers());
                sink.all().whenComplete((chunks, e) -> context.runOnContext(x -> {
                    chunkFinished();
                    if (e != null) {
                        fail(unwrap(e));
                    } else {
                        IngestResult result = new IngestResult(received, verified.md5(), expect.checksum(),
                                verified.checksumDigest(), inline, chunks);
                        promise.tryComplete(new UncommittedWrite(result, writer, metadata, pool));
                    }
                }));
            } else if (write != null) {
                write.whenComplete((v, e) -> context.runOnContext(x -> {
                    chunkFinished();
                    if (e != null) {
                        fail(unwrap(e));
                    }
                }));
            } else {
                context.runOnContext(x -> chunkFinished());
            }
        } catch (RuntimeException e) {
            if (!released) {
                giveBack(s.data());
            }
            context.runOnContext(x -> {
                chunkFinished();
                fail(e);
            });
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
