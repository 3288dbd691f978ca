package dev.cairn.s3.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/** An SdkHttpClient that records what the S3 client sends (headers and body bytes) and answers 200. */
final class CapturingHttpClient implements SdkHttpClient {
    record Captured(SdkHttpRequest request, byte[] body) {
    }

    final List<Captured> requests = new ArrayList<>();
    volatile String responseBody = "";

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                byte[] body = request.contentStreamProvider().isPresent()
                        ? request.contentStreamProvider().get().newStream().readAllBytes() : new byte[0];
                requests.add(new Captured(request.httpRequest(), body));
                byte[] response = responseBody.getBytes(StandardCharsets.UTF_8);
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder().statusCode(200)
                                .putHeader("Content-Length", Integer.toString(response.length)).build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(response)))
                        .build();
            }

            @Override
            public void abort() {
            }
        };
    }

    @Override
    public void close() {
    }

    Captured last() {
        return requests.get(requests.size() - 1);
    }
}
