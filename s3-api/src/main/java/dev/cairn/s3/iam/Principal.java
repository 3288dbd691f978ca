package dev.cairn.s3.iam;

/**
 * Who sent a request: the root user, one of Cairn's users (signing with one of the user's access
 * keys), or nobody (an anonymous request). Cairn is one account ({@link #ACCOUNT_ID}); a user's
 * ARN is {@code arn:aws:iam::ACCOUNT:user/NAME}, the root's {@code arn:aws:iam::ACCOUNT:root}.
 *
 * @param accessKeyId the key the request was signed with (null when anonymous)
 * @param userName    the user's name (null for root and anonymous)
 * @param userId      the user's unique id ("AIDA..."), the account id for root, null when anonymous
 * @param canonicalId the canonical user id that owns buckets and appears in ACLs (null when anonymous)
 * @param userArn     a user's ARN (with its IAM path); null otherwise
 */
public record Principal(Type type, String accessKeyId, String userName, String userId, String canonicalId,
                        String displayName, String userArn) {
    /** The one account every Cairn principal belongs to, as it appears in ARNs. */
    public static final String ACCOUNT_ID = "000000000000";

    public enum Type { ROOT, USER, ANONYMOUS }

    public static final Principal ANONYMOUS = new Principal(Type.ANONYMOUS, null, null, null, null, null, null);

    public static Principal root(String accessKeyId, Owner owner) {
        return new Principal(Type.ROOT, accessKeyId, null, ACCOUNT_ID, owner.id(), owner.displayName(), null);
    }

    /** The root principal with the canonical id Cairn derives from the root access key. */
    public static Principal root(String accessKeyId) {
        return root(accessKeyId, Owner.ofRoot(accessKeyId));
    }

    /** A user with the default path "/" (tests and examples). */
    public static Principal user(String accessKeyId, String userName, String userId, String canonicalId) {
        return new Principal(Type.USER, accessKeyId, userName, userId, canonicalId, userName, userArn(userName));
    }

    /** A user of the identity table, signing with {@code accessKeyId}. */
    public static Principal of(IamUser user, String accessKeyId) {
        return new Principal(Type.USER, accessKeyId, user.name(), user.id(), user.canonicalId(), user.name(),
                user.arn());
    }

    public boolean isRoot() {
        return type == Type.ROOT;
    }

    public boolean isAnonymous() {
        return type == Type.ANONYMOUS;
    }

    /** The principal's ARN; null when anonymous. */
    public String arn() {
        return switch (type) {
            case ROOT -> "arn:aws:iam::" + ACCOUNT_ID + ":root";
            case USER -> userArn;
            case ANONYMOUS -> null;
        };
    }

    /** The owner this principal's buckets and objects report. */
    public Owner owner() {
        return isAnonymous() ? null : new Owner(canonicalId, displayName);
    }

    public static String userArn(String userName) {
        return "arn:aws:iam::" + ACCOUNT_ID + ":user/" + userName;
    }
}
