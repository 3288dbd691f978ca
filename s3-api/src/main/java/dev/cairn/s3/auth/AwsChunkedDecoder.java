package dev.cairn.s3.auth;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Incremental parser of aws-chunked bodies. Runs on the event loop: framing only, no hashing.
 * <pre>
 * hex-size[;chunk-signature=sig]\r\n data \r\n ... 0[;chunk-signature=sig]\r\n
 * [name:value\r\n ...] [x-amz-trailer-signature:sig\r\n] \r\n
 * </pre>
 * What clients send (checked against the AWS SDK for Java v2.56 signer and botocore 1.43):
 * <ul>
 *   <li>signed, no trailer: {@code 14;chunk-signature=<64 hex>\r\n<data>\r\n0;chunk-signature=<sig>\r\n\r\n};
 *   <li>signed with trailer: {@code ...0;chunk-signature=<sig>\r\nx-amz-checksum-crc32:Wwzelw==\r\n
 *       x-amz-trailer-signature:<sig>\r\n\r\n};
 *   <li>unsigned with trailer (both SDKs): {@code 14\r\n<data>\r\n0\r\nx-amz-checksum-crc32:Wwzelw==\r\n\r\n}.
 * </ul>
 * Lenient where clients may differ: the hex size is case-insensitive and may be followed by
 * spaces; unknown chunk extensions are ignored; a body that ends cleanly after a trailer line
 * (or, without trailers, after the final chunk line) without the closing empty line is
 * accepted. The caller must still check that the trailers it was promised in
 * {@code x-amz-trailer} arrived.
 *
 * <p>Data is passed on as slices of the fed buffer (no copy); a listener that keeps a slice
 * beyond the callback must not rely on the fed buffer staying unmodified by its owner. Memory
 * is bounded: one line of at most {@value #MAX_LINE} bytes, plus at most {@value #MAX_TRAILERS}
 * parsed trailers.
 *
 * <p>Errors: a body that ends early answers 400 IncompleteBody, as S3 and MinIO do for a
 * truncated stream. Malformed framing (a size that is not hex, a line over 4 KiB, a missing
 * CRLF, a signed chunk without chunk-signature, bytes after the end) answers IncompleteBody
 * too, with a message naming the problem: the body is not a complete aws-chunked stream, and
 * S3ErrorCode has no more specific code for it.
 */
public final class AwsChunkedDecoder {
    /** Receives the decoded stream, in order. */
    public interface Listener {
        void onData(Buffer slice);

        /** After each chunk's data, including the final 0-length chunk; the signature is null if unsigned. */
        void onChunkEnd(String chunkSignature);

        /**
         * Once, after the final chunk, in trailer modes only.
         *
         * @param trailers lower-case names, in order (without x-amz-trailer-signature)
         * @param canonicalTrailerBlock the exact text to hash for the trailer signature: "name:value\n" per
         *                              trailer, sorted by name, values trimmed (as the AWS SDKs sign it)
         * @param trailerSignature the x-amz-trailer-signature value, or null
         */
        void onTrailers(Map<String, String> trailers, String canonicalTrailerBlock, String trailerSignature);
    }

    static final int MAX_LINE = 4096;
    static final int MAX_TRAILERS = 16;
    private static final String CHUNK_SIGNATURE = "chunk-signature=";
    private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";

    private enum State { SIZE_LINE, DATA, DATA_CR, DATA_LF, TRAILER_LINE, FINAL_LINE, DONE, FAILED }

    private final PayloadMode mode;
    private final Listener listener;
    private final byte[] line = new byte[MAX_LINE];
    private int lineLength;
    private boolean lineComplete;
    private State state = State.SIZE_LINE;
    private long remaining;
    private String chunkSignature;
    private long decodedLength;
    private Map<String, String> trailers;
    private String trailerSignature;

    public AwsChunkedDecoder(PayloadMode mode, Listener listener) {
        if (!mode.streaming()) {
            throw new IllegalArgumentException(mode + " is not an aws-chunked mode");
        }
        this.mode = mode;
        this.listener = listener;
    }

    /** Feeds the next bytes of the body. Throws S3Exception on malformed framing. */
    public void feed(Buffer data) {
        try {
            int pos = 0;
            int end = data.length();
            while (pos < end) {
                switch (state) {
                    case SIZE_LINE, TRAILER_LINE, FINAL_LINE -> {
                        pos = readLine(data, pos, end);
                        if (lineComplete) {
                            onLine();
                        }
                    }
                    case DATA -> {
                        int n = (int) Math.min(remaining, end - pos);
                        Buffer slice = data.slice(pos, pos + n);
                        pos += n;
                        remaining -= n;
                        decodedLength += n;
                        if (remaining == 0) {
                            state = State.DATA_CR;
                        }
                        listener.onData(slice);
                    }
                    case DATA_CR -> {
                        expect(data.getByte(pos++), '\r');
                        state = State.DATA_LF;
                    }
                    case DATA_LF -> {
                        expect(data.getByte(pos++), '\n');
                        state = State.SIZE_LINE;
                        listener.onChunkEnd(chunkSignature);
                    }
                    case DONE -> throw malformed("data after the end of the aws-chunked body");
                    case FAILED -> throw malformed("the aws-chunked body already failed");
                }
            }
        } catch (RuntimeException e) {
            state = State.FAILED;
            throw e;
        }
    }

    /** Call at the end of the request; throws IncompleteBody unless the final chunk (and trailers) arrived. */
    public void end() {
        switch (state) {
            case DONE -> {
            }
            case TRAILER_LINE, FINAL_LINE -> {
                // Lenient: the closing empty line (or its LF) may be missing, but only after a
                // complete line, and in trailer modes after at least one trailer line.
                boolean clean = lineLength == 0 || (lineLength == 1 && line[0] == '\r');
                boolean sawTrailer = state == State.FINAL_LINE || !trailers.isEmpty() || trailerSignature != null;
                if (!clean || !sawTrailer) {
                    state = State.FAILED;
                    throw incomplete();
                }
                if (state == State.TRAILER_LINE) {
                    finishTrailers();
                }
                state = State.DONE;
            }
            default -> {
                state = State.FAILED;
                throw incomplete();
            }
        }
    }

    /** Payload bytes decoded so far. */
    public long decodedLength() {
        return decodedLength;
    }

    /** Whether the whole body (final chunk and trailers) has been read. */
    public boolean isComplete() {
        return state == State.DONE;
    }

    /** Accumulates up to and including LF; returns the new position and sets lineComplete. */
    private int readLine(Buffer data, int pos, int end) {
        lineComplete = false;
        while (pos < end) {
            byte b = data.getByte(pos++);
            if (b == '\n') {
                if (lineLength == 0 || line[lineLength - 1] != '\r') {
                    throw malformed("aws-chunked line not terminated by CRLF");
                }
                lineLength--; // drop CR
                lineComplete = true;
                return pos;
            }
            if (lineLength == MAX_LINE) {
                throw malformed("aws-chunked line longer than " + MAX_LINE + " bytes");
            }
            line[lineLength++] = b;
        }
        return pos;
    }

    private void onLine() {
        String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
        lineLength = 0;
        lineComplete = false;
        switch (state) {
            case SIZE_LINE -> onSizeLine(text);
            case TRAILER_LINE -> onTrailerLine(text);
            case FINAL_LINE -> {
                if (!text.isEmpty()) {
                    throw malformed("unexpected data after the final chunk");
                }
                state = State.DONE;
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void onSizeLine(String text) {
        int semi = text.indexOf(';');
        String size = (semi < 0 ? text : text.substring(0, semi)).stripTrailing();
        if (size.isEmpty() || size.length() > 16) {
            throw malformed("invalid aws-chunked chunk size \"" + size + "\"");
        }
        long n;
        try {
            n = Long.parseUnsignedLong(size, 16);
        } catch (NumberFormatException e) {
            throw malformed("invalid aws-chunked chunk size \"" + size + "\"");
        }
        if (n < 0) {
            throw malformed("aws-chunked chunk size too large");
        }
        chunkSignature = null;
        if (mode.signedChunks()) {
            chunkSignature = signatureExtension(semi < 0 ? "" : text.substring(semi + 1));
            if (chunkSignature == null) {
                throw malformed("aws-chunked chunk without chunk-signature");
            }
        }
        if (n > 0) {
            remaining = n;
            state = State.DATA;
            return;
        }
        state = mode.trailer() ? State.TRAILER_LINE : State.FINAL_LINE;
        if (mode.trailer()) {
            trailers = new LinkedHashMap<>();
        }
        listener.onChunkEnd(chunkSignature);
    }

    private static String signatureExtension(String extensions) {
        for (String ext : extensions.split(";")) {
            String e = ext.strip();
            if (e.startsWith(CHUNK_SIGNATURE) && e.length() > CHUNK_SIGNATURE.length()) {
                return e.substring(CHUNK_SIGNATURE.length());
            }
        }
        return null;
    }

    private void onTrailerLine(String text) {
        if (text.isEmpty()) {
            finishTrailers();
            state = State.DONE;
            return;
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw malformed("malformed aws-chunked trailer line");
        }
        String name = text.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = text.substring(colon + 1).strip();
        if (name.equals(TRAILER_SIGNATURE)) {
            if (trailerSignature != null) {
                throw malformed("repeated x-amz-trailer-signature");
            }
            trailerSignature = value;
            return;
        }
        if (trailers.size() >= MAX_TRAILERS && !trailers.containsKey(name)) {
            throw malformed("too many aws-chunked trailers");
        }
        trailers.merge(name, value, (a, b) -> a + "," + b);
    }

    private void finishTrailers() {
        List<String> names = new ArrayList<>(trailers.keySet());
        Collections.sort(names);
        StringBuilder block = new StringBuilder();
        for (String name : names) {
            block.append(name).append(':');
            CanonicalRequest.appendTrimmed(block, trailers.get(name));
            block.append('\n');
        }
        listener.onTrailers(Collections.unmodifiableMap(trailers), block.toString(), trailerSignature);
    }

    private static void expect(byte actual, char expected) {
        if (actual != expected) {
            throw malformed("aws-chunked chunk data not followed by CRLF");
        }
    }

    private static S3Exception malformed(String message) {
        return new S3Exception(S3ErrorCode.INCOMPLETE_BODY, message);
    }

    private static S3Exception incomplete() {
        return new S3Exception(S3ErrorCode.INCOMPLETE_BODY,
                "The aws-chunked request body ended before its final chunk and trailers.");
    }
}
