package dev.cairn.tools.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A private certificate authority made with {@code openssl} in a test's directory: a CA
 * certificate ({@link #caCert()}, what clients are told to trust) and server certificates it
 * signs for {@code localhost} and {@code 127.0.0.1}, each with its own serial, written as a chain
 * file (server certificate, then the CA) and an EC key file.
 */
public final class TestCa {
    private static final AtomicInteger SERIAL = new AtomicInteger(0x1000);

    private final Path dir;
    private final Path caKey;
    private final Path caCert;

    private TestCa(Path dir) {
        this.dir = dir;
        this.caKey = dir.resolve("ca.key");
        this.caCert = dir.resolve("ca.crt");
    }

    /** A new CA in {@code dir}; skips the test (fails it under CI) when openssl is missing. */
    public static TestCa create(Path dir) {
        ExternalTool.require("openssl");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestCa ca = new TestCa(dir);
        ca.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", ca.caKey.toString(), "-out", ca.caCert.toString(), "-days", "2",
                "-subj", "/CN=Cairn Test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return ca;
    }

    public Path caCert() {
        return caCert;
    }

    /** A server certificate with subject {@code CN=commonName} and a fresh serial, signed by this CA. */
    public Issued issue(String name, String commonName) {
        return issue(name, commonName, List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"));
    }

    /** As {@link #issue(String, String)} with an RSA key ({@code bits} long). */
    public Issued issueRsa(String name, String commonName, int bits) {
        return issue(name, commonName, List.of("-newkey", "rsa:" + bits));
    }

    /**
     * Writes {@code issued}'s key the way cert-manager does by default, in the algorithm's own
     * format ({@code BEGIN RSA PRIVATE KEY}, PKCS#1, or {@code BEGIN EC PRIVATE KEY}, SEC1)
     * instead of PKCS#8, and returns the new key file.
     */
    public Path traditionalKey(Issued issued, String algorithm) {
        Path out = issued.key().resolveSibling(issued.key().getFileName() + "." + algorithm + ".traditional");
        if (algorithm.equals("rsa")) {
            openssl("rsa", "-in", issued.key().toString(), "-traditional", "-out", out.toString());
        } else { // openssl ec writes SEC1 by default
            openssl(algorithm, "-in", issued.key().toString(), "-out", out.toString());
        }
        return out;
    }

    private Issued issue(String name, String commonName, List<String> newKey) {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path leaf = dir.resolve(name + ".leaf.crt");
        Path ext = dir.resolve(name + ".ext");
        Path chain = dir.resolve(name + ".crt");
        try {
            Files.writeString(ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                    + "extendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
            List<String> req = new java.util.ArrayList<>(List.of("req", "-new"));
            req.addAll(newKey);
            req.addAll(List.of("-nodes", "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + commonName));
            openssl(req.toArray(String[]::new));
            BigInteger serial = BigInteger.valueOf(SERIAL.incrementAndGet()).shiftLeft(32)
                    .add(BigInteger.valueOf(System.nanoTime() & 0x7fffffffL));
            openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                    "-set_serial", "0x" + serial.toString(16), "-days", "2", "-extfile", ext.toString(),
                    "-out", leaf.toString());
            Files.writeString(chain, Files.readString(leaf) + Files.readString(caCert));
            return new Issued(chain, key, serial);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Puts {@code issued} at {@code cert} and {@code key} the way a rotation does: each file
     * written beside its target and renamed over it, so a reader sees the old or the new bytes.
     */
    public static void install(Issued issued, Path cert, Path key) {
        try {
            for (var move : List.of(List.of(issued.key(), key), List.of(issued.cert(), cert))) {
                Path tmp = move.get(1).resolveSibling(move.get(1).getFileName() + ".tmp");
                Files.copy(move.get(0), tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, move.get(1), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void openssl(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        CommandLine.of(cmd).timeout(Duration.ofSeconds(60)).logTo(dir, "openssl-" + args[0]).run().assertOk();
    }

    /**
     * A certificate chain file, its key, and the serial of the server certificate.
     */
    public record Issued(Path cert, Path key, BigInteger serial) {
        /** The first certificate of the chain file. */
        public X509Certificate certificate() {
            try (var in = Files.newInputStream(cert)) {
                return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (java.security.cert.CertificateException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
