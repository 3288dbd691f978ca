package dev.cairn.s3.data;

import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.ChunkRef;

/** A chunk written by the sink: its record (stored size) and the size of the original bytes it holds. */
public record StoredChunk(ChunkRecord record, long logicalSize) {
    public ChunkRef ref() {
        return new ChunkRef(record.id(), logicalSize);
    }
}
