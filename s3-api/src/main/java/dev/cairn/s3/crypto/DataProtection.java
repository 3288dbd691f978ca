package dev.cairn.s3.crypto;

import dev.cairn.metadata.MetadataStore;
import dev.cairn.s3.ServerConfig;
import dev.cairn.s3.data.ChunkCodec;
import dev.cairn.s3.data.CompressingCodec;

/**
 * Decides how an object's chunks are stored and read back: which encryption a write gets (its
 * request's, else its bucket's default), with which data key, and whether chunks are compressed;
 * and which codec turns a stored object's chunks back into its bytes, once the request presented
 * the key the object needs.
 */
public final class DataProtection {
    private final SealingKeys keys;
    private final boolean compression;
    private final boolean allowInsecureSseC;

    public DataProtection(SealingKeys keys, boolean compression, boolean allowInsecureSseC) {
        this.keys = keys;
        this.compression = compression;
        this.allowInsecureSseC = allowInsecureSseC;
    }

    /**
     * From the server's settings: master keys from the file or CAIRN_MASTER_KEY, the keyring in
     * {@code metadata} (a keyring file of an earlier single server is imported into it first).
     */
    public static DataProtection of(ServerConfig config, MetadataStore metadata) {
        ServerConfig.Encryption e = config.encryption();
        MasterKeys master = MasterKeys.load(e.masterKeyFile(), e.masterKey());
        KeyRing ring = new KeyRing(metadata, metadata, master);
        if (master.present()) {
            KeyringFile.migrate(config.dataDir().resolve("keyring"), ring, config.replication() != null);
            if (config.replication() == null) {
                ring.reload(); // a master key that does not match the keyring is logged at start
            }
        }
        return new DataProtection(new SealingKeys(master, ring), e.compression(), e.allowInsecureSseC());
    }

    public SealingKeys keys() {
        return keys;
    }

    /** Whether the server compresses new chunks (a bucket may still opt out). */
    public boolean compression() {
        return compression;
    }

    public boolean allowInsecureSseC() {
        return allowInsecureSseC;
    }

    /**
     * How a new object or upload is stored.
     *
     * @param request what the request asked for (its SSE-C key for SSE-C)
     * @param sealing what its record keeps, null when unencrypted
     * @param codec   the chunk codec of its data (of part 0; parts get theirs from {@link #forParts})
     */
    public record Write(SseRequest request, ObjectSealing sealing, ChunkCodec codec) {
        public byte[] sealingBytes() {
            return sealing == null ? null : sealing.encode();
        }

        public boolean sealed() {
            return sealing != null;
        }
    }

    /**
     * The protection of a new object: the request's encryption, else the bucket's default (null:
     * none); compressed when the server and the bucket allow it.
     */
    public Write forWrite(SseRequest requested, BucketEncryption bucketDefault, boolean bucketCompression) {
        SseRequest effective = requested.mode() != null ? requested
                : bucketDefault != null ? bucketDefault.asRequest() : SseRequest.NONE;
        boolean compress = compression && bucketCompression;
        if (effective.mode() == null) {
            return new Write(effective, null, compress ? CompressingCodec.INSTANCE : ChunkCodec.PLAIN);
        }
        SealingKeys.Sealed sealed = keys.create(effective);
        return new Write(effective, sealed.sealing(),
                new SealedChunkCodec(sealed.dataKey(), sealed.sealing().objectId(), compress));
    }

    /** The codec of parts of an upload sealed with {@code sealing} (null: unencrypted), given the key presented. */
    public ChunkCodec forParts(ObjectSealing sealing, SseRequest presented, boolean bucketCompression) {
        boolean compress = compression && bucketCompression;
        if (sealing == null) {
            SealingKeys.checkPresented(null, presented);
            return compress ? CompressingCodec.INSTANCE : ChunkCodec.PLAIN;
        }
        return new SealedChunkCodec(keys.dataKey(sealing, presented), sealing.objectId(), compress);
    }

    /** The codec that reads an object sealed with {@code sealing} back (S3's errors for a missing or wrong key). */
    public ChunkCodec forRead(ObjectSealing sealing, SseRequest presented) {
        if (sealing == null) {
            SealingKeys.checkPresented(null, presented);
            return CompressingCodec.INSTANCE;
        }
        return new SealedChunkCodec(keys.dataKey(sealing, presented), sealing.objectId(), false);
    }
}
