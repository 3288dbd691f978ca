package dev.cairn.s3.auth;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import java.time.Instant;
import java.util.List;

/**
 * The SigV4 query parameters of a presigned URL. Everything missing or malformed answers 400
 * AuthorizationQueryParametersError with the message S3 uses.
 */
record PresignedQuery(Credential credential, String amzDate, Instant date, long expiresSeconds, String signedHeaders,
                      List<String> signedHeaderNames, String signature) {
    static final long MAX_EXPIRES = 604_800;

    static PresignedQuery parse(List<CanonicalRequest.QueryParam> params, String service) {
        String algorithm = CanonicalRequest.param(params, "X-Amz-Algorithm");
        String credential = CanonicalRequest.param(params, "X-Amz-Credential");
        String amzDate = CanonicalRequest.param(params, "X-Amz-Date");
        String expires = CanonicalRequest.param(params, "X-Amz-Expires");
        String signedHeaders = CanonicalRequest.param(params, "X-Amz-SignedHeaders");
        String signature = CanonicalRequest.param(params, "X-Amz-Signature");
        if (algorithm == null || credential == null || amzDate == null || expires == null || signedHeaders == null
                || signature == null) {
            throw error("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
                    + "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        }
        if (!algorithm.equals(SigV4Verifier.ALGORITHM)) {
            throw error("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        }
        Credential cred;
        try {
            cred = Credential.parse(credential, service);
        } catch (Credential.Malformed e) {
            throw error("Error parsing the X-Amz-Credential parameter; " + e.getMessage());
        }
        Instant date = AmzDate.parseBasic(amzDate);
        if (date == null) {
            throw error("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }
        long exp;
        try {
            exp = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            throw error("X-Amz-Expires should be a number");
        }
        if (exp < 0) {
            throw error("X-Amz-Expires must be non-negative");
        }
        if (exp == 0) {
            throw error("X-Amz-Expires must be at least 1 second");
        }
        if (exp > MAX_EXPIRES) {
            throw error("X-Amz-Expires must be less than a week (in seconds) that is 604800");
        }
        if (!amzDate.startsWith(cred.date())) {
            throw error("Invalid credential date. Date is not the same as X-Amz-Date.");
        }
        List<String> names = AuthorizationHeader.splitSignedHeaders(signedHeaders);
        if (names == null) {
            throw error("the X-Amz-SignedHeaders \"" + signedHeaders + "\" is malformed.");
        }
        return new PresignedQuery(cred, amzDate, date, exp, signedHeaders, names, signature);
    }

    private static S3Exception error(String message) {
        return new S3Exception(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR, message);
    }
}
