package dev.cairn.s3.iam.acl;

import dev.cairn.s3.iam.Principal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An access control list: the owner's canonical id and the grants. Stored compactly (JSON) in
 * bucket configs and object records; {@link #ownerOnly} is what S3 gives every new bucket and
 * object.
 */
public record Acl(String ownerId, List<Grant> grants) {

    /** One grant: a grantee and a permission. */
    public record Grant(Grantee grantee, AclPermission permission) {
    }

    public Acl {
        grants = List.copyOf(grants);
    }

    /** The owner with FULL_CONTROL and nobody else anything (the "private" canned ACL). */
    public static Acl ownerOnly(String ownerId) {
        return new Acl(ownerId, List.of(new Grant(Grantee.user(ownerId), AclPermission.FULL_CONTROL)));
    }

    /** Whether a grant goes to everyone or every signed-in caller. */
    public boolean isPublic() {
        return grants.stream().anyMatch(g -> g.grantee().isPublic());
    }

    /** Whether every grant is for the owner (or for {@code bucketOwnerId}): nothing is shared beyond them. */
    public boolean onlyOwners(String bucketOwnerId) {
        return grants.stream().allMatch(g -> g.grantee().type() == Grantee.Type.CANONICAL_USER
                && (g.grantee().id().equals(ownerId) || g.grantee().id().equals(bucketOwnerId)));
    }

    /**
     * Whether a grant of this (bucket or object) ACL allows {@code action} to {@code p};
     * {@code ignorePublic} skips grants to the public groups (IgnorePublicAcls).
     */
    public boolean allows(Principal p, String action, boolean bucketAcl, boolean ignorePublic) {
        for (Grant g : grants) {
            if (ignorePublic && g.grantee().isPublic() || !g.grantee().matches(p)) {
                continue;
            }
            if (bucketAcl ? g.permission().allowsOnBucket(action) : g.permission().allowsOnObject(action)) {
                return true;
            }
        }
        return false;
    }

    public byte[] encode() {
        JsonArray gs = new JsonArray();
        for (Grant g : grants) {
            gs.add(new JsonObject().put("type", g.grantee().type().name()).put("id", g.grantee().id())
                    .put("permission", g.permission().name()));
        }
        return new JsonObject().put("v", 1).put("owner", ownerId).put("grants", gs).encode()
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Reads {@link #encode}'s bytes; null bytes are the default ACL of {@code defaultOwner}. */
    public static Acl decode(byte[] bytes, String defaultOwner) {
        if (bytes == null) {
            return ownerOnly(defaultOwner);
        }
        JsonObject j = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
        List<Grant> grants = new ArrayList<>();
        for (Object o : j.getJsonArray("grants")) {
            JsonObject g = (JsonObject) o;
            grants.add(new Grant(new Grantee(Grantee.Type.valueOf(g.getString("type")), g.getString("id")),
                    AclPermission.valueOf(g.getString("permission"))));
        }
        return new Acl(j.getString("owner"), grants);
    }
}
