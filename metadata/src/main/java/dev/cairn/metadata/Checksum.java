package dev.cairn.metadata;

/**
 * A stored S3 checksum: algorithm name as S3 spells it ("CRC32", "CRC32C", "SHA1", "SHA256",
 * "CRC64NVME"), type ("FULL_OBJECT" or "COMPOSITE") and the base64 value as sent on the wire
 * (composite values carry their "-N" suffix).
 */
public record Checksum(String algorithm, String type, String value) {
}
