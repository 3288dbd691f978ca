package dev.cairn.s3.data;

import dev.cairn.metadata.ChunkRecord;
import dev.cairn.s3.checksum.ChecksumAlgorithm;

import java.util.List;

/**
 * A body that was received, verified and stored: its size, MD5, S3 checksum (algorithm and raw
 * digest, both null when none was asked for), and either its inline bytes (small bodies) or the
 * records of the chunks it was cut into, in order.
 */
public record IngestResult(long size, byte[] md5, ChecksumAlgorithm checksum, byte[] checksumDigest,
                           byte[] inline, List<ChunkRecord> chunks) {
}
