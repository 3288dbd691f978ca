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
 * and query auth (presigned URLs), for one region and service; and Signature Version 2 header
 * and query auth ({@link SigV2}). Cheap enough for the event loop (one canonical request, one
 * SHA-256 and one HMAC; signing keys are cached). Thread-safe.
 *
 * <p>Checks, in order, and what each failure answers (as S3 does):
 * <ol>
 *   <li>both an Authorization header and query auth: 400 InvalidArgument "Only one auth mechanism allowed...";
 *   <li>the Authorization header or the query parameters parse: 400 AuthorizationHeaderMalformed /
 *       AuthorizationQueryParametersError (also for a bad scope date, service or terminator, a
 *       credential date different from the request date, and a region other than the server's,
 *       naming the expected one in a Region element);
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
    private final String region;
    private final String service;
    private final List<String> domains;
    private final SigningKeys keys = new SigningKeys();

    /** A verifier of S3 requests signed for {@code region} (path-style addressing only). */
    public SigV4Verifier(CredentialsProvider credentials, Clock clock, String region) {
        this(credentials, clock, region, "s3", List.of());
    }

    /**
     * @param region  the region requests must be signed for (another answers AuthorizationHeaderMalformed)
     * @param service the SigV4 service name: "s3", or "iam" for the IAM API
     * @param domains the domains of virtual-hosted-style addressing (SigV2 signs the bucket of the Host)
     */
    public SigV4Verifier(CredentialsProvider credentials, Clock clock, String region, String service,
                         List<String> domains) {
        this.credentials = credentials;
        this.clock = clock;
        this.region = region;
        this.service = service;
        this.domains = domains;
    }

    /** The same verifier for another SigV4 service (the IAM API signs with "iam"). */
    public SigV4Verifier forService(String otherService) {
        return new SigV4Verifier(credentials, clock, region, otherService, domains);
    }

    public String region() {
        return region;
    }

    /**
     * Verifies header auth or query auth. Returns null for an anonymous request (no
     * Authorization header and no X-Amz-Algorithm/X-Amz-Signature parameter). Throws
     * S3Exception otherwise.
     */
    public AuthResult verify(RequestView request) {
        return verify(request, null);
    }

    /**
     * As {@link #verify(RequestView)} for a request whose whole body is at hand (the IAM API):
     * without an x-amz-content-sha256 header, the payload hash signed is the body's SHA-256, as
     * for every service but S3.
     */
    public AuthResult verify(RequestView request, byte[] body) {
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
        if (authorization != null && authorization.trim().startsWith(SigV2.SCHEME + " ")) {
            return verifyV2Header(request, params, SigV2.Header.parse(authorization));
        }
        if (authorization != null) {
            AuthorizationHeader header = AuthorizationHeader.parse(authorization, service);
            checkRegion(header.credential(), true);
            return verifyHeader(request, params, header, body);
        }
        if (queryV4) {
            PresignedQuery q = PresignedQuery.parse(params, service);
            checkRegion(q.credential(), false);
            return verifyPresigned(request, params, q);
        }
        if (queryV2) {
            return verifyV2Query(request, params);
        }
        return null;
    }

    /** A request signed for another region: S3 names the region it expected. */
    private void checkRegion(Credential credential, boolean header) {
        if (credential.region().equals(region)) {
            return;
        }
        String reason = "the region '" + credential.region() + "' is wrong; expecting '" + region + "'";
        S3Exception e = header ? AuthorizationHeader.malformed(reason)
                : new S3Exception(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                "Error parsing the X-Amz-Credential parameter; " + reason);
        throw e.with("Region", region);
    }

    private AuthResult verifyV2Header(RequestView request, List<CanonicalRequest.QueryParam> params, SigV2.Header h) {
        if (service.equals("iam")) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The IAM API takes AWS4-HMAC-SHA256 signatures only.");
        }
        SigV2.checkDate(request, clock);
        CredentialsProvider.SigningKey key = key(h.accessKeyId());
        List<byte[]> candidates = SigV2.headerCandidates(request, params, domains);
        boolean matched = false;
        for (byte[] toSign : candidates) {
            matched |= SigV2.signaturesEqual(SigV2.sign(key.secret(), toSign), h.signature());
        }
        if (!matched) {
            throw SigV2.mismatch(h.accessKeyId(), candidates.get(0), h.signature());
        }
        return new AuthResult(h.accessKeyId(), key.principal(), PayloadMode.UNSIGNED, null, false, null, true);
    }

    private AuthResult verifyV2Query(RequestView request, List<CanonicalRequest.QueryParam> params) {
        if (service.equals("iam")) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The IAM API takes AWS4-HMAC-SHA256 signatures only.");
        }
        String accessKeyId = CanonicalRequest.param(params, "AWSAccessKeyId");
        String signature = CanonicalRequest.param(params, "Signature");
        String expires = CanonicalRequest.param(params, "Expires");
        if (expires == null) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED,
                    "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters");
        }
        CredentialsProvider.SigningKey key = key(accessKeyId);
        SigV2.checkExpires(expires, clock);
        byte[] toSign = SigV2.stringToSign(request, params, expires.trim(), domains, true);
        if (!SigV2.signaturesEqual(SigV2.sign(key.secret(), toSign), signature)) {
            throw SigV2.mismatch(accessKeyId, toSign, signature);
        }
        return new AuthResult(accessKeyId, key.principal(), PayloadMode.UNSIGNED, null, true, null, true);
    }

    /**
     * Verifies the SigV2 signature of a browser form upload: base64 HMAC-SHA1 of the base64
     * policy with the secret of {@code accessKeyId}. Returns who signed it.
     */
    public Principal verifyPostSignatureV2(String accessKeyId, String policyBase64, String signature) {
        CredentialsProvider.SigningKey signer = key(accessKeyId);
        String expected = SigV2.sign(signer.secret(), policyBase64.getBytes(StandardCharsets.US_ASCII));
        if (!SigV2.signaturesEqual(expected, signature)) {
            throw PostPolicy.denied("Invalid according to Policy: Policy Signature does not match.");
        }
        return signer.principal();
    }

    private AuthResult verifyHeader(RequestView request, List<CanonicalRequest.QueryParam> params, AuthorizationHeader auth,
                                    byte[] body) {
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
        if (contentSha256 == null && body != null) {
            contentSha256 = SigningKeys.hex(SigningKeys.sha256().digest(body));
        }
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
                mode == PayloadMode.SIGNED ? contentSha256.toLowerCase(Locale.ROOT) : null, false, ctx, false);
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
                mode == PayloadMode.SIGNED ? payload.toLowerCase(Locale.ROOT) : null, true, ctx, false);
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
            cred = Credential.parse(credential, service);
        } catch (Credential.Malformed e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid x-amz-credential: " + e.getMessage())
                    .with("ArgumentName", "x-amz-credential").with("ArgumentValue", credential);
        }
        if (!cred.region().equals(region)) {
            throw new S3Exception(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR, "Error parsing the "
                    + "X-Amz-Credential parameter; the region '" + cred.region() + "' is wrong; expecting '" + region
                    + "'").with("Region", region);
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
