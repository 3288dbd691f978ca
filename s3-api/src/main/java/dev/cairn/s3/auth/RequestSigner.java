package dev.cairn.s3.auth;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs outgoing S3 requests with SigV4 header auth (host, x-amz-content-sha256 and x-amz-date
 * signed), for Cairn's own clients such as {@code cairn bench}. Uses the same canonicalisation
 * as {@link SigV4Verifier}, so what it signs the server accepts.
 */
public final class RequestSigner {
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final String accessKey;
    private final String secretKey;
    private final String region;

    public RequestSigner(String accessKey, String secretKey, String region) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.region = region;
    }

    /**
     * The headers to add to the request: x-amz-date, x-amz-content-sha256 and Authorization.
     *
     * @param host        the Host header value (host:port)
     * @param rawPath     the path as it will be sent (percent-encoded)
     * @param rawQuery    the query as it will be sent, or null
     * @param payloadHash hex SHA-256 of the body, or {@link #UNSIGNED_PAYLOAD}
     */
    public Map<String, String> sign(String method, String host, String rawPath, String rawQuery, String payloadHash,
                                    Instant now) {
        return sign(method, host, rawPath, rawQuery, payloadHash, now, Map.of());
    }

    /** As above, also signing {@code extra} headers (lower-case names) the caller sends. */
    public Map<String, String> sign(String method, String host, String rawPath, String rawQuery, String payloadHash,
                                    Instant now, Map<String, String> extra) {
        String amzDate = AMZ_DATE.format(now);
        String date = amzDate.substring(0, 8);
        java.util.TreeMap<String, String> all = new java.util.TreeMap<>(extra);
        all.put("host", host);
        all.put("x-amz-content-sha256", payloadHash);
        all.put("x-amz-date", amzDate);
        List<Map.Entry<String, String>> headers = List.copyOf(all.entrySet());
        List<String> signed = List.copyOf(all.keySet());
        String canonical = CanonicalRequest.build(method, CanonicalRequest.canonicalUri(rawPath),
                CanonicalRequest.canonicalQuery(CanonicalRequest.parseQuery(rawQuery), null),
                CanonicalRequest.canonicalHeaders(headers, signed), String.join(";", signed), payloadHash);
        String scope = date + "/" + region + "/s3/" + Credential.TERMINATOR;
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + SigningKeys.sha256Hex(canonical);
        byte[] key = SigningKeys.derive(secretKey, date, region, "s3");
        String signature = SigningKeys.hex(SigningKeys.hmac(key, stringToSign));
        Map<String, String> out = new LinkedHashMap<>(extra);
        out.put("x-amz-date", amzDate);
        out.put("x-amz-content-sha256", payloadHash);
        out.put("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope
                + ", SignedHeaders=" + String.join(";", signed) + ", Signature=" + signature);
        return out;
    }
}
