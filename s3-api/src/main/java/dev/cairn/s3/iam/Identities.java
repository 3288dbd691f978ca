package dev.cairn.s3.iam;

import dev.cairn.metadata.MetadataStore;
import dev.cairn.s3.auth.CredentialsProvider;

import java.util.Optional;

/**
 * Who may sign requests, answered from memory: the root key, and every active access key of
 * the identity table as of the last {@link #reload}. The table is read from RocksDB at start and
 * after every identity change this process makes ({@link IamService}); lookups never block, so
 * the event loop can call them.
 */
public final class Identities implements CredentialsProvider {
    private final String rootAccessKey;
    private final SigningKey root;
    private final Owner rootOwner;
    private volatile IdentitySnapshot snapshot = IdentitySnapshot.EMPTY;

    public Identities(String rootAccessKey, String rootSecretKey) {
        this.rootAccessKey = rootAccessKey;
        this.rootOwner = Owner.ofRoot(rootAccessKey);
        this.root = new SigningKey(rootSecretKey, Principal.root(rootAccessKey, rootOwner));
    }

    /** Reads the whole identity table (blocking: call on a worker thread). */
    public void reload(MetadataStore metadata) {
        snapshot = new IdentitySnapshot(metadata.identityRows());
    }

    public IdentitySnapshot snapshot() {
        return snapshot;
    }

    public Owner rootOwner() {
        return rootOwner;
    }

    public Principal rootPrincipal() {
        return root.principal();
    }

    @Override
    public Optional<SigningKey> lookup(String accessKeyId) {
        if (accessKeyId == null) {
            return Optional.empty();
        }
        if (accessKeyId.equals(rootAccessKey)) {
            return Optional.of(root);
        }
        IdentitySnapshot s = snapshot;
        IamAccessKey key = s.accessKey(accessKeyId);
        if (key == null || !key.active()) {
            return Optional.empty();
        }
        IamUser user = s.user(key.userName());
        if (user == null) {
            return Optional.empty();
        }
        return Optional.of(new SigningKey(key.secret(), Principal.of(user, accessKeyId)));
    }

    /** Whether a canonical id is the root's or one of the users'. */
    public boolean knows(String canonicalId) {
        return canonicalId != null && (canonicalId.equals(rootOwner.id())
                || snapshot.userByCanonicalId(canonicalId) != null);
    }

    /** The owner a canonical id names: the root, a user, or (for an id no one has any more) the id itself. */
    public Owner owner(String canonicalId) {
        if (canonicalId == null) {
            return null;
        }
        if (canonicalId.equals(rootOwner.id())) {
            return rootOwner;
        }
        IamUser u = snapshot.userByCanonicalId(canonicalId);
        return new Owner(canonicalId, u == null ? canonicalId : u.name());
    }
}
