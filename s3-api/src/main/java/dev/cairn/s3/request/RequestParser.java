package dev.cairn.s3.request;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Routing as a pure function: (method, host bucket, raw path, raw query, headers) to a typed
 * {@link S3Request}. Path-style addressing: "/bucket/key"; virtual-hosted style: the bucket named
 * by the Host header + "/key". Sub-resources in the query choose the operation; any sub-resource
 * Cairn does not implement is recognised and becomes {@link S3Request.Unsupported}. The chosen
 * operation's parameters are then validated into its record ({@link TypedRequests}); a bad one
 * gives {@link S3Request.Invalid}, answered after authentication.
 */
public final class RequestParser {

    /** Bucket sub-resources that are recognised but not implemented, with their AWS operation names per method. */
    private static final List<String> BUCKET_SUBRESOURCES = List.of(
            "accelerate", "acl", "analytics", "cors", "encryption", "intelligent-tiering", "inventory", "lifecycle",
            "logging", "metrics", "notification", "object-lock", "ownershipControls", "policy", "policyStatus",
            "publicAccessBlock", "replication", "requestPayment", "tagging", "website", "versions", "versioning",
            "session", "metadataTable", "metadataConfiguration");

    private static final List<String> OBJECT_SUBRESOURCES = List.of(
            "acl", "attributes", "legal-hold", "retention", "tagging", "torrent", "restore", "select", "renameObject");

    private RequestParser() {
    }

    /**
     * @param header lookup of a request header by lower-case name (null when absent)
     */
    public static S3Request parse(String method, String rawPath, String rawQuery, Function<String, String> header) {
        return parse(method, null, rawPath, rawQuery, header);
    }

