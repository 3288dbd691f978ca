package dev.cairn.s3.handler;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.access.BucketAccess;
import dev.cairn.s3.access.PublicPolicies;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.iam.Principal;
import dev.cairn.s3.iam.policy.MalformedPolicyException;
import dev.cairn.s3.iam.policy.PolicyDocument;
import dev.cairn.s3.iam.policy.PolicyParser;
import dev.cairn.s3.request.BucketRequest;
import dev.cairn.s3.xml.AccessDocuments;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Put/Get/DeleteBucketPolicy and GetBucketPolicyStatus. A policy is kept as it was put (after
 * it parses: MalformedPolicy otherwise, and its users must exist); a public one is refused with
 * 403 AccessDenied while the bucket's BlockPublicPolicy is on.
 */
final class PolicyHandler {
    /** AWS: a bucket policy is at most 20 KB. */
    static final int MAX_POLICY_BYTES = 20 * 1024;

    private final S3Services s;

    PolicyHandler(S3Services services) {
        this.s = services;
    }

    Future<Void> put(S3Exchange ex, BucketRequest.PutBucketPolicy op) {
        return s.bucketAccess(ex, op.bucket())
                .compose(b -> SmallBodies.read(s, ex, MAX_POLICY_BYTES + 1).compose(body -> {
                    if (body.length > MAX_POLICY_BYTES) {
                        throw new S3Exception(S3ErrorCode.MALFORMED_POLICY, "Policies must be at most 20 KB");
                    }
                    String json = new String(body, StandardCharsets.UTF_8);
                    PolicyDocument policy = parse(json, b);
                    if (b.block().blockPublicPolicy() && PublicPolicies.isPublic(policy)) {
                        throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "User is not allowed to put a public "
                                + "bucket policy because the bucket's BlockPublicPolicy setting is on");
                    }
                    return s.blocking(ex, () -> {
                        s.access().putPolicy(b.bucket(), json);
                        return null;
                    });
                }))
                .compose(v -> ex.sendEmpty(204));
    }

    Future<Void> get(S3Exchange ex, BucketRequest.GetBucketPolicy op) {
        return s.bucketAccess(ex, op.bucket()).compose(b -> {
            if (b.policyJson() == null) {
                throw noPolicy(b);
            }
            byte[] json = b.policyJson().getBytes(StandardCharsets.UTF_8);
            ex.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                    .putHeader("Content-Length", Integer.toString(json.length));
            return ex.response().end(Buffer.buffer(json));
        });
    }

    Future<Void> delete(S3Exchange ex, BucketRequest.DeleteBucketPolicy op) {
        return s.bucketAccess(ex, op.bucket()).compose(b -> s.blocking(ex, () -> {
            s.access().putPolicy(b.bucket(), null);
            return null;
        })).compose(v -> ex.sendEmpty(204));
    }

    Future<Void> status(S3Exchange ex, BucketRequest.GetBucketPolicyStatus op) {
        return s.bucketAccess(ex, op.bucket()).compose(b -> {
            if (b.policyJson() == null) {
                throw noPolicy(b);
            }
            return ex.sendXml(200, AccessDocuments.policyStatus(b.policyIsPublic()));
        });
    }

    /** The policy as a bucket policy of {@code b}: MalformedPolicy when it is not one or names unknown users. */
    private PolicyDocument parse(String json, BucketAccess b) {
        PolicyDocument policy;
        try {
            policy = PolicyParser.bucketPolicy(json, b.bucket());
        } catch (MalformedPolicyException e) {
            throw new S3Exception(S3ErrorCode.MALFORMED_POLICY, e.getMessage());
        }
        String users = "arn:aws:iam::" + Principal.ACCOUNT_ID + ":user/";
        for (PolicyDocument.Statement st : policy.statements()) {
            if (st.principal() == null) {
                continue;
            }
            for (String id : st.principal().aws()) {
                if (id.startsWith(users) && s.identities().snapshot().user(id.substring(id.lastIndexOf('/') + 1)) == null) {
                    throw new S3Exception(S3ErrorCode.MALFORMED_POLICY, "Invalid principal in policy");
                }
            }
            for (String canonical : st.principal().canonicalUsers()) {
                if (!s.identities().knows(canonical)) {
                    throw new S3Exception(S3ErrorCode.MALFORMED_POLICY, "Invalid principal in policy");
                }
            }
        }
        return policy;
    }

    private static S3Exception noPolicy(BucketAccess b) {
        return new S3Exception(S3ErrorCode.NO_SUCH_BUCKET_POLICY).with("BucketName", b.bucket());
    }
}
