package dev.cairn.s3.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.s3.checksum.ChecksumAlgorithm;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The worked examples of the Amazon S3 API Reference, "Authenticating Requests (AWS Signature
 * Version 4)": header auth, query auth and the two streaming (aws-chunked) examples.
 */
class AwsDocExamplesTest {
    static final String AK = "AKIAIOSFODNN7EXAMPLE";
    static final String SK = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final CredentialsProvider CREDS = CredentialsProvider.rootOnly(AK, SK);
    static final SigV4Verifier VERIFIER =
            new SigV4Verifier(CREDS, Clock.fixed(Instant.parse("2013-05-24T00:00:00Z"), ZoneOffset.UTC), "us-east-1");

    static String auth(String signedHeaders, String signature) {
        return "AWS4-HMAC-SHA256 Credential=" + AK + "/20130524/us-east-1/s3/aws4_request,SignedHeaders="
                + signedHeaders + ",Signature=" + signature;
    }

    @Test
    void getObject() {
        TestRequest r = new TestRequest("GET", "/test.txt", null)
                .header("Host", "examplebucket.s3.amazonaws.com")
                .header("Authorization", auth("host;range;x-amz-content-sha256;x-amz-date",
                        "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"))
                .header("Range", "bytes=0-9")
                .header("x-amz-content-sha256", EMPTY)
                .header("x-amz-date", "20130524T000000Z");
        AuthResult result = VERIFIER.verify(r);
        assertEquals(AK, result.accessKeyId());
        assertEquals(PayloadMode.SIGNED, result.payloadMode());
        assertEquals(EMPTY, result.payloadSha256Hex());
        assertFalse(result.presigned());
        assertEquals("20130524/us-east-1/s3/aws4_request", result.signing().scope());
    }

