package dev.cairn.metadata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class KeyCodecTest {
    private static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;

    /** Strings chosen to hit the edges: empty, NUL, prefixes, 0x01 (the terminator's second byte), high UTF-8. */
    private static final List<String> EDGE = List.of("", "\0", "\0\0", "\u0001", "a", "a\0", "a\0b", "a\u0001", "ab",
            "a/", "a/b", "a-b", "b", "\u007f", "\u0080", "\u07ff", "\u0800", "\uFFFD", "\uFFFF", "\uD83D\uDE00",
            "\uD83D\uDE00\0", "\uDBFF\uDFFF", "z\uFFFF");

    private static List<byte[]> randomBytes(Random r, int n) {
        byte[] alphabet = {0x00, 0x01, 0x02, 0x2F, 0x61, 0x7F, (byte) 0x80, (byte) 0xFE, (byte) 0xFF};
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[r.nextInt(6)];
            for (int j = 0; j < b.length; j++) {
                b[j] = alphabet[r.nextInt(alphabet.length)];
            }
            out.add(b);
        }
        return out;
    }

    private static String randomString(Random r) {
        String[] pieces = {"", "\0", "a", "b", "/", "-", "\u00e9", "\u4e2d", "\uFFFD", "\uD83D\uDE00", "\u0001", "~"};
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            sb.append(pieces[r.nextInt(pieces.length)]);
        }
        return sb.toString();
    }

    private static byte[] terminated(byte[] raw) {
        return KeyCodec.concat(KeyCodec.escape(raw), new byte[] {0, 1});
    }

    @Test
    void escapingRoundTripsAndPreservesOrderForArbitraryBytes() {
        Random r = new Random(1);
        List<byte[]> values = randomBytes(r, 400);
        for (byte[] a : values) {
            KeyCodec.Field f = KeyCodec.readTerminated(KeyCodec.concat(terminated(a), new byte[] {9, 9}), 0);
            assertArrayEquals(a, f.raw());
            assertEquals(terminated(a).length, f.end());
            for (byte[] b : values) {
                // escaped + terminator + any trailing field keeps the raw order of the strings
                byte[] ka = KeyCodec.concat(terminated(a), new byte[] {(byte) 0xFF});
                byte[] kb = KeyCodec.concat(terminated(b), new byte[] {0x00});
                int raw = Integer.signum(Arrays.compareUnsigned(a, b));
                if (raw != 0) {
                    assertEquals(raw, Integer.signum(Arrays.compareUnsigned(ka, kb)),
                            Arrays.toString(a) + " vs " + Arrays.toString(b));
                }
            }
        }
    }

    @Test
    void prefixStringSortsFirstEvenWhenFollowedByNulOrHighBytes() {
        byte[] a = {0x61};
        for (byte[] longer : List.of(new byte[] {0x61, 0x00}, new byte[] {0x61, 0x01}, new byte[] {0x61, (byte) 0xFF})) {
            assertTrue(Arrays.compareUnsigned(KeyCodec.concat(terminated(a), new byte[] {(byte) 0xFF, (byte) 0xFF}),
                    terminated(longer)) < 0);
        }
    }

    @Test
    void malformedEscapedFieldIsRejected() {
        assertThrows(MetadataException.StorageFailure.class, () -> KeyCodec.readTerminated(new byte[] {0x61}, 0));
        assertThrows(MetadataException.StorageFailure.class, () -> KeyCodec.readTerminated(new byte[] {0x61, 0x00}, 0));
        assertThrows(MetadataException.StorageFailure.class,
                () -> KeyCodec.readTerminated(new byte[] {0x00, 0x05, 0x00, 0x01}, 0));
    }

    @Test
    void objectKeysSortInUtf8ByteOrderNotJavaStringOrder() {
        Random r = new Random(2);
        List<String> keys = new ArrayList<>(EDGE);
        for (int i = 0; i < 300; i++) {
            keys.add(randomString(r));
        }
        List<String> byUtf8 = new ArrayList<>(keys);
        byUtf8.sort(Comparator.comparing(KeyCodec::utf8, UNSIGNED));
        List<String> byKey = new ArrayList<>(keys);
        byKey.sort(Comparator.comparing(k -> KeyCodec.objectKey("bucket", k), UNSIGNED));
        assertEquals(byUtf8, byKey);
        // the case where UTF-16 order differs: U+FFFD sorts before U+1F600 in UTF-8
        assertTrue("\uFFFD".compareTo("\uD83D\uDE00") > 0);
        assertTrue(Arrays.compareUnsigned(KeyCodec.objectKey("b", "\uFFFD"), KeyCodec.objectKey("b", "\uD83D\uDE00")) < 0);
    }

    @Test
    void bucketsNeverInterleave() {
        List<String> keys = new ArrayList<>(EDGE);
        keys.addAll(List.of("-b", "-b/x", "\0\u0001", "\uFFFF\uFFFF"));
        List<String> buckets = List.of("a", "a-b", "a.b", "ab", "b");
        for (int i = 0; i < buckets.size(); i++) {
            for (int j = i + 1; j < buckets.size(); j++) {
                String lo = buckets.get(i);
                String hi = buckets.get(j);
                for (String k1 : keys) {
                    for (String k2 : keys) {
                        assertTrue(Arrays.compareUnsigned(KeyCodec.objectKey(lo, k1), KeyCodec.objectKey(hi, k2)) < 0,
                                lo + "/" + k1 + " vs " + hi + "/" + k2);
                    }
                    assertFalse(KeyCodec.startsWith(KeyCodec.objectKey(hi, k1), KeyCodec.bucketPrefix(lo)));
                    assertTrue(KeyCodec.startsWith(KeyCodec.objectKey(lo, k1), KeyCodec.bucketPrefix(lo)));
                }
            }
        }
    }

    @Test
    void uploadKeysSortByKeyThenUploadId() {
        Random r = new Random(3);
        record Upload(String key, byte[] id) {
        }
        List<Upload> uploads = new ArrayList<>();
        for (String k : EDGE) {
            for (int i = 0; i < 3; i++) {
                byte[] id = new byte[16];
                r.nextBytes(id);
                if (i == 0) {
                    Arrays.fill(id, (byte) 0xFF);
                }
                uploads.add(new Upload(k, id));
            }
        }
        Comparator<Upload> model = Comparator.<Upload, byte[]>comparing(u -> KeyCodec.utf8(u.key()), UNSIGNED)
                .thenComparing(Upload::id, UNSIGNED);
        List<Upload> expected = new ArrayList<>(uploads);
        expected.sort(model);
        List<Upload> actual = new ArrayList<>(uploads);
        actual.sort(Comparator.comparing(u -> KeyCodec.uploadKey("bkt", u.key(), u.id()), UNSIGNED));
        assertEquals(expected, actual);
        // every upload of a key lies under the key's escaped prefix, and of no other key
        for (Upload u : uploads) {
            byte[] k = KeyCodec.uploadKey("bkt", u.key(), u.id());
            byte[] rel = Arrays.copyOfRange(k, KeyCodec.bucketPrefix("bkt").length, k.length);
            assertArrayEquals(KeyCodec.utf8(u.key()), KeyCodec.readTerminated(rel, 0).raw());
            assertTrue(KeyCodec.startsWith(rel, KeyCodec.uploadKeyPrefix(KeyCodec.utf8(u.key()))));
        }
    }

    @Test
    void integersAreFixedWidthBigEndian() {
        byte[] id = new byte[16];
        int[] numbers = {1, 2, 255, 256, 9999, 10000, 65536};
        for (int i = 1; i < numbers.length; i++) {
            assertTrue(Arrays.compareUnsigned(KeyCodec.partKey(id, numbers[i - 1]), KeyCodec.partKey(id, numbers[i])) < 0);
            assertEquals(numbers[i], KeyCodec.partNumber(KeyCodec.partKey(id, numbers[i])));
        }
        long[] times = {0, 1, 255, 256, 1_700_000_000_000L, Long.MAX_VALUE};
        ChunkId c = ChunkId.random();
        for (int i = 1; i < times.length; i++) {
            assertTrue(Arrays.compareUnsigned(KeyCodec.timedChunkKey(times[i - 1], c),
                    KeyCodec.timedChunkKey(times[i], ChunkId.random())) < 0);
            assertEquals(times[i], KeyCodec.timedChunkMillis(KeyCodec.timedChunkKey(times[i], c)));
            assertEquals(c, KeyCodec.timedChunkId(KeyCodec.timedChunkKey(times[i], c)));
        }
        assertEquals(300, KeyCodec.statsStripe(KeyCodec.statsKey(300)));
    }

    @Test
    void successorIsTheFirstKeyAfterEverythingWithThePrefix() {
        assertArrayEquals(new byte[] {0x61, 0x63}, KeyCodec.successor(new byte[] {0x61, 0x62}));
        assertArrayEquals(new byte[] {0x62}, KeyCodec.successor(new byte[] {0x61, (byte) 0xFF, (byte) 0xFF}));
        assertArrayEquals(new byte[] {0x01}, KeyCodec.successor(new byte[] {0x00, (byte) 0xFF}));
        assertNull(KeyCodec.successor(new byte[] {(byte) 0xFF, (byte) 0xFF}));
        assertNull(KeyCodec.successor(new byte[0]));
        Random r = new Random(4);
        for (byte[] p : randomBytes(r, 200)) {
            byte[] s = KeyCodec.successor(p);
            for (byte[] k : randomBytes(r, 20)) {
                byte[] key = KeyCodec.concat(p, k);
                assertTrue(s == null || Arrays.compareUnsigned(key, s) < 0);
            }
            if (s != null) {
                assertFalse(KeyCodec.startsWith(s, p));
                assertTrue(Arrays.compareUnsigned(p, s) < 0);
            }
        }
    }

    @Test
    void uploadIdsMustBeLowercaseHex() {
        String id = ChunkId.random().hex();
        assertEquals(id, KeyCodec.uploadIdString(KeyCodec.uploadIdBytes(id)));
        assertNull(KeyCodec.uploadIdBytes("ABCDEF0123456789ABCDEF0123456789"));
        assertNull(KeyCodec.uploadIdBytes("abc"));
        assertNull(KeyCodec.uploadIdBytes(null));
        assertNull(KeyCodec.uploadIdBytes("g".repeat(32)));
    }
}
