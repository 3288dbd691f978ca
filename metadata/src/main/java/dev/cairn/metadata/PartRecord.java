package dev.cairn.metadata;

import java.util.List;

/** An uploaded part of a multipart upload. {@code etag} without quotes. {@code checksum} may be null. */
public record PartRecord(int partNumber, long size, String etag, long modifiedMillis, Checksum checksum,
                         List<ChunkRef> chunks) {
    public PartRecord {
        chunks = List.copyOf(chunks);
    }
}