    @Test
    void putObject() {
        TestRequest r = new TestRequest("PUT", "/test%24file.text", null)
                .header("Host", "examplebucket.s3.amazonaws.com")
                .header("Date", "Fri, 24 May 2013 00:00:00 GMT")
                .header("Authorization", auth("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                        "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"))
                .header("x-amz-date", "20130524T000000Z")
                .header("x-amz-storage-class", "REDUCED_REDUNDANCY")
                .header("x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
        AuthResult result = VERIFIER.verify(r);
        assertEquals("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072", result.payloadSha256Hex());
        // The path may also arrive with '$' unencoded: it canonicalises the same.
        assertNotNull(VERIFIER.verify(r.withPath("/test$file.text")));
    }

    @Test
    void getBucketLifecycle() {
        TestRequest r = new TestRequest("GET", "/", "lifecycle")
                .header("Host", "examplebucket.s3.amazonaws.com")
                .header("Authorization", auth("host;x-amz-content-sha256;x-amz-date",
                        "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"))
                .header("x-amz-date", "20130524T000000Z")
                .header("x-amz-content-sha256", EMPTY);
        assertNotNull(VERIFIER.verify(r));
        assertNotNull(VERIFIER.verify(r.withQuery("lifecycle=")));
    }

    @Test
    void listObjects() {
        TestRequest r = new TestRequest("GET", "/", "max-keys=2&prefix=J")
                .header("Host", "examplebucket.s3.amazonaws.com")
                .header("Authorization", auth("host;x-amz-content-sha256;x-amz-date",
                        "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"))
                .header("x-amz-date", "20130524T000000Z")
                .header("x-amz-content-sha256", EMPTY);
        assertNotNull(VERIFIER.verify(r));
        // Parameter order does not matter.
        assertNotNull(VERIFIER.verify(r.withQuery("prefix=J&max-keys=2")));
    }

    @Test
    void presignedGet() {
        TestRequest r = new TestRequest("GET", "/test.txt",
                "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                        + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                        + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
                .header("Host", "examplebucket.s3.amazonaws.com");
        AuthResult result = VERIFIER.verify(r);
        assertTrue(result.presigned());
        assertEquals(PayloadMode.UNSIGNED, result.payloadMode());
        assertNull(result.payloadSha256Hex());
    }

    /** "Signature Calculations for the Authorization Header: Transferring Payload in Multiple Chunks". */
    @Test
    void streamingChunkObject() {
        TestRequest r = new TestRequest("PUT", "/examplebucket/chunkObject.txt", null)
                .header("Host", "s3.amazonaws.com")
                .header("x-amz-date", "20130524T000000Z")
                .header("x-amz-storage-class", "REDUCED_REDUNDANCY")
                .header("Authorization", auth("content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                                + "x-amz-decoded-content-length;x-amz-storage-class",
                        "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"))
                .header("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
                .header("Content-Encoding", "aws-chunked")
                .header("x-amz-decoded-content-length", "66560")
                .header("Content-Length", "66824");
        AuthResult result = VERIFIER.verify(r);
        assertEquals(PayloadMode.STREAMING_SIGNED, result.payloadMode());
        assertEquals("4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9", result.signing().seedSignature());

        String body = chunk(65536, "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648")
                + chunk(1024, "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497")
                + "0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n";
        assertEquals(66824, body.length());
        Decoded d = decodeAndVerify(result, body);
        assertEquals(66560, d.length);
        assertEquals(3, d.chunks);
    }

    /** "Signature Calculations for the Authorization Header: Including Trailing Headers". */
    @Test
    void streamingChunkObjectWithTrailer() {
        TestRequest r = new TestRequest("PUT", "/examplebucket/chunkObject.txt", null)
                .header("Host", "s3.amazonaws.com")
                .header("x-amz-date", "20130524T000000Z")
                .header("x-amz-storage-class", "REDUCED_REDUNDANCY")
                .header("Authorization", auth("content-encoding;host;x-amz-content-sha256;x-amz-date;"
                                + "x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer",
                        "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"))
                .header("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER")
                .header("Content-Encoding", "aws-chunked")
                .header("x-amz-decoded-content-length", "66560")
                .header("x-amz-trailer", "x-amz-checksum-crc32c")
                .header("Content-Length", "66824");
        AuthResult result = VERIFIER.verify(r);
        assertEquals(PayloadMode.STREAMING_SIGNED_TRAILER, result.payloadMode());
        String body = chunk(65536, "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2")
                + chunk(1024, "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7")
                + "0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n"
                + "x-amz-checksum-crc32c:sOO8/Q==\r\n"
                + "x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n";
        Decoded d = decodeAndVerify(result, body);
        assertEquals(66560, d.length);
        assertEquals(Map.of("x-amz-checksum-crc32c", "sOO8/Q=="), d.trailers);
        byte[] data = new byte[66560];
        Arrays.fill(data, (byte) 'a');
        assertEquals("sOO8/Q==", ChecksumAlgorithm.encode(ChecksumAlgorithm.CRC32C.digest(data)));
    }

    static String chunk(int size, String signature) {
        return Integer.toHexString(size) + ";chunk-signature=" + signature + "\r\n" + "a".repeat(size) + "\r\n";
    }

    static final class Decoded {
        long length;
        int chunks;
        Map<String, String> trailers;
    }

    /** Runs the decoder and the signature chain over the body, as the server does. */
    static Decoded decodeAndVerify(AuthResult result, String body) {
        return decodeAndVerify(result, body.getBytes(StandardCharsets.ISO_8859_1), List.of(Integer.MAX_VALUE));
    }

    static Decoded decodeAndVerify(AuthResult result, byte[] body, List<Integer> splits) {
        Decoded d = new Decoded();
        StreamingSignatureChain chain =
                result.payloadMode().signedChunks() ? new StreamingSignatureChain(result.signing()) : null;
        AwsChunkedDecoder decoder = new AwsChunkedDecoder(result.payloadMode(), new AwsChunkedDecoder.Listener() {
            @Override
            public void onData(Buffer slice) {
                d.length += slice.length();
                if (chain != null) {
                    chain.update(ByteBuffer.wrap(slice.getBytes()));
                }
            }

            @Override
            public void onChunkEnd(String chunkSignature) {
                d.chunks++;
                if (chain != null) {
                    chain.chunkEnd(chunkSignature);
                }
            }

            @Override
            public void onTrailers(Map<String, String> trailers, String canonicalTrailerBlock, String trailerSignature) {
                d.trailers = trailers;
                if (chain != null) {
                    chain.trailer(canonicalTrailerBlock, trailerSignature);
                }
            }
        });
        List<Buffer> parts = new ArrayList<>();
        int pos = 0;
        for (int i = 0; pos < body.length; i++) {
            int n = Math.min(splits.get(i % splits.size()), body.length - pos);
            parts.add(Buffer.buffer(Arrays.copyOfRange(body, pos, pos + n)));
            pos += n;
        }
        parts.forEach(decoder::feed);
        decoder.end();
        assertEquals(d.length, decoder.decodedLength());
        return d;
    }
}
