package dev.cairn.s3.iam;

/**
 * Who sent a request: the root user, one of its users (signing with one of the user's access
 * keys), or nobody (an anonymous request).
 *
 * @param accessKeyId the key the request was signed with (null when anonymous)
 */
public record Principal(Type type, String accessKeyId) {
    public enum Type { ROOT, ANONYMOUS }

    public static final Principal ANONYMOUS = new Principal(Type.ANONYMOUS, null);

    public static Principal root(String accessKeyId) {
        return new Principal(Type.ROOT, accessKeyId);
    }

    public boolean isRoot() {
        return type == Type.ROOT;
    }

    public boolean isAnonymous() {
        return type == Type.ANONYMOUS;
    }
}
