package dev.cairn.s3.iam;

/** An access key of a user: its id, secret, whether it is active, and when it was made. */
public record IamAccessKey(String id, String userName, String secret, boolean active, long createdMillis) {

    public IamAccessKey withActive(boolean isActive) {
        return new IamAccessKey(id, userName, secret, isActive, createdMillis);
    }

    @Override
    public String toString() {
        return "IamAccessKey[" + id + ", " + userName + (active ? ", Active" : ", Inactive") + "]";
    }
}
