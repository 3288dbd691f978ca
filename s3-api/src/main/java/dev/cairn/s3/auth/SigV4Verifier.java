package dev.cairn.s3.auth;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.iam.Principal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies AWS Signature Version 4: header auth ({@code Authorization: AWS4-HMAC-SHA256 ...})
 * and query auth (presigned URLs). Cheap enough for the event loop (one canonical request,
 * one SHA-256 and one HMAC; signing keys are cached). Thread-safe.
 *
 * <p>Checks, in order, and what each failure answers (as S3 does):
 * <ol>
 *   <li>both an Authorization header and query auth: 400 InvalidArgument "Only one auth mechanism allowed...";
 *   <li>the Authorization header or the query parameters parse: 400 AuthorizationHeaderMalformed /
 *       AuthorizationQueryParametersError (also for a bad scope date, service or terminator, and a
 *       credential date different from the request date);
 *   <li>a valid X-Amz-Date or Date (header auth): 403 AccessDenied;
 *   <li>x-amz-content-sha256 present (header auth): 400 InvalidRequest; recognised: 400 InvalidArgument;
 *   <li>the access key exists: 403 InvalidAccessKeyId;
 *   <li>header auth: request time within 15 minutes of now: 403 RequestTimeTooSkewed; query auth: not
 *       expired, not more than 15 minutes in the future: 403 AccessDenied;
 *   <li>every x-amz-* header present is signed: 403 AccessDenied "There were headers present in the
 *       request which were not signed";
 *   <li>the signature: 403 SignatureDoesNotMatch.
 * </ol>
 */
public final class SigV4Verifier {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final Duration MAX_SKEW = Duration.ofMinutes(15);

    private final CredentialsProvider credentials;
    private final Clock clock;
    private final SigningKeys keys = new SigningKeys();

    public SigV4Verifier(CredentialsProvider credentials, Clock clock) {
        this.credentials = credentials;
        this.clock = clock;
    }

