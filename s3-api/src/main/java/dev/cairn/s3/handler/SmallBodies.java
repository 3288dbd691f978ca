package dev.cairn.s3.handler;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.auth.AuthResult;
import dev.cairn.s3.auth.AwsChunkedDecoder;
import dev.cairn.s3.auth.PayloadMode;
import dev.cairn.s3.auth.StreamingSignatureChain;
import dev.cairn.s3.checksum.ChecksumAlgorithm;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.request.S3Operation;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the small XML bodies of control requests (CreateBucket, DeleteObjects,
 * CompleteMultipartUpload) with a size cap, then decodes and verifies them on the worker pool:
 * aws-chunked framing, the signed SHA-256 or chunk-signature chain, Content-MD5 and any
 * x-amz-checksum header.
 */
final class SmallBodies {
    private SmallBodies() {
    }

    static Future<byte[]> read(S3Services s, S3Exchange ex, int maxBytes) {
        Promise<Buffer> raw = Promise.promise();
        Buffer acc = Buffer.buffer();
        if ("100-continue".equalsIgnoreCase(ex.header("Expect"))) {
            ex.response().writeContinue();
        }
        ex.request().handler(b -> {
            if (acc.length() + b.length() > maxBytes) {
                raw.tryFail(new S3Exception(S3ErrorCode.MALFORMED_XML, "The request body is too large."));
                return;
            }
            acc.appendBuffer(b);
        });
        ex.request().endHandler(v -> raw.tryComplete(acc));
        ex.request().exceptionHandler(raw::tryFail);
        ex.request().resume();
        return raw.future().compose(body -> s.blocking(ex, () -> verify(ex, body.getBytes())));
    }

    private static byte[] verify(S3Exchange ex, byte[] raw) {
        AuthResult auth = ex.auth();
        PayloadMode mode = auth.payloadMode();
        byte[] body = raw;
        Map<String, String> trailers = Map.of();
        if (mode.streaming()) {
            Decoded d = decode(mode, auth, raw);
            body = d.data;
            trailers = d.trailers;
        } else if (mode == PayloadMode.SIGNED) {
            String actual = HexFormat.of().formatHex(digest("SHA-256", body));
            if (!actual.equalsIgnoreCase(auth.payloadSha256Hex())) {
                throw new S3Exception(S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH)
                        .with("ClientComputedContentSHA256", auth.payloadSha256Hex())
                        .with("S3ComputedContentSHA256", actual);
            }
        }
        byte[] md5 = UploadBodies.contentMd5(ex.header("Content-MD5"));
        if (md5 != null && !MessageDigest.isEqual(md5, digest("MD5", body))) {
            throw new S3Exception(S3ErrorCode.BAD_DIGEST);
        }
        // CompleteMultipartUpload's x-amz-checksum-* headers describe the object, not this document
        if (ex.op().operation() != S3Operation.COMPLETE_MULTIPART_UPLOAD) {
            for (Map.Entry<String, String> h : ex.request().headers()) {
                checkChecksum(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), body);
            }
        }
        for (Map.Entry<String, String> t : trailers.entrySet()) {
            checkChecksum(t.getKey(), t.getValue(), body);
        }
        return body;
    }

    private static void checkChecksum(String name, String value, byte[] body) {
        ChecksumAlgorithm alg = ChecksumAlgorithm.fromHeaderName(name).orElse(null);
        if (alg == null) {
            return;
        }
        var hasher = alg.newHasher();
        hasher.update(ByteBuffer.wrap(body));
        if (!Base64.getEncoder().encodeToString(hasher.digest()).equals(value.trim())) {
            throw new S3Exception(S3ErrorCode.BAD_DIGEST,
                    "The " + alg.name() + " you specified did not match the calculated checksum.");
        }
    }

    private record Decoded(byte[] data, Map<String, String> trailers) {
    }

    private static Decoded decode(PayloadMode mode, AuthResult auth, byte[] raw) {
        StreamingSignatureChain chain = mode.signedChunks() ? new StreamingSignatureChain(auth.signing()) : null;
        Buffer out = Buffer.buffer(raw.length);
        List<Map<String, String>> trailers = new ArrayList<>();
        AwsChunkedDecoder decoder = new AwsChunkedDecoder(mode, new AwsChunkedDecoder.Listener() {
            @Override
            public void onData(Buffer slice) {
                out.appendBuffer(slice);
                if (chain != null) {
                    chain.update(ByteBuffer.wrap(slice.getBytes()));
                }
            }

            @Override
            public void onChunkEnd(String chunkSignature) {
                if (chain != null) {
                    chain.chunkEnd(chunkSignature);
                }
            }

            @Override
            public void onTrailers(Map<String, String> values, String block, String signature) {
                if (chain != null) {
                    chain.trailer(block, signature);
                }
                trailers.add(values);
            }
        });
        decoder.feed(Buffer.buffer(raw));
        decoder.end();
        return new Decoded(out.getBytes(), trailers.isEmpty() ? Map.of() : trailers.get(0));
    }

    private static byte[] digest(String alg, byte[] data) {
        try {
            return MessageDigest.getInstance(alg).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
