package dev.cairn.s3;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An S3 error to answer with. Handlers throw it (or fail a future with it); the one failure
 * handler renders it as S3 error XML. {@code extra} holds additional elements of the error
 * document (for example {@code BucketName}, {@code ActualObjectSize}); {@code headers} extra
 * response headers (for example {@code Content-Range} on InvalidRange).
 */
public final class S3Exception extends RuntimeException {
    private final S3ErrorCode error;
    private final Map<String, String> extra = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public S3Exception(S3ErrorCode error) {
        this(error, error.message());
    }

    public S3Exception(S3ErrorCode error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public S3Exception(S3ErrorCode error, String message, Throwable cause) {
        super(message, cause, false, false);
        this.error = error;
    }

    public S3ErrorCode error() {
        return error;
    }

    /** Adds an element to the error XML (after Code, Message). */
    public S3Exception with(String element, String value) {
        extra.put(element, value);
        return this;
    }

    public S3Exception header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> extra() {
        return extra;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
