package dev.cairn.s3.iam.acl;

import dev.cairn.s3.iam.Principal;

/** Who an ACL grant is for: a canonical user, or one of S3's predefined groups (by URI). */
public record Grantee(Type type, String id) {
    public static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    public static final String AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
    public static final String LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery";

    public enum Type { CANONICAL_USER, GROUP }

    public static Grantee user(String canonicalId) {
        return new Grantee(Type.CANONICAL_USER, canonicalId);
    }

    public static Grantee group(String uri) {
        return new Grantee(Type.GROUP, uri);
    }

    /** Grants to everyone, or to every signed-in caller: what Block Public Access calls public. */
    public boolean isPublic() {
        return type == Type.GROUP && (ALL_USERS.equals(id) || AUTHENTICATED_USERS.equals(id));
    }

    public boolean matches(Principal p) {
        if (type == Type.CANONICAL_USER) {
            return !p.isAnonymous() && id.equals(p.canonicalId());
        }
        return ALL_USERS.equals(id) || AUTHENTICATED_USERS.equals(id) && !p.isAnonymous();
    }
}
