package dev.cairn.s3.http;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A push parser for the multipart/form-data body of a browser form upload (POST Object).
 *
 * <p>Design: bytes are fed as they arrive. Text fields before the file are collected (at most
 * {@code maxPreFileBytes} in total: MaxPostPreDataLengthExceededError beyond). The part named
 * {@code file} is streamed: everything but a possible partial delimiter at the end is handed on
 * at once, so memory stays at about one network buffer. Everything after the file is ignored, as
 * S3 does. {@link #pause()} stops delivery (the bytes already fed stay pending) until
 * {@link #resume()}. Failures are reported once through {@link Listener#error}. Event-loop only.
 */
public final class MultipartFormParser {
    /** What the parser found. */
    public interface Listener {
        void field(String name, String value);

        /** The file part begins (its data follows through {@link #fileData}). */
        void fileStart(String filename, String contentType);

        void fileData(Buffer data);

        void fileEnd();

        void error(S3Exception error);
    }

    private enum State { PREAMBLE, AFTER_DELIMITER, HEADERS, FIELD, FILE, DONE }

    private static final Pattern DISPOSITION_PARAM =
            Pattern.compile("(?i);\\s*(name|filename)\\s*=\\s*(?:\"([^\"]*)\"|([^;\\s]*))");
    private static final Pattern BOUNDARY_PARAM =
            Pattern.compile("(?i);\\s*boundary\\s*=\\s*(?:\"([^\"]+)\"|([^;\\s]+))");
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    private final byte[] delimiter;
    private final int maxPreFileBytes;
    private final Listener listener;
    private byte[] buf = new byte[8192];
    private int start;
    private int end;
    private State state = State.PREAMBLE;
    private long preFileBytes;
    private String partName;
    private boolean sawFile;
    private boolean paused;
    private boolean draining;
    private boolean ended;

    public MultipartFormParser(String boundary, int maxPreFileBytes, Listener listener) {
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.maxPreFileBytes = maxPreFileBytes;
        this.listener = listener;
        append(new byte[]{'\r', '\n'}, 0, 2); // so the first boundary needs no special case
    }

    /**
     * The boundary of a multipart/form-data Content-Type; MalformedPOSTRequest when it has none.
     */
    public static String boundary(String contentType) {
        Matcher m = BOUNDARY_PARAM.matcher(contentType == null ? "" : contentType);
        if (!m.find()) {
            throw new S3Exception(S3ErrorCode.MALFORMED_POST_REQUEST);
        }
        String b = m.group(1) != null ? m.group(1) : m.group(2);
        if (b.length() > 70) {
            throw new S3Exception(S3ErrorCode.MALFORMED_POST_REQUEST);
        }
        return b;
    }

    public void feed(Buffer data) {
        if (state == State.DONE) {
            return;
        }
        byte[] bytes = data.getBytes();
        append(bytes, 0, bytes.length);
        drain();
    }

    /** The body ended: fails unless the file part was complete. */
    public void end() {
        ended = true;
        drain();
    }

    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
        drain();
    }

    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!paused && state != State.DONE && step()) {
                // keep going
            }
            if (ended && !paused && state != State.DONE) {
                // no boundary at all, or cut inside a part: not multipart; complete parts but no file: InvalidArgument
                throw sawFile || state != State.AFTER_DELIMITER ? new S3Exception(S3ErrorCode.MALFORMED_POST_REQUEST)
                        : noFile();
            }
        } catch (S3Exception e) {
            state = State.DONE;
            listener.error(e);
        } finally {
            draining = false;
        }
    }

    /** One parsing step; false when more bytes are needed. */
    private boolean step() {
        switch (state) {
            case PREAMBLE: {
                int at = indexOf(delimiter, start);
                if (at < 0) {
                    int keep = Math.max(start, end - delimiter.length + 1);
                    countPreFile(keep - start);
                    start = keep;
                    return false;
                }
                countPreFile(at + delimiter.length - start);
                start = at + delimiter.length;
                state = State.AFTER_DELIMITER;
                return true;
            }
            case AFTER_DELIMITER: {
                if (end - start < 2) {
                    return false;
                }
                if (buf[start] == '-' && buf[start + 1] == '-') {
                    throw sawFile ? new S3Exception(S3ErrorCode.MALFORMED_POST_REQUEST) : noFile();
                }
                if (buf[start] != '\r' || buf[start + 1] != '\n') {
                    throw new S3Exception(S3ErrorCode.MALFORMED_POST_REQUEST);
                }
                state = State.HEADERS;
                return true;
            }
            case HEADERS: {
                int at = indexOf(HEADER_END, start);
                if (at < 0) {
                    if (preFileBytes + (end - start) > maxPreFileBytes) {
                        throw new S3Exception(S3ErrorCode.MAX_POST_PRE_DATA_LENGTH_EXCEEDED);
                    }
                    return false;
                }
                String headers = new String(buf, start + 2, Math.max(0, at - start - 2), StandardCharsets.UTF_8);
                countPreFile(at + HEADER_END.length - start);
                start = at + HEADER_END.length;
                part(headers);
                return true;
            }
            case FIELD: {
                int at = indexOf(delimiter, start);
                if (at < 0) {
                    if (preFileBytes + (end - start) > maxPreFileBytes) {
                        throw new S3Exception(S3ErrorCode.MAX_POST_PRE_DATA_LENGTH_EXCEEDED);
                    }
                    return false;
                }
                String value = new String(buf, start, at - start, StandardCharsets.UTF_8);
                countPreFile(at + delimiter.length - start);
                start = at + delimiter.length;
                state = State.AFTER_DELIMITER;
                listener.field(partName, value);
                return true;
            }
            case FILE: {
                int at = indexOf(delimiter, start);
                if (at >= 0) {
                    emit(at);
                    state = State.DONE;
                    start = end;
                    listener.fileEnd();
                    return false;
                }
                int safe = end - delimiter.length + 1;
                if (safe <= start) {
                    return false;
                }
                emit(safe);
                return true;
            }
            default:
                return false;
        }
    }

    private void part(String headers) {
        String name = null;
        String filename = null;
        String contentType = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String h = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String v = line.substring(colon + 1).trim();
            if (h.equals("content-disposition")) {
                Matcher m = DISPOSITION_PARAM.matcher(v);
                while (m.find()) {
                    String value = m.group(2) != null ? m.group(2) : m.group(3);
                    if (m.group(1).equalsIgnoreCase("name")) {
                        name = value;
                    } else {
                        filename = value;
                    }
                }
            } else if (h.equals("content-type")) {
                contentType = v;
            }
        }
        if (name == null) {
            throw new S3Exception(S3ErrorCode.MALFORMED_POST_REQUEST);
        }
        if (name.equalsIgnoreCase("file")) {
            sawFile = true;
            state = State.FILE;
            listener.fileStart(filename == null ? "" : filename, contentType);
        } else {
            partName = name;
            state = State.FIELD;
        }
    }

    private void emit(int upTo) {
        if (upTo > start) {
            Buffer data = Buffer.buffer(upTo - start).appendBytes(buf, start, upTo - start);
            start = upTo;
            listener.fileData(data);
        }
    }

    private void countPreFile(int n) {
        preFileBytes += n;
        if (preFileBytes > maxPreFileBytes) {
            throw new S3Exception(S3ErrorCode.MAX_POST_PRE_DATA_LENGTH_EXCEEDED);
        }
    }

    static S3Exception noFile() {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "POST requires exactly one file upload per request.")
                .with("ArgumentName", "file").with("ArgumentValue", "0");
    }

    private void append(byte[] data, int off, int len) {
        if (end + len > buf.length) {
            int live = end - start;
            byte[] target = live + len > buf.length ? new byte[Math.max(buf.length * 2, live + len)] : buf;
            System.arraycopy(buf, start, target, 0, live);
            buf = target;
            start = 0;
            end = live;
        }
        System.arraycopy(data, off, buf, end, len);
        end += len;
    }

    private int indexOf(byte[] pattern, int from) {
        byte first = pattern[0];
        outer:
        for (int i = from; i <= end - pattern.length; i++) {
            if (buf[i] != first) {
                continue;
            }
            for (int j = 1; j < pattern.length; j++) {
                if (buf[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
