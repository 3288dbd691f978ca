package dev.cairn.s3.auth;

import java.util.Optional;

/** Looks up the secret key of an access key id; empty when the key is unknown. Called on the event loop. */
public interface CredentialsProvider {
    Optional<String> secretKey(String accessKeyId);
}
