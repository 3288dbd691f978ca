package dev.cairn.chunkstore.node;

/**
 * Every error a node answers with: the code in the JSON body ({@code {"error":code,"message":...}})
 * and in the {@value #HEADER} header (so that bodiless HEAD answers carry it too), and its HTTP
 * status. The only place codes and statuses live; {@link RemoteChunkStoreClient} maps them back.
 */
public enum NodeError {
    BAD_REQUEST("bad_request", 400),
    /** No signature headers at all. */
    UNAUTHENTICATED("unauthenticated", 401),
    /** Signature headers malformed or not matching the cluster secret. */
    BAD_SIGNATURE("bad_signature", 403),
    /** Correctly signed but outside the clock window. */
    EXPIRED("expired", 403),
    /** The body does not match X-Cairn-Content-Sha256. */
    DIGEST_MISMATCH("digest_mismatch", 403),
    /** The piece does not exist. */
    NOT_FOUND("not_found", 404),
    /** No such endpoint (distinct from a missing piece). */
    NO_ROUTE("no_route", 404),
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    /** The piece exists but fails its checksum. */
    CORRUPT("corrupt", 409),
    /** A delete signed before the piece was (re)written: replayed or out of date; the piece stays. */
    STALE("stale", 409),
    TOO_LARGE("too_large", 413),
    INTERNAL("internal", 500),
    /** The node is shutting down or overloaded. */
    UNAVAILABLE("unavailable", 503),
    /** Storing the piece would cross the node's capacity. */
    CAPACITY("capacity", 507);

    public static final String HEADER = "X-Cairn-Error";

    private final String code;
    private final int status;

    NodeError(String code, int status) {
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    /** The error with this code, or null. */
    public static NodeError ofCode(String code) {
        if (code != null) {
            for (NodeError e : values()) {
                if (e.code.equals(code)) {
                    return e;
                }
            }
        }
        return null;
    }
}
