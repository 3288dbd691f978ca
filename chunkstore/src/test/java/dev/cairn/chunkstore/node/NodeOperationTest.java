package dev.cairn.chunkstore.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.chunkstore.PieceId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NodeOperationTest {
    private static final String ID = "0123456789abcdef0123456789abcdef.3";

    @Test
    void pieceOperations() {
        assertEquals(new NodeOperation.PutPiece(PieceId.parse(ID)), NodeOperation.parse("PUT", "/v1/pieces/" + ID, null));
        assertEquals(new NodeOperation.HeadPiece(PieceId.parse(ID)), NodeOperation.parse("HEAD", "/v1/pieces/" + ID, null));
        assertEquals(new NodeOperation.DeletePiece(PieceId.parse(ID)), NodeOperation.parse("DELETE", "/v1/pieces/" + ID, null));
        assertEquals(new NodeOperation.GetPiece(PieceId.parse(ID), 0, Integer.MAX_VALUE),
                NodeOperation.parse("GET", "/v1/pieces/" + ID, null));
        assertEquals(new NodeOperation.GetPiece(PieceId.parse(ID), 10, 20),
                NodeOperation.parse("GET", "/v1/pieces/" + ID, "offset=10&length=20"));
    }

    @Test
    void listing() {
        assertEquals(new NodeOperation.ListPieces(null, NodeOperation.DEFAULT_LIST_LIMIT),
                NodeOperation.parse("GET", "/v1/pieces", null));
        assertEquals(new NodeOperation.ListPieces(PieceId.parse(ID), 7),
                NodeOperation.parse("GET", "/v1/pieces", "after=" + ID + "&limit=7"));
        assertEquals(new NodeOperation.ListPieces(null, 5), NodeOperation.parse("GET", "/v1/pieces", "after=&limit=5"));
    }

    @Test
    void anonymousOnlyHealthAndMetrics() {
        assertTrue(NodeOperation.parse("GET", "/health", null).anonymous());
        assertTrue(NodeOperation.parse("GET", "/metrics", null).anonymous());
        assertFalse(NodeOperation.parse("GET", "/v1/info", null).anonymous());
        assertFalse(NodeOperation.parse("POST", "/health", null).anonymous());
        assertFalse(NodeOperation.parse("GET", "/nothing", null).anonymous());
        assertFalse(NodeOperation.parse("GET", "/v1/pieces/../health", null).anonymous());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "GET    | /v1/pieces/..%2F..%2Fetc                        | null               | BAD_REQUEST",
        "GET    | /v1/pieces/../../etc/passwd                     | null               | BAD_REQUEST",
        "PUT    | /v1/pieces/                                     | null               | BAD_REQUEST",
        "PUT    | /v1/pieces/0123456789ABCDEF0123456789abcdef.3   | null               | BAD_REQUEST",
        "PUT    | /v1/pieces/0123456789abcdef0123456789abcdef.03  | null               | BAD_REQUEST",
        "PUT    | /v1/pieces/0123456789abcdef0123456789abcdef.3/x | null               | BAD_REQUEST",
        "PUT    | /v1/pieces/0123456789abcdef0123456789abcdef.255 | null               | BAD_REQUEST",
        "GET    | /v1/pieces/0123456789abcdef0123456789abcdef.3   | offset=-1          | BAD_REQUEST",
        "GET    | /v1/pieces/0123456789abcdef0123456789abcdef.3   | length=x           | BAD_REQUEST",
        "GET    | /v1/pieces/0123456789abcdef0123456789abcdef.3   | length=4294967296  | BAD_REQUEST",
        "GET    | /v1/pieces/0123456789abcdef0123456789abcdef.3   | offset=1&offset=2  | BAD_REQUEST",
        "GET    | /v1/pieces/0123456789abcdef0123456789abcdef.3   | offset=%zz         | BAD_REQUEST",
        "GET    | /v1/pieces                                      | limit=0            | BAD_REQUEST",
        "GET    | /v1/pieces                                      | limit=10001        | BAD_REQUEST",
        "GET    | /v1/pieces                                      | after=../x         | BAD_REQUEST",
        "POST   | /v1/pieces/0123456789abcdef0123456789abcdef.3   | null               | METHOD_NOT_ALLOWED",
        "PUT    | /v1/pieces                                      | null               | METHOD_NOT_ALLOWED",
        "DELETE | /v1/info                                        | null               | METHOD_NOT_ALLOWED",
        "POST   | /metrics                                        | null               | METHOD_NOT_ALLOWED",
        "GET    | /v1/piecesx                                     | null               | NO_ROUTE",
        "GET    | /                                               | null               | NO_ROUTE",
    })
    void invalidRequests(String method, String path, String query, NodeError expected) {
        NodeOperation op = NodeOperation.parse(method, path, query);
        NodeOperation.Invalid invalid = assertInstanceOf(NodeOperation.Invalid.class, op);
        assertEquals(expected, invalid.error());
    }

    @Test
    void listOrderIsChunkThenNumericIndex() {
        PieceId a2 = PieceId.parse("00000000000000000000000000000001.2");
        PieceId a10 = PieceId.parse("00000000000000000000000000000001.10");
        PieceId b0 = PieceId.parse("ff000000000000000000000000000000.0");
        assertTrue(PieceOrder.COMPARATOR.compare(a2, a10) < 0);
        assertTrue(PieceOrder.COMPARATOR.compare(a10, b0) < 0);
        assertNull(NodeError.ofCode("nope"));
        assertEquals(NodeError.CORRUPT, NodeError.ofCode("corrupt"));
    }
}
