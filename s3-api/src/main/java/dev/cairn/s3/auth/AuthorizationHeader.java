package dev.cairn.s3.auth;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import java.util.List;

/**
 * A parsed {@code Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}.
 * The three components may come in any order, separated by commas and optional spaces.
 */
record AuthorizationHeader(Credential credential, String signedHeaders, List<String> signedHeaderNames, String signature) {
    static final String SCHEME = SigV4Verifier.ALGORITHM;

    /**
     * Parses the header value (SigV2's "AWS ak:sig" is {@link SigV2}'s). Other schemes answer
     * as S3 does: SigV4a 501 NotImplemented; anything else 400 InvalidArgument "Unsupported
     * Authorization Type".
     */
    static AuthorizationHeader parse(String value, String service) {
        String v = value.trim();
        if (v.startsWith("AWS4-ECDSA-P256-SHA256")) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "SigV4a (AWS4-ECDSA-P256-SHA256) is not supported.");
        }
        if (!v.startsWith(SCHEME) || v.length() == SCHEME.length() || v.charAt(SCHEME.length()) != ' ') {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Unsupported Authorization Type")
                    .with("ArgumentName", "Authorization")
                    .with("ArgumentValue", value);
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String part : v.substring(SCHEME.length()).split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw malformed("the authorization component \"" + p + "\" is malformed.");
            }
            String name = p.substring(0, eq).trim();
            String val = p.substring(eq + 1).trim();
            switch (name) {
                case "Credential" -> credential = once(credential, val, name);
                case "SignedHeaders" -> signedHeaders = once(signedHeaders, val, name);
                case "Signature" -> signature = once(signature, val, name);
                default -> throw malformed("the authorization component \"" + p + "\" is malformed.");
            }
        }
        if (credential == null) {
            throw malformed("Authorization header requires 'Credential' parameter.");
        }
        if (signedHeaders == null) {
            throw malformed("Authorization header requires 'SignedHeaders' parameter.");
        }
        if (signature == null) {
            throw malformed("Authorization header requires 'Signature' parameter.");
        }
        Credential cred;
        try {
            cred = Credential.parse(credential, service);
        } catch (Credential.Malformed e) {
            throw malformed(e.getMessage());
        }
        List<String> names = splitSignedHeaders(signedHeaders);
        if (names == null) {
            throw malformed("the SignedHeaders \"" + signedHeaders + "\" is malformed.");
        }
        return new AuthorizationHeader(cred, signedHeaders, names, signature);
    }

    /** Splits "host;x-amz-date"; null if the list is empty or has an empty name. */
    static List<String> splitSignedHeaders(String signedHeaders) {
        String[] names = signedHeaders.split(";", -1);
        for (String n : names) {
            if (n.isEmpty()) {
                return null;
            }
        }
        return List.of(names);
    }

    private static String once(String previous, String value, String name) {
        if (previous != null) {
            throw malformed("the authorization component \"" + name + "\" is repeated.");
        }
        return value;
    }

    static S3Exception malformed(String reason) {
        return new S3Exception(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED, "The authorization header is malformed; " + reason);
    }
}
