package dev.cairn.s3.http;

import dev.cairn.s3.S3Exception;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultipartFormParserTest {
    private static final String BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

    /** Records what the parser reports. */
    private static final class Recorder implements MultipartFormParser.Listener {
        final Map<String, String> fields = new LinkedHashMap<>();
        final ByteArrayOutputStream file = new ByteArrayOutputStream();
        final List<Integer> sliceSizes = new ArrayList<>();
        String filename;
        String contentType;
        boolean fileEnded;
        S3Exception error;
        MultipartFormParser parser;
        boolean pauseOnEverySlice;

        @Override
        public void field(String name, String value) {
            fields.put(name, value);
        }

        @Override
        public void fileStart(String name, String type) {
            filename = name;
            contentType = type;
        }

        @Override
        public void fileData(Buffer data) {
            sliceSizes.add(data.length());
            file.writeBytes(data.getBytes());
            if (pauseOnEverySlice) {
                parser.pause();
            }
        }

        @Override
        public void fileEnd() {
            fileEnded = true;
        }

        @Override
        public void error(S3Exception e) {
            error = e;
        }
    }

    static byte[] form(Map<String, String> fields, byte[] file, String trailingField) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fields.forEach((k, v) -> out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + k
                + "\"\r\n\r\n" + v + "\r\n").getBytes(StandardCharsets.UTF_8)));
        out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(file);
        out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        if (trailingField != null) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + trailingField
                    + "\"\r\n\r\nlate\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static Recorder parse(byte[] body, int pieceSize) {
        Recorder r = new Recorder();
        MultipartFormParser p = new MultipartFormParser(BOUNDARY, 20 * 1024, r);
        r.parser = p;
        for (int i = 0; i < body.length; i += pieceSize) {
            p.feed(Buffer.buffer().appendBytes(body, i, Math.min(pieceSize, body.length - i)));
        }
        p.end();
        return r;
    }

    @ParameterizedTest(name = "fed {0} bytes at a time")
    @ValueSource(ints = {1, 3, 7, 64, 1000, 1 << 20})
    void fieldsAndFileSurviveAnySplitOfTheBody(int pieceSize) {
        // file content full of near-delimiters: CRLF, dashes and a boundary prefix
        byte[] file = ("a\r\n--" + BOUNDARY.substring(0, 10) + "\r\n\r\n--x" + "z".repeat(3000) + "\r\n-")
                .getBytes(StandardCharsets.UTF_8);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", "user/${filename}");
        fields.put("x-amz-meta-note", "ünï\r\ncode");
        Recorder r = parse(form(fields, file, null), pieceSize);

        assertNull(r.error);
        assertEquals(fields, r.fields);
        assertEquals("photo.jpg", r.filename);
        assertEquals("image/jpeg", r.contentType);
        assertTrue(r.fileEnded);
        assertArrayEquals(file, r.file.toByteArray());
    }

    @Test
    void fieldsAfterTheFileAreIgnored() {
        Recorder r = parse(form(Map.of("key", "k"), new byte[]{1, 2, 3}, "acl"), 5);
        assertNull(r.error);
        assertEquals(Map.of("key", "k"), r.fields);
        assertArrayEquals(new byte[]{1, 2, 3}, r.file.toByteArray());
    }

    @Test
    void fileIsHandedOnInSlicesNotBufferedWhole() {
        byte[] file = new byte[1 << 20];
        new Random(1).nextBytes(file);
        Recorder r = parse(form(Map.of("key", "k"), file, null), 16 * 1024);
        assertArrayEquals(file, r.file.toByteArray());
        assertTrue(r.sliceSizes.size() > 32, "slices: " + r.sliceSizes.size());
        assertTrue(r.sliceSizes.stream().allMatch(n -> n <= 16 * 1024 + 100), r.sliceSizes.toString());
    }

    @Test
    void pausedParserKeepsTheBytesUntilResumed() {
        byte[] file = "0123456789".repeat(100).getBytes(StandardCharsets.UTF_8);
        byte[] body = form(Map.of("key", "k"), file, null);
        Recorder r = new Recorder();
        MultipartFormParser p = new MultipartFormParser(BOUNDARY, 20 * 1024, r);
        r.parser = p;
        r.pauseOnEverySlice = true;
        for (int i = 0; i < body.length; i += 100) {
            p.feed(Buffer.buffer().appendBytes(body, i, Math.min(100, body.length - i)));
        }
        p.end();
        assertFalse(r.fileEnded);
        assertNull(r.error, "the end of the body waits for the paused bytes");
        int guard = 0;
        while (!r.fileEnded && guard++ < 1000) {
            p.resume();
        }
        assertNull(r.error);
        assertArrayEquals(file, r.file.toByteArray());
    }

    @Test
    void bodyWithoutAFileIsInvalidArgument() {
        String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk\r\n--" + BOUNDARY + "--\r\n";
        Recorder r = parse(body.getBytes(StandardCharsets.UTF_8), 10);
        assertEquals("InvalidArgument", r.error.error().code());
    }

    @Test
    void bodyCutInsideTheFileIsMalformed() {
        byte[] body = form(Map.of("key", "k"), new byte[500], null);
        Recorder r = parse(java.util.Arrays.copyOf(body, body.length - 60), 50);
        assertEquals("MalformedPOSTRequest", r.error.error().code());
    }

    @Test
    void tooManyBytesBeforeTheFileAreRefused() {
        Recorder r = parse(form(Map.of("policy", "p".repeat(30 * 1024)), new byte[1], null), 4096);
        assertEquals("MaxPostPreDataLengthExceededError", r.error.error().code());
    }

    @Test
    void boundaryComesFromTheContentType() {
        assertEquals("abc", MultipartFormParser.boundary("multipart/form-data; boundary=abc"));
        assertEquals("a b", MultipartFormParser.boundary("multipart/form-data; charset=utf-8; boundary=\"a b\""));
        assertThrows(S3Exception.class, () -> MultipartFormParser.boundary("multipart/form-data"));
    }
}
