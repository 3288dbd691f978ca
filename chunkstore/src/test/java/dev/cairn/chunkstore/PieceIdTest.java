package dev.cairn.chunkstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PieceIdTest {
    private static final String HEX = "0123456789abcdef0123456789abcdef";

    @ParameterizedTest
    @ValueSource(strings = {
        "../x",
        "",
        ".",
        "0123456789ABCDEF0123456789abcdef.0", // uppercase hex
        HEX,                                  // no dot, no index
        HEX + ".",                            // missing index
        HEX + ".255",                         // index out of range
        HEX + ".1000",
        HEX + ".01",                          // leading zero
        HEX + ".00",
        HEX + ".-1",
        HEX + ".1a",
        HEX + ". 1",
        "123456789abcdef0123456789abcdef.0",  // 31 hex digits
        HEX + "0.0",                          // 33 hex digits
        "0123456789abcdef0123456789abcde/.0",
        "../../../../../../../../etc/passwd.0",
    })
    void rejectsMalformed(String text) {
        assertThrows(IllegalArgumentException.class, () -> PieceId.parse(text));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 9, 10, 99, 254})
    void roundTrips(int index) {
        PieceId id = PieceId.parse(HEX + "." + index);
        assertEquals(index, id.index());
        assertEquals(HEX + "." + index, id.toString());
        assertArrayEquals(HexFormat.of().parseHex(HEX), id.chunkId());
        assertEquals(id, new PieceId(HexFormat.of().parseHex(HEX), index));
    }

    @Test
    void constructorRejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> new PieceId(new byte[15], 0));
        assertThrows(IllegalArgumentException.class, () -> new PieceId(new byte[16], 255));
        assertThrows(IllegalArgumentException.class, () -> new PieceId(new byte[16], -1));
    }
}
