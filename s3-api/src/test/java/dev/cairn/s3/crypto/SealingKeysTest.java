package dev.cairn.s3.crypto;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Data keys: wrapping, SSE-C checks, rotation, the keyring, and the SSE headers parser. */
class SealingKeysTest {
    @TempDir
    Path dir;

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private SealingKeys keys(String master) {
        MasterKeys m = MasterKeys.parse(master);
        return new SealingKeys(m, new KeyRing(dir.resolve("keyring"), m));
    }

    @Test
    void aServerWhoseKeyringIsNotSharedRefusesSseS3AndKmsButTakesSseC() {
        MasterKeys m = MasterKeys.parse(b64(bytes(32, 7)));
        SealingKeys replicated = new SealingKeys(m, new KeyRing(dir.resolve("keyring"), m),
                DataProtection.REPLICATED_KEYRING);
        for (ObjectSealing.Mode mode : new ObjectSealing.Mode[] {ObjectSealing.Mode.SSE_S3, ObjectSealing.Mode.SSE_KMS}) {
            S3Exception e = assertThrows(S3Exception.class,
                    () -> replicated.create(new SseRequest(mode, null, null, null)));
            assertEquals(S3ErrorCode.NOT_IMPLEMENTED, e.error());
            assertTrue(e.getMessage().contains("replicated"), e.getMessage());
        }
        byte[] customer = bytes(32, 8);
        SealingKeys.Sealed sealed = replicated.create(new SseRequest(ObjectSealing.Mode.SSE_C, null, customer, null));
        assertArrayEquals(sealed.dataKey(), replicated.dataKey(sealed.sealing(),
                new SseRequest(ObjectSealing.Mode.SSE_C, null, customer, null)));
    }

    @Test
    void sseS3DataKeysSurviveARotationOfTheMasterKey() {
        byte[] k1 = bytes(32, 1);
        byte[] k2 = bytes(32, 2);
        SealingKeys before = keys(b64(k1));
        SealingKeys.Sealed sealed = before.create(new SseRequest(ObjectSealing.Mode.SSE_S3, null, null, null));
        ObjectSealing stored = ObjectSealing.decode(sealed.sealing().encode());
        assertArrayEquals(sealed.dataKey(), before.dataKey(stored, null));
        assertEquals(KeyRing.SSE_S3, stored.keyId());

        SealingKeys after = keys(b64(k1) + "\n" + b64(k2));
        assertArrayEquals(sealed.dataKey(), after.dataKey(stored, null), "the old master key still unwraps");
        assertEquals(MasterKeys.idOf(k1), after.keyring().wrappedBy(KeyRing.SSE_S3));
        assertEquals(1, after.keyring().rewrap());
        assertEquals(MasterKeys.idOf(k2), after.keyring().wrappedBy(KeyRing.SSE_S3));
        assertEquals(0, after.keyring().rewrap());
        SealingKeys onlyNew = keys(b64(k2));
        assertArrayEquals(sealed.dataKey(), onlyNew.dataKey(stored, null), "the new master key alone unwraps");
        SealingKeys onlyOld = keys(b64(k1));
        assertThrows(IllegalStateException.class, () -> onlyOld.dataKey(stored, null), "the old one no longer does");
    }

    @Test
    void sseCChecksTheKeyWithoutStoringIt() {
        SealingKeys keys = keys(b64(bytes(32, 1)));
        byte[] customer = bytes(32, 3);
        SseRequest request = SseRequest.customer(Map.of(SseRequest.C_ALGORITHM, "AES256", SseRequest.C_KEY,
                b64(customer), SseRequest.C_KEY_MD5, b64(SseRequest.md5Of(customer)))::get, "");
        SealingKeys.Sealed sealed = keys.create(request);
        byte[] stored = sealed.sealing().encode();
        assertFalse(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains(new String(customer, java.nio.charset.StandardCharsets.ISO_8859_1)));
        assertArrayEquals(sealed.dataKey(), keys.dataKey(ObjectSealing.decode(stored), request));
        byte[] other = bytes(32, 4);
        SseRequest wrong = new SseRequest(ObjectSealing.Mode.SSE_C, null, other, b64(SseRequest.md5Of(other)));
        S3Exception denied = assertThrows(S3Exception.class, () -> keys.dataKey(sealed.sealing(), wrong));
        assertEquals(S3ErrorCode.ACCESS_DENIED, denied.error());
        S3Exception missing = assertThrows(S3Exception.class, () -> keys.dataKey(sealed.sealing(), null));
        assertEquals(S3ErrorCode.INVALID_REQUEST, missing.error());
    }

    @Test
    void theKeyringKeepsItsKeysWrappedAndRefusesUnknownIds() throws Exception {
        SealingKeys keys = keys(b64(bytes(32, 1)));
        String id = keys.keyring().create();
        byte[] file = java.nio.file.Files.readAllBytes(dir.resolve("keyring"));
        byte[] key = keys.keyring().key(id).orElseThrow();
        assertFalse(new String(file, java.nio.charset.StandardCharsets.ISO_8859_1).contains(b64(key)));
        assertEquals(id, new KeyRing(dir.resolve("keyring"), keys.master()).kmsIds().get(0), "kept across restarts");
        S3Exception unknown = assertThrows(S3Exception.class, () -> keys.create(
                new SseRequest(ObjectSealing.Mode.SSE_KMS, "nope", null, null)));
        assertEquals(S3ErrorCode.KMS_NOT_FOUND, unknown.error());
        SealingKeys.Sealed sealed = keys.create(new SseRequest(ObjectSealing.Mode.SSE_KMS, null, null, null));
        assertEquals(id, sealed.sealing().keyId(), "without a key id, the keyring's first key");
    }

    @Test
    void headerParsingFollowsAws() {
        byte[] k = bytes(32, 5);
        S3Exception badMd5 = assertThrows(S3Exception.class, () -> SseRequest.customer(Map.of(SseRequest.C_ALGORITHM,
                "AES256", SseRequest.C_KEY, b64(k), SseRequest.C_KEY_MD5, b64(new byte[16]))::get, ""));
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, badMd5.error());
        S3Exception shortKey = assertThrows(S3Exception.class, () -> SseRequest.customer(Map.of(
                SseRequest.C_ALGORITHM, "AES256", SseRequest.C_KEY, b64(new byte[16]), SseRequest.C_KEY_MD5,
                b64(SseRequest.md5Of(new byte[16])))::get, ""));
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, shortKey.error());
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, assertThrows(S3Exception.class, () -> SseRequest.ofWrite(
                Map.of(SseRequest.SSE, "AES512")::get)).error());
        assertEquals(S3ErrorCode.NOT_IMPLEMENTED, assertThrows(S3Exception.class, () -> SseRequest.ofWrite(
                Map.of(SseRequest.SSE, "aws:kms:dsse")::get)).error());
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, assertThrows(S3Exception.class, () -> SseRequest.ofWrite(
                Map.of(SseRequest.SSE, "AES256", SseRequest.KMS_KEY_ID, "k")::get)).error());
        assertEquals("k1", SseRequest.ofWrite(Map.of(SseRequest.SSE, "aws:kms", SseRequest.KMS_KEY_ID,
                "arn:aws:kms:us-east-1:123:key/k1")::get).kmsKeyId());
        assertEquals(null, SseRequest.ofWrite(Map.<String, String>of()::get).mode());
    }
}
