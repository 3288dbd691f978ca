package dev.cairn.s3.http;

import java.util.Map;

/**
 * The result of routing: the operation, its bucket and key (decoded; null when absent), the
 * decoded query parameters, and for {@link S3Operation#UNSUPPORTED} the AWS name of the
 * operation asked for.
 */
public record ParsedRequest(S3Operation operation, String bucket, String key, Map<String, String> query,
                            String unsupported) {

    public String param(String name) {
        return query.get(name);
    }

    public boolean has(String name) {
        return query.containsKey(name);
    }
}
