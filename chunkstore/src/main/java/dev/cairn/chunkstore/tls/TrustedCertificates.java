package dev.cairn.chunkstore.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * The certificates of a PEM file (a private CA, {@code --ca-cert}) as what a client trusts instead
 * of the JVM's default trust store. Failures are {@link TlsException}s naming the file.
 */
public final class TrustedCertificates {
    private TrustedCertificates() {
    }

    /** Trust managers that accept exactly the chains ending in a certificate of {@code pemFile}. */
    public static TrustManagerFactory trustManagers(Path pemFile) {
        byte[] pem = TlsMaterial.read(pemFile, "CA certificate");
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem));
            if (certs.isEmpty()) {
                throw new TlsException("the CA certificate file " + pemFile + " holds no PEM certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsException("the CA certificate file " + pemFile + " is not a valid PEM certificate: "
                    + e.getMessage());
        }
    }

    /** A TLS client context trusting the certificates of {@code pemFile}. */
    public static SSLContext sslContext(Path pemFile) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trustManagers(pemFile).getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot trust " + pemFile + ": " + e.getMessage());
        }
    }
}
