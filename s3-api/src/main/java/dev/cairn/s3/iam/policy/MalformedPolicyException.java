package dev.cairn.s3.iam.policy;

/**
 * A policy document that is not valid; the message says why, in AWS's words where it has them.
 * S3 answers it as 400 MalformedPolicy, IAM as 400 MalformedPolicyDocument.
 */
public final class MalformedPolicyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedPolicyException(String message) {
        super(message, null, false, false);
    }
}
