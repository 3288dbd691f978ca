package dev.cairn.s3.handler;

import dev.cairn.metadata.BucketRecord;
import dev.cairn.metadata.Checksum;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.http.S3Exchange;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The object headers S3 stores from a PUT and returns on GET and HEAD. Values are kept in
 * <em>wire form</em>, one character per byte as the client sent it (how Netty hands header bytes
 * over), and written back the same way, so a value goes back out byte for byte: UTF-8 from boto3
 * or a browser comes back as that UTF-8. Values that arrive as text rather than header bytes (POST
 * form fields) are turned into wire form with {@link #wireForm}.
 */
public final class ObjectHeaders {
    /** System headers stored as given and returned as stored. */
    public static final List<String> STORED = List.of(
            "content-type", "cache-control", "content-disposition", "content-encoding", "content-language", "expires");
    public static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";
    /** AWS: user-defined metadata is limited to 2 KB (sum of UTF-8 bytes of every name and value). */
    public static final int MAX_USER_METADATA_BYTES = 2048;
    private static final String META_PREFIX = "x-amz-meta-";
    private static final List<String> STORAGE_CLASSES = List.of("STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA",
            "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR", "OUTPOSTS", "SNOW",
            "EXPRESS_ONEZONE");

    private ObjectHeaders() {
    }

    /** System headers of a request, lower-case names; content-encoding without "aws-chunked". */
    public static Map<String, String> systemHeaders(MultiMap headers) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : STORED) {
            String v = headers.get(name);
            if (v == null) {
                continue;
            }
            if (name.equals("content-encoding")) {
                v = withoutAwsChunked(v);
                if (v.isEmpty()) {
                    continue;
                }
            }
            out.put(name, v);
        }
        out.putIfAbsent("content-type", DEFAULT_CONTENT_TYPE);
        return out;
    }

    /**
     * A Content-Encoding value as sent, with the aws-chunked coding (and its comma) taken out;
     * everything else is kept byte for byte, as AWS stores it.
     */
    static String withoutAwsChunked(String contentEncoding) {
        String[] codings = contentEncoding.split(",", -1);
        if (Arrays.stream(codings).noneMatch(c -> c.trim().equalsIgnoreCase("aws-chunked"))) {
            return contentEncoding;
        }
        return Arrays.stream(codings)
                .filter(c -> !c.trim().equalsIgnoreCase("aws-chunked"))
                .collect(Collectors.joining(","))
                .strip();
    }

    /** The wire form of text: its UTF-8 bytes, one character per byte. */
    public static String wireForm(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /**
     * The UTF-8 length of the text a wire-form value stands for: its byte count when the bytes
     * are UTF-8, else (ISO-8859-1 bytes, as the SDK for Java's Apache client sends them) the
     * UTF-8 length of those characters.
     */
    static int utf8Length(String wire) {
        byte[] raw = wire.getBytes(StandardCharsets.ISO_8859_1);
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(raw));
            return raw.length;
        } catch (java.nio.charset.CharacterCodingException e) {
            return wire.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /**
     * x-amz-meta-* headers (values in wire form), names lower-case without the prefix;
     * MetadataTooLarge over 2 KB of UTF-8 text (see {@link #utf8Length}).
     */
    public static Map<String, String> userMetadata(MultiMap headers) {
        Map<String, String> out = new LinkedHashMap<>();
        int bytes = 0;
        for (Map.Entry<String, String> h : headers.entries()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!name.startsWith(META_PREFIX)) {
                continue;
            }
            String key = name.substring(META_PREFIX.length());
            String value = out.containsKey(key) ? out.get(key) + "," + h.getValue() : h.getValue();
            out.put(key, value);
        }
        for (Map.Entry<String, String> e : out.entrySet()) {
            bytes += utf8Length(e.getKey()) + utf8Length(e.getValue());
        }
        if (bytes > MAX_USER_METADATA_BYTES) {
            throw new S3Exception(S3ErrorCode.METADATA_TOO_LARGE)
                    .with("Size", Integer.toString(bytes))
                    .with("MaxSizeAllowed", Integer.toString(MAX_USER_METADATA_BYTES));
        }
        return out;
    }

    /** The storage class a request names (null when none); InvalidStorageClass for unknown ones. */
    public static String requestedStorageClass(MultiMap headers) {
        String sc = headers.get("x-amz-storage-class");
        if (sc == null || sc.isEmpty()) {
            return null;
        }
        if (!isStorageClass(sc)) {
            throw new S3Exception(S3ErrorCode.INVALID_STORAGE_CLASS);
        }
        return sc;
    }

    public static boolean isStorageClass(String name) {
        return STORAGE_CLASSES.contains(name);
    }

    /** The storage class new data gets: the one requested, else the bucket's default, else STANDARD. */
    public static String storageClass(String requested, BucketRecord bucket) {
        if (requested != null) {
            return requested;
        }
        return bucket.defaultStorageClass() != null ? bucket.defaultStorageClass() : "STANDARD";
    }

    /**
     * Sets ETag, Last-Modified, stored headers and user metadata on a GET/HEAD answer, and
     * {@code checksum} (what checksum mode returns for the bytes served) unless it is null.
     */
    public static void write(HttpServerResponse r, ObjectRecord o, Checksum checksum) {
        r.putHeader("ETag", quote(o.etag()));
        r.putHeader("Last-Modified", S3Exchange.httpDate(o.modifiedMillis()));
        r.putHeader("Accept-Ranges", "bytes");
        for (Map.Entry<String, String> h : o.headers().entrySet()) {
            r.putHeader(canonicalName(h.getKey()), h.getValue());
        }
        for (Map.Entry<String, String> m : o.userMetadata().entrySet()) {
            r.putHeader(META_PREFIX + m.getKey(), m.getValue());
        }
        if (!"STANDARD".equals(o.storageClass())) {
            r.putHeader("x-amz-storage-class", o.storageClass());
        }
        if (!o.tags().isEmpty()) {
            r.putHeader("x-amz-tagging-count", Integer.toString(o.tags().size()));
        }
        if (checksum != null) {
            writeChecksum(r, checksum);
        }
    }

    public static void writeChecksum(HttpServerResponse r, Checksum c) {
        r.putHeader("x-amz-checksum-" + c.algorithm().toLowerCase(Locale.ROOT), c.value());
        r.putHeader("x-amz-checksum-type", c.type());
    }

    public static String quote(String etag) {
        return "\"" + etag + "\"";
    }

    private static String canonicalName(String lower) {
        StringBuilder b = new StringBuilder(lower.length());
        boolean up = true;
        for (char c : lower.toCharArray()) {
            b.append(up ? Character.toUpperCase(c) : c);
            up = c == '-';
        }
        return b.toString();
    }
}
