package dev.cairn.s3.handler;

import dev.cairn.metadata.ListQuery;
import dev.cairn.metadata.UploadQuery;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.http.Names;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.xml.ListDocuments;
import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** ListObjects (v1), ListObjectsV2 and ListMultipartUploads, served by range scans in key order. */
public final class ListHandler {
    static final int MAX_KEYS = 1000;

    private final S3Services s;

    public ListHandler(S3Services services) {
        this.s = services;
    }

    public Future<Void> listObjects(S3Exchange ex, boolean v2) {
        Names.checkExistingBucket(ex.bucket());
        String prefix = orEmpty(ex.param("prefix"));
        String delimiter = emptyToNull(ex.param("delimiter"));
        int maxKeys = limit(ex.param("max-keys"), "max-keys");
        boolean url = encodingType(ex);
        String marker = null;
        String token = null;
        String startAfter = null;
        String from;
        if (v2) {
            token = ex.param("continuation-token");
            startAfter = emptyToNull(ex.param("start-after"));
            from = token != null ? decodeToken(token) : startAfter;
        } else {
            marker = emptyToNull(ex.param("marker"));
            from = marker;
        }
        boolean fetchOwner = "true".equalsIgnoreCase(ex.param("fetch-owner"));
        ListDocuments.ObjectsRequest request = new ListDocuments.ObjectsRequest(ex.bucket(), prefix, delimiter,
                maxKeys, url, v2, marker, token, startAfter, fetchOwner);
        ListQuery query = new ListQuery(prefix, from, delimiter, maxKeys);
        return s.requireBucket(ex)
                .compose(b -> s.blocking(ex, () -> s.metadata().listObjects(ex.bucket(), query)))
                .compose(page -> ex.sendXml(200, ListDocuments.listObjects(request, page,
                        page.nextMarker() == null ? null : encodeToken(page.nextMarker()), s.owner())));
    }

    /**
     * ListObjectVersions of a bucket that is never versioned: each object is its one "null"
     * version, so the listing is ListObjects with key-marker as the marker; version-id-marker can
     * only be "null" (the key's one version, after which comes the next key).
     */
    public Future<Void> listVersions(S3Exchange ex) {
        Names.checkExistingBucket(ex.bucket());
        String prefix = orEmpty(ex.param("prefix"));
        String delimiter = emptyToNull(ex.param("delimiter"));
        int maxKeys = limit(ex.param("max-keys"), "max-keys");
        boolean url = encodingType(ex);
        String keyMarker = emptyToNull(ex.param("key-marker"));
        String versionIdMarker = emptyToNull(ex.param("version-id-marker"));
        if (versionIdMarker != null && keyMarker == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "A version-id marker cannot be specified without a key marker.")
                    .with("ArgumentName", "version-id-marker").with("ArgumentValue", versionIdMarker);
        }
        VersionIds.check(versionIdMarker, "version-id-marker");
        ListDocuments.VersionsRequest request = new ListDocuments.VersionsRequest(ex.bucket(), prefix, delimiter,
                keyMarker, versionIdMarker, maxKeys, url);
        ListQuery query = new ListQuery(prefix, keyMarker, delimiter, maxKeys);
        return s.requireBucket(ex)
                .compose(b -> s.blocking(ex, () -> s.metadata().listObjects(ex.bucket(), query)))
                .compose(page -> ex.sendXml(200, ListDocuments.listVersions(request, page, s.owner())));
    }

    public Future<Void> listUploads(S3Exchange ex) {
        Names.checkExistingBucket(ex.bucket());
        String prefix = orEmpty(ex.param("prefix"));
        String delimiter = emptyToNull(ex.param("delimiter"));
        int max = limit(ex.param("max-uploads"), "max-uploads");
        String keyMarker = emptyToNull(ex.param("key-marker"));
        String uploadIdMarker = keyMarker == null ? null : emptyToNull(ex.param("upload-id-marker"));
        boolean url = encodingType(ex);
        ListDocuments.UploadsRequest request = new ListDocuments.UploadsRequest(ex.bucket(), prefix, delimiter,
                keyMarker, uploadIdMarker, max, url);
        UploadQuery query = new UploadQuery(prefix, delimiter, keyMarker, uploadIdMarker, max);
        return s.requireBucket(ex)
                .compose(b -> s.blocking(ex, () -> s.metadata().listUploads(ex.bucket(), query)))
                .compose(page -> ex.sendXml(200, ListDocuments.listUploads(request, page, s.owner())));
    }

    static int limit(String value, String name) {
        if (value == null || value.isEmpty()) {
            return MAX_KEYS;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return Math.min(n, MAX_KEYS);
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Provided " + name + " not an integer or within integer range")
                .with("ArgumentName", name).with("ArgumentValue", value);
    }

    static boolean encodingType(S3Exchange ex) {
        String e = ex.param("encoding-type");
        if (e == null) {
            return false;
        }
        if (!e.equals("url")) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid Encoding Method specified in Request")
                    .with("ArgumentName", "encoding-type").with("ArgumentValue", e);
        }
        return true;
    }

    static String encodeToken(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeToken(String token) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(token);
            return new String(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The continuation token provided is incorrect")
                    .with("ArgumentName", "continuation-token");
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
