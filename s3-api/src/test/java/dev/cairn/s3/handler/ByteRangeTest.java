package dev.cairn.s3.handler;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ByteRangeTest {

    @ParameterizedTest(name = "{0} of {1} -> start {2} length {3}")
    @CsvSource({
            "bytes=0-9, 100, 0, 10",
            "bytes=10-, 100, 10, 90",
            "bytes=-10, 100, 90, 10",
            "bytes=-1000, 100, 0, 100",
            "bytes=90-1000, 100, 90, 10",
            "bytes=99-99, 100, 99, 1",
            "bytes= 5 - 6 , 100, 5, 2",
    })
    void resolvesSatisfiableRanges(String header, long size, long start, long length) {
        ByteRange r = ByteRange.parse(header, size);
        assertEquals(start, r.start());
        assertEquals(length, r.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=abc", "bytes=5-2", "items=0-1", "bytes=0-1,4-5", "bytes=-", "bytes=", "0-1"})
    void ignoresRangesItCannotParseAsAwsDoes(String header) {
        assertNull(ByteRange.parse(header, 100));
    }

    @ParameterizedTest
    @CsvSource({"bytes=100-, 100", "bytes=100-200, 100", "bytes=-0, 100", "bytes=0-, 0", "bytes=-5, 0"})
    void unsatisfiableRangeIsInvalidRangeWithContentRange(String header, long size) {
        S3Exception e = assertThrows(S3Exception.class, () -> ByteRange.parse(header, size));
        assertEquals(S3ErrorCode.INVALID_RANGE, e.error());
        assertEquals("bytes */" + size, e.headers().get("Content-Range"));
    }

    @Test
    void contentRangeNamesTheLastByteInclusive() {
        assertEquals("bytes 0-9/100", ByteRange.parse("bytes=0-9", 100).contentRange(100));
    }
}