    /**
     * Verifies header auth or query auth. Returns null for an anonymous request (no
     * Authorization header and no X-Amz-Algorithm/X-Amz-Signature parameter). Throws
     * S3Exception otherwise.
     */
    public AuthResult verify(RequestView request) {
        String authorization = request.header("Authorization");
        List<CanonicalRequest.QueryParam> params = CanonicalRequest.parseQuery(request.rawQuery());
        boolean queryV4 = CanonicalRequest.param(params, "X-Amz-Algorithm") != null
                || CanonicalRequest.param(params, "X-Amz-Signature") != null;
        boolean queryV2 = CanonicalRequest.param(params, "Signature") != null
                && CanonicalRequest.param(params, "AWSAccessKeyId") != null;
        if (authorization != null && (queryV4 || queryV2)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query "
                            + "string parameter or the Authorization header should be specified")
                    .with("ArgumentName", "Authorization")
                    .with("ArgumentValue", authorization);
        }
        if (authorization != null) {
            return verifyHeader(request, params, AuthorizationHeader.parse(authorization));
        }
        if (queryV4) {
            return verifyPresigned(request, params, PresignedQuery.parse(params));
        }
        if (queryV2) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
        }
        return null;
    }

    private AuthResult verifyHeader(RequestView request, List<CanonicalRequest.QueryParam> params, AuthorizationHeader auth) {
        String amzDate = request.header("x-amz-date");
        Instant date;
        if (amzDate != null) {
            amzDate = amzDate.trim();
            date = AmzDate.parseBasic(amzDate);
        } else {
            date = AmzDate.parseHttpDate(request.header("Date"));
            amzDate = date == null ? null : AmzDate.basic(date);
        }
        if (date == null) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "AWS authentication requires a valid Date or x-amz-date header");
        }
        if (!amzDate.startsWith(auth.credential().date())) {
            throw AuthorizationHeader.malformed("Invalid credential date. Date is not the same as X-Amz-Date.");
        }
        String contentSha256 = request.header("x-amz-content-sha256");
        if (contentSha256 == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "Missing required header for this request: x-amz-content-sha256");
        }
        contentSha256 = contentSha256.trim();
        PayloadMode mode = PayloadMode.fromContentSha256(contentSha256);
        CredentialsProvider.SigningKey key = key(auth.credential().accessKeyId());
        Instant now = clock.instant();
        if (Duration.between(date, now).abs().compareTo(MAX_SKEW) > 0) {
            throw new S3Exception(S3ErrorCode.REQUEST_TIME_TOO_SKEWED)
                    .with("RequestTime", amzDate)
                    .with("ServerTime", AmzDate.iso(now))
                    .with("MaxAllowedSkewMilliseconds", Long.toString(MAX_SKEW.toMillis()));
        }
        checkAmzHeadersSigned(request, auth.signedHeaderNames());
        String canonical = CanonicalRequest.build(request.method(), CanonicalRequest.canonicalUri(request.rawPath()),
                CanonicalRequest.canonicalQuery(params, null),
                CanonicalRequest.canonicalHeaders(request.headers(), auth.signedHeaderNames()),
                auth.signedHeaders(), contentSha256);
        SigningContext ctx = checkSignature(auth.credential(), key.secret(), amzDate, canonical, auth.signature());
        return new AuthResult(auth.credential().accessKeyId(), key.principal(), mode,
                mode == PayloadMode.SIGNED ? contentSha256.toLowerCase(Locale.ROOT) : null, false, ctx);
    }

    private AuthResult verifyPresigned(RequestView request, List<CanonicalRequest.QueryParam> params, PresignedQuery q) {
        CredentialsProvider.SigningKey key = key(q.credential().accessKeyId());
        Instant now = clock.instant();
        Instant expires = q.date().plusSeconds(q.expiresSeconds());
        if (now.isAfter(expires)) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Request has expired")
                    .with("X-Amz-Expires", Long.toString(q.expiresSeconds()))
                    .with("Expires", AmzDate.iso(expires))
                    .with("ServerTime", AmzDate.iso(now));
        }
        if (q.date().isAfter(now.plus(MAX_SKEW))) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Request is not valid yet");
        }
        checkAmzHeadersSigned(request, q.signedHeaderNames());
        String payload = CanonicalRequest.param(params, "X-Amz-Content-Sha256");
        if (payload == null) {
            payload = request.header("x-amz-content-sha256");
        }
        payload = payload == null ? PayloadMode.UNSIGNED_PAYLOAD : payload.trim();
        PayloadMode mode = PayloadMode.fromContentSha256(payload);
        String canonical = CanonicalRequest.build(request.method(), CanonicalRequest.canonicalUri(request.rawPath()),
                CanonicalRequest.canonicalQuery(params, "X-Amz-Signature"),
                CanonicalRequest.canonicalHeaders(request.headers(), q.signedHeaderNames()),
                q.signedHeaders(), payload);
        SigningContext ctx = checkSignature(q.credential(), key.secret(), q.amzDate(), canonical, q.signature());
        return new AuthResult(q.credential().accessKeyId(), key.principal(), mode,
                mode == PayloadMode.SIGNED ? payload.toLowerCase(Locale.ROOT) : null, true, ctx);
    }

    /**
     * Verifies the signature of a browser form upload: HMAC-SHA256 of the base64 policy with the
     * SigV4 signing key of {@code x-amz-credential}. InvalidArgument for a malformed credential,
     * InvalidAccessKeyId for an unknown key, AccessDenied for a signature that does not match (a
     * tampered policy included). Returns who signed it.
     */
    public Principal verifyPostSignature(String credential, String policyBase64, String signature) {
        Credential cred;
        try {
            cred = Credential.parse(credential);
        } catch (Credential.Malformed e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid x-amz-credential: " + e.getMessage())
                    .with("ArgumentName", "x-amz-credential").with("ArgumentValue", credential);
        }
        CredentialsProvider.SigningKey signer = key(cred.accessKeyId());
        byte[] key = keys.signingKey(signer.secret(), cred.date(), cred.region(), cred.service());
        String expected = SigningKeys.hex(SigningKeys.hmac(key, policyBase64));
        if (!SigningKeys.signaturesEqual(expected, signature == null ? null : signature.toLowerCase(Locale.ROOT))) {
            throw PostPolicy.denied("Invalid according to Policy: Policy Signature does not match.");
        }
        return signer.principal();
    }

    private CredentialsProvider.SigningKey key(String accessKeyId) {
        Optional<CredentialsProvider.SigningKey> key = credentials.lookup(accessKeyId);
        if (key.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_ACCESS_KEY_ID).with("AWSAccessKeyId", accessKeyId);
        }
        return key.get();
    }

    /** S3 refuses x-amz-* headers that the signature does not cover (they could be added in transit). */
    private static void checkAmzHeadersSigned(RequestView request, List<String> signedHeaderNames) {
        Set<String> signed = null;
        List<String> unsigned = null;
        for (Map.Entry<String, String> h : request.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!name.startsWith("x-amz-")) {
                continue;
            }
            if (signed == null) {
                signed = new HashSet<>();
                for (String s : signedHeaderNames) {
                    signed.add(s.toLowerCase(Locale.ROOT));
                }
            }
            if (!signed.contains(name)) {
                if (unsigned == null) {
                    unsigned = new ArrayList<>();
                }
                if (!unsigned.contains(name)) {
                    unsigned.add(name);
                }
            }
        }
        if (unsigned != null) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "There were headers present in the request which were not signed")
                    .with("HeadersNotSigned", String.join(", ", unsigned));
        }
    }

    /**
     * Checks the signature over the canonical request's bytes as received: header values reach
     * the verifier one character per byte ({@link RequestView}), so the request's ISO-8859-1
     * encoding is those bytes (UTF-8 text as boto3 and most clients send it is signed as sent).
     * Only when that fails and a value holds non-ASCII bytes is the request read the other way
     * (each byte a character, signed as UTF-8), which is what the SDK for Java's Apache client
     * does: it writes ISO-8859-1 bytes of a value it signed as UTF-8. Both readings cover every
     * byte of every signed header, so neither lets a header be changed in transit.
     */
    private SigningContext checkSignature(Credential cred, String secret, String amzDate, String canonicalRequest,
                                          String provided) {
        String scope = cred.scope();
        byte[] key = keys.signingKey(secret, cred.date(), cred.region(), cred.service());
        byte[] received = canonicalRequest.getBytes(StandardCharsets.ISO_8859_1);
        String stringToSign = stringToSign(amzDate, scope, received);
        String expected = SigningKeys.hex(SigningKeys.hmac(key, stringToSign));
        if (!SigningKeys.signaturesEqual(expected, provided) && !isAscii(canonicalRequest)) {
            String asLatinOne = stringToSign(amzDate, scope, canonicalRequest.getBytes(StandardCharsets.UTF_8));
            String other = SigningKeys.hex(SigningKeys.hmac(key, asLatinOne));
            if (SigningKeys.signaturesEqual(other, provided)) {
                expected = other;
            }
        }
        if (!SigningKeys.signaturesEqual(expected, provided)) {
            throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH)
                    .with("AWSAccessKeyId", cred.accessKeyId())
                    .with("StringToSign", stringToSign)
                    .with("SignatureProvided", provided)
                    .with("CanonicalRequest", new String(received, StandardCharsets.UTF_8));
        }
        return new SigningContext(key.clone(), amzDate, scope, expected);
    }

    private static String stringToSign(String amzDate, String scope, byte[] canonicalRequest) {
        return ALGORITHM + '\n' + amzDate + '\n' + scope + '\n'
                + SigningKeys.hex(SigningKeys.sha256().digest(canonicalRequest));
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    int cachedSigningKeys() {
        return keys.cachedEntries();
    }
}
