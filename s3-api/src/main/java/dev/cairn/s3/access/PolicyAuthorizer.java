package dev.cairn.s3.access;

import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.s3.BlockingCalls;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.http.Authorizer;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.iam.Identities;
import dev.cairn.s3.iam.Principal;
import dev.cairn.s3.iam.acl.Acl;
import dev.cairn.s3.iam.policy.PolicyDocument;
import dev.cairn.s3.iam.policy.PolicyEvaluator;
import dev.cairn.s3.iam.policy.PolicyEvaluator.Decision;
import dev.cairn.s3.iam.policy.RequestContext;
import dev.cairn.s3.request.Permission;
import io.vertx.core.Future;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * The one authorization step, AWS's evaluation for one account where every user owns the
 * buckets it creates:
 * <ol>
 *   <li>an explicit Deny in the caller's identity policies or the bucket policy wins;</li>
 *   <li>otherwise the request is allowed by ownership (root owns everything, a user its
 *       buckets and what is in them), by an Allow of an identity policy or the bucket policy
 *       (for anonymous callers only while RestrictPublicBuckets does not void a public policy),
 *       or - when the bucket's Object Ownership enables ACLs - by a grant of the bucket's ACL
 *       or the object's (public grants skipped under IgnorePublicAcls);</li>
 *   <li>otherwise it is denied (403 AccessDenied).</li>
 * </ol>
 * Users may create buckets and list their own without any policy. The owner of a bucket (and
 * root) may always read, change and delete its policy, so a policy cannot lock them out. A
 * request on a bucket that does not exist is let through for signed callers (the handler
 * answers NoSuchBucket, as S3 does). Bucket settings come from {@link BucketAccessStore}'s cache,
 * identities from memory; only an object's ACL or tags (when a policy tests
 * s3:ExistingObjectTag) are read on a worker thread.
 */
public final class PolicyAuthorizer implements Authorizer {
    private static final Set<String> ALWAYS_THE_OWNERS = Set.of("s3:GetBucketPolicy", "s3:PutBucketPolicy",
            "s3:DeleteBucketPolicy");
    private static final Set<String> WITHOUT_BUCKET = Set.of("s3:ListAllMyBuckets", "s3:CreateBucket");

    private final BucketAccessStore buckets;
    private final Identities identities;
    private final MetadataStore metadata;
    private final ExecutorService pool;
    private final Clock clock;

    public PolicyAuthorizer(BucketAccessStore buckets, Identities identities, MetadataStore metadata,
                            ExecutorService pool, Clock clock) {
        this.buckets = buckets;
        this.identities = identities;
        this.metadata = metadata;
        this.pool = pool;
        this.clock = clock;
    }

    @Override
    public Future<Void> authorize(S3Exchange ex, List<Permission> needed) {
        Principal p = ex.principal();
        if (needed.isEmpty()) {
            return p.isAnonymous() ? denied() : Future.succeededFuture();
        }
        Future<Void> all = Future.succeededFuture();
        for (Permission permission : needed) {
            all = all.compose(v -> check(ex, p, permission));
        }
        return all;
    }

    private Future<Void> check(S3Exchange ex, Principal p, Permission perm) {
        Map<String, List<String>> keys = RequestKeys.of(ex, clock.instant());
        RequestContext ctx = new RequestContext(p, perm.action(), perm.resource(), keys);
        List<PolicyDocument> identity = p.userName() == null ? List.of()
                : identities.snapshot().policiesOf(p.userName());
        if (perm.bucket() == null || WITHOUT_BUCKET.contains(perm.action())) {
            return verdict(PolicyEvaluator.decide(ctx, identity, null, !p.isAnonymous()));
        }
        BucketAccess cached = buckets.cached(perm.bucket().value());
        Future<Optional<BucketAccess>> access = cached != null ? Future.succeededFuture(Optional.of(cached))
                : BlockingCalls.run(pool, ex.context(), () -> buckets.load(perm.bucket().value()));
        return access.compose(a -> {
            if (a.isEmpty()) {
                // no such bucket: the handler says so to signed callers, unless their policies deny it
                return p.isAnonymous() ? denied() : verdict(PolicyEvaluator.decide(ctx, identity, null, true));
            }
            BucketAccess b = a.get();
            if (perm.key() != null && (needsObjectTags(identity, b) || mayNeedObjectAcl(ctx, identity, b))) {
                return BlockingCalls.run(pool, ex.context(),
                        () -> metadata.getObject(b.bucket(), perm.key().value()))
                        .compose(o -> verdict(decide(withTags(ctx, o), identity, b, o.orElse(null))));
            }
            return verdict(decide(ctx, identity, b, null));
        });
    }

