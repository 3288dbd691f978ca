package dev.cairn.s3.auth;

import java.util.List;
import java.util.Map;

/**
 * What the verifier needs from a request. {@link #rawPath} is the path exactly as received
 * (percent-encoded, no query); {@link #rawQuery} is the raw query string or null.
 * {@code header("host")} must answer the Host header (for HTTP/2, the :authority). Header values
 * are in <em>wire form</em>: one character per byte as received (the ISO-8859-1 reading of the
 * bytes, which is how Netty hands them over), so the bytes a client signed can be recovered.
 */
public interface RequestView {
    String method();

    String rawPath();

    String rawQuery();

    /** The first value of the header, case-insensitive, or null. */
    String header(String name);

    /** All headers, in order. */
    List<Map.Entry<String, String>> headers();
}
