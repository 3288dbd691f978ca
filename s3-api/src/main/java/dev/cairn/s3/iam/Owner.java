package dev.cairn.s3.iam;

/** A canonical user as S3 documents name owners and grantees: its canonical id and display name. */
public record Owner(String id, String displayName) {
}
