package dev.cairn.metadata;

import java.util.Objects;

/**
 * The key of a row of the identity table: its kind, the name it belongs to (a user or policy
 * name, or a bucket for bucket quotas) and, for rows that are members of a name, the member's
 * name (an access key id, an inline policy name, an attached policy's name).
 */
public record IdentityKey(Kind kind, String name, String member) {

    /**
     * The kinds of identity rows, with the tag byte that starts their keys (never reuse a tag)
     * and whether their rows are members of a user (access keys, inline and attached policies).
     */
    public enum Kind {
        USER('u', false), ACCESS_KEY('k', true), USER_POLICY('p', true), MANAGED_POLICY('m', false),
        ATTACHED_POLICY('a', true), USER_QUOTA('q', false);

        final byte tag;
        final boolean hasMember;

        Kind(char tag, boolean hasMember) {
            this.tag = (byte) tag;
            this.hasMember = hasMember;
        }

        static Kind ofTag(byte tag) {
            for (Kind k : values()) {
                if (k.tag == tag) {
                    return k;
                }
            }
            throw new MetadataException.StorageFailure("unknown identity row kind " + (char) tag, null);
        }
    }

    public IdentityKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if (kind.hasMember != (member != null)) {
            throw new IllegalArgumentException(kind + (kind.hasMember ? " rows need a member" : " rows have no member"));
        }
    }

    public static IdentityKey of(Kind kind, String name) {
        return new IdentityKey(kind, name, null);
    }

    public static IdentityKey of(Kind kind, String name, String member) {
        return new IdentityKey(kind, name, Objects.requireNonNull(member, "member"));
    }
}
