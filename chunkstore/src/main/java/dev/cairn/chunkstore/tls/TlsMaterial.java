package dev.cairn.chunkstore.tls;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;

import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * One certificate chain and its private key, read from PEM files and checked: the certificate
 * file parses and holds at least one certificate, the key file parses, and the key belongs to the
 * first certificate (it signs what that certificate's public key verifies). Every failure is a
 * {@link TlsException} naming the file and the cause.
 */
public final class TlsMaterial {
    /** TLS 1.2 and 1.3 only: older versions are refused at the handshake. */
    public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    private final byte[] certPem;
    private final byte[] keyPem;
    private final List<X509Certificate> chain;

    private TlsMaterial(byte[] certPem, byte[] keyPem, List<X509Certificate> chain) {
        this.certPem = certPem;
        this.keyPem = keyPem;
        this.chain = chain;
    }

    /** Reads and checks the pair named by {@code files}. */
    public static TlsMaterial load(TlsFiles files) {
        byte[] cert = read(files.certFile(), "certificate");
        byte[] key = read(files.keyFile(), "key");
        return of(files, cert, key);
    }

    /** Checks a pair already read from {@code files} (the reloader compares bytes before it parses). */
    static TlsMaterial of(TlsFiles files, byte[] cert, byte[] key) {
        List<X509Certificate> chain = certificates(files.certFile(), cert);
        PrivateKey privateKey = privateKey(files, cert, key, chain.get(0));
        checkPair(files, privateKey, chain.get(0).getPublicKey());
        return new TlsMaterial(cert, key, chain);
    }

    static byte[] read(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new TlsException("cannot read the TLS " + what + " file " + file + ": no such file");
        } catch (IOException e) {
            throw new TlsException("cannot read the TLS " + what + " file " + file + ": " + e);
        }
    }

    private static List<X509Certificate> certificates(Path file, byte[] pem) {
        if (!new String(pem, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
            throw new TlsException("the TLS certificate file " + file
                    + " holds no PEM certificate (no -----BEGIN CERTIFICATE----- line)");
        }
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem));
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : certs) {
                chain.add((X509Certificate) c);
            }
            if (chain.isEmpty()) {
                throw new TlsException("the TLS certificate file " + file + " holds no certificate");
            }
            return List.copyOf(chain);
        } catch (CertificateException e) {
            throw new TlsException("the TLS certificate file " + file + " is not a valid PEM certificate chain: "
                    + e.getMessage());
        }
    }

    private static PrivateKey privateKey(TlsFiles files, byte[] cert, byte[] key, X509Certificate leaf) {
        String text = new String(key, StandardCharsets.US_ASCII);
        if (!text.matches("(?s).*-----BEGIN (RSA |EC )?PRIVATE KEY-----.*")) {
            throw new TlsException("the TLS key file " + files.keyFile() + " holds no unencrypted PEM private key "
                    + "(expected -----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)");
        }
        try {
            PemKeyCertOptions pem = new PemKeyCertOptions().setCertValue(Buffer.buffer(cert)).setKeyValue(Buffer.buffer(key));
            // the values are in memory: Vert.x needs no instance to read them
            for (KeyManager km : pem.getKeyManagerFactory(null).getKeyManagers()) {
                if (km instanceof X509KeyManager x) {
                    String[] aliases = x.getServerAliases(leaf.getPublicKey().getAlgorithm(), null);
                    if (aliases != null && aliases.length > 0 && x.getPrivateKey(aliases[0]) != null) {
                        return x.getPrivateKey(aliases[0]);
                    }
                }
            }
            throw new TlsException("the TLS key file " + files.keyFile() + " holds no " + leaf.getPublicKey().getAlgorithm()
                    + " key for the certificate in " + files.certFile());
        } catch (TlsException e) {
            throw e;
        } catch (Exception e) {
            throw new TlsException("the TLS key file " + files.keyFile() + " is not a valid PEM private key: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    /** The key must sign what the certificate's public key verifies, or clients could not finish a handshake. */
    private static void checkPair(TlsFiles files, PrivateKey key, PublicKey certKey) {
        String algorithm = switch (certKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return; // an unusual key type: the handshake will tell
        }
        byte[] probe = "cairn tls key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certKey);
            verifier.update(probe);
            if (!verifier.verify(sig)) {
                throw new TlsException("the TLS key file " + files.keyFile() + " does not belong to the certificate in "
                        + files.certFile());
            }
        } catch (GeneralSecurityException e) {
            throw new TlsException("the TLS key file " + files.keyFile() + " does not belong to the certificate in "
                    + files.certFile() + ": " + e.getMessage());
        }
    }

    /** The listener options: this pair, TLS 1.2 and 1.3, HTTP/1.1 (no ALPN). */
    public ServerSSLOptions serverOptions() {
        return new ServerSSLOptions()
                .setKeyCertOptions(keyCertOptions())
                .setEnabledSecureTransportProtocols(PROTOCOLS)
                .setUseAlpn(false);
    }

    /** The pair as Vert.x takes it. */
    public PemKeyCertOptions keyCertOptions() {
        return new PemKeyCertOptions().setCertValue(Buffer.buffer(certPem)).setKeyValue(Buffer.buffer(keyPem));
    }

    /** The server's own certificate (the first of the chain). */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** Whether these are the bytes {@code cert} and {@code key}. */
    boolean sameAs(byte[] cert, byte[] key) {
        return Arrays.equals(certPem, cert) && Arrays.equals(keyPem, key);
    }

    /** {@code CN=..., serial 1a2b, expires 2027-01-01T00:00:00Z}. */
    public String describe() {
        X509Certificate c = certificate();
        return c.getSubjectX500Principal().getName() + ", serial " + c.getSerialNumber().toString(16)
                + ", expires " + c.getNotAfter().toInstant();
    }
}
