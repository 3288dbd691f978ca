package dev.cairn.s3.handler;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.auth.AuthResult;
import dev.cairn.s3.auth.PayloadMode;
import dev.cairn.s3.checksum.ChecksumAlgorithm;
import dev.cairn.s3.data.BodyExpectations;
import dev.cairn.s3.data.IngestBudget;
import dev.cairn.s3.data.IngestPipeline;
import dev.cairn.s3.data.UncommittedWrite;
import dev.cairn.s3.http.S3Exchange;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Turns an upload request's headers into {@link BodyExpectations} (validated before any byte of
 * the body is read) and runs the ingest pipeline over its body.
 */
final class UploadBodies {
    static final long MAX_OBJECT_SIZE = 5L * 1024 * 1024 * 1024;

    private UploadBodies() {
    }

    /**
     * @param uploadAlgorithm the algorithm of the multipart upload the part belongs to, or null
     * @param storageClass    the storage class the data is written with
     */
    static BodyExpectations expectations(S3Exchange ex, ChecksumAlgorithm uploadAlgorithm, String storageClass) {
        AuthResult auth = ex.auth();
        MultiMap h = ex.request().headers();
        PayloadMode mode = auth.payloadMode();
        byte[] md5 = contentMd5(h.get("Content-MD5"));

        ChecksumAlgorithm headerAlg = null;
        String headerValue = null;
        for (Map.Entry<String, String> e : h.entries()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-amz-checksum-") && !name.equals("x-amz-checksum-algorithm")
                    && !name.equals("x-amz-checksum-type") && !name.equals("x-amz-checksum-mode")) {
                ChecksumAlgorithm alg = ChecksumAlgorithm.fromHeaderName(name).orElseThrow(() ->
                        new S3Exception(S3ErrorCode.INVALID_REQUEST, "Unknown checksum header " + name));
                if (headerAlg != null && headerAlg != alg) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                            "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
                }
                headerAlg = alg;
                headerValue = e.getValue().trim();
                checkChecksumValue(alg, headerValue);
            }
        }
        ChecksumAlgorithm trailerAlg = null;
        String trailer = h.get("x-amz-trailer");
        if (trailer != null && !trailer.isBlank()) {
            if (!mode.trailer()) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "x-amz-trailer is only allowed with a streaming trailer payload");
            }
            String name = trailer.trim().toLowerCase(Locale.ROOT);
            trailerAlg = ChecksumAlgorithm.fromHeaderName(name).orElseThrow(() ->
                    new S3Exception(S3ErrorCode.INVALID_REQUEST, "Unsupported trailer " + name));
            if (headerAlg != null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
            }
        }
        ChecksumAlgorithm sdkAlg = null;
        String sdk = h.get("x-amz-sdk-checksum-algorithm");
        if (sdk != null && !sdk.isBlank()) {
            sdkAlg = ChecksumAlgorithm.fromName(sdk.trim()).orElseThrow(() ->
                    new S3Exception(S3ErrorCode.INVALID_REQUEST, "Value for x-amz-sdk-checksum-algorithm header is invalid."));
        }
        ChecksumAlgorithm alg = headerAlg != null ? headerAlg : trailerAlg != null ? trailerAlg : sdkAlg;
        if (uploadAlgorithm != null) {
            if (alg != null && alg != uploadAlgorithm) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Checksum Type mismatch occurred, expected checksum Type: "
                        + uploadAlgorithm.name().toLowerCase(Locale.ROOT) + ", actual checksum Type: "
                        + alg.name().toLowerCase(Locale.ROOT));
            }
            alg = uploadAlgorithm;
        }

        long declared;
        if (mode.streaming()) {
            String decoded = h.get("x-amz-decoded-content-length");
            declared = decoded == null ? -1 : parseLength(decoded, "x-amz-decoded-content-length");
        } else {
            String cl = h.get("Content-Length");
            if (cl != null) {
                declared = parseLength(cl, "Content-Length");
            } else if (h.contains("Transfer-Encoding")) {
                declared = -1;
            } else {
                throw new S3Exception(S3ErrorCode.MISSING_CONTENT_LENGTH);
            }
        }
        if (declared > MAX_OBJECT_SIZE) {
            throw new S3Exception(S3ErrorCode.ENTITY_TOO_LARGE)
                    .with("ProposedSize", Long.toString(declared))
                    .with("MaxSizeAllowed", Long.toString(MAX_OBJECT_SIZE));
        }
        return new BodyExpectations(mode, auth.payloadSha256Hex(), auth.signing(), md5, alg, headerValue,
                trailerAlg != null, declared, MAX_OBJECT_SIZE, storageClass);
    }

    /** Sends 100 Continue when the client waits for it, then streams, verifies and stores the body. */
    static Future<UncommittedWrite> ingest(S3Services s, S3Exchange ex, BodyExpectations expect, int inlineThreshold) {
        return ingest(s, ex, ex.request(), true, expect, inlineThreshold);
    }

    /**
     * Streams, verifies and stores {@code body} (the request itself, or a part of it such as the
     * file of a form upload).
     *
     * @param sendContinue whether to answer {@code Expect: 100-continue} first
     */
    static Future<UncommittedWrite> ingest(S3Services s, S3Exchange ex, ReadStream<Buffer> body, boolean sendContinue,
                                       BodyExpectations expect, int inlineThreshold) {
        if (expect.declaredLength() < 0 || expect.declaredLength() > inlineThreshold) {
            try {
                s.writer().checkWritable(expect.storageClass());
            } catch (dev.cairn.chunkstore.PieceException.Unavailable e) {
                return Future.failedFuture(e); // 503 before the client sends the body
            }
        }
        if (sendContinue && "100-continue".equalsIgnoreCase(ex.header("Expect"))) {
            ex.response().writeContinue();
        }
        return new IngestPipeline(ex.context(), body, expect, s.writer(), s.metadata(), s.pool(),
                s.config().chunkSize(), inlineThreshold, IngestBudget.shared(),
                s.config().limits().requestBodyTimeout()).run();
    }

    static byte[] contentMd5(String header) {
        if (header == null) {
            return null;
        }
        try {
            byte[] md5 = Base64.getDecoder().decode(header.trim());
            if (md5.length != 16) {
                throw new S3Exception(S3ErrorCode.INVALID_DIGEST);
            }
            return md5;
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3ErrorCode.INVALID_DIGEST);
        }
    }

    static void checkChecksumValue(ChecksumAlgorithm alg, String value) {
        alg.decode(value); // InvalidRequest "Value for x-amz-checksum-... header is invalid."
    }

    private static long parseLength(String value, String header) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid " + header + ": " + value);
    }
}
