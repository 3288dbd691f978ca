package dev.cairn.s3.checksum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class MultipartChecksumsTest {

    @Test
    void fullObjectEqualsTheChecksumOfTheConcatenation() {
        Random rnd = new Random(21);
        for (ChecksumAlgorithm alg : List.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.CRC64NVME)) {
            for (int trial = 0; trial < 40; trial++) {
                int parts = 1 + rnd.nextInt(6);
                List<byte[]> digests = new ArrayList<>();
                List<Long> sizes = new ArrayList<>();
                ByteArrayOutputStream whole = new ByteArrayOutputStream();
                for (int p = 0; p < parts; p++) {
                    int size = switch (rnd.nextInt(4)) {
                        case 0 -> 0;
                        case 1 -> 1 + rnd.nextInt(16);
                        default -> rnd.nextInt(300_000);
                    };
                    byte[] data = new byte[size];
                    rnd.nextBytes(data);
                    digests.add(alg.digest(data));
                    sizes.add((long) size);
                    whole.writeBytes(data);
                }
                assertEquals(ChecksumAlgorithm.encode(alg.digest(whole.toByteArray())),
                        MultipartChecksums.fullObject(alg, digests, sizes), alg + " " + sizes);
            }
        }
    }

    @Test
    void fullObjectOfHugePartsAgreesWithZeroExtension() {
        // A part of 5 GiB of zeros: its CRC is computed by extending, and combining must agree with
        // combining the same part in two halves.
        for (ChecksumAlgorithm alg : List.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.CRC64NVME)) {
            byte[] a = alg.digest("first part".getBytes());
            byte[] b = alg.digest("second".getBytes());
            byte[] c = alg.digest("third!".getBytes());
            long big = 5L << 30;
            byte[] bc = MultipartChecksums.fullObjectDigest(alg, List.of(b, c), List.of(big, 6L));
            assertArrayEquals(MultipartChecksums.fullObjectDigest(alg, List.of(a, b, c), List.of(10L, big, 6L)),
                    MultipartChecksums.fullObjectDigest(alg, List.of(a, bc), List.of(10L, big + 6)));
        }
    }

    @Test
    void fullObjectAgreesWithTheSdkCrcCombine() {
        // The AWS SDK's own CRC32 combine (used for its flexible checksums) as a second oracle.
        long[][] matrices = software.amazon.awssdk.checksums.internal.CrcCombineChecksumUtil
                .generateCombineMatrices(0xEDB88320L);
        Random rnd = new Random(3);
        for (int i = 0; i < 50; i++) {
            byte[] x = new byte[rnd.nextInt(5000)];
            byte[] y = new byte[1 + rnd.nextInt(5000)];
            rnd.nextBytes(x);
            rnd.nextBytes(y);
            CRC32 cx = new CRC32();
            cx.update(x);
            CRC32 cy = new CRC32();
            cy.update(y);
            long sdk = software.amazon.awssdk.checksums.internal.CrcCombineChecksumUtil.combine(cx.getValue(), cy.getValue(),
                    y.length, matrices);
            byte[] ours = MultipartChecksums.fullObjectDigest(ChecksumAlgorithm.CRC32,
                    List.of(ChecksumAlgorithm.CRC32.digest(x), ChecksumAlgorithm.CRC32.digest(y)),
                    List.of((long) x.length, (long) y.length));
            assertEquals(sdk, Long.parseLong(java.util.HexFormat.of().formatHex(ours), 16));
        }
    }

    @Test
    void composite() {
        for (ChecksumAlgorithm alg : ChecksumAlgorithm.values()) {
            byte[] p1 = alg.digest("part one".getBytes());
            byte[] p2 = alg.digest("part two".getBytes());
            byte[] concat = new byte[p1.length * 2];
            System.arraycopy(p1, 0, concat, 0, p1.length);
            System.arraycopy(p2, 0, concat, p1.length, p2.length);
            assertEquals(Base64.getEncoder().encodeToString(alg.digest(concat)) + "-2",
                    MultipartChecksums.composite(alg, List.of(p1, p2)));
        }
        byte[] one = ChecksumAlgorithm.SHA256.digest(new byte[0]);
        assertEquals(ChecksumAlgorithm.encode(ChecksumAlgorithm.SHA256.digest(one)) + "-1",
                MultipartChecksums.composite(ChecksumAlgorithm.SHA256, List.of(one)));
    }

    @Test
    void invalidArguments() {
        assertThrows(IllegalArgumentException.class,
                () -> MultipartChecksums.fullObject(ChecksumAlgorithm.SHA256, List.of(new byte[32]), List.of(1L)));
        assertThrows(IllegalArgumentException.class,
                () -> MultipartChecksums.fullObject(ChecksumAlgorithm.CRC32, List.of(new byte[4]), List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> MultipartChecksums.fullObject(ChecksumAlgorithm.CRC32, List.of(new byte[8]), List.of(1L)));
        assertThrows(IllegalArgumentException.class,
                () -> MultipartChecksums.fullObject(ChecksumAlgorithm.CRC32, List.of(new byte[4]), List.of(-1L)));
        assertThrows(IllegalArgumentException.class, () -> MultipartChecksums.composite(ChecksumAlgorithm.CRC32, List.of()));
        assertEquals("AAAAAA==", MultipartChecksums.fullObject(ChecksumAlgorithm.CRC32, List.of(), List.of()));
    }
}
