package dev.cairn.s3.checksum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.Checksum;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.checksums.SdkChecksum;

class ChecksumAlgorithmTest {
    static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void checkValues() {
        assertEquals("cbf43926", hex(ChecksumAlgorithm.CRC32.digest(CHECK)));
        assertEquals("e3069283", hex(ChecksumAlgorithm.CRC32C.digest(CHECK)));
        assertEquals("ae8b14860a799888", hex(ChecksumAlgorithm.CRC64NVME.digest(CHECK)));
        assertEquals("f7c3bc1d808e04732adf679965ccc34ca7ae3441", hex(ChecksumAlgorithm.SHA1.digest(CHECK)));
        assertEquals("15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225",
                hex(ChecksumAlgorithm.SHA256.digest(CHECK)));
        for (ChecksumAlgorithm alg : ChecksumAlgorithm.values()) {
            assertEquals(alg.digestLength(), alg.digest(CHECK).length);
            assertEquals(alg.isCrc() ? 0 : alg.digestLength(),
                    alg.isCrc() ? hex(alg.digest(new byte[0])).replace("0", "").length() : alg.digest(new byte[0]).length,
                    "CRC of nothing is 0");
        }
    }

    /** Values the AWS SDK and the S3 documentation show on the wire. */
    @Test
    void wireValues() {
        assertEquals("Wwzelw==", ChecksumAlgorithm.encode(
                ChecksumAlgorithm.CRC32.digest("hello world 12345678".getBytes(StandardCharsets.US_ASCII))));
        byte[] a = new byte[66560];
        java.util.Arrays.fill(a, (byte) 'a');
        assertEquals("sOO8/Q==", ChecksumAlgorithm.encode(ChecksumAlgorithm.CRC32C.digest(a)));
        assertArrayEquals(ChecksumAlgorithm.CRC32C.digest(a), ChecksumAlgorithm.CRC32C.decode("sOO8/Q=="));
    }

    @Test
    void names() {
        assertEquals("x-amz-checksum-crc32", ChecksumAlgorithm.CRC32.headerName());
        assertEquals("x-amz-checksum-crc64nvme", ChecksumAlgorithm.CRC64NVME.headerName());
        assertEquals(Optional.of(ChecksumAlgorithm.CRC32C), ChecksumAlgorithm.fromName("crc32c"));
        assertEquals(Optional.of(ChecksumAlgorithm.CRC64NVME), ChecksumAlgorithm.fromName("CRC64NVME"));
        assertEquals(Optional.of(ChecksumAlgorithm.SHA256), ChecksumAlgorithm.fromName("Sha256"));
        assertEquals(Optional.empty(), ChecksumAlgorithm.fromName("md5"));
        assertEquals(Optional.empty(), ChecksumAlgorithm.fromName(null));
        assertEquals(Optional.of(ChecksumAlgorithm.SHA1), ChecksumAlgorithm.fromHeaderName("x-amz-checksum-sha1"));
        assertEquals(Optional.empty(), ChecksumAlgorithm.fromHeaderName("x-amz-checksum-type"));
        assertEquals(Optional.empty(), ChecksumAlgorithm.fromHeaderName("x-amz-checksum-algorithm"));
        assertTrue(ChecksumAlgorithm.CRC64NVME.isCrc());
        assertFalse(ChecksumAlgorithm.SHA1.isCrc());
        for (ChecksumAlgorithm alg : ChecksumAlgorithm.values()) {
            assertEquals(Optional.of(alg), ChecksumAlgorithm.fromHeaderName(alg.headerName()));
            assertEquals(Optional.of(alg), ChecksumAlgorithm.fromName(alg.wireName().toLowerCase()));
        }
    }

    @Test
    void decodeRejectsBadValues() {
        for (String bad : new String[] {"", "not base64!", "AAAA", "AAAAAAAAAAA=", null}) {
            S3Exception e = assertThrows(S3Exception.class, () -> ChecksumAlgorithm.CRC32.decode(bad));
            assertEquals(S3ErrorCode.INVALID_REQUEST, e.error());
            assertEquals("Value for x-amz-checksum-crc32 header is invalid.", e.getMessage());
        }
        assertEquals(8, ChecksumAlgorithm.CRC64NVME.decode("AAAAAAAAAAA=").length);
    }

    @Test
    void agreesWithTheAwsSdk() {
        Random rnd = new Random(11);
        ChecksumAlgorithm[] ours = {ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.SHA1,
            ChecksumAlgorithm.SHA256};
        var sdk = new software.amazon.awssdk.checksums.spi.ChecksumAlgorithm[] {DefaultChecksumAlgorithm.CRC32,
            DefaultChecksumAlgorithm.CRC32C, DefaultChecksumAlgorithm.SHA1, DefaultChecksumAlgorithm.SHA256};
        for (int i = 0; i < 200; i++) {
            byte[] data = new byte[rnd.nextInt(3000)];
            rnd.nextBytes(data);
            for (int a = 0; a < ours.length; a++) {
                SdkChecksum oracle = SdkChecksum.forAlgorithm(sdk[a]);
                oracle.update(data, 0, data.length);
                assertArrayEquals(oracle.getChecksumBytes(), ours[a].digest(data), ours[a] + " " + data.length);
            }
        }
    }

