package dev.cairn.s3.handler;

import dev.cairn.s3.http.S3Exchange;
import io.vertx.core.http.HttpServerResponse;

import java.util.Map;

/** The response-* query parameters of GetObject, which override headers of the answer. */
final class ResponseOverrides {
    private static final Map<String, String> PARAMS = Map.of(
            "response-content-type", "Content-Type",
            "response-content-language", "Content-Language",
            "response-expires", "Expires",
            "response-cache-control", "Cache-Control",
            "response-content-disposition", "Content-Disposition",
            "response-content-encoding", "Content-Encoding");

    private ResponseOverrides() {
    }

    static void apply(S3Exchange ex, HttpServerResponse r) {
        for (Map.Entry<String, String> p : PARAMS.entrySet()) {
            String v = ex.param(p.getKey());
            if (v != null) {
                r.putHeader(p.getValue(), v);
            }
        }
    }
}
