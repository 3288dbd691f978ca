package dev.cairn.s3.access;

import dev.cairn.s3.iam.Quota;
import dev.cairn.s3.iam.acl.Acl;
import dev.cairn.s3.iam.policy.PolicyDocument;

/**
 * What decides access to one bucket: its owner, its policy, its ACL, Block Public Access and
 * Object Ownership settings, and its quota. {@code publicAccessBlock} and {@code ownership} are
 * null when the bucket's configuration was deleted (then nothing is blocked and ACLs count, as
 * ObjectWriter).
 *
 * @param policyJson the policy as it was put (GetBucketPolicy answers it), null when none
 */
public record BucketAccess(String bucket, String ownerId, String region, PolicyDocument policy, String policyJson,
                           Acl acl, PublicAccessBlock publicAccessBlock, ObjectOwnership ownership, Quota quota) {

    /** The settings in force: a deleted configuration blocks nothing. */
    public PublicAccessBlock block() {
        return publicAccessBlock == null ? PublicAccessBlock.NONE : publicAccessBlock;
    }

    public boolean aclsEnabled() {
        return ownership == null || ownership.aclsEnabled();
    }

    public boolean policyIsPublic() {
        return policy != null && PublicPolicies.isPublic(policy);
    }
}