    /**
     * @param hostBucket the bucket named by the Host header (virtual-hosted style), or null for
     *                   path style
     * @param header     lookup of a request header by lower-case name (null when absent)
     */
    public static S3Request parse(String method, String hostBucket, String rawPath, String rawQuery,
                                      Function<String, String> header) {
        Map<String, String> query = QueryString.parse(rawQuery);
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        String bucket = null;
        String key = null;
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        if (hostBucket != null) {
            bucket = hostBucket;
            key = path.isEmpty() ? null : QueryString.decode(path, false);
        } else if (!path.isEmpty()) {
            int slash = path.indexOf('/');
            if (slash < 0) {
                bucket = QueryString.decode(path, false);
            } else {
                bucket = QueryString.decode(path.substring(0, slash), false);
                String rest = path.substring(slash + 1);
                key = rest.isEmpty() ? null : QueryString.decode(rest, false);
            }
        }
        S3Operation op;
        String unsupported = null;
        if ("OPTIONS".equals(method) && bucket != null) {
            op = S3Operation.PREFLIGHT;
        } else if (bucket == null) {
            op = "GET".equals(method) ? S3Operation.LIST_BUCKETS : S3Operation.UNSUPPORTED;
            if (op == S3Operation.UNSUPPORTED) {
                unsupported = method + " on the service";
            }
        } else if (key == null) {
            String sub = firstOf(query, BUCKET_SUBRESOURCES);
            op = bucketOperation(method, query, sub, header);
            if (op == S3Operation.UNSUPPORTED) {
                unsupported = bucketOperationName(method, sub);
            }
        } else {
            String sub = firstOf(query, OBJECT_SUBRESOURCES);
            op = objectOperation(method, query, sub, header);
            if (op == S3Operation.UNSUPPORTED) {
                unsupported = objectOperationName(method, sub, query, header);
            }
        }
        if (op == S3Operation.UNSUPPORTED) {
            return new S3Request.Unsupported(unsupported, bucket, key);
        }
        String unhonoured = UnhonouredHeaders.find(op, header);
        if (unhonoured != null) { // the operation is known: its permission is checked before the 501
            return new S3Request.Invalid(op, bucket, key, new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                    unhonoured + " is not implemented by Cairn"));
        }
        try {
            return TypedRequests.build(op, bucket, key, query, header);
        } catch (S3Exception e) {
            return new S3Request.Invalid(op, bucket, key, e);
        }
    }

    private static S3Operation bucketOperation(String method, Map<String, String> q, String sub,
                                               Function<String, String> header) {
        switch (method) {
            case "GET":
                if (sub != null) {
                    return switch (sub) {
                        case "versioning" -> S3Operation.GET_BUCKET_VERSIONING;
                        case "versions" -> S3Operation.LIST_OBJECT_VERSIONS;
                        case "tagging" -> S3Operation.GET_BUCKET_TAGGING;
                        case "acl" -> S3Operation.GET_BUCKET_ACL;
                        case "cors" -> S3Operation.GET_BUCKET_CORS;
                        case "encryption" -> S3Operation.GET_BUCKET_ENCRYPTION;
                        case "lifecycle" -> S3Operation.GET_BUCKET_LIFECYCLE;
                        case "policy" -> S3Operation.GET_BUCKET_POLICY;
                        case "policyStatus" -> S3Operation.GET_BUCKET_POLICY_STATUS;
                        case "publicAccessBlock" -> S3Operation.GET_PUBLIC_ACCESS_BLOCK;
                        case "ownershipControls" -> S3Operation.GET_BUCKET_OWNERSHIP_CONTROLS;
                        case "object-lock" -> S3Operation.GET_OBJECT_LOCK_CONFIGURATION;
                        default -> S3Operation.UNSUPPORTED;
                    };
                }
                if (q.containsKey("location")) {
                    return S3Operation.GET_BUCKET_LOCATION;
                }
                if (q.containsKey("uploads")) {
                    return S3Operation.LIST_MULTIPART_UPLOADS;
                }
                return "2".equals(q.get("list-type")) ? S3Operation.LIST_OBJECTS_V2 : S3Operation.LIST_OBJECTS;
            case "PUT":
                if (sub == null) {
                    return S3Operation.CREATE_BUCKET;
                }
                return switch (sub) {
                    case "tagging" -> S3Operation.PUT_BUCKET_TAGGING;
                    case "versioning" -> S3Operation.PUT_BUCKET_VERSIONING;
                    case "cors" -> S3Operation.PUT_BUCKET_CORS;
                    case "encryption" -> S3Operation.PUT_BUCKET_ENCRYPTION;
                    case "lifecycle" -> S3Operation.PUT_BUCKET_LIFECYCLE;
                    case "acl" -> S3Operation.PUT_BUCKET_ACL;
                    case "policy" -> S3Operation.PUT_BUCKET_POLICY;
                    case "publicAccessBlock" -> S3Operation.PUT_PUBLIC_ACCESS_BLOCK;
                    case "ownershipControls" -> S3Operation.PUT_BUCKET_OWNERSHIP_CONTROLS;
                    case "object-lock" -> S3Operation.PUT_OBJECT_LOCK_CONFIGURATION;
                    default -> S3Operation.UNSUPPORTED;
                };
            case "HEAD":
                return S3Operation.HEAD_BUCKET;
            case "DELETE":
                if (sub == null) {
                    return S3Operation.DELETE_BUCKET;
                }
                return switch (sub) {
                    case "tagging" -> S3Operation.DELETE_BUCKET_TAGGING;
                    case "cors" -> S3Operation.DELETE_BUCKET_CORS;
                    case "encryption" -> S3Operation.DELETE_BUCKET_ENCRYPTION;
                    case "lifecycle" -> S3Operation.DELETE_BUCKET_LIFECYCLE;
                    case "policy" -> S3Operation.DELETE_BUCKET_POLICY;
                    case "publicAccessBlock" -> S3Operation.DELETE_PUBLIC_ACCESS_BLOCK;
                    case "ownershipControls" -> S3Operation.DELETE_BUCKET_OWNERSHIP_CONTROLS;
                    default -> S3Operation.UNSUPPORTED;
                };
            case "POST":
                if (sub != null) {
                    return S3Operation.UNSUPPORTED;
                }
                if (q.containsKey("delete")) {
                    return S3Operation.DELETE_OBJECTS;
                }
                return isFormUpload(header.apply("content-type")) ? S3Operation.POST_OBJECT : S3Operation.UNSUPPORTED;
            default:
                return S3Operation.UNSUPPORTED;
        }
    }

    private static S3Operation objectOperation(String method, Map<String, String> q, String sub,
                                               Function<String, String> header) {
        if (sub != null) {
            return objectSubresourceOperation(method, sub);
        }
        switch (method) {
            case "GET":
                return q.containsKey("uploadId") ? S3Operation.LIST_PARTS : S3Operation.GET_OBJECT;
            case "HEAD":
                return S3Operation.HEAD_OBJECT;
            case "PUT":
                if (header.apply("x-amz-copy-source") != null) {
                    return q.containsKey("uploadId") ? S3Operation.UPLOAD_PART_COPY : S3Operation.COPY_OBJECT;
                }
                if (q.containsKey("uploadId") || q.containsKey("partNumber")) {
                    return S3Operation.UPLOAD_PART;
                }
                return S3Operation.PUT_OBJECT;
            case "POST":
                if (q.containsKey("uploads")) {
                    return S3Operation.CREATE_MULTIPART_UPLOAD;
                }
                if (q.containsKey("uploadId")) {
                    return S3Operation.COMPLETE_MULTIPART_UPLOAD;
                }
                return S3Operation.UNSUPPORTED;
            case "DELETE":
                return q.containsKey("uploadId") ? S3Operation.ABORT_MULTIPART_UPLOAD : S3Operation.DELETE_OBJECT;
            default:
                return S3Operation.UNSUPPORTED;
        }
    }

    /** A browser form upload: Content-Type multipart/form-data (parameters such as the boundary follow). */
    private static boolean isFormUpload(String contentType) {
        return contentType != null
                && contentType.trim().toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data");
    }

    private static S3Operation objectSubresourceOperation(String method, String sub) {
        return switch (method + " " + sub) {
            case "GET tagging" -> S3Operation.GET_OBJECT_TAGGING;
            case "PUT tagging" -> S3Operation.PUT_OBJECT_TAGGING;
            case "DELETE tagging" -> S3Operation.DELETE_OBJECT_TAGGING;
            case "GET acl" -> S3Operation.GET_OBJECT_ACL;
            case "PUT acl" -> S3Operation.PUT_OBJECT_ACL;
            case "GET attributes" -> S3Operation.GET_OBJECT_ATTRIBUTES;
            case "GET retention" -> S3Operation.GET_OBJECT_RETENTION;
            case "PUT retention" -> S3Operation.PUT_OBJECT_RETENTION;
            case "GET legal-hold" -> S3Operation.GET_OBJECT_LEGAL_HOLD;
            case "PUT legal-hold" -> S3Operation.PUT_OBJECT_LEGAL_HOLD;
            default -> S3Operation.UNSUPPORTED;
        };
    }

    private static String firstOf(Map<String, String> query, List<String> names) {
        for (String n : names) {
            if (query.containsKey(n)) {
                return n;
            }
        }
        return null;
    }

    private static String bucketOperationName(String method, String sub) {
        if (sub == null) {
            return "POST".equals(method) ? "PostObject" : method + " Bucket";
        }
        String verb = switch (method) {
            case "GET" -> "Get";
            case "PUT" -> "Put";
            case "DELETE" -> "Delete";
            default -> method;
        };
        if ("versions".equals(sub)) {
            return "ListObjectVersions";
        }
        return verb + "Bucket" + capitalize(sub);
    }

    private static String objectOperationName(String method, String sub, Map<String, String> query,
                                              Function<String, String> header) {
        if (sub == null) {
            if ("PUT".equals(method) && header.apply("x-amz-copy-source") != null) {
                return query.containsKey("uploadId") ? "UploadPartCopy" : "CopyObject";
            }
            return method + " Object";
        }
        if ("restore".equals(sub)) {
            return "RestoreObject";
        }
        if ("select".equals(sub)) {
            return "SelectObjectContent";
        }
        String verb = switch (method) {
            case "GET" -> "Get";
            case "PUT" -> "Put";
            case "DELETE" -> "Delete";
            default -> method;
        };
        return verb + "Object" + capitalize(sub);
    }

    private static String capitalize(String sub) {
        StringBuilder b = new StringBuilder();
        boolean up = true;
        for (char c : sub.toCharArray()) {
            if (c == '-') {
                up = true;
                continue;
            }
            b.append(up ? Character.toUpperCase(c) : c);
            up = false;
        }
        return b.toString();
    }
}
