package dev.cairn.s3.auth;

import dev.cairn.s3.iam.Principal;

import java.util.Optional;

/**
 * Looks up an access key: its secret and whose it is; empty when the key is unknown or not
 * active. Called on the event loop, so it must answer from memory.
 */
@FunctionalInterface
public interface CredentialsProvider {
    Optional<SigningKey> lookup(String accessKeyId);

    /** The secret of an access key and the principal requests signed with it act as. */
    record SigningKey(String secret, Principal principal) {
        @Override
        public String toString() {
            return "SigningKey[" + principal + "]";
        }
    }

    /** A provider that knows one key, the root user's. */
    static CredentialsProvider rootOnly(String accessKey, String secretKey) {
        SigningKey root = new SigningKey(secretKey, Principal.root(accessKey));
        return id -> id.equals(accessKey) ? Optional.of(root) : Optional.empty();
    }
}
