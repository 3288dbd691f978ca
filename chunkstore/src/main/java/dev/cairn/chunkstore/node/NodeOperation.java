package dev.cairn.chunkstore.node;

import dev.cairn.chunkstore.PieceId;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A node request parsed into what it asks for: {@link #parse} is a pure function of method, raw
 * path and raw query, and the server dispatches on the result. Piece ids come only from
 * {@link PieceId#parse}; a path segment that is not one is a bad request, whatever it contains.
 */
public sealed interface NodeOperation {
    String PIECES = "/v1/pieces";
    String PIECES_PREFIX = PIECES + "/";
    int DEFAULT_LIST_LIMIT = 1000;
    int MAX_LIST_LIMIT = 10_000;

    /** True for the two endpoints served without a signature: health and metrics. */
    default boolean anonymous() {
        return false;
    }

    /** A short name for metrics and logs. */
    String name();

    record Health() implements NodeOperation {
        @Override
        public boolean anonymous() {
            return true;
        }

        @Override
        public String name() {
            return "health";
        }
    }

    record Metrics() implements NodeOperation {
        @Override
        public boolean anonymous() {
            return true;
        }

        @Override
        public String name() {
            return "metrics";
        }
    }

    record Info() implements NodeOperation {
        @Override
        public String name() {
            return "info";
        }
    }

    record PutPiece(PieceId id) implements NodeOperation {
        @Override
        public String name() {
            return "put";
        }
    }

    /** {@code length} is clamped at the piece's end; the default reads to the end. */
    record GetPiece(PieceId id, long offset, int length) implements NodeOperation {
        @Override
        public String name() {
            return "get";
        }
    }

    record HeadPiece(PieceId id) implements NodeOperation {
        @Override
        public String name() {
            return "head";
        }
    }

    /** Re-reads the whole piece on the node and checks every block's checksum; sends no bytes. */
    record VerifyPiece(PieceId id) implements NodeOperation {
        @Override
        public String name() {
            return "verify";
        }
    }

    record DeletePiece(PieceId id) implements NodeOperation {
        @Override
        public String name() {
            return "delete";
        }
    }

    /** Pieces with ids after {@code after} (null: from the first) in {@link PieceOrder}, at most {@code limit}. */
    record ListPieces(PieceId after, int limit) implements NodeOperation {
        @Override
        public String name() {
            return "list";
        }
    }

    /** A request that cannot be served; answered with {@code error} (after authentication). */
    record Invalid(NodeError error, String message) implements NodeOperation {
        @Override
        public String name() {
            return "invalid";
        }
    }

    /**
     * @param method upper-case HTTP method
     * @param path   the raw (still percent-encoded) path
     * @param query  the raw query, or null
     */
    static NodeOperation parse(String method, String path, String query) {
        try {
            return parseOrThrow(method, path, query);
        } catch (IllegalArgumentException e) {
            return new Invalid(NodeError.BAD_REQUEST, e.getMessage());
        }
    }

    private static NodeOperation parseOrThrow(String method, String path, String query) {
        if (path.startsWith(PIECES_PREFIX)) {
            PieceId id = PieceId.parse(path.substring(PIECES_PREFIX.length()));
            switch (method) {
                case "PUT":
                    return new PutPiece(id);
                case "GET": {
                    Map<String, String> q = query(query);
                    long offset = number(q, "offset", 0, Long.MAX_VALUE);
                    long length = number(q, "length", Integer.MAX_VALUE, Integer.MAX_VALUE);
                    return new GetPiece(id, offset, (int) length);
                }
                case "HEAD":
                    return "true".equals(query(query).get("verify")) ? new VerifyPiece(id) : new HeadPiece(id);
                case "DELETE":
                    return new DeletePiece(id);
                default:
                    return notAllowed(method, path);
            }
        }
        switch (path) {
            case PIECES: {
                if (!method.equals("GET")) {
                    return notAllowed(method, path);
                }
                Map<String, String> q = query(query);
                String after = q.get("after");
                int limit = (int) number(q, "limit", DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT);
                if (limit == 0) {
                    throw new IllegalArgumentException("limit must be at least 1");
                }
                return new ListPieces(after == null || after.isEmpty() ? null : PieceId.parse(after), limit);
            }
            case "/v1/info":
                return method.equals("GET") ? new Info() : notAllowed(method, path);
            case "/health":
                return method.equals("GET") ? new Health() : notAllowed(method, path);
            case "/metrics":
                return method.equals("GET") ? new Metrics() : notAllowed(method, path);
            default:
                return new Invalid(NodeError.NO_ROUTE, "no such endpoint");
        }
    }

    private static Invalid notAllowed(String method, String path) {
        return new Invalid(NodeError.METHOD_NOT_ALLOWED, method + " is not allowed on " + path);
    }

    /** A non-negative decimal parameter no larger than {@code max}, or {@code dflt} when absent. */
    private static long number(Map<String, String> q, String name, long dflt, long max) {
        String v = q.get(name);
        if (v == null) {
            return dflt;
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number");
        }
        if (n < 0 || n > max) {
            throw new IllegalArgumentException(name + " must be between 0 and " + max);
        }
        return n;
    }

    /** Decodes a query string; a repeated parameter is a bad request. */
    private static Map<String, String> query(String query) {
        Map<String, String> out = new HashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (out.put(k, v) != null) {
                throw new IllegalArgumentException("repeated query parameter " + k);
            }
        }
        return out;
    }
}
