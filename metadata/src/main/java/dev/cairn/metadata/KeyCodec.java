package dev.cairn.metadata;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Binary RocksDB keys whose unsigned byte order is S3 listing order. The layouts are documented
 * in {@link MetadataSchema}; this class is the only place that builds or parses them.
 *
 * <p>A variable-length string that is followed by more fields is <em>escaped</em>: every 0x00
 * byte becomes 0x00 0xFF, and the string ends with the terminator 0x00 0x01. Because 0x00 is
 * always followed by 0xFF inside an escaped string, the terminator sorts below any continuation,
 * so a string sorts before every longer string it is a prefix of, and escaped order equals raw
 * order. A string that is the last field of a key is stored raw (UTF-8). Integers are fixed-width
 * big-endian.
 */
final class KeyCodec {
    static final byte ESCAPE = 0x00;
    static final byte ESCAPED_ZERO = (byte) 0xFF;
    static final byte TERMINATOR = 0x01;
    static final int UPLOAD_ID_LENGTH = 16;

    private KeyCodec() {
    }

    static byte[] utf8(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }

    static String string(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** The escaped form of {@code raw} without terminator. */
    static byte[] escape(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 2);
        writeEscaped(out, raw);
        return out.toByteArray();
    }

    private static void writeEscaped(ByteArrayOutputStream out, byte[] raw) {
        for (byte b : raw) {
            out.write(b);
            if (b == ESCAPE) {
                out.write(ESCAPED_ZERO);
            }
        }
    }

    private static void writeTerminated(ByteArrayOutputStream out, byte[] raw) {
        writeEscaped(out, raw);
        out.write(ESCAPE);
        out.write(TERMINATOR);
    }

    /** Result of reading an escaped, terminated field: the raw bytes and the offset after the terminator. */
    record Field(byte[] raw, int end) {
    }

    /** Reads the escaped, terminated field starting at {@code offset}. */
    static Field readTerminated(byte[] key, int offset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(key.length - offset);
        int i = offset;
        while (i < key.length) {
            byte b = key[i];
            if (b != ESCAPE) {
                out.write(b);
                i++;
                continue;
            }
            if (i + 1 >= key.length) {
                break;
            }
            byte next = key[i + 1];
            if (next == TERMINATOR) {
                return new Field(out.toByteArray(), i + 2);
            }
            if (next != ESCAPED_ZERO) {
                break;
            }
            out.write(ESCAPE);
            i += 2;
        }
        throw new MetadataException.StorageFailure("malformed escaped key field", null);
    }

    // ---- buckets: raw UTF-8 name ----

    static byte[] bucketKey(String bucket) {
        return utf8(bucket);
    }

