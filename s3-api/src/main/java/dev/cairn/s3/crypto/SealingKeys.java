package dev.cairn.s3.crypto;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;

import javax.crypto.AEADBadTagException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * Data keys: each encrypted object (or multipart upload) gets a random 256-bit data key, wrapped
 * by a keyring key - the internal SSE-S3 key, or the SSE-KMS key named - or by the customer's key
 * (SSE-C), and kept only wrapped, in its {@link ObjectSealing}. Keyring keys are wrapped by the
 * master key, so rotating the master key re-wraps the keyring, not every object. For SSE-C a
 * salted HMAC of the customer key is kept to tell a wrong key (403) from a damaged record; the key
 * itself is never stored.
 */
public final class SealingKeys {
    private static final byte[] WRAP_LABEL = "cairn data key v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HMAC_LABEL = "cairn sse-c key check v1".getBytes(StandardCharsets.US_ASCII);
    private final MasterKeys master;
    private final KeyRing keyring;

    /** A new object's sealing and its data key (in memory only). */
    public record Sealed(ObjectSealing sealing, byte[] dataKey) {
    }

    public SealingKeys(MasterKeys master, KeyRing keyring) {
        this.master = master;
        this.keyring = keyring;
    }

    public MasterKeys master() {
        return master;
    }

    public KeyRing keyring() {
        return keyring;
    }

    /** A fresh data key sealed as {@code request} asks (which must ask for encryption). */
    public Sealed create(SseRequest request) {
        byte[] dataKey = Aead.randomBytes(Aead.KEY_BYTES);
        byte[] objectId = Aead.randomBytes(16);
        ObjectSealing.Mode mode = request.mode();
        switch (mode) {
            case SSE_S3 -> {
                requireKeyring("SSE-S3 (x-amz-server-side-encryption: AES256)");
                byte[] kek = keyring.sseS3Key();
                return new Sealed(new ObjectSealing(mode, KeyRing.SSE_S3, wrap(kek, dataKey, mode, KeyRing.SSE_S3,
                        objectId), objectId, null, null), dataKey);
            }
            case SSE_KMS -> {
                requireKeyring("SSE-KMS (x-amz-server-side-encryption: aws:kms)");
                String id = kmsKeyId(request.kmsKeyId());
                byte[] kek = keyring.key(id).orElseThrow(() -> unknownKmsKey(id));
                return new Sealed(new ObjectSealing(mode, id, wrap(kek, dataKey, mode, id, objectId), objectId, null,
                        null), dataKey);
            }
            case SSE_C -> {
                byte[] salt = Aead.randomBytes(16);
                return new Sealed(new ObjectSealing(mode, "", wrap(request.customerKey(), dataKey, mode, "", objectId),
                        objectId, salt, hmac(request.customerKey(), salt)), dataKey);
            }
            default -> throw new IllegalArgumentException("no encryption asked for");
        }
    }

    /**
     * The data key of a sealed object, for a request that presents {@code customer} (its SSE-C
     * key, or null); S3's errors when the key is missing, wrong, or not applicable.
     */
    public byte[] dataKey(ObjectSealing s, SseRequest customer) {
        checkPresented(s, customer);
        if (s == null) {
            return null;
        }
        byte[] kek = switch (s.mode()) {
            case SSE_S3, SSE_KMS -> {
                requireKeyring("An object stored with " + (s.mode() == ObjectSealing.Mode.SSE_S3 ? "SSE-S3" : "SSE-KMS"));
                yield keyring.key(s.keyId()).orElseThrow(() -> new IllegalStateException(
                        "the key " + s.keyId() + " that wraps the object's data key is not in the keyring"));
            }
            case SSE_C -> customer.customerKey();
        };
        try {
            return Aead.open(kek, s.wrappedKey(), aad(s.mode(), s.keyId(), s.objectId()));
        } catch (AEADBadTagException e) {
            if (s.mode() == ObjectSealing.Mode.SSE_C) {
                throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
            }
            throw new IllegalStateException("the data key of an object does not unwrap: its record was altered", e);
        }
    }

    /**
     * Checks that a request presents the SSE-C key exactly when the object needs one, and the right
     * one (without unwrapping anything): what HEAD and GET answer before touching data.
     */
    public static void checkPresented(ObjectSealing s, SseRequest customer) {
        boolean needs = s != null && s.mode() == ObjectSealing.Mode.SSE_C;
        if (needs && customer == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The object was stored using a form of Server Side "
                    + "Encryption. The correct parameters must be provided to retrieve the object.");
        }
        if (!needs && customer != null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The encryption parameters are not applicable to this object.");
        }
        if (needs && !MessageDigest.isEqual(hmac(customer.customerKey(), s.salt()), s.keyHmac())) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
        }
    }

    /** The keyring key an aws:kms request names, or the keyring's first key (in id order) when it names none. */
    public String kmsKeyId(String requested) {
        if (requested != null) {
            if (!keyring.contains(requested)) {
                throw unknownKmsKey(requested);
            }
            return requested;
        }
        return keyring.kmsIds().stream().findFirst().orElseThrow(() -> new S3Exception(S3ErrorCode.KMS_NOT_FOUND,
                "No KMS key id was given and Cairn's keyring has no key: create one with `cairn admin key create`"));
    }

    /**
     * Checks that this server can use the keyring for {@code what}: 501 without a master key; 503
     * when its master keys do not include the one the keyring is wrapped by (a misconfigured server
     * must not write keys the others cannot read, nor fail reads as if the data were damaged).
     */
    public void requireKeyring(String what) {
        if (!master.present()) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, what + " needs a master key, and this server was "
                    + "started without one (--master-key-file or CAIRN_MASTER_KEY)");
        }
        String mismatch = keyring.mismatch();
        if (mismatch != null) {
            throw new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE, what + " cannot be served by this server: "
                    + mismatch);
        }
    }

    private static S3Exception unknownKmsKey(String id) {
        return new S3Exception(S3ErrorCode.KMS_NOT_FOUND, "Invalid keyId " + id
                + ": Cairn's keyring has no such key (see `cairn admin key list`)");
    }

    private static byte[] wrap(byte[] kek, byte[] dataKey, ObjectSealing.Mode mode, String keyId, byte[] objectId) {
        return Aead.seal(kek, dataKey, aad(mode, keyId, objectId));
    }

    private static byte[] aad(ObjectSealing.Mode mode, String keyId, byte[] objectId) {
        byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(WRAP_LABEL.length + 1 + id.length + objectId.length).put(WRAP_LABEL)
                .put((byte) mode.ordinal()).put(id).put(objectId).array();
    }

    private static byte[] hmac(byte[] customerKey, byte[] salt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(customerKey, "HmacSHA256"));
            mac.update(HMAC_LABEL);
            return mac.doFinal(salt);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
