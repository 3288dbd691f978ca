package dev.cairn.s3.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Cipher;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Locale;

/**
 * Where AES-GCM ciphers come from. On JDK 17, AES-GCM with associated data runs at tens of MB/s
 * between heap arrays and at 1.6-3 GiB/s between direct buffers (bench machine, 4 MiB chunks);
 * the Amazon Corretto Crypto Provider (AWS-LC, native) runs it at about 9 GiB/s between heap
 * arrays. So encrypted chunks use ACCP where its native library loads (linux x86_64), and the
 * JDK's cipher through direct buffers everywhere else ({@link Aead} picks the buffers by
 * {@link #arraysAreFast()}). The provider is used by name, never installed globally: TLS, digests
 * and random numbers stay the JDK's.
 *
 * <p>{@code --aes-gcm jdk} ({@code CAIRN_AES_GCM}) forces the JDK's cipher; {@code auto} (the
 * default) prefers ACCP and falls back, logging why.
 */
public final class GcmCiphers {
    private static final Logger LOG = LoggerFactory.getLogger(GcmCiphers.class);
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static volatile Provider provider = accpIfItLoads();

    private GcmCiphers() {
    }

    /** Selects the cipher source: {@code auto} (ACCP when it loads, else the JDK) or {@code jdk}. */
    public static void select(String choice) {
        switch (choice.toLowerCase(Locale.ROOT)) {
            case "auto" -> provider = accpIfItLoads();
            case "jdk" -> provider = null;
            default -> throw new IllegalArgumentException("--aes-gcm must be auto or jdk, not " + choice);
        }
        LOG.info("AES-GCM for encrypted data: {}", describe());
    }

    /** A new, uninitialised AES/GCM/NoPadding cipher from the selected source. */
    static Cipher newCipher() throws GeneralSecurityException {
        Provider p = provider;
        return p != null ? Cipher.getInstance(TRANSFORMATION, p) : Cipher.getInstance(TRANSFORMATION);
    }

    /** True when the cipher is fast between heap buffers (ACCP); false for the JDK's (use direct buffers). */
    static boolean arraysAreFast() {
        return provider != null;
    }

    /** What encrypts, for the start-up log and the admin summary. */
    public static String describe() {
        Provider p = provider;
        return p != null ? "AWS-LC (" + p.getName() + " " + p.getVersionStr() + ")"
                : "JDK (" + System.getProperty("java.vendor") + " " + System.getProperty("java.version") + ")";
    }

    private static Provider accpIfItLoads() {
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable error = accp.getLoadingError();
            if (error != null) {
                LOG.info("AES-GCM falls back to the JDK: ACCP's native library did not load ({})", error.toString());
                return null;
            }
            accp.assertHealthy();
            Cipher.getInstance(TRANSFORMATION, accp);
            return accp;
        } catch (LinkageError | RuntimeException | GeneralSecurityException e) {
            LOG.info("AES-GCM falls back to the JDK: ACCP is not usable here ({})", e.toString());
            return null;
        }
    }
}
