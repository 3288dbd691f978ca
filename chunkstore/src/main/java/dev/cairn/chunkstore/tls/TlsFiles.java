package dev.cairn.chunkstore.tls;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the listeners' certificate and key live ({@code --tls-cert}, {@code --tls-key}) and how
 * often they are re-read for a rotated pair.
 *
 * @param certFile       PEM certificate, the server's first, then any intermediates (the chain)
 * @param keyFile        PEM private key of the first certificate (PKCS#8, PKCS#1 RSA or SEC1 EC)
 * @param reloadInterval how often both files are re-read; a changed, valid pair is served to new
 *                       connections
 */
public record TlsFiles(Path certFile, Path keyFile, Duration reloadInterval) {
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(5);

    public TlsFiles {
        if (certFile == null || keyFile == null) {
            throw new IllegalArgumentException("TLS needs both a certificate and a key file");
        }
        if (reloadInterval == null || reloadInterval.isNegative() || reloadInterval.isZero()) {
            throw new IllegalArgumentException("the TLS reload interval must be positive");
        }
    }

    public static TlsFiles of(Path certFile, Path keyFile) {
        return new TlsFiles(certFile, keyFile, DEFAULT_RELOAD_INTERVAL);
    }
}