    /** escaped(bucket) + terminator: the prefix of every object and upload key of the bucket. */
    static byte[] bucketPrefix(String bucket) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bucket.length() + 2);
        writeTerminated(out, utf8(bucket));
        return out.toByteArray();
    }

    // ---- bucket configs: escaped(bucket) term kind ----

    static byte[] bucketConfigKey(String bucket, String kind) {
        return concat(bucketPrefix(bucket), utf8(kind));
    }

    // ---- objects: escaped(bucket) term rawKey ----

    static byte[] objectKey(String bucket, String key) {
        return concat(bucketPrefix(bucket), utf8(key));
    }

    // ---- versions: escaped(bucket) term escaped(key) term u64(Long.MAX_VALUE - seq) ----

    /** The row of version {@code seq} of bucket/key; a key's versions sort newest first. */
    static byte[] versionKey(String bucket, String key, long seq) {
        return concat(versionKeyPrefix(bucket, key), longBytes(Long.MAX_VALUE - seq));
    }

    /** escaped(bucket) term escaped(key) term: the prefix of every version row of bucket/key. */
    static byte[] versionKeyPrefix(String bucket, String key) {
        return concat(bucketPrefix(bucket), uploadKeyPrefix(utf8(key)));
    }

    /** The seq of a version row key. */
    static long versionSeq(byte[] versionKey) {
        return Long.MAX_VALUE - getLong(versionKey, versionKey.length - 8);
    }

    // ---- uploads: escaped(bucket) term escaped(key) term uploadId(16) ----

    static byte[] uploadKey(String bucket, String key, byte[] uploadId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bucket.length() + key.length() + 24);
        writeTerminated(out, utf8(bucket));
        writeTerminated(out, utf8(key));
        out.writeBytes(uploadId);
        return out.toByteArray();
    }

    /** escaped(key) + terminator, relative to the bucket prefix: the prefix of all uploads of one key. */
    static byte[] uploadKeyPrefix(byte[] rawKey) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rawKey.length + 2);
        writeTerminated(out, rawKey);
        return out.toByteArray();
    }

    /**
     * The 16 bytes of an upload id given as 32 lowercase hex digits, or null when {@code id} is not
     * of that form (such an id can name no upload).
     */
    static byte[] uploadIdBytes(String id) {
        if (id == null || id.length() != 2 * UPLOAD_ID_LENGTH) {
            return null;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return null;
            }
        }
        return HexFormat.of().parseHex(id);
    }

    static String uploadIdString(byte[] id) {
        return HexFormat.of().formatHex(id);
    }

    // ---- parts: uploadId(16) partNumber(4 BE) ----

    static byte[] partKey(byte[] uploadId, int partNumber) {
        byte[] k = Arrays.copyOf(uploadId, UPLOAD_ID_LENGTH + 4);
        putInt(k, UPLOAD_ID_LENGTH, partNumber);
        return k;
    }

    static int partNumber(byte[] partKey) {
        return getInt(partKey, UPLOAD_ID_LENGTH);
    }

    // ---- completed uploads by time: millis(8 BE) uploadId(16) ----

    static byte[] timedUploadKey(long millis, byte[] uploadId) {
        byte[] k = new byte[8 + UPLOAD_ID_LENGTH];
        putLong(k, 0, millis);
        System.arraycopy(uploadId, 0, k, 8, UPLOAD_ID_LENGTH);
        return k;
    }

    static byte[] timedUploadId(byte[] key) {
        return Arrays.copyOfRange(key, 8, 8 + UPLOAD_ID_LENGTH);
    }

    // ---- chunks, pending and gc ----

    static byte[] chunkKey(ChunkId id) {
        return id.bytes();
    }

    /** millis(8 BE) + chunkId(16): the key of the pending and gc queues. */
    static byte[] timedChunkKey(long millis, ChunkId id) {
        byte[] k = new byte[8 + ChunkId.LENGTH];
        putLong(k, 0, millis);
        System.arraycopy(id.bytes(), 0, k, 8, ChunkId.LENGTH);
        return k;
    }

    static long timedChunkMillis(byte[] key) {
        return getLong(key, 0);
    }

    static ChunkId timedChunkId(byte[] key) {
        return ChunkId.of(Arrays.copyOfRange(key, 8, 8 + ChunkId.LENGTH));
    }

    /** Stats rows: the 2-byte BE index of the stats stripe ({@link StoreCounters#stripe}) whose objects the row counts. */
    static byte[] statsKey(int stripe) {
        return new byte[] {(byte) (stripe >>> 8), (byte) stripe};
    }

    static int statsStripe(byte[] key) {
        return ((key[0] & 0xFF) << 8) | (key[1] & 0xFF);
    }

    /** Bucket stats rows: escaped(bucket) term, then the 2-byte BE stripe index. */
    static byte[] bucketStatsKey(String bucket, int stripe) {
        return concat(bucketPrefix(bucket), statsKey(stripe));
    }

    /** The bucket a key starts with (object, bucket config and bucket stats keys). */
    static String leadingBucket(byte[] key) {
        return string(readTerminated(key, 0).raw());
    }

    /** The S3 key of an object key (escaped(bucket) term rawKey). */
    static String objectName(byte[] key) {
        int end = readTerminated(key, 0).end();
        return string(Arrays.copyOfRange(key, end, key.length));
    }

    // ---- byte helpers ----

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static boolean startsWith(byte[] s, byte[] prefix) {
        return s.length >= prefix.length && Arrays.equals(s, 0, prefix.length, prefix, 0, prefix.length);
    }

    /**
     * The smallest byte string greater than every string that starts with {@code prefix}: drop
     * trailing 0xFF bytes and increment the last remaining one. Null when there is none (the
     * prefix is empty or all 0xFF), meaning "the end of the key space".
     */
    static byte[] successor(byte[] prefix) {
        int n = prefix.length;
        while (n > 0 && prefix[n - 1] == (byte) 0xFF) {
            n--;
        }
        if (n == 0) {
            return null;
        }
        byte[] r = Arrays.copyOf(prefix, n);
        r[n - 1]++;
        return r;
    }

    /** Index of {@code needle} in {@code hay} at or after {@code from}, or -1. */
    static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = Math.max(from, 0); i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static int getInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        putLong(b, 0, v);
        return b;
    }
}
