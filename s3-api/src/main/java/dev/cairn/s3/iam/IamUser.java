package dev.cairn.s3.iam;

/**
 * A user of the one Cairn account. {@code generation} goes up with every change of the user's
 * access keys and policies, so that changes of one user are compare-and-set on its row.
 *
 * @param id   the unique id ("AIDA" and 17 more characters), never reused
 * @param path the IAM path ("/" by default)
 */
public record IamUser(String name, String id, String path, long createdMillis, long generation) {

    public String arn() {
        return "arn:aws:iam::" + Principal.ACCOUNT_ID + ":user" + path + name;
    }

    /** The canonical user id that owns the user's buckets and names it in ACLs. */
    public String canonicalId() {
        return Owner.userCanonicalId(id);
    }

    public IamUser next() {
        return new IamUser(name, id, path, createdMillis, generation + 1);
    }
}
