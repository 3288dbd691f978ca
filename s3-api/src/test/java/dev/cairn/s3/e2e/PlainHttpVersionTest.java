package dev.cairn.s3.e2e;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plain-HTTP listeners speak HTTP/1.1 only: a client that offers an h2c upgrade (the JDK's
 * HttpClient does by default) gets HTTP/1.1 answers, whole.
 */
class PlainHttpVersionTest {
    @Test
    void anH2cUpgradeOfferIsAnsweredInHttp11OnBothListeners() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpClient client = HttpClient.newHttpClient(); // HTTP/2 preferred: offers the upgrade
            for (URI uri : new URI[] {server.adminEndpoint().resolve("/metrics"), server.endpoint().resolve("/")}) {
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(HttpClient.Version.HTTP_1_1, r.version(), uri + " answered in " + r.version());
                    assertTrue(r.statusCode() == 200 || r.statusCode() == 403, uri + ": " + r.statusCode());
                }
            }
        }
    }
}
