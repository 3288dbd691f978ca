package dev.cairn.s3.e2e;

import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hand-made HTTP/1.1 requests over a plain socket, signed with the AWS SDK's own SigV4 signer
 * ({@link AwsV4HttpSigner}), for what the SDK clients will not send: malformed bodies, broken
 * framing, skewed clocks, truncated uploads. Every exchange uses {@code Connection: close}.
 */
final class RawHttp {
    private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");

    private RawHttp() {
    }

    /** A request ready to go on the wire: the signed head and the body bytes. */
    record Request(SdkHttpMethod method, URI uri, String target, List<Map.Entry<String, String>> headers, byte[] body) {
        /** A copy with one header replaced (or added); names compare case-insensitively. */
        Request withHeader(String name, String value) {
            List<Map.Entry<String, String>> h = new ArrayList<>();
            boolean replaced = false;
            for (Map.Entry<String, String> e : headers) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    if (!replaced && value != null) {
                        h.add(Map.entry(name, value));
                    }
                    replaced = true;
                } else {
                    h.add(e);
                }
            }
            if (!replaced && value != null) {
                h.add(Map.entry(name, value));
            }
            return new Request(method, uri, target, h, body);
        }

        Request withBody(byte[] newBody) {
            return new Request(method, uri, target, headers, newBody);
        }

        /** A copy sent to this raw request target (path and query) instead of the signed URI's. */
        Request withTarget(String rawTarget) {
            return new Request(method, uri, rawTarget, headers, body);
        }

        String header(String name) {
            return headers.stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }
    }

    /** A response as read from the socket; header names lower-case. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The {@code <Code>} of an S3 error document, or null. */
        String errorCode() {
            Matcher m = CODE.matcher(text());
            return m.find() ? m.group(1) : null;
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    /** An unsigned request (anonymous). */
    static Request unsigned(SdkHttpMethod method, URI uri, Map<String, String> headers, byte[] body) {
        List<Map.Entry<String, String>> h = new ArrayList<>(headers.entrySet());
        return new Request(method, uri, null, h, body == null ? new byte[0] : body);
    }

    /** Signs with the test credentials: payload signed (SHA-256 of the body) unless options say otherwise. */
    static Request signed(SdkHttpMethod method, URI uri, Map<String, String> headers, byte[] body) {
        return signed(method, uri, headers, body, r -> { });
    }

    /**
     * Signs like the SDK's S3 client does (service s3, us-east-1, no double URL encoding, no path
     * normalisation); {@code options} may set further signer properties (clock, chunk encoding,
     * payload signing, checksum algorithm). The returned body is what the signer produced
     * (aws-chunked when chunk encoding is on).
     */
    static Request signed(SdkHttpMethod method, URI uri, Map<String, String> headers, byte[] body,
                          Consumer<SignRequest.Builder<AwsCredentialsIdentity>> options) {
        return signedAs(TestServer.ACCESS_KEY, TestServer.SECRET_KEY, method, uri, headers, body, options);
    }

    static Request signedAs(String accessKey, String secretKey, SdkHttpMethod method, URI uri,
                            Map<String, String> headers, byte[] body,
                            Consumer<SignRequest.Builder<AwsCredentialsIdentity>> options) {
        SdkHttpRequest.Builder rb = SdkHttpRequest.builder().method(method).uri(uri);
        headers.forEach(rb::putHeader);
        SdkHttpRequest request = rb.build();
        byte[] payload = body == null ? new byte[0] : body;
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> {
            r.identity(AwsCredentialsIdentity.create(accessKey, secretKey))
                    .request(request)
                    .payload(() -> new ByteArrayInputStream(payload))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false);
            options.accept(r);
        });
        byte[] out = signed.payload().map(p -> {
            try (InputStream in = p.newStream()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).orElse(payload);
        List<Map.Entry<String, String>> h = new ArrayList<>();
        signed.request().forEachHeader((name, values) -> values.forEach(v -> h.add(Map.entry(name, v))));
        return new Request(method, uri, null, h, out);
    }

    /** Sends the request (Content-Length = body length unless the request sets one) and reads the answer. */
    static Response send(Request request) {
        try (Socket socket = open(request.uri())) {
            OutputStream out = socket.getOutputStream();
            out.write(head(request, request.body().length));
            out.write(request.body());
            out.flush();
            return read(socket.getInputStream(), request.method() == SdkHttpMethod.HEAD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the head and only the first {@code sent} body bytes, then half-closes the connection
     * and reads whatever comes back: a response, or null if the server just closed the connection.
     */
    static Response sendTruncated(Request request, int sent) {
        try (Socket socket = open(request.uri())) {
            OutputStream out = socket.getOutputStream();
            out.write(head(request, request.body().length));
            out.write(request.body(), 0, sent);
            out.flush();
            socket.shutdownOutput();
            try {
                return read(socket.getInputStream(), false);
            } catch (IOException e) {
                return null; // reset or closed without an answer
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the request, reads the response head and at least {@code bodyBytes} of the body, then
     * walks away: closes the socket, with a TCP reset when {@code reset} (SO_LINGER 0).
     *
     * @return the status of the response
     */
    static int sendAndAbandon(Request request, int bodyBytes, boolean reset) {
        try (Socket socket = open(request.uri())) {
            OutputStream out = socket.getOutputStream();
            out.write(head(request, request.body().length));
            out.write(request.body());
            out.flush();
            InputStream in = socket.getInputStream();
            int status = status(readHead(in));
            byte[] buf = new byte[8192];
            for (int read = 0, n; read < bodyBytes && (n = in.read(buf)) >= 0; ) {
                read += n;
            }
            if (reset) {
                socket.setSoLinger(true, 0);
            }
            return status;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the head (Content-Length as the request says, or the body's length) and only the first
     * {@code sent} body bytes, and leaves the connection open: a stalled client. With
     * {@code Expect: 100-continue} the bytes go after the interim answer, once the server reads the
     * body. Read the final answer with {@link #readAnswer}.
     */
    static Socket sendStalled(Request request, int sent) {
        try {
            Socket socket = open(request.uri());
            OutputStream out = socket.getOutputStream();
            out.write(head(request, request.body().length));
            out.flush();
            if ("100-continue".equalsIgnoreCase(request.header("Expect"))) {
                String interim = readHead(socket.getInputStream()); // the server is reading the body from here on
                if (status(interim) != 100) {
                    throw new IllegalStateException("expected 100 Continue, got " + interim);
                }
            }
            out.write(request.body(), 0, sent);
            out.flush();
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The answer on a socket of {@link #sendStalled}, or null when the server closed it without one. */
    static Response readAnswer(Socket socket) {
        try (socket) {
            return read(socket.getInputStream(), false);
        } catch (IOException e) {
            return null;
        }
    }

    private static Socket open(URI uri) throws IOException {
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static byte[] head(Request r, int bodyLength) {
        StringBuilder b = new StringBuilder();
        String target = r.target() != null ? r.target()
                : r.uri().getRawPath() + (r.uri().getRawQuery() == null ? "" : "?" + r.uri().getRawQuery());
        b.append(r.method().name()).append(' ').append(target).append(" HTTP/1.1\r\n");
        if (r.header("Host") == null) {
            b.append("Host: ").append(r.uri().getHost()).append(':').append(r.uri().getPort()).append("\r\n");
        }
        for (Map.Entry<String, String> e : r.headers()) {
            b.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
        }
        if (r.header("Content-Length") == null && r.header("Transfer-Encoding") == null
                && (bodyLength > 0 || r.method() == SdkHttpMethod.PUT || r.method() == SdkHttpMethod.POST)) {
            b.append("Content-Length: ").append(bodyLength).append("\r\n");
        }
        b.append("Connection: close\r\n\r\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Sends the head with {@code Expect: 100-continue} and waits for the server's word: after
     * {@code 100 Continue} the body follows and the final answer is returned; a final answer
     * that comes first (the request was refused unread) is returned without sending the body.
     *
     * @param sawContinue set to whether a 100 Continue arrived
     */
    static Response sendExpectingContinue(Request request, boolean[] sawContinue) {
        try (Socket socket = open(request.uri())) {
            OutputStream out = socket.getOutputStream();
            out.write(head(request.withHeader("Expect", "100-continue"), request.body().length));
            out.flush();
            InputStream in = socket.getInputStream();
            String first = readHead(in);
            sawContinue[0] = status(first) == 100;
            if (!sawContinue[0]) {
                return response(first, in, request.method() == SdkHttpMethod.HEAD);
            }
            out.write(request.body());
            out.flush();
            return response(readHead(in), in, request.method() == SdkHttpMethod.HEAD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one final response (skipping interim 1xx ones) up to the end of the stream. */
    private static Response read(InputStream in, boolean head) throws IOException {
        String h = readHead(in);
        while (status(h) / 100 == 1) {
            h = readHead(in);
        }
        return response(h, in, head);
    }

    /** The status line and headers, up to the empty line. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException(head.size() == 0 ? "connection closed without a response"
                        : "incomplete response head: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        byte[] raw = head.toByteArray();
        return new String(raw, 0, raw.length - 4, StandardCharsets.UTF_8);
    }

    private static int status(String head) {
        return Integer.parseInt(head.split("\r\n", 2)[0].split(" ")[1]);
    }

    private static Response response(String head, InputStream in, boolean isHead) throws IOException {
        String[] lines = head.split("\r\n");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        if (!isHead) {
            byte[] buf = new byte[64 * 1024];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    rest.write(buf, 0, n);
                }
            } catch (SocketException e) {
                // the server may reset after answering; keep what arrived
            }
        }
        byte[] body = rest.toByteArray();
        if (headers.containsKey("transfer-encoding")) {
            body = dechunk(body);
        } else if (headers.containsKey("content-length")) {
            int len = Integer.parseInt(headers.get("content-length").get(0));
            if (body.length > len) {
                body = java.util.Arrays.copyOf(body, len);
            }
        }
        return new Response(status(head), headers, body);
    }

    private static byte[] dechunk(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (pos < raw.length) {
            int eol = indexOf(raw, new byte[] {'\r', '\n'}, pos);
            int size = Integer.parseInt(new String(raw, pos, eol - pos, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(raw, eol + 2, size);
            pos = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] needle, int from) {
        outer:
        for (int i = from; i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
