package dev.cairn.s3.checksum;

import java.nio.ByteBuffer;

/**
 * An incremental checksum or digest. Not thread-safe; one instance per stream. {@link #update}
 * reads the bytes between the buffer's position and limit and leaves position and limit
 * unchanged, so the same buffer can be handed to several hashers and then written.
 */
public interface Hasher {
    void update(ByteBuffer data);

    /** The digest in wire order (big-endian for CRCs). The hasher must not be used afterwards. */
    byte[] digest();

    default void update(byte[] data) {
        update(ByteBuffer.wrap(data));
    }
}
