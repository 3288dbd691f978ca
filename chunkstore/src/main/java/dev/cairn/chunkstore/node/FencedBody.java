package dev.cairn.chunkstore.node;

import dev.cairn.chunkstore.ReadFence;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;

/**
 * A piece read's response body copied, part by part as it arrives, straight into the caller's
 * buffer through a {@link ReadFence}: no array per body and no copy of the whole body. Completes
 * with the bytes received; fails (resetting the request) when the body would pass the room given,
 * or with {@link ReadFence.GivenUp} when the fence was shut while bytes were still arriving.
 * Fed from one event loop.
 */
final class FencedBody {
    private FencedBody() {
    }

    /** Copies {@code resp}'s body into {@code dst} from index {@code at}, at most {@code room} bytes. */
    static Future<Integer> read(HttpClientResponse resp, ByteBuffer dst, int at, int room, ReadFence fence) {
        String cl = resp.getHeader("Content-Length");
        if (cl != null) {
            long declared;
            try {
                declared = Long.parseLong(cl.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared > room) {
                resp.request().reset();
                return Future.failedFuture("response of " + declared + " bytes exceeds the " + room + " asked for");
            }
        }
        Promise<Integer> promise = Promise.promise();
        int[] received = {0};
        resp.handler(chunk -> {
            if (promise.future().isComplete()) {
                return;
            }
            int n = chunk.length();
            if ((long) received[0] + n > room) {
                if (promise.tryFail("response exceeds the " + room + " bytes asked for")) {
                    resp.request().reset();
                }
                return;
            }
            if (!fence.copy(view(chunk), dst, at + received[0])) {
                promise.tryFail(new ReadFence.GivenUp());
                resp.request().reset();
                return;
            }
            received[0] += n;
        });
        resp.exceptionHandler(promise::tryFail);
        resp.endHandler(v -> promise.tryComplete(received[0]));
        return promise.future();
    }

    /** The chunk's bytes as a ByteBuffer, without a copy when it is one contiguous buffer. */
    private static ByteBuffer view(Buffer chunk) {
        ByteBuf b = ((BufferInternal) chunk).getByteBuf();
        return b.nioBufferCount() == 1 ? b.nioBuffer() : ByteBuffer.wrap(chunk.getBytes());
    }
}
