package dev.cairn.s3.access;

/**
 * A bucket's Block Public Access settings. New buckets get all four on, as S3 gives them;
 * {@link #NONE} is a bucket whose configuration was deleted.
 *
 * @param blockPublicAcls       refuse requests that set a public ACL (403 AccessDenied)
 * @param ignorePublicAcls      grants to everyone or every signed-in caller count for nothing
 * @param blockPublicPolicy     refuse a bucket policy that is public (403 AccessDenied)
 * @param restrictPublicBuckets a public policy grants nothing to anonymous callers
 */
public record PublicAccessBlock(boolean blockPublicAcls, boolean ignorePublicAcls, boolean blockPublicPolicy,
                                boolean restrictPublicBuckets) {
    public static final PublicAccessBlock ALL_ON = new PublicAccessBlock(true, true, true, true);
    public static final PublicAccessBlock NONE = new PublicAccessBlock(false, false, false, false);
}
