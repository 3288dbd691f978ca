package dev.cairn.s3.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What Cairn's own {@link RequestSigner} signs, the verifier accepts. */
class RequestSignerTest {
    static final SigV4Verifier US_EAST = new SigV4Verifier(SdkSigning.CREDS,
            java.time.Clock.fixed(SdkSigning.T0, java.time.ZoneOffset.UTC), "us-east-1");

    @Test
    void signedRequestsVerify() {
        RequestSigner signer = new RequestSigner(SdkSigning.AK, SdkSigning.SK, "us-east-1");
        String[][] requests = {{"GET", "/", null}, {"PUT", "/bucket/a%20b/%C3%BC+~", "partNumber=2&uploadId=x%2By"},
            {"GET", "/bucket", "list-type=2&prefix=a%2Fb&delimiter=%2F"}, {"DELETE", "/bucket/a%2Fb", "versionId="}};
        for (String[] r : requests) {
            for (String payload : new String[] {RequestSigner.UNSIGNED_PAYLOAD, SigningKeys.EMPTY_SHA256}) {
                Map<String, String> headers = signer.sign(r[0], "127.0.0.1:9000", r[1], r[2], payload, SdkSigning.T0);
                TestRequest req = new TestRequest(r[0], r[1], r[2]).add("Host", "127.0.0.1:9000");
                headers.forEach(req::add);
                AuthResult result = US_EAST.verify(req);
                assertEquals(payload.equals(RequestSigner.UNSIGNED_PAYLOAD) ? PayloadMode.UNSIGNED : PayloadMode.SIGNED,
                        result.payloadMode());
                S3Exception e = assertThrows(S3Exception.class,
                        () -> US_EAST.verify(req.withMethod("POST")));
                assertEquals(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, e.error());
            }
        }
    }
}
