package dev.cairn.s3.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.checksums.spi.ChecksumAlgorithm;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Signs requests with the AWS SDK for Java v2 signer, configured as its S3 client configures it. */
final class SdkSigning {
    static final String AK = "AKIDCAIRNTEST";
    static final String SK = "cairn/secret+key/EXAMPLE";
    static final CredentialsProvider CREDS = CredentialsProvider.rootOnly(AK, SK);
    static final Instant T0 = Instant.parse("2024-03-04T05:06:07Z");
    static final String REGION = "eu-west-3";

    private SdkSigning() {
    }

    static SigV4Verifier verifierAt(Instant now) {
        return new SigV4Verifier(CREDS, Clock.fixed(now, ZoneOffset.UTC), REGION);
    }

    /** A signed request and its (possibly aws-chunked) body. */
    record Signed(SdkHttpRequest request, byte[] body) {
        TestRequest view() {
            return SdkSigning.view(request);
        }
    }

    static Signed sign(SdkHttpMethod method, String uri, Map<String, String> headers, byte[] body,
                       Consumer<SignRequest.Builder<AwsCredentialsIdentity>> options) {
        SdkHttpRequest.Builder rb = SdkHttpRequest.builder().method(method).uri(URI.create(uri));
        headers.forEach(rb::putHeader);
        SdkHttpRequest request = rb.build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> {
            r.identity(AwsCredentialsIdentity.create(AK, SK)).request(request)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                    .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(T0, ZoneOffset.UTC));
            if (body != null) {
                r.payload(() -> new ByteArrayInputStream(body));
            }
            options.accept(r);
        });
        byte[] out = signed.payload().map(p -> {
            try {
                return p.newStream().readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).orElse(new byte[0]);
        return new Signed(signed.request(), out);
    }

    static Signed sign(SdkHttpMethod method, String uri, Map<String, String> headers, byte[] body) {
        return sign(method, uri, headers, body, r -> { });
    }

    /** A streaming (aws-chunked) upload as the SDK sends it. */
    static Signed signChunked(String uri, byte[] body, boolean payloadSigning, ChecksumAlgorithm trailerChecksum) {
        return sign(SdkHttpMethod.PUT, uri, Map.of("x-amz-decoded-content-length", Integer.toString(body.length)), body,
                r -> {
                    r.putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true)
                            .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, payloadSigning);
                    if (trailerChecksum != null) {
                        r.putProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM, trailerChecksum);
                    }
                });
    }

    /** The request as the server sees it: raw path and query, all headers, Host as the HTTP client sends it. */
    static TestRequest view(SdkHttpRequest request) {
        URI uri = request.getUri();
        TestRequest r = new TestRequest(request.method().name(), uri.getRawPath(), uri.getRawQuery());
        if (request.firstMatchingHeader("Host").isEmpty()) {
            r.add("Host", uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort());
        }
        request.forEachHeader((name, values) -> {
            for (String v : values) {
                r.add(name, v);
            }
        });
        return r;
    }

    static List<Map.Entry<String, String>> headers(TestRequest r) {
        return r.headers();
    }
}