    /** Bit-at-a-time CRC-64/NVME, straight from the definition. */
    static long crc64Reference(byte[] data) {
        long crc = -1L;
        for (byte b : data) {
            crc ^= b & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9a6c9329ac4bc9b5L : crc >>> 1;
            }
        }
        return ~crc;
    }

    @Test
    void crc64NvmeMatchesReferenceAtEveryLengthAndAlignment() {
        Random rnd = new Random(5);
        byte[] big = new byte[4096];
        rnd.nextBytes(big);
        for (int len = 0; len < 300; len++) {
            int off = rnd.nextInt(16);
            byte[] data = java.util.Arrays.copyOfRange(big, off, off + len);
            long expected = crc64Reference(data);
            Crc64Nvme heap = new Crc64Nvme();
            heap.update(ByteBuffer.wrap(big, off, len));
            assertEquals(expected, heap.value(), "heap len " + len);
            Crc64Nvme direct = new Crc64Nvme();
            ByteBuffer d = ByteBuffer.allocateDirect(len + 16);
            d.position(off).put(data).position(off).limit(off + len);
            direct.update(d);
            assertEquals(expected, direct.value(), "direct len " + len);
            Crc64Nvme readOnly = new Crc64Nvme();
            readOnly.update(ByteBuffer.wrap(data).asReadOnlyBuffer());
            assertEquals(expected, readOnly.value(), "read-only len " + len);
        }
    }

    @Test
    void splitUpdatesEqualOneUpdateAndLeaveBuffersAlone() {
        Random rnd = new Random(9);
        byte[] data = new byte[100_000];
        rnd.nextBytes(data);
        for (ChecksumAlgorithm alg : ChecksumAlgorithm.values()) {
            byte[] whole = alg.digest(data);
            for (boolean direct : new boolean[] {false, true}) {
                ByteBuffer buf = direct ? ByteBuffer.allocateDirect(data.length) : ByteBuffer.allocate(data.length + 10);
                if (!direct) {
                    buf.position(10);
                    buf = buf.slice();
                }
                buf.put(data).flip();
                Hasher h = alg.newHasher();
                int pos = 0;
                while (pos < data.length) {
                    int n = Math.min(1 + rnd.nextInt(5000), data.length - pos);
                    ByteBuffer part = buf.duplicate().position(pos).limit(pos + n);
                    h.update(part);
                    assertEquals(pos, part.position(), "update must not move the position");
                    assertEquals(pos + n, part.limit());
                    pos += n;
                }
                assertArrayEquals(whole, h.digest(), alg + (direct ? " direct" : " heap"));
            }
        }
    }

    /** The CRT library's CRC64NVME (what the SDK uses for it), when its jar is in the local Maven repository. */
    static Optional<Supplier<Checksum>> crtCrc64Nvme() throws IOException {
        Path dir = Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"),
                "software/amazon/awssdk/crt/aws-crt");
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        Optional<Path> jar;
        try (Stream<Path> files = Files.walk(dir, 2)) {
            jar = files.filter(p -> p.getFileName().toString().matches("aws-crt-[0-9.]+\\.jar")).findFirst();
        }
        if (jar.isEmpty()) {
            return Optional.empty();
        }
        try {
            URLClassLoader loader = new URLClassLoader(new java.net.URL[] {jar.get().toUri().toURL()}, null);
            Class<?> type = loader.loadClass("software.amazon.awssdk.crt.checksums.CRC64NVME");
            Supplier<Checksum> s = () -> {
                try {
                    return (Checksum) type.getConstructor().newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            };
            s.get().update(1); // loads the native library
            return Optional.of(s);
        } catch (ReflectiveOperationException | LinkageError | IllegalStateException e) {
            return Optional.empty();
        }
    }

    @Test
    void crc64NvmeAgreesWithTheAwsCrt() throws IOException {
        Optional<Supplier<Checksum>> crt = crtCrc64Nvme();
        Assumptions.assumeTrue(crt.isPresent(), "aws-crt jar not in the local Maven repository");
        Random rnd = new Random(13);
        for (int i = 0; i < 300; i++) {
            byte[] data = new byte[i < 100 ? i : rnd.nextInt(200_000)];
            rnd.nextBytes(data);
            Checksum oracle = crt.get().get();
            oracle.update(data, 0, data.length);
            Crc64Nvme ours = new Crc64Nvme();
            ours.update(data);
            assertEquals(oracle.getValue(), ours.value(), "length " + data.length);
        }
    }

    @Test
    void crc64NvmeThroughput() {
        byte[] data = new byte[8 << 20];
        new Random(1).nextBytes(data);
        Crc64Nvme warm = new Crc64Nvme();
        for (int i = 0; i < 8; i++) {
            warm.update(data);
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t = System.nanoTime();
            Crc64Nvme c = new Crc64Nvme();
            c.update(data);
            best = Math.min(best, System.nanoTime() - t);
        }
        double gbPerS = data.length / (best / 1e9) / 1e9;
        System.out.printf("CRC64NVME: %.2f GB/s%n", gbPerS);
        // Loose bound: the machine is shared; a table-free or byte-wise implementation would be ~5x slower.
        assertTrue(gbPerS > 0.3, gbPerS + " GB/s");
    }
}
