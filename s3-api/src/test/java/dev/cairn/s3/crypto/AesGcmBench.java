package dev.cairn.s3.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.Provider;

/**
 * AES-256-GCM throughput of the JDK's cipher and ACCP's, between heap arrays and direct buffers,
 * as {@link Aead} uses them (4 MiB chunks, associated data, a new cipher per chunk). A
 * {@code main}, not a test: {@code java -cp s3-api/target/test-classes:s3-api/target/classes:$CP
 * dev.cairn.s3.crypto.AesGcmBench [rounds]}; prints MiB/s per round, one thread.
 */
public final class AesGcmBench {
    private static final int CHUNK = 4 << 20;
    private static final int PER_ROUND = 64;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        Provider accp = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError() == null
                ? AmazonCorrettoCryptoProvider.INSTANCE : null;
        SecretKeySpec key = new SecretKeySpec(Aead.randomBytes(32), "AES");
        byte[] nonce = new byte[Aead.NONCE_BYTES];
        byte[] aad = new byte[40];
        byte[] plain = Aead.randomBytes(CHUNK);
        Cipher e = Cipher.getInstance("AES/GCM/NoPadding");
        e.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        e.updateAAD(aad);
        byte[] sealed = e.doFinal(plain);
        for (String source : new String[] {"jdk", "accp"}) {
            Provider p = source.equals("jdk") ? null : accp;
            if (source.equals("accp") && p == null) {
                System.out.println("accp: not loaded here");
                continue;
            }
            for (boolean direct : new boolean[] {false, true}) {
                for (boolean decrypt : new boolean[] {true, false}) {
                    ByteBuffer in = buffer(decrypt ? sealed : plain, direct);
                    ByteBuffer out = direct ? ByteBuffer.allocateDirect(sealed.length) : ByteBuffer.allocate(sealed.length);
                    StringBuilder line = new StringBuilder(String.format("%-4s %-6s %-7s MiB/s:", source,
                            direct ? "direct" : "heap", decrypt ? "decrypt" : "encrypt"));
                    for (int r = 0; r < rounds; r++) {
                        long t0 = System.nanoTime();
                        for (int i = 0; i < PER_ROUND; i++) {
                            Cipher c = p == null ? Cipher.getInstance("AES/GCM/NoPadding")
                                    : Cipher.getInstance("AES/GCM/NoPadding", p);
                            if (!decrypt) {
                                nonce[0] = (byte) i; // GCM refuses to encrypt twice under one key and nonce
                            }
                            c.init(decrypt ? Cipher.DECRYPT_MODE : Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128,
                                    decrypt ? new byte[Aead.NONCE_BYTES] : nonce));
                            c.updateAAD(aad);
                            c.doFinal(in.duplicate(), out.duplicate().clear());
                        }
                        double seconds = (System.nanoTime() - t0) / 1e9;
                        line.append(String.format(" %.0f", PER_ROUND * (CHUNK / 1048576.0) / seconds));
                    }
                    System.out.println(line);
                }
            }
        }
    }

    private static ByteBuffer buffer(byte[] bytes, boolean direct) {
        return direct ? ByteBuffer.allocateDirect(bytes.length).put(bytes).flip() : ByteBuffer.wrap(bytes);
    }
}
