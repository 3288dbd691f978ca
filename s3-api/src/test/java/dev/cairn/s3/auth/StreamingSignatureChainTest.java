package dev.cairn.s3.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;

/** The chunk and trailer signature chain, on bodies signed by the AWS SDK, intact and tampered with. */
class StreamingSignatureChainTest {
    static final byte[] DATA = new byte[300_000]; // 3 chunks of 128 KiB (the SDK's size) + final

    static {
        new Random(3).nextBytes(DATA);
    }

    static final SdkSigning.Signed SIGNED =
            SdkSigning.signChunked("http://127.0.0.1:9000/bucket/key", DATA, true, DefaultChecksumAlgorithm.CRC32C);
    static final AuthResult AUTH = SdkSigning.verifierAt(SdkSigning.T0).verify(SIGNED.view());

    static String body() {
        return new String(SIGNED.body(), StandardCharsets.ISO_8859_1);
    }

    static S3Exception refused(String body) {
        S3Exception e = assertThrows(S3Exception.class, () -> AwsDocExamplesTest.decodeAndVerify(AUTH,
                body.getBytes(StandardCharsets.ISO_8859_1), List.of(65536)));
        assertEquals(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, e.error());
        return e;
    }

    @Test
    void intactBodyVerifies() {
        assertEquals(PayloadMode.STREAMING_SIGNED_TRAILER, AUTH.payloadMode());
        AwsDocExamplesTest.Decoded d = AwsDocExamplesTest.decodeAndVerify(AUTH, SIGNED.body(), List.of(1, 65536, 13));
        assertEquals(DATA.length, d.length);
        assertEquals(4, d.chunks);
    }

    @Test
    void tamperedDataByte() {
        String body = body();
        for (int offset : new int[] {0, 131072 + 17, DATA.length - 1}) {
            int pos = dataStart(body, offset / 131072) + offset % 131072;
            assertEquals(DATA[offset], (byte) body.charAt(pos));
            refused(body.substring(0, pos) + (char) (body.charAt(pos) ^ 1) + body.substring(pos + 1));
        }
    }

    /** Where the data of chunk {@code index} (of 128 KiB chunks) starts in the encoded body. */
    private static int dataStart(String body, int index) {
        int header = 0;
        for (int i = 0; i < index; i++) {
            header = body.indexOf("\r\n", header) + 2 + 131072 + 2;
        }
        return body.indexOf("\r\n", header) + 2;
    }

    @Test
    void tamperedChunkSignatures() {
        String body = body();
        String first = body.substring(body.indexOf("chunk-signature=") + 16, body.indexOf("chunk-signature=") + 80);
        refused(body.replace(first, first.substring(0, 63) + (first.charAt(63) == '0' ? '1' : '0')));
        refused(body.replace(first, first.toUpperCase()));
        // The final chunk's signature.
        int last = body.lastIndexOf("0;chunk-signature=") + 18;
        refused(body.substring(0, last) + (body.charAt(last) == '0' ? '1' : '0') + body.substring(last + 1));
    }

    @Test
    void tamperedTrailer() {
        String body = body();
        String crc = body.substring(body.indexOf("x-amz-checksum-crc32c:") + 22, body.indexOf("\r\nx-amz-trailer-signature"));
        S3Exception e = refused(body.replace("x-amz-checksum-crc32c:" + crc, "x-amz-checksum-crc32c:AAAAAA=="));
        assertTrue(e.extra().get("StringToSign").startsWith("AWS4-HMAC-SHA256-TRAILER\n"));
        refused(body.replace("x-amz-checksum-crc32c:", "x-amz-checksum-crc32:"));
        refused(body.replaceAll("x-amz-trailer-signature:[0-9a-f]+\r\n", ""));
        refused(body.replaceAll("x-amz-trailer-signature:[0-9a-f]", "x-amz-trailer-signature:g"));
        // An extra trailer is part of what is signed.
        refused(body.replace("x-amz-trailer-signature:", "x-amz-meta-extra:1\r\nx-amz-trailer-signature:"));
    }

    @Test
    void wrongKeyOrSeed() {
        SigningContext ctx = AUTH.signing();
        SigningContext otherSeed = new SigningContext(ctx.signingKey(), ctx.amzDate(), ctx.scope(), "0".repeat(64));
        StreamingSignatureChain chain = new StreamingSignatureChain(otherSeed);
        chain.update(ByteBuffer.wrap(DATA, 0, 131072));
        String sig = body().substring(body().indexOf("chunk-signature=") + 16, body().indexOf("chunk-signature=") + 80);
        assertThrows(S3Exception.class, () -> chain.chunkEnd(sig));
        StreamingSignatureChain right = new StreamingSignatureChain(ctx);
        right.update(ByteBuffer.wrap(DATA, 0, 131072));
        right.chunkEnd(sig);
        SigningContext otherKey = new SigningContext(SigningKeys.derive("nope", "20240304", "eu-west-3", "s3"),
                ctx.amzDate(), ctx.scope(), ctx.seedSignature());
        StreamingSignatureChain wrong = new StreamingSignatureChain(otherKey);
        wrong.update(ByteBuffer.wrap(DATA, 0, 131072));
        assertThrows(S3Exception.class, () -> wrong.chunkEnd(sig));
        assertThrows(S3Exception.class, () -> new StreamingSignatureChain(ctx).chunkEnd(null));
    }

    @Test
    void updateLeavesTheBufferAloneAndAcceptsDirectBuffers() {
        String body = body();
        StreamingSignatureChain chain = new StreamingSignatureChain(AUTH.signing());
        ByteBuffer direct = ByteBuffer.allocateDirect(131072);
        direct.put(DATA, 0, 131072).flip();
        chain.update(direct.slice(0, 1000));
        ByteBuffer rest = direct.slice(1000, 131072 - 1000);
        chain.update(rest);
        assertEquals(0, rest.position());
        assertEquals(131072 - 1000, rest.remaining());
        chain.chunkEnd(body.substring(body.indexOf("chunk-signature=") + 16, body.indexOf("chunk-signature=") + 80));
    }

    @Test
    void misuse() {
        StreamingSignatureChain chain = new StreamingSignatureChain(AUTH.signing());
        assertThrows(IllegalStateException.class, () -> chain.trailer("", "x"));
        String signedNoTrailer = new String(SdkSigning.signChunked("http://127.0.0.1:9000/b/k", new byte[0], true, null).body(),
                StandardCharsets.ISO_8859_1);
        assertTrue(signedNoTrailer.matches("0;chunk-signature=[0-9a-f]{64}\r\n\r\n"), signedNoTrailer);
    }
}