    /** The decision with the bucket's settings and, when it was read, the object. */
    static Decision decide(RequestContext ctx, List<PolicyDocument> identity, BucketAccess b, ObjectRecord object) {
        Principal p = ctx.principal();
        boolean owner = p.isRoot() || b.ownerId().equals(p.canonicalId());
        if (owner && ALWAYS_THE_OWNERS.contains(ctx.action())) {
            return Decision.ALLOW;
        }
        boolean ignorePublic = b.block().ignorePublicAcls();
        boolean granted = owner;
        if (!granted && b.aclsEnabled()) {
            granted = b.acl().allows(p, ctx.action(), true, ignorePublic);
            if (!granted && object != null) {
                Acl objectAcl = Acl.decode(object.acl(), object.owner());
                granted = p.canonicalId() != null && p.canonicalId().equals(objectAcl.ownerId())
                        || objectAcl.allows(p, ctx.action(), false, ignorePublic);
            }
        }
        PolicyDocument policy = b.policy();
        if (p.isAnonymous() && policy != null && b.block().restrictPublicBuckets() && b.policyIsPublic()) {
            // a public policy grants nothing to anonymous callers; its denies still apply
            Decision d = PolicyEvaluator.decide(ctx, identity, policy, granted);
            return d == Decision.EXPLICIT_DENY ? d : granted ? Decision.ALLOW : Decision.IMPLICIT_DENY;
        }
        return PolicyEvaluator.decide(ctx, identity, policy, granted);
    }

    /** Whether only the object's ACL could still allow it (ACLs on, not already allowed or denied). */
    private static boolean mayNeedObjectAcl(RequestContext ctx, List<PolicyDocument> identity, BucketAccess b) {
        return b.aclsEnabled() && decide(ctx, identity, b, null) == Decision.IMPLICIT_DENY;
    }

    /** Whether a policy that applies tests s3:ExistingObjectTag, so the object's tags are needed. */
    private static boolean needsObjectTags(List<PolicyDocument> identity, BucketAccess b) {
        for (PolicyDocument d : identity) {
            if (testsExistingTags(d)) {
                return true;
            }
        }
        return b.policy() != null && testsExistingTags(b.policy());
    }

    private static boolean testsExistingTags(PolicyDocument d) {
        return d.statements().stream().flatMap(s -> s.conditions().stream())
                .anyMatch(c -> c.key().startsWith("s3:existingobjecttag/"));
    }

    private static RequestContext withTags(RequestContext ctx, Optional<ObjectRecord> object) {
        if (object.isEmpty() || object.get().tags().isEmpty()) {
            return ctx;
        }
        Map<String, List<String>> keys = new HashMap<>(ctx.keys());
        object.get().tags().forEach((k, v) -> keys.put("s3:ExistingObjectTag/" + k, List.of(v)));
        return new RequestContext(ctx.principal(), ctx.action(), ctx.resource(), keys);
    }

    private static Future<Void> verdict(Decision d) {
        return d == Decision.ALLOW ? Future.succeededFuture() : denied();
    }

    private static Future<Void> denied() {
        return Future.failedFuture(new S3Exception(S3ErrorCode.ACCESS_DENIED));
    }
}
