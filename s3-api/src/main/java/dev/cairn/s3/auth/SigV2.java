package dev.cairn.s3.auth;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.request.VirtualHost;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 2 (S3's "REST authentication"): {@code Authorization: AWS AKID:sig}
 * headers and presigned URLs with {@code AWSAccessKeyId}, {@code Signature}, {@code Expires},
 * which aws-cli v1's {@code s3 presign} and boto3's {@code generate_presigned_url} still make.
 * The signature is base64 HMAC-SHA1 over
 * <pre>
 * VERB \n Content-MD5 \n Content-Type \n Date (or Expires) \n CanonicalizedAmzHeaders CanonicalizedResource
 * </pre>
 * where the Date line is empty when x-amz-date is sent ({@link #headerCandidates}), the amz headers are lower-case, sorted,
 * values trimmed and joined with ","; the resource is "/bucket" (from the Host under
 * virtual-hosted addressing) plus the path as sent, plus the sub-resources of {@link #SUBRESOURCES}
 * sorted by name. The body is not signed.
 */
final class SigV2 {
    static final String SCHEME = "AWS";
    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    /** The query parameters that are part of the signed resource (as botocore's HmacV1Auth lists them). */
    static final Set<String> SUBRESOURCES = Set.of("accelerate", "acl", "cors", "defaultObjectAcl", "location",
            "logging", "partNumber", "policy", "requestPayment", "torrent", "versioning", "versionId", "versions",
            "website", "uploads", "uploadId", "response-content-type", "response-content-language",
            "response-expires", "response-cache-control", "response-content-disposition",
            "response-content-encoding", "delete", "lifecycle", "tagging", "restore", "storageClass",
            "notification", "replication", "analytics", "metrics", "inventory", "select", "select-type",
            "object-lock");

    private SigV2() {
    }

    /** The access key and signature of an {@code Authorization: AWS AKID:signature} header. */
    record Header(String accessKeyId, String signature) {
        static Header parse(String value) {
            String v = value.trim().substring(SCHEME.length()).trim();
            int colon = v.lastIndexOf(':');
            if (colon <= 0 || colon == v.length() - 1) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "AWS authorization header is invalid.  Expected "
                        + "AwsAccessKeyId:signature").with("ArgumentName", "Authorization").with("ArgumentValue", value);
            }
            return new Header(v.substring(0, colon), v.substring(colon + 1));
        }
    }

    /** Checks the Date (or x-amz-date) of header auth: present, parseable and within 15 minutes. */
    static void checkDate(RequestView request, Clock clock) {
        String amz = request.header("x-amz-date");
        Instant date = AmzDate.parseHttpDate(amz != null ? amz : request.header("Date"));
        if (date == null && amz != null) {
            date = AmzDate.parseBasic(amz.trim());
        }
        if (date == null) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "AWS authentication requires a valid Date or x-amz-date header");
        }
        Instant now = clock.instant();
        if (Duration.between(date, now).abs().compareTo(MAX_SKEW) > 0) {
            throw new S3Exception(S3ErrorCode.REQUEST_TIME_TOO_SKEWED)
                    .with("RequestTime", date.toString())
                    .with("ServerTime", AmzDate.iso(now))
                    .with("MaxAllowedSkewMilliseconds", Long.toString(MAX_SKEW.toMillis()));
        }
    }

    /** Checks the Expires of a presigned URL (epoch seconds): not passed. */
    static void checkExpires(String expires, Clock clock) {
        long at;
        try {
            at = Long.parseLong(expires.trim());
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Invalid date (should be seconds since epoch): " + expires);
        }
        Instant now = clock.instant();
        if (now.getEpochSecond() > at) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Request has expired")
                    .with("Expires", AmzDate.iso(Instant.ofEpochSecond(at)))
                    .with("ServerTime", AmzDate.iso(now));
        }
    }

    /**
     * The string to sign. {@code dateLine} is the Date header (header auth, empty when x-amz-date
     * is sent) or the Expires parameter (query auth); {@code queryAmz} are x-amz-* values that a
     * presigned URL carries as query parameters.
     */
    static byte[] stringToSign(RequestView request, List<CanonicalRequest.QueryParam> params, String dateLine,
                               List<String> domains, boolean query) {
        return stringToSign(request, params, dateLine, domains, query, false);
    }

    /**
     * The string to sign of header auth with x-amz-date: by the rule (empty Date line, x-amz-date
     * among the amz headers), then the two other readings clients and AWS's own examples use
     * (the x-amz-date value as the Date line instead; or the Date header's value and x-amz-date too).
     */
    static List<byte[]> headerCandidates(RequestView request, List<CanonicalRequest.QueryParam> params,
                                         List<String> domains) {
        String amzDate = request.header("x-amz-date");
        String date = request.header("Date");
        if (amzDate == null) {
            return List.of(stringToSign(request, params, date == null ? "" : date.trim(), domains, false, false));
        }
        List<byte[]> out = new ArrayList<>(3);
        out.add(stringToSign(request, params, "", domains, false, false));
        out.add(stringToSign(request, params, amzDate.trim(), domains, false, true));
        if (date != null) {
            out.add(stringToSign(request, params, date.trim(), domains, false, false));
        }
        return out;
    }

    private static byte[] stringToSign(RequestView request, List<CanonicalRequest.QueryParam> params, String dateLine,
                                       List<String> domains, boolean query, boolean skipAmzDate) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        String md5 = headerOrParam(request, params, "Content-MD5", query);
        String type = headerOrParam(request, params, "Content-Type", query);
        latin1(out, request.method() + "\n" + (md5 == null ? "" : md5.trim()) + "\n"
                + (type == null ? "" : type.trim()) + "\n" + dateLine + "\n");
        Map<String, List<String>> amz = new TreeMap<>();
        for (Map.Entry<String, String> h : request.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-amz-") && !(skipAmzDate && name.equals("x-amz-date"))) {
                amz.computeIfAbsent(name, n -> new ArrayList<>()).add(h.getValue().trim());
            }
        }
        if (query) {
            for (CanonicalRequest.QueryParam p : params) {
                String name = p.name().toLowerCase(Locale.ROOT);
                if (name.startsWith("x-amz-") && !amz.containsKey(name)) {
                    amz.computeIfAbsent(name, n -> new ArrayList<>()).add(p.value().trim());
                }
            }
        }
        for (Map.Entry<String, List<String>> h : amz.entrySet()) {
            latin1(out, h.getKey() + ":" + String.join(",", h.getValue()) + "\n");
        }
        String hostBucket = VirtualHost.bucket(request.header("host"), domains);
        String path = request.rawPath() == null || request.rawPath().isEmpty() ? "/" : request.rawPath();
        latin1(out, hostBucket == null ? path : "/" + hostBucket + path);
        TreeMap<String, String> sub = new TreeMap<>();
        for (CanonicalRequest.QueryParam p : params) {
            if (SUBRESOURCES.contains(p.name())) {
                sub.putIfAbsent(p.name(), p.value());
            }
        }
        boolean first = true;
        for (Map.Entry<String, String> s : sub.entrySet()) {
            latin1(out, first ? "?" : "&");
            first = false;
            latin1(out, s.getKey());
            if (hasEquals(request.rawQuery(), s.getKey())) {
                latin1(out, "=");
                byte[] v = s.getValue().getBytes(StandardCharsets.UTF_8);
                out.write(v, 0, v.length);
            }
        }
        return out.toByteArray();
    }

    /** base64(HMAC-SHA1(secret, data)). */
    static String sign(String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean signaturesEqual(String expected, String provided) {
        return provided != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                provided.trim().getBytes(StandardCharsets.US_ASCII));
    }

    static S3Exception mismatch(String accessKeyId, byte[] stringToSign, String provided) {
        return new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH)
                .with("AWSAccessKeyId", accessKeyId)
                .with("StringToSign", new String(stringToSign, StandardCharsets.ISO_8859_1))
                .with("SignatureProvided", provided);
    }

    private static String headerOrParam(RequestView request, List<CanonicalRequest.QueryParam> params, String name,
                                        boolean query) {
        String h = request.header(name);
        if (h == null && query) {
            for (CanonicalRequest.QueryParam p : params) {
                if (p.name().equalsIgnoreCase(name)) {
                    return p.value();
                }
            }
        }
        return h;
    }

    /** Whether the raw query gives {@code name} with an '=' ("uploadId=x", and "acl=" as some clients sign it). */
    private static boolean hasEquals(String rawQuery, String name) {
        if (rawQuery == null) {
            return false;
        }
        for (String part : rawQuery.split("&")) {
            if (part.startsWith(name + "=")) {
                return true;
            }
            if (part.equals(name)) {
                return false;
            }
        }
        return false;
    }

    private static void latin1(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        out.write(b, 0, b.length);
    }
}
