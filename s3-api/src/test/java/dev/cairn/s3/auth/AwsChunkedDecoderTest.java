package dev.cairn.s3.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AwsChunkedDecoderTest {
    static final String SIG1 = "1".repeat(64);
    static final String SIG2 = "2".repeat(64);
    static final String SIG3 = "3".repeat(64);
    static final String TSIG = "f".repeat(64);

    /** Records everything the decoder reports. */
    static final class Recorder implements AwsChunkedDecoder.Listener {
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        final List<Buffer> slices = new ArrayList<>();
        final List<String> chunkSignatures = new ArrayList<>();
        Map<String, String> trailers;
        String block;
        String trailerSignature;
        int trailerCalls;

        @Override
        public void onData(Buffer slice) {
            slices.add(slice);
            data.writeBytes(slice.getBytes());
        }

        @Override
        public void onChunkEnd(String chunkSignature) {
            chunkSignatures.add(chunkSignature);
        }

        @Override
        public void onTrailers(Map<String, String> t, String canonicalTrailerBlock, String sig) {
            trailers = t;
            block = canonicalTrailerBlock;
            trailerSignature = sig;
            trailerCalls++;
        }

        String summary() {
            return data.toString(StandardCharsets.ISO_8859_1) + "|" + chunkSignatures + "|" + trailers + "|" + block + "|"
                    + trailerSignature + "|" + trailerCalls;
        }
    }

    record Case(PayloadMode mode, String body) {
        byte[] bytes() {
            return body.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    static final String DATA1 = "hello, ";
    static final String DATA2 = "x".repeat(5000) + "\r\n0;chunk-signature=" + "\r\n"; // framing look-alikes inside data
    static final List<Case> VALID = List.of(
            // botocore / SDK v2 unsigned with trailer
            new Case(PayloadMode.STREAMING_UNSIGNED_TRAILER, "7\r\n" + DATA1 + "\r\n" + Integer.toHexString(DATA2.length())
                    + "\r\n" + DATA2 + "\r\n0\r\nx-amz-checksum-crc32:Wwzelw==\r\n\r\n"),
            new Case(PayloadMode.STREAMING_SIGNED, "7;chunk-signature=" + SIG1 + "\r\n" + DATA1 + "\r\n"
                    + Integer.toHexString(DATA2.length()) + ";chunk-signature=" + SIG2 + "\r\n" + DATA2 + "\r\n"
                    + "0;chunk-signature=" + SIG3 + "\r\n\r\n"),
            new Case(PayloadMode.STREAMING_SIGNED_TRAILER, "7;chunk-signature=" + SIG1 + "\r\n" + DATA1 + "\r\n"
                    + Integer.toHexString(DATA2.length()).toUpperCase() + ";chunk-signature=" + SIG2 + "\r\n" + DATA2 + "\r\n"
                    + "0;chunk-signature=" + SIG3 + "\r\nx-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:" + TSIG
                    + "\r\n\r\n"));

    static Recorder decode(Case c, List<Integer> splits) {
        Recorder rec = new Recorder();
        AwsChunkedDecoder d = new AwsChunkedDecoder(c.mode(), rec);
        byte[] b = c.bytes();
        int pos = 0;
        for (int i = 0; pos < b.length; i++) {
            int n = Math.min(splits.get(i % splits.size()), b.length - pos);
            d.feed(Buffer.buffer(Arrays.copyOfRange(b, pos, pos + n)));
            pos += n;
        }
        d.end();
        assertTrue(d.isComplete());
        assertEquals(rec.data.size(), d.decodedLength());
        return rec;
    }

    @Test
    void decodesAllModes() {
        Recorder unsigned = decode(VALID.get(0), List.of(Integer.MAX_VALUE));
        assertEquals(DATA1 + DATA2, unsigned.data.toString(StandardCharsets.ISO_8859_1));
        assertEquals(Arrays.asList(null, null, null), unsigned.chunkSignatures);
        assertEquals(Map.of("x-amz-checksum-crc32", "Wwzelw=="), unsigned.trailers);
        assertEquals("x-amz-checksum-crc32:Wwzelw==\n", unsigned.block);
        assertNull(unsigned.trailerSignature);

        Recorder signed = decode(VALID.get(1), List.of(Integer.MAX_VALUE));
        assertEquals(List.of(SIG1, SIG2, SIG3), signed.chunkSignatures);
        assertEquals(0, signed.trailerCalls);

        Recorder trailer = decode(VALID.get(2), List.of(Integer.MAX_VALUE));
        assertEquals(List.of(SIG1, SIG2, SIG3), trailer.chunkSignatures);
        assertEquals("x-amz-checksum-crc32c:sOO8/Q==\n", trailer.block);
        assertEquals(TSIG, trailer.trailerSignature);
        assertEquals(1, trailer.trailerCalls);

        assertThrows(IllegalArgumentException.class, () -> new AwsChunkedDecoder(PayloadMode.SIGNED, new Recorder()));
        assertThrows(IllegalArgumentException.class, () -> new AwsChunkedDecoder(PayloadMode.UNSIGNED, new Recorder()));
    }

    @Test
    void anySplitGivesTheSameResult() {
        Random rnd = new Random(42);
        for (Case c : VALID) {
            String expected = decode(c, List.of(Integer.MAX_VALUE)).summary();
            assertEquals(expected, decode(c, List.of(1)).summary(), "byte by byte");
            for (int i = 0; i < 200; i++) {
                List<Integer> splits = new ArrayList<>();
                for (int j = 0; j < 20; j++) {
                    splits.add(1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 3000));
                }
                assertEquals(expected, decode(c, splits).summary(), splits.toString());
            }
        }
    }

    @Test
    void dataIsPassedAsSlicesOfTheInput() {
        Case c = VALID.get(1);
        Recorder rec = new Recorder();
        AwsChunkedDecoder d = new AwsChunkedDecoder(c.mode(), rec);
        Buffer input = Buffer.buffer(c.bytes());
        d.feed(input);
        d.end();
        assertEquals(2, rec.slices.size());
        int offset = c.body().indexOf(DATA1);
        input.setByte(offset, (byte) 'J');
        assertEquals('J', rec.slices.get(0).getByte(0), "slice shares the input's memory");
    }

    @Test
    void trailersAreCanonicalisedSortedAndTrimmed() {
        Recorder rec = decode(new Case(PayloadMode.STREAMING_UNSIGNED_TRAILER,
                "0\r\nX-Amz-Checksum-SHA256 :  abc  def \r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"), List.of(3));
        assertEquals(List.of("x-amz-checksum-sha256", "x-amz-checksum-crc32"), new ArrayList<>(rec.trailers.keySet()));
        assertEquals("abc  def", rec.trailers.get("x-amz-checksum-sha256"));
        assertEquals("x-amz-checksum-crc32:AAAAAA==\nx-amz-checksum-sha256:abc def\n", rec.block);
        assertEquals(0, rec.data.size());
    }

    @Test
    void lenientVariants() {
        // Unknown extensions ignored (also in signed mode, beside chunk-signature); upper-case hex; spaces after size.
        decode(new Case(PayloadMode.STREAMING_UNSIGNED_TRAILER, "A;foo=bar\r\n0123456789\r\n0 \r\nx-amz-checksum-crc32:x\r\n\r\n"),
                List.of(1));
        Recorder rec = decode(new Case(PayloadMode.STREAMING_SIGNED, "3;ext=1;chunk-signature=" + SIG1 + "\r\nabc\r\n"
                + "0;chunk-signature=" + SIG2 + "\r\n\r\n"), List.of(2));
        assertEquals(List.of(SIG1, SIG2), rec.chunkSignatures);
        // No closing CRLF after the trailers, or after the final chunk.
        decode(new Case(PayloadMode.STREAMING_UNSIGNED_TRAILER, "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:x\r\n"), List.of(5));
        decode(new Case(PayloadMode.STREAMING_UNSIGNED_TRAILER, "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:x\r\n\r"), List.of(5));
        decode(new Case(PayloadMode.STREAMING_SIGNED, "0;chunk-signature=" + SIG1 + "\r\n"), List.of(5));
        // An empty body with an empty trailer section.
        Recorder empty = decode(new Case(PayloadMode.STREAMING_UNSIGNED_TRAILER, "0\r\n\r\n"), List.of(1));
        assertEquals(Map.of(), empty.trailers);
        assertEquals("", empty.block);
    }

    static void assertMalformed(PayloadMode mode, String body) {
        for (int split : new int[] {Integer.MAX_VALUE, 1, 7}) {
            AwsChunkedDecoder d = new AwsChunkedDecoder(mode, new Recorder());
            byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
            S3Exception e = assertThrows(S3Exception.class, () -> {
                for (int pos = 0; pos < b.length; pos += split) {
                    d.feed(Buffer.buffer(Arrays.copyOfRange(b, pos, Math.min(b.length, pos + split))));
                }
                d.end();
            }, body);
            assertEquals(S3ErrorCode.INCOMPLETE_BODY, e.error(), body);
            // Once failed, it stays failed.
            assertThrows(S3Exception.class, () -> d.feed(Buffer.buffer("0\r\n\r\n")));
        }
    }

    @Test
    void malformedFraming() {
        PayloadMode u = PayloadMode.STREAMING_UNSIGNED_TRAILER;
        PayloadMode s = PayloadMode.STREAMING_SIGNED;
        assertMalformed(u, "zz\r\nabc\r\n0\r\n\r\n");
        assertMalformed(u, "\r\nabc\r\n0\r\n\r\n");
        assertMalformed(u, ";x=y\r\n\r\n");
        assertMalformed(u, "-3\r\nabc\r\n0\r\n\r\n");
        assertMalformed(u, "0x3\r\nabc\r\n0\r\n\r\n");
        assertMalformed(u, "3\nabc\r\n0\r\n\r\n");
        assertMalformed(u, "3\r\nabcXY0\r\n\r\n");
        assertMalformed(u, "3\r\nabc\n0\r\n\r\n");
        assertMalformed(u, "3\r\nabcd\r\n0\r\n\r\n");
        assertMalformed(u, "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:x\r\n\r\nextra");
        assertMalformed(s, "3;chunk-signature=" + SIG1 + "\r\nabc\r\n0;chunk-signature=" + SIG1 + "\r\n\r\n\r\n");
        assertMalformed(u, "1".repeat(5000) + "\r\n");
        assertMalformed(u, "3;" + "x".repeat(4100) + "\r\nabc\r\n0\r\n\r\n");
        assertMalformed(u, "11111111111111111\r\n");
        assertMalformed(u, "ffffffffffffffff\r\n");
        assertMalformed(s, "3\r\nabc\r\n0\r\n\r\n");
        assertMalformed(s, "3;chunk-signature=\r\nabc\r\n0\r\n\r\n");
        assertMalformed(s, "3;chunk-signature=" + SIG1 + "\r\nabc\r\n0\r\n\r\n");
        assertMalformed(s, "3;chunk-signature=" + SIG1 + "\r\nabc\r\n0;chunk-signature=" + SIG1 + "\r\nx-amz-foo:bar\r\n\r\n");
        assertMalformed(u, "0\r\nno colon here\r\n\r\n");
        assertMalformed(u, "0\r\n:value\r\n\r\n");
        assertMalformed(u, "0\r\nx-amz-trailer-signature:a\r\nx-amz-trailer-signature:b\r\n\r\n");
        StringBuilder many = new StringBuilder("0\r\n");
        for (int i = 0; i <= AwsChunkedDecoder.MAX_TRAILERS; i++) {
            many.append("x-amz-t").append(i).append(":v\r\n");
        }
        assertMalformed(u, many + "\r\n");
        // A line of exactly 4096 bytes is fine; one more byte is not.
        String ext = "3;" + "e".repeat(AwsChunkedDecoder.MAX_LINE - 3);
        decode(new Case(u, ext + "\r\nabc\r\n0\r\nx:y\r\n\r\n"), List.of(100));
        assertMalformed(u, ext + "e\r\nabc\r\n0\r\nx:y\r\n\r\n");
    }

    @Test
    void everyTruncationIsIncomplete() {
        for (Case c : VALID) {
            byte[] full = c.bytes();
            for (int len = 0; len < full.length; len++) {
                Recorder rec = new Recorder();
                AwsChunkedDecoder d = new AwsChunkedDecoder(c.mode(), rec);
                d.feed(Buffer.buffer(Arrays.copyOf(full, len)));
                boolean lenientEnd = len >= full.length - 2;
                if (c.mode() == PayloadMode.STREAMING_SIGNED_TRAILER) {
                    // ends after the checksum line: accepted by the framing, refused by the chain (no signature)
                    lenientEnd |= c.body().substring(0, len).endsWith("sOO8/Q==\r\n");
                }
                if (lenientEnd) {
                    d.end();
                } else {
                    S3Exception e = assertThrows(S3Exception.class, d::end, "prefix " + len);
                    assertEquals(S3ErrorCode.INCOMPLETE_BODY, e.error());
                }
            }
        }
    }

    @Test
    void largeChunksAreNotCopied() {
        byte[] big = new byte[1 << 20];
        new Random(1).nextBytes(big);
        Buffer body = Buffer.buffer().appendString("100000\r\n").appendBytes(big).appendString("\r\n0\r\nx:y\r\n\r\n");
        Recorder rec = new Recorder();
        AwsChunkedDecoder d = new AwsChunkedDecoder(PayloadMode.STREAMING_UNSIGNED_TRAILER, rec);
        d.feed(body);
        d.end();
        assertEquals(1, rec.slices.size());
        assertArrayEquals(big, rec.data.toByteArray());
        assertEquals(big.length, d.decodedLength());
    }
}
