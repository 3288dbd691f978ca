package dev.cairn.s3.data;

import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.ChunkRef;
import dev.cairn.s3.checksum.ChecksumAlgorithm;

import java.util.List;

/**
 * A body that was received, verified and stored: its size, MD5, S3 checksum (algorithm and raw
 * digest, both null when none was asked for), and either its inline bytes (small bodies) or the
 * chunks it was cut into, in order. Sizes, digests and checksums are those of the original bytes,
 * whatever the chunk codec stored.
 */
public record IngestResult(long size, byte[] md5, ChecksumAlgorithm checksum, byte[] checksumDigest,
                           byte[] inline, List<StoredChunk> chunks) {
    public IngestResult {
        chunks = List.copyOf(chunks);
    }

    /** The records of the stored chunks, for the metadata commit. */
    public List<ChunkRecord> records() {
        return chunks.stream().map(StoredChunk::record).toList();
    }

    /** The object's (or part's) references to its chunks, with their original sizes. */
    public List<ChunkRef> refs() {
        return chunks.stream().map(StoredChunk::ref).toList();
    }
}
