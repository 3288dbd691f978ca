package dev.cairn.s3.crypto;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What protects one object's (or multipart upload's) data, as kept in its metadata record:
 * the kind of server-side encryption, the id of the key that wraps the data key (a master key
 * for SSE-S3, a keyring key for SSE-KMS, none for SSE-C), the wrapped data key, the object's
 * random identity (bound into every chunk's associated data) and, for SSE-C only, a salt and the
 * HMAC of the customer key under it (the customer key itself is never stored).
 *
 * <p>Binary form: version byte 1, mode byte, keyId (u16 length + UTF-8), wrappedKey, objectId,
 * salt, keyHmac (each u16 length + bytes; empty when absent).
 */
public record ObjectSealing(Mode mode, String keyId, byte[] wrappedKey, byte[] objectId, byte[] salt,
                            byte[] keyHmac) {
    private static final int VERSION = 1;

    /** The kinds of server-side encryption, with the algorithm S3 names in its headers. */
    public enum Mode {
        SSE_S3("AES256"), SSE_KMS("aws:kms"), SSE_C("AES256");

        private final String algorithm;

        Mode(String algorithm) {
            this.algorithm = algorithm;
        }

        public String algorithm() {
            return algorithm;
        }
    }

    public byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeByte(mode.ordinal());
            field(out, keyId.getBytes(StandardCharsets.UTF_8));
            field(out, wrappedKey);
            field(out, objectId);
            field(out, salt);
            field(out, keyHmac);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sealing of a record, or null for data stored without encryption. */
    public static ObjectSealing decode(byte[] v) {
        if (v == null || v.length == 0) {
            return null;
        }
        try {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(v));
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalStateException("unknown sealing format version " + version);
            }
            Mode mode = Mode.values()[in.readUnsignedByte()];
            return new ObjectSealing(mode, new String(field(in), StandardCharsets.UTF_8), field(in), field(in),
                    field(in), field(in));
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalStateException("corrupt sealing record", e);
        }
    }

    private static void field(DataOutputStream out, byte[] b) throws IOException {
        byte[] v = b == null ? new byte[0] : b;
        out.writeShort(v.length);
        out.write(v);
    }

    private static byte[] field(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readUnsignedShort()];
        in.readFully(b);
        return b;
    }
}
