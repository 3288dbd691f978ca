package dev.cairn.tools.it;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An upload body that stops after {@code gateAt} bytes until the test opens the gate: the test
 * knows the server has the first part, does something to the cluster, and lets the rest go.
 */
final class GatedInputStream extends FilterInputStream {
    private static final long MAX_WAIT_SECONDS = 60;

    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch open = new CountDownLatch(1);
    private final long gateAt;
    private long pos;

    GatedInputStream(InputStream in, long gateAt) {
        super(in);
        this.gateAt = gateAt;
    }

    /** Waits until the reader has taken the first {@code gateAt} bytes and asks for more. */
    boolean awaitGate(long timeout, TimeUnit unit) throws InterruptedException {
        return reached.await(timeout, unit);
    }

    void open() {
        open.countDown();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (pos == gateAt) {
            reached.countDown();
            try {
                if (!open.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IOException("the gate was not opened within " + MAX_WAIT_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        int n = super.read(b, off, pos < gateAt ? (int) Math.min(len, gateAt - pos) : len);
        if (n > 0) {
            pos += n;
        }
        return n;
    }
}
