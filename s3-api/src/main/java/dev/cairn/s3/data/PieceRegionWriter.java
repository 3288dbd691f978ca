package dev.cairn.s3.data;

import dev.cairn.chunkstore.PieceRange;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.VertxConnection;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * Writes verified piece ranges into a plain HTTP/1 response as Netty file regions, which the
 * transport sends with {@code FileChannel.transferTo} ({@code sendfile}): the bytes go from the
 * page cache to the socket without being copied into the JVM and out again. Only on Vert.x's
 * HTTP/1 connection without TLS ({@link #of} is null otherwise: TLS must encrypt the bytes in
 * the JVM, and those responses write buffers). A region goes through the connection's outbound
 * queue, the same queue the response's own writes take, so it keeps its place among them.
 * (Vert.x's own {@code sendFile} ends the response; a GET sends many ranges of many files.)
 * Call on the request's event loop.
 */
public final class PieceRegionWriter {
    private final VertxConnection connection;
    /** Bytes of ranges written to the response (event loop only). */
    private long sent;

    private PieceRegionWriter(VertxConnection connection) {
        this.connection = connection;
    }

    private static volatile boolean enabled = true;

    /**
     * Whether GETs send verified piece ranges from the files at all ({@code --get-sendfile}, on by
     * default; set once at start-up for the process). Off, every segment goes through a buffer:
     * more server CPU per GiB, but each response is written in 1 MiB writes instead of one
     * {@code sendfile} per 64 KiB block, which a client on the same host receives more cheaply.
     */
    public static void enable(boolean on) {
        enabled = on;
    }

    /** A writer for this request's response, or null when its connection cannot take file regions. */
    public static PieceRegionWriter of(HttpServerRequest request) {
        if (!enabled || request.isSSL() || request.version() == HttpVersion.HTTP_2) {
            return null;
        }
        HttpConnection c = request.connection();
        return c instanceof VertxConnection v ? new PieceRegionWriter(v) : null;
    }

    /**
     * Queues the range after everything the response wrote so far (the caller has had the
     * response's head written); completes on the event loop once the range is in the socket, or
     * failed when the connection closed first. The caller closes the range after either.
     */
    Future<Void> write(PieceRange range) {
        ChannelPromise written = connection.channelHandlerContext().newPromise();
        Promise<Void> done = Promise.promise();
        written.addListener(f -> {
            if (f.isSuccess()) {
                done.complete();
            } else {
                done.fail(f.cause());
            }
        });
        sent += range.length(); // counted when written, as the response counts its own writes
        connection.writeToChannel(new RangeRegion(range), written);
        return done.future();
    }

    /** Bytes of ranges written through this writer: the response's body bytes that its own count misses. */
    public long bytesSent() {
        return sent;
    }

    /**
     * A piece range as a Netty file region. Releasing it frees nothing: the range is closed by
     * the writer's caller once the write's promise completed, which it always does (also when
     * the connection closed before the region reached the socket and Netty never saw it).
     */
    private static final class RangeRegion extends AbstractReferenceCounted implements FileRegion {
        private final PieceRange range;
        private long transferred;

        RangeRegion(PieceRange range) {
            this.range = range;
        }

        @Override
        public long position() {
            return 0;
        }

        @Override
        @Deprecated
        public long transfered() {
            return transferred;
        }

        @Override
        public long transferred() {
            return transferred;
        }

        @Override
        public long count() {
            return range.length();
        }

        @Override
        public long transferTo(WritableByteChannel target, long position) throws IOException {
            long n = range.transferTo(position, target);
            transferred += n;
            return n;
        }

        @Override
        public FileRegion retain() {
            super.retain();
            return this;
        }

        @Override
        public FileRegion retain(int increment) {
            super.retain(increment);
            return this;
        }

        @Override
        public FileRegion touch() {
            return this;
        }

        @Override
        public FileRegion touch(Object hint) {
            return this;
        }

        @Override
        protected void deallocate() {
            // the range is closed by the writer's caller (see above)
        }
    }
}
