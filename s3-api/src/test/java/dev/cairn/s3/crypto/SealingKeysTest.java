package dev.cairn.s3.crypto;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.metadata.Keyring;
import dev.cairn.metadata.RocksMetadataStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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

    private RocksMetadataStore store;

    @BeforeEach
    void openStore() {
        store = RocksMetadataStore.open(dir.resolve("meta"), Clock.systemUTC(), Duration.ofMinutes(5));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** A server's keys over the shared metadata: each call is another server, or a restart with other master keys. */
    private SealingKeys keys(String master) {
        MasterKeys m = MasterKeys.parse(master);
        return new SealingKeys(m, new KeyRing(store, store, m));
    }

    @Test
    void aServerWhoseMasterKeyDoesNotMatchTheKeyringRefusesAndWritesNothing() {
        byte[] k1 = bytes(32, 1);
        SealingKeys good = keys(b64(k1));
        SealingKeys.Sealed sealed = good.create(new SseRequest(ObjectSealing.Mode.SSE_S3, null, null, null));
        String kms = good.keyring().create();
        Keyring before = store.keyring();
        assertEquals(MasterKeys.idOf(k1), before.masterId(), "the keyring names the master key that wraps it");

        SealingKeys other = keys(b64(bytes(32, 9)));
        assertTrue(other.keyring().mismatch().contains(MasterKeys.idOf(k1)), other.keyring().mismatch());
        for (ObjectSealing.Mode mode : new ObjectSealing.Mode[] {ObjectSealing.Mode.SSE_S3, ObjectSealing.Mode.SSE_KMS}) {
            S3Exception e = assertThrows(S3Exception.class, () -> other.create(new SseRequest(mode, kms, null, null)));
            assertEquals(S3ErrorCode.SERVICE_UNAVAILABLE, e.error());
            assertTrue(e.getMessage().contains("master key"), e.getMessage());
        }
        S3Exception read = assertThrows(S3Exception.class, () -> other.dataKey(sealed.sealing(), null));
        assertEquals(S3ErrorCode.SERVICE_UNAVAILABLE, read.error(), "a read is refused, not taken for damage");
        assertThrows(IllegalStateException.class, () -> other.keyring().create());
        assertThrows(IllegalStateException.class, () -> other.keyring().rewrap());
        assertEquals(before, store.keyring(), "nothing was written");

        byte[] customer = bytes(32, 8);
        SealingKeys.Sealed c = other.create(new SseRequest(ObjectSealing.Mode.SSE_C, null, customer, null));
        assertArrayEquals(c.dataKey(), other.dataKey(c.sealing(), new SseRequest(ObjectSealing.Mode.SSE_C, null,
                customer, null)), "SSE-C needs no keyring");
        assertArrayEquals(sealed.dataKey(), good.dataKey(sealed.sealing(), null));
    }

    @Test
    void gatewaysOverTheSameMetadataShareOneKeyring() {
        String master = b64(bytes(32, 1));
        SealingKeys a = keys(master);
        SealingKeys b = keys(master);
        assertEquals(List.of(), b.keyring().ids()); // b's cache is now the empty keyring
        SealingKeys.Sealed sealed = a.create(new SseRequest(ObjectSealing.Mode.SSE_S3, null, null, null));
        String kms = a.keyring().create();
        assertArrayEquals(sealed.dataKey(), b.dataKey(sealed.sealing(), null), "b reads what a sealed");
        SealingKeys.Sealed viaB = b.create(new SseRequest(ObjectSealing.Mode.SSE_KMS, kms, null, null));
        assertArrayEquals(viaB.dataKey(), a.dataKey(viaB.sealing(), null));
        b.create(new SseRequest(ObjectSealing.Mode.SSE_S3, null, null, null));
        assertEquals(List.of(KeyRing.SSE_S3, kms).stream().sorted().toList(), store.keyring().ids(),
                "one SSE-S3 key for both");
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
        String kms = after.keyring().create();
        assertEquals(MasterKeys.idOf(k1), after.keyring().wrappedBy(kms), "until the rotation, under the keyring's key");
        assertEquals(2, after.keyring().rewrap());
        assertEquals(MasterKeys.idOf(k2), after.keyring().wrappedBy(KeyRing.SSE_S3));
        assertEquals(MasterKeys.idOf(k2), store.keyring().masterId());
        assertEquals(0, after.keyring().rewrap());
        SealingKeys onlyNew = keys(b64(k2));
        assertArrayEquals(sealed.dataKey(), onlyNew.dataKey(stored, null), "the new master key alone unwraps");
        SealingKeys onlyOld = keys(b64(k1));
        assertEquals(S3ErrorCode.SERVICE_UNAVAILABLE, assertThrows(S3Exception.class,
                () -> onlyOld.dataKey(stored, null)).error(), "the old one no longer does");
    }

    /** The keyring file of a server before the keyring moved into metadata. */
    private Path oldKeyringFile(MasterKeys wrapBy, String... ids) throws Exception {
        StringBuilder text = new StringBuilder();
        for (String id : ids) {
            byte[] key = bytes(32, id.hashCode());
            text.append(id).append(' ').append(wrapBy.activeId()).append(' ')
                    .append(b64(Aead.seal(wrapBy.active(), key, KeyRing.aad(id)))).append('\n');
        }
        Path file = dir.resolve("keyring");
        java.nio.file.Files.writeString(file, text);
        return file;
    }

    @Test
    void aSingleServersKeyringFileMovesIntoMetadataOnce() throws Exception {
        byte[] k1 = bytes(32, 1);
        Path file = oldKeyringFile(MasterKeys.parse(b64(k1)), KeyRing.SSE_S3, "kms-a");
        SealingKeys keys = keys(b64(k1) + "," + b64(bytes(32, 2))); // since given a newer master key
        KeyringFile.migrate(file, keys.keyring(), false);

        assertFalse(java.nio.file.Files.exists(file));
        assertTrue(java.nio.file.Files.exists(dir.resolve("keyring.imported")));
        assertEquals(List.of("cairn-sse-s3", "kms-a"), store.keyring().ids());
        assertEquals(MasterKeys.idOf(k1), store.keyring().masterId(), "kept as wrapped: the server holds its key");
        assertArrayEquals(bytes(32, "kms-a".hashCode()), keys.keyring().key("kms-a").orElseThrow());
        assertArrayEquals(bytes(32, KeyRing.SSE_S3.hashCode()), keys.keyring().sseS3Key());

        Keyring imported = store.keyring();
        oldKeyringFile(MasterKeys.parse(b64(k1)), KeyRing.SSE_S3, "kms-a");
        KeyringFile.migrate(file, keys.keyring(), false); // e.g. a crash before the rename: nothing changes
        assertEquals(imported, store.keyring());
        assertFalse(java.nio.file.Files.exists(file));
    }

    @Test
    void theServerStartImportsTheKeyringFileOfItsDataDir() throws Exception {
        byte[] k1 = bytes(32, 1);
        oldKeyringFile(MasterKeys.parse(b64(k1)), KeyRing.SSE_S3, "kms-a");
        dev.cairn.s3.ServerConfig config = dev.cairn.s3.ServerConfig.defaults().withDataDir(dir)
                .withEncryption(new dev.cairn.s3.ServerConfig.Encryption(null, b64(k1), true, false));
        DataProtection protection = DataProtection.of(config, store);
        assertEquals(List.of("kms-a"), protection.keys().keyring().kmsIds());
        assertArrayEquals(bytes(32, "kms-a".hashCode()), protection.keys().keyring().key("kms-a").orElseThrow());
        assertFalse(java.nio.file.Files.exists(dir.resolve("keyring")));
        DataProtection again = DataProtection.of(config, store); // the next start: nothing to import
        assertEquals(List.of("cairn-sse-s3", "kms-a"), again.keys().keyring().ids());
    }

    @Test
    void aKeyringFileOfKeysUnderSeveralMasterKeysIsRewrappedUnderTheActiveOne() throws Exception {
        byte[] k1 = bytes(32, 1);
        byte[] k2 = bytes(32, 2);
        String underK1 = java.nio.file.Files.readString(oldKeyringFile(MasterKeys.parse(b64(k1)), "kms-a"));
        Path file = oldKeyringFile(MasterKeys.parse(b64(k2)), "kms-b"); // created after k2 became active
        java.nio.file.Files.writeString(file, underK1 + java.nio.file.Files.readString(file));
        SealingKeys keys = keys(b64(k1) + "\n" + b64(k2));
        KeyringFile.migrate(file, keys.keyring(), false);
        assertEquals(MasterKeys.idOf(k2), store.keyring().masterId());
        assertArrayEquals(bytes(32, "kms-a".hashCode()), keys(b64(k2)).keyring().key("kms-a").orElseThrow());
        assertArrayEquals(bytes(32, "kms-b".hashCode()), keys(b64(k2)).keyring().key("kms-b").orElseThrow());
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
        byte[] key = keys.keyring().key(id).orElseThrow();
        for (Keyring.Key k : store.keyring().keys()) {
            assertFalse(java.util.Arrays.equals(key, k.wrapped()));
            assertFalse(b64(k.wrapped()).contains(b64(key).substring(0, 20)));
        }
        assertEquals(id, keys(b64(bytes(32, 1))).keyring().kmsIds().get(0), "kept in metadata");
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
