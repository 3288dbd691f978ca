package dev.cairn.chunkstore.tls;

import io.vertx.core.http.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Re-reads the certificate and key files every {@link TlsFiles#reloadInterval()} on its own
 * thread (never an event loop) and, when their bytes changed and form a valid pair, gives the new
 * pair to every listener: new connections get it, open ones keep the old. A pair that cannot be
 * served (half-written by a rotation, a key of another certificate...) is logged once and the
 * old pair stays; it is tried again when the files change again.
 */
public final class CertificateReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

    private final TlsFiles files;
    private final List<HttpServer> servers;
    private final ScheduledExecutorService thread;
    private volatile TlsMaterial current;
    private byte[] rejectedCert;
    private byte[] rejectedKey;
    private String lastReadProblem;

    private CertificateReloader(TlsFiles files, TlsMaterial current, List<HttpServer> servers) {
        this.files = files;
        this.current = current;
        this.servers = List.copyOf(servers);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-tls-reload");
            t.setDaemon(true);
            return t;
        });
    }

    /** Watches {@code files} for the pair {@code current} the {@code servers} were started with. */
    public static CertificateReloader start(TlsFiles files, TlsMaterial current, List<HttpServer> servers) {
        CertificateReloader r = new CertificateReloader(files, current, servers);
        long period = files.reloadInterval().toMillis();
        r.thread.scheduleWithFixedDelay(r::check, period, period, TimeUnit.MILLISECONDS);
        return r;
    }

    /** The pair new connections get. */
    public TlsMaterial current() {
        return current;
    }

    void check() {
        try {
            byte[] cert;
            byte[] key;
            try {
                cert = TlsMaterial.read(files.certFile(), "certificate");
                key = TlsMaterial.read(files.keyFile(), "key");
                lastReadProblem = null;
            } catch (TlsException e) {
                if (!e.getMessage().equals(lastReadProblem)) {
                    LOG.warn("TLS reload: {}; still serving {}", e.getMessage(), current.describe());
                    lastReadProblem = e.getMessage();
                }
                return;
            }
            if (current.sameAs(cert, key) || (Arrays.equals(cert, rejectedCert) && Arrays.equals(key, rejectedKey))) {
                return;
            }
            TlsMaterial next;
            try {
                next = TlsMaterial.of(files, cert, key);
            } catch (TlsException e) {
                rejectedCert = cert;
                rejectedKey = key;
                LOG.warn("TLS reload: the new pair is not served: {}; still serving {}", e.getMessage(),
                        current.describe());
                return;
            }
            apply(next);
        } catch (RuntimeException e) {
            LOG.warn("TLS reload failed: {}; still serving {}", e.toString(), current.describe());
        }
    }

    private void apply(TlsMaterial next) {
        for (HttpServer s : servers) {
            try {
                // force: the options compare equal in shape; only the bytes inside changed
                s.updateSSLOptions(next.serverOptions(), true).toCompletionStage().toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // the server is stopping
            } catch (Exception e) {
                LOG.warn("TLS reload: a listener refused the new pair ({}); still serving {}", e.toString(),
                        current.describe());
                return;
            }
        }
        LOG.info("TLS reload: new connections get {} (was {})", next.describe(), current.describe());
        current = next;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
