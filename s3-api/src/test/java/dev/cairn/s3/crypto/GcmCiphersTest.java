package dev.cairn.s3.crypto;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.crypto.AEADBadTagException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GcmCiphersTest {
    private static final byte[] AAD = "object 7, part 1, chunk 3".getBytes(StandardCharsets.US_ASCII);

    @AfterEach
    void backToDefault() {
        GcmCiphers.select("auto");
    }

    @Test
    void accpRunsAesGcmOnLinuxX8664() {
        GcmCiphers.select("auto");
        boolean linuxX86 = System.getProperty("os.name").equals("Linux")
                && System.getProperty("os.arch").matches("amd64|x86_64");
        if (linuxX86) {
            assertTrue(GcmCiphers.describe().startsWith("AWS-LC (AmazonCorrettoCryptoProvider"), GcmCiphers.describe());
            assertTrue(GcmCiphers.arraysAreFast());
        }
        GcmCiphers.select("jdk");
        assertTrue(GcmCiphers.describe().startsWith("JDK ("), GcmCiphers.describe());
        assertFalse(GcmCiphers.arraysAreFast());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GcmCiphers.select("openssl"));
        assertTrue(e.getMessage().contains("auto or jdk"), e.getMessage());
    }

    @Test
    void whatOneSourceSealsTheOtherOpens() throws Exception {
        byte[] key = Aead.randomBytes(Aead.KEY_BYTES);
        byte[] plain = Aead.randomBytes(4 * 1024 * 1024 + 17);
        for (String[] pair : new String[][] {{"auto", "jdk"}, {"jdk", "auto"}, {"auto", "auto"}, {"jdk", "jdk"}}) {
            GcmCiphers.select(pair[0]);
            ByteBuffer sealed = ByteBuffer.allocate(Aead.NONCE_BYTES + plain.length + Aead.TAG_BYTES);
            Aead.seal(key, ByteBuffer.wrap(plain), AAD, sealed);
            sealed.flip();
            ByteBuffer fromDirect = ByteBuffer.allocate(3 + Aead.NONCE_BYTES + plain.length + Aead.TAG_BYTES).position(3);
            Aead.seal(key, ByteBuffer.allocateDirect(plain.length).put(plain).flip(), AAD, fromDirect);
            assertEquals(sealed.remaining(), fromDirect.position() - 3, "sealed from a direct buffer");
            GcmCiphers.select(pair[1]);
            assertArrayEquals(plain, toArray(Aead.open(key, fromDirect.flip().position(3), AAD)), "direct plain input");
            GcmCiphers.select(pair[0]);
            GcmCiphers.select(pair[1]);
            assertArrayEquals(plain, toArray(Aead.open(key, sealed.duplicate(), AAD)), pair[0] + " -> " + pair[1]);

            ByteBuffer direct = ByteBuffer.allocateDirect(sealed.remaining()).put(sealed.duplicate()).flip();
            assertArrayEquals(plain, toArray(Aead.open(key, direct, AAD)), "direct input");
        }
    }

    @Test
    void aFlippedBitOrOtherAssociatedDataFailsWithEitherSource() {
        byte[] key = Aead.randomBytes(Aead.KEY_BYTES);
        byte[] plain = Aead.randomBytes(100_000);
        for (String source : new String[] {"auto", "jdk"}) {
            GcmCiphers.select(source);
            byte[] sealed = Aead.seal(key, plain, AAD);
            byte[] flipped = sealed.clone();
            flipped[Aead.NONCE_BYTES + 5_000] ^= 0x10;
            assertThrows(AEADBadTagException.class, () -> Aead.open(key, flipped, AAD), source);
            assertThrows(AEADBadTagException.class,
                    () -> Aead.open(key, sealed, "object 7, part 1, chunk 4".getBytes(StandardCharsets.US_ASCII)), source);
        }
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
