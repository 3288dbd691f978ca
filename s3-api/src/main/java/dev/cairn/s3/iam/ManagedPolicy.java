package dev.cairn.s3.iam;

/**
 * A customer managed policy (CreatePolicy), attachable to users. Cairn keeps one version of
 * each ("v1"). {@code attachments} counts the users it is attached to (AWS's AttachmentCount;
 * a policy still attached cannot be deleted).
 */
public record ManagedPolicy(String name, String id, String path, String document, String description,
                            long createdMillis, int attachments) {
    public static final String VERSION_ID = "v1";

    public String arn() {
        return arn(path, name);
    }

    public static String arn(String path, String name) {
        return "arn:aws:iam::" + Principal.ACCOUNT_ID + ":policy" + path + name;
    }

    public ManagedPolicy withAttachments(int n) {
        return new ManagedPolicy(name, id, path, document, description, createdMillis, n);
    }
}
